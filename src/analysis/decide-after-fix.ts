import type { Analysis, EvidenceItem, NextStep } from '../domain/types.ts';
import { MAINTAINER_ASSOCIATIONS } from '../domain/vocabulary.ts';

// Post-decision steps (issue 11): small, separate corrections applied after the verdict is
// built, so the verdict model (build-analysis.ts) stays untouched. Each takes an analysis and
// returns a new one; neither does I/O.
//
// 1. A maintainer reporting a deployed fix, newer than every failure, turns "blocked" into
//    "fix deployed, awaiting validation" (in-progress, `progressor validate` first in Next).
// 2. A validation that found the fix working turns any status into "resolved", citing the
//    healthy probes and the clean logs.

/** Past-tense reports that a fix is out (matched case-insensitively, one sentence at a time). */
const DEPLOYED = [
  /\b(?:re)?deployed\b/i,
  /\brolled (?:it |the fix |this )?out\b/i,
  /\b(?:fix|hotfix|patch|change) (?:is|has been) (?:now )?(?:live|out|in production|deployed|rolled out|applied)\b/i,
  /\b(?:is|it's|it is) (?:READY|healthy|up|back up|working) (?:again|now)\b/i,
  /\brecreated\b/i,
];
/** A sentence with one of these is a plan, a question or a failure, not a report of a fix. */
const NOT_A_REPORT = [
  /\?/,
  /\b(?:not|never|no longer|n't|yet|will|going to|gonna|plan(?:ning)? to|about to|once|when|if|tomorrow|later|should|could|would|might|need to|needs to|try to)\b/i,
  /\b(?:still|again) (?:fail|broken|crash|erroring|down|timing out)|\b(?:fails|failed|failing|broke|broken) again\b/i,
  /\bdeploy(?:ment)? (?:failed|broke|was rolled back)\b|\brolled back\b|\breverted\b/i,
];

/** A comment that says the failure goes on is no fix report, whatever else it says. */
const STILL_FAILING = /\bstill (?:fail|broken|crash|erroring|down|timing out|seeing|get)|\bsame (?:result|error|failure)\b|\b(?:fails|failed|failing|broke|broken) again\b|\bdid(?: not|n't) (?:help|fix|work)\b/i;

/** The evidence a deployed-fix report rests on. */
export interface DeployedFixReport {
  item: EvidenceItem;
  /** The sentence that reports it. */
  sentence: string;
  /** The latest failure evidence it follows, if any. */
  lastFailure?: EvidenceItem;
}

function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!;\n])\s+|\n+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** True when a sentence reports, in the past tense, that a fix was deployed. */
export function isDeployedFixSentence(sentence: string): boolean {
  return DEPLOYED.some((re) => re.test(sentence)) && !NOT_A_REPORT.some((re) => re.test(sentence));
}

function isMaintainer(i: EvidenceItem): boolean {
  return i.role === 'maintainer' || (i.authorAssociation !== undefined && MAINTAINER_ASSOCIATIONS.includes(i.authorAssociation));
}

/** Orders evidence in time: timestamp, then thread position. */
function later(a: EvidenceItem, b: EvidenceItem): boolean {
  const ta = Date.parse(a.at ?? '');
  const tb = Date.parse(b.at ?? '');
  if (Number.isFinite(ta) && Number.isFinite(tb) && ta !== tb) return ta > tb;
  return (a.position ?? -1) > (b.position ?? -1);
}

/**
 * The latest maintainer comment reporting a deployed fix, when it is newer than every piece
 * of failure evidence (items behind a failure signal, failed probes). A failure after it
 * means the fix did not hold, so no report is returned.
 */
export function findDeployedFixReport(analysis: Analysis, items: readonly EvidenceItem[]): DeployedFixReport | undefined {
  const byId = new Map(items.map((i) => [i.id, i]));
  const failures = new Set<EvidenceItem>();
  for (const s of analysis.signals) for (const id of s.evidence) if (byId.has(id)) failures.add(byId.get(id)!);
  for (const i of items) if (i.kind === 'probe' && i.meta?.status === 'failed') failures.add(i);

  const reports = items
    .filter((i) => i.kind === 'comment' && isMaintainer(i) && !STILL_FAILING.test(String(i.text)))
    .map((item) => ({ item, sentence: sentences(String(item.text)).find(isDeployedFixSentence) }))
    .filter((r): r is DeployedFixReport => r.sentence !== undefined)
    .sort((a, b) => (later(a.item, b.item) ? 1 : -1));
  const latest = reports.at(-1);
  if (!latest) return undefined;
  let lastFailure: EvidenceItem | undefined;
  for (const f of failures) {
    if (f === latest.item) continue;
    if (later(f, latest.item)) return undefined;
    if (!lastFailure || later(f, lastFailure)) lastFailure = f;
  }
  return { ...latest, lastFailure };
}

/** The Next step every "awaiting validation" comment starts with. */
export const VALIDATE_STEP: NextStep = {
  owner: 'maintainers',
  action: 'run progressor validate on this issue: it probes the services and scans the logs written since the fix.',
};

/**
 * Post-decision step: a maintainer reported the fix deployed after the last failure, so the
 * issue is no longer blocked but awaiting validation (until `validate` or new failures decide).
 */
export function applyDeployedFixReport(analysis: Analysis, items: readonly EvidenceItem[]): Analysis {
  if (analysis.status.value !== 'blocked-on-infrastructure' && analysis.status.value !== 'in-progress') return analysis;
  const report = findDeployedFixReport(analysis, items);
  if (!report) return analysis;
  const who = report.item.author ?? 'a maintainer';
  const previous = analysis.status.value;
  return {
    ...analysis,
    status: {
      value: 'in-progress',
      decidedBy: ['fix-deployed-in-thread'],
      score: analysis.status.score,
      runnerUp: previous === 'in-progress' ? analysis.status.runnerUp : { value: previous, score: analysis.status.score, decidedBy: analysis.status.decidedBy },
      margin: analysis.status.margin,
    },
    confidence: analysis.confidence === 'high' ? 'medium' : analysis.confidence,
    confidenceReasons: [...analysis.confidenceReasons, `the fix ${who} reported (${report.item.id}) is not validated yet`],
    takeaway: `Fix deployed, awaiting validation: ${who} reported the fix deployed (${report.item.id}) after the last recorded failure${report.lastFailure ? ` (${report.lastFailure.id})` : ''}.`,
    nextSteps: [VALIDATE_STEP, ...analysis.nextSteps.filter((s) => s.action !== VALIDATE_STEP.action)],
  };
}

/** What `progressor validate` found, as evidence ids the comment can cite. */
export interface ValidationEvidence {
  /** ISO time of the fix. */
  since: string;
  /** Evidence ids of the healthy probes. */
  healthyProbes: string[];
  /** Evidence ids of the log files scanned clean since the fix. */
  cleanLogs: string[];
}

/**
 * Post-decision step for `validate --apply` when the fix is confirmed: the issue is resolved,
 * and the takeaway says what confirmed it. Blocked/escalation labels follow from the status.
 */
export function applyValidatedFix(analysis: Analysis, v: ValidationEvidence): Analysis {
  const parts: string[] = [];
  if (v.healthyProbes.length > 0) parts.push(`${v.healthyProbes.length === 1 ? 'the probe is' : `all ${v.healthyProbes.length} probes are`} healthy (${v.healthyProbes.join(', ')})`);
  if (v.cleanLogs.length > 0) parts.push(`the logs show no failure signal since the fix (${v.cleanLogs.join(', ')})`);
  const since = v.since.replace(/\.000Z$/, 'Z');
  return {
    ...analysis,
    status: {
      value: 'resolved',
      decidedBy: ['validate-fixed'],
      score: analysis.status.score,
      runnerUp: analysis.status.value === 'resolved' ? analysis.status.runnerUp : { value: analysis.status.value, score: analysis.status.score, decidedBy: analysis.status.decidedBy },
      margin: analysis.status.margin,
    },
    confidence: 'high',
    confidenceReasons: [],
    takeaway: `Resolved: validated after the fix of ${since}: ${parts.join(' and ')}.`,
    nextSteps: [{ owner: 'maintainers', action: 'reopen this issue if the failure comes back; `progressor validate` shows whether it did.' }],
    monitor: [],
    validate: [],
    diagnostics: [],
  };
}
