import type { ProbeResult, Signal } from '../domain/types.ts';

// The post-fix check of `progressor validate` (SPEC §2, issue 6): pure, so the verdict is
// testable without a network. "fixed" needs positive evidence: every probe healthy AND no
// failure signal in the logs since the fix. A probe that could not run blocks "fixed" (we
// cannot confirm), but is reported as "could not run", never as the system failing.

/** A failure signal counted in logs written after the fix time. */
export type LogSignalSince = Pick<Signal, 'rule' | 'count'> & Partial<Pick<Signal, 'title' | 'category' | 'firstSeen' | 'lastSeen'>>;

export type FixVerdict = 'fixed' | 'not-fixed' | 'unknown';

export interface FixDecision {
  verdict: FixVerdict;
  fixed: boolean;
  /** Probes that ran and found the system failing. */
  failingProbes: Pick<ProbeResult, 'id' | 'kind' | 'target' | 'code' | 'rule' | 'error'>[];
  /** Probes that could not run or saw nothing (probe_error, no_data). */
  unconfirmedProbes: Pick<ProbeResult, 'id' | 'kind' | 'target' | 'status' | 'code' | 'error'>[];
  healthyProbes: string[];
  /** Failure signals still appearing in logs since the fix. */
  recurringSignals: LogSignalSince[];
  /** One sentence per finding, most serious first. */
  reasons: string[];
}

/**
 * Decides whether a fix worked.
 * @param probeResults the probes run now
 * @param logSignalsSince failure signals from logs written after the fix time; `undefined`
 *   when no logs were scanned (then the probes alone must carry the verdict)
 */
export function decideFixed(probeResults: readonly ProbeResult[], logSignalsSince: readonly LogSignalSince[] | undefined): FixDecision {
  const failingProbes = probeResults
    .filter((r) => r.status === 'failed')
    .map(({ id, kind, target, code, rule, error }) => ({ id, kind, target, code, rule, error }));
  const unconfirmedProbes = probeResults
    .filter((r) => r.status === 'probe_error' || r.status === 'no_data')
    .map(({ id, kind, target, status, code, error }) => ({ id, kind, target, status, code, error }));
  const healthyProbes = probeResults.filter((r) => r.status === 'ok').map((r) => r.id);
  const recurringSignals = (logSignalsSince ?? []).filter((s) => s.count > 0).sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule));

  const reasons: string[] = [];
  for (const p of failingProbes) {
    reasons.push(`probe ${p.id} (${p.kind} ${p.target}) still fails: ${p.code ?? 'failed'}${p.rule ? ` [${p.rule}]` : ''}${p.error ? ` — ${p.error}` : ''}`);
  }
  for (const s of recurringSignals) {
    reasons.push(`${s.title ?? s.rule} appears ${s.count} time${s.count === 1 ? '' : 's'} in the logs since the fix${s.lastSeen ? ` (last ${s.lastSeen})` : ''} [${s.rule}]`);
  }
  for (const p of unconfirmedProbes) {
    reasons.push(`probe ${p.id} could not confirm the fix (${p.status}${p.code ? ` ${p.code}` : ''}${p.error ? `: ${p.error}` : ''})`);
  }
  const evidenced = healthyProbes.length > 0 || logSignalsSince !== undefined;
  if (!evidenced) reasons.push('no probe ran and no log was scanned: nothing shows the fix works');

  let verdict: FixVerdict;
  if (failingProbes.length > 0 || recurringSignals.length > 0) verdict = 'not-fixed';
  else if (unconfirmedProbes.length > 0 || !evidenced) verdict = 'unknown';
  else verdict = 'fixed';
  if (verdict === 'fixed') {
    const parts = [];
    if (healthyProbes.length > 0) parts.push(`all ${healthyProbes.length} probe${healthyProbes.length === 1 ? ' is' : 's are'} healthy`);
    if (logSignalsSince !== undefined) parts.push('no failure signal in the logs since the fix');
    reasons.push(parts.join(' and '));
  }
  return { verdict, fixed: verdict === 'fixed', failingProbes, unconfirmedProbes, healthyProbes, recurringSignals, reasons };
}
