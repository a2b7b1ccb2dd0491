import { createHash } from 'node:crypto';
import type { Analysis, EvidenceItem } from '../domain/types.ts';

/** Buckets a count so that one more log line does not count as a change. */
export function bucket(n: number): string {
  if (n <= 1) return String(n);
  if (n < 5) return '2-4';
  if (n < 10) return '5-9';
  if (n < 100) return '10-99';
  if (n < 1000) return '100-999';
  return '1000+';
}

/**
 * Hash over facts and verdict only (SPEC §7): status, owner, category, signals with
 * bucketed counts, and evidence ids — never prose, session ids or timestamps — so a
 * re-run on an unchanged issue is silent.
 */
export function computeAuditHash(analysis: Analysis, items: EvidenceItem[]): string {
  const basis = {
    status: analysis.status.value,
    owner: analysis.owner.value,
    category: analysis.category.value,
    signals: [...analysis.signals, ...analysis.threadSignals]
      .map((s) => `${s.rule}:${bucket(s.count)}`)
      .sort(),
    whys: analysis.whys.map((w) => `${w.rule ?? '-'}:${w.certainty}:${w.evidence.join(',')}`),
    // The state is left out: progressor closes resolved issues itself, and its own
    // action is not a new fact.
    evidence: items.filter((i) => i.kind !== 'state').map((i) => `${i.id}:${i.kind}`),
    probes: items.filter((i) => i.kind === 'probe').map((i) => `${i.id}:${String(i.meta?.status ?? '')}`),
  };
  return createHash('sha256').update(JSON.stringify(basis)).digest('hex').slice(0, 16);
}
