import type { CollectorOutput, EvidenceItem, Signal } from '../domain/types.ts';
import { EVIDENCE_KINDS } from '../domain/vocabulary.ts';

/**
 * Gives every evidence draft its id (`E1`…) after a deterministic sort — thread first in
 * thread order, then labels, linked PRs, logs, reports, repository, probes, and the state — and
 * rewrites collector signals to point at those ids.
 */
export function assignIds(outputs: CollectorOutput[]): { items: EvidenceItem[]; signals: Signal[] } {
  const drafts = outputs.flatMap((o) => o.items.map((d) => ({ d, collector: o.collector })));
  const order = (k: string) => EVIDENCE_KINDS.indexOf(k as (typeof EVIDENCE_KINDS)[number]);
  // The state sorts last: closing an issue (possibly progressor's own action) must
  // not renumber the evidence before it.
  const kindRank = (k: string) => (k === 'issue-body' || k === 'comment' ? 0 : k === 'state' ? 100 : 1 + order(k));
  drafts.sort(
    (a, b) =>
      kindRank(a.d.kind) - kindRank(b.d.kind) ||
      (a.d.position ?? 0) - (b.d.position ?? 0) ||
      (a.d.source.path ?? '').localeCompare(b.d.source.path ?? '') ||
      (a.d.source.line ?? 0) - (b.d.source.line ?? 0) ||
      a.collector.localeCompare(b.collector) ||
      a.d.key.localeCompare(b.d.key),
  );
  const idOf = new Map<string, string>();
  const items: EvidenceItem[] = drafts.map(({ d, collector }, i) => {
    const id = `E${i + 1}`;
    idOf.set(`${collector}\u0000${d.key}`, id);
    const { key: _key, ...rest } = d;
    return { id, ...rest };
  });
  const signals: Signal[] = outputs.flatMap((o) =>
    o.signals.map((s) => {
      const { evidenceKeys, ...rest } = s;
      return {
        ...rest,
        evidence: evidenceKeys.map((k) => idOf.get(`${o.collector}\u0000${k}`)).filter((x): x is string => !!x),
      };
    }),
  );
  return { items, signals };
}
