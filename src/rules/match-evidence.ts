import type { EvidenceItem, Signal } from '../domain/types.ts';
import type { EvidenceKind } from '../domain/vocabulary.ts';
import { matchText, signalHead, type CompiledRule, type TextMatch } from './compile-rule.ts';
import { literalGate } from './literal-gate.ts';

/** Evidence kinds text rules read unless a rule narrows its `scope`. */
export const TEXT_KINDS: readonly EvidenceKind[] = [
  'issue-body',
  'comment',
  'linked-pr',
  'log',
  'test-report',
  'commit',
  'document',
  'probe',
];

/** A signal plus the matched lines behind it, for quoting in whys. */
export interface MatchedSignal extends Signal {
  hits: { evidence: string; line: number; lineText: string; groups: Record<string, string>; role?: string; position?: number }[];
}

export function newSignal(rule: CompiledRule): MatchedSignal {
  return {
    ...signalHead(rule),
    count: 0,
    facts: {},
    factValues: {},
    evidence: [],
    hits: [],
  };
}

export function addHit(sig: MatchedSignal, item: EvidenceItem, m: TextMatch): void {
  sig.count += 1;
  if (!sig.evidence.includes(item.id)) sig.evidence.push(item.id);
  for (const [k, v] of Object.entries(m.groups)) {
    if (!(k in sig.facts)) sig.facts[k] = v;
    const counts = (sig.factValues[k] ??= {});
    counts[v] = (counts[v] ?? 0) + 1;
  }
  if (item.at) {
    if (!sig.firstSeen || item.at < sig.firstSeen) sig.firstSeen = item.at;
    if (!sig.lastSeen || item.at > sig.lastSeen) sig.lastSeen = item.at;
  }
  sig.hits.push({
    evidence: item.id,
    line: m.line,
    lineText: m.lineText,
    groups: m.groups,
    role: item.role,
    position: item.position,
  });
}

/**
 * Matches every text rule over the evidence it reads (pure). Items a collector already
 * counted (`meta.prematched`) are skipped: their signals arrive pre-counted. A literal gate
 * (one pass per item) skips the rules whose required literals an item lacks.
 */
export function matchTextRules(items: EvidenceItem[], rules: CompiledRule[]): MatchedSignal[] {
  const gate = literalGate(rules);
  const scanned = items.filter((i) => i.meta?.prematched !== true);
  const candidates = scanned.map((i) => gate.candidates(i.text));
  const out: MatchedSignal[] = [];
  rules.forEach((rule, ri) => {
    if (rule.kind !== 'text') return;
    const scope = rule.spec.scope ?? TEXT_KINDS;
    let sig: MatchedSignal | undefined;
    scanned.forEach((item, k) => {
      if (candidates[k]![ri] !== 1 || !scope.includes(item.kind)) return;
      for (const m of matchText(rule, item.text)) {
        sig ??= newSignal(rule);
        addHit(sig, item, m);
      }
    });
    if (sig) out.push(sig);
  });
  return out;
}
