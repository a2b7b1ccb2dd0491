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
    id: 'decide-closed-without-proof',
    applies: (c) => !c.open,
    status: { 'needs-info': 0.6 },
  },
  {
    id: 'decide-infra-root-unresolved',
    applies: (c) => c.open && c.root?.owner === 'infrastructure' && !c.fixMerged,
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
    applies: (c) => c.open && c.root !== undefined && c.maintainerSpoke,
    status: { 'in-progress': 1 },
  },
  {
    id: 'decide-open-default',
    applies: (c) => c.open,
    status: { 'in-progress': 0.5, 'needs-info': 0.3 },
  },
  {
    id: 'decide-open-pr-in-flight',
    applies: (c) => c.open && c.openPrs > 0,
    status: { 'in-progress': 1 },
  },
  {
    id: 'decide-owner-from-root-cause',
    applies: (c) => c.root !== undefined,
    owner: {},
  },
  {
    id: 'decide-owner-unknown-without-cause',
    applies: (c) => c.root === undefined || (!c.maintainerSpoke && has(c, 'unanswered-request-for-info')),
    owner: { unknown: 1.5 },
  },
  {
    id: 'decide-recurrence-blocks-resolved',
    applies: (c) => c.hasRecurrence,
    status: { resolved: -3 },
  },
];
