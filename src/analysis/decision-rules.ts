import type { Owner, Status } from '../domain/vocabulary.ts';
import type { MatchedSignal } from '../rules/match-evidence.ts';

/** What the decision rules see: the thread's shape and the causal chain's result. */
export interface DecisionContext {
  open: boolean;
  threadSignals: MatchedSignal[];
  failureSignals: MatchedSignal[];
  /** Deepest supported node of the Five Whys chain. */
  root?: MatchedSignal;
  mergedPrs: number;
  /** A merged PR that counts as a fix (not only a timeout or retry change). */
  fixMerged: boolean;
  openPrs: number;
  maintainerSpoke: boolean;
  comments: number;
  probesFailing: number;
  probesHealthy: number;
  hasRecurrence: boolean;
  /** Thread rules that prove a fix (positive `resolved` effect) fired. */
  fixProven: boolean;
  /** The project itself fixed it (a maintainer's statement, a merged PR, a "fixed" label). */
  projectFixed: boolean;
  /** The discussion names a cause (a thread rule with a category fired). */
  causeNamed: boolean;
  /** Owners that thread rules (statements, labels, classified PRs) name. */
  threadOwners: string[];
  /** The thread talks about shipped deployment artifacts (chart, manifest, Dockerfile). */
  deployArtifacts: boolean;
  /** The reporter's own setup or a maintainer's "not a bug" was stated. */
  notABugStated: boolean;
}

/** A named row of the decision table: when it applies, the scores it adds. */
export interface DecisionRule {
  id: string;
  applies: (ctx: DecisionContext) => boolean;
  status?: Partial<Record<Status, number>>;
  owner?: Partial<Record<Owner, number>>;
}

const has = (ctx: DecisionContext, id: string) => ctx.threadSignals.some((s) => s.rule === id);

/**
 * Built-in rows of the decision table, besides the `effects` of thread rules in rules/.
 * Sorted by id; each id appears in the JSON `decidedBy` when it contributes.
 */
export const decisionRules: DecisionRule[] = [
  {
    id: 'decide-closed-not-in-progress',
    // The rubric's in-progress means the issue is open; a closed issue is something else.
    applies: (c) => !c.open,
    status: { 'in-progress': -10 },
  },
  {
    id: 'decide-closed-without-proof',
    applies: (c) => !c.open && !c.fixProven,
    status: { 'needs-info': 0.6 },
  },
  {
    id: 'decide-confirmed-setup-advice',
    // The reporter says "that works" after being told to change their own setup, and the
    // project changed nothing: their confirmation settles not-a-bug (rubric tie-breaker 1).
    applies: (c) => c.notABugStated && !c.projectFixed && has(c, 'reporter-confirms-fix'),
    status: { resolved: -3, 'not-a-bug': 1 },
  },
  {
    id: 'decide-infra-root-unresolved',
    applies: (c) => c.open && c.root?.owner === 'infrastructure' && !c.fixMerged && !c.fixProven,
    status: { 'blocked-on-infrastructure': 2 },
  },
  {
    id: 'decide-infra-root-waiting-on-team',
    applies: (c) => c.open && c.root?.owner === 'infrastructure' && has(c, 'waiting-on-infrastructure'),
    status: { 'blocked-on-infrastructure': 2.5 },
  },
  {
    id: 'decide-infra-root-with-probe-failure',
    applies: (c) => c.open && c.root?.owner === 'infrastructure' && c.probesFailing > 0,
    status: { 'blocked-on-infrastructure': 1.5 },
  },
  {
    id: 'decide-open-cause-known',
    applies: (c) => c.open && (c.root !== undefined || c.causeNamed) && c.maintainerSpoke,
    status: { 'in-progress': 1 },
  },
  {
    id: 'decide-open-default',
    applies: (c) => c.open,
    status: { 'in-progress': 0.5, 'needs-info': 0.3 },
  },
  {
    id: 'decide-open-pr-in-flight',
    applies: (c) => c.open && c.openPrs > 0 && !c.fixMerged,
    status: { 'in-progress': 1 },
  },
  {
    id: 'decide-owner-from-root-cause',
    applies: (c) => c.root !== undefined,
    owner: {},
  },
  {
    id: 'decide-owner-project-fixed-own-code',
    // The project fixed it and nothing in the thread points at configuration, a dependency,
    // the platform or the tests: the defect was in the project's own code.
    applies: (c) =>
      c.projectFixed &&
      !c.notABugStated &&
      !c.deployArtifacts &&
      !c.threadOwners.some((o) => o !== 'application' && o !== 'unknown') &&
      (c.root === undefined || c.root.owner === 'configuration' || c.root.owner === 'unknown'),
    // Above an error signature's default owner (configuration): the project's own fix says
    // whose defect it was.
    owner: { application: 3 },
  },
  {
    id: 'decide-owner-unknown-without-cause',
    applies: (c) =>
      (c.root === undefined && !c.causeNamed && c.threadOwners.length === 0) ||
      (!c.fixProven && !c.notABugStated && (has(c, 'request-for-info-unanswered') || has(c, 'closed-for-no-response'))),
    owner: { unknown: 1.5 },
  },
  {
    id: 'decide-recurrence-blocks-resolved',
    applies: (c) => c.hasRecurrence,
    status: { resolved: -3 },
  },
  {
    id: 'decide-waiting-on-outside-team',
    // Someone outside the project (hosting, IT, provider) has to act and nothing is fixed yet.
    applies: (c) => c.open && !c.fixProven && has(c, 'waiting-on-infrastructure'),
    status: { 'blocked-on-infrastructure': 1.5 },
  },
];
