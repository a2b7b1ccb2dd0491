import type { EvidenceItem } from '../domain/types.ts';
import type { Category } from '../domain/vocabulary.ts';
import type { ThreadView } from '../judgement/thread-view.ts';
import type { CompiledRule } from '../rules/compile-rule.ts';
import type { MatchedSignal } from '../rules/match-evidence.ts';

interface ChainNode {
  sig: MatchedSignal;
  rule: CompiledRule;
  strength: number;
}

/** Builds the decision layer's view of an audit from the rules' readings (pure). */
export function buildThreadView(
  input: { issueTitle: string; open: boolean; items: EvidenceItem[]; probes?: { status: string }[] },
  c: {
    threadSignals: MatchedSignal[];
    staleRecurrence: Set<string>;
    nodes: ChainNode[];
    whys: { supported: boolean; rule?: string }[];
    root?: ChainNode;
    startNode?: ChainNode;
    recurrence: boolean;
    proof: boolean;
    ruleById: Map<string, CompiledRule>;
  },
): ThreadView {
  const said = input.items
    .filter((i) => i.kind === 'issue-body' || i.kind === 'comment')
    .sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  const rulesAt = new Map<string, string[]>();
  for (const s of c.threadSignals) {
    for (const h of s.hits) {
      const list = rulesAt.get(h.evidence) ?? [];
      if (!list.includes(s.rule)) list.push(s.rule);
      rulesAt.set(h.evidence, list);
    }
  }
  const statements = said.map((s, i) => ({
    id: s.id,
    position: s.position ?? i,
    text: s.kind === 'issue-body' ? String(s.text).split('\n').slice(1).join('\n') : String(s.text),
    ...(i > 0 ? { prev: String(said[i - 1]!.text).slice(0, 400) } : {}),
    role: s.role,
    kind: s.kind === 'issue-body' ? ('body' as const) : ('comment' as const),
    last: i === said.length - 1 && i > 0,
    rules: [...(rulesAt.get(s.id) ?? [])].sort(),
  }));
  const kindOf = new Map(input.items.map((i) => [i.id, i.kind]));
  const threadRules = c.threadSignals
    .filter((s) => !c.staleRecurrence.has(s.rule))
    .map((s) => {
      const r = c.ruleById.get(s.rule);
      const eff = r?.spec.effects;
      const category: Record<string, number> = { ...(eff?.category ?? {}) };
      // A thread rule that names a failure class (a firewall, a leak) says so by its category.
      if (s.category !== 'unknown' && !(s.category in category)) category[s.category] = 1;
      return {
        id: s.rule,
        detector: r?.spec.when?.detector ?? 'text',
        lastPosition: Math.max(0, ...s.hits.map((h) => h.position ?? 0)),
        status: { ...(eff?.status ?? {}) } as Record<string, number>,
        owner: { ...(eff?.owner ?? {}) } as Record<string, number>,
        category,
      };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
  const failures = c.nodes
    .map((n) => ({
      rule: n.sig.rule,
      category: n.rule.category as Category,
      owner: n.rule.owner,
      strength: Math.min(1, n.strength / 8),
      depth: n.rule.spec.depth,
      inTitle: n.sig.hits.some((h) => h.position === 0 && h.line === 0 && kindOf.get(h.evidence) === 'issue-body'),
      inBody: n.sig.hits.some((h) => h.position === 0 && h.line > 0),
      inComments: n.sig.hits.some((h) => (h.position ?? 0) > 0),
      inCollected: n.sig.hits.some((h) => h.position === undefined) || n.sig.count > n.sig.hits.length,
    }))
    .sort((a, b) => a.rule.localeCompare(b.rule));
  const chainNodes = c.whys.filter((w) => w.supported && w.rule && c.nodes.some((n) => n.sig.rule === w.rule)).length;
  return {
    open: input.open,
    statements,
    threadRules,
    failures,
    ...(c.root ? { root: { category: c.root.rule.category as Category, owner: c.root.rule.owner, chainNodes } } : {}),
    ...(c.startNode ? { start: { category: c.startNode.rule.category as Category } } : {}),
    mergedPrs: input.items.filter((i) => i.kind === 'linked-pr' && i.meta?.state === 'MERGED').length,
    openPrs: input.items.filter((i) => i.kind === 'linked-pr' && i.meta?.state === 'OPEN').length,
    probesFailing: (input.probes ?? []).filter((p) => p.status === 'failed').length,
    probesHealthy: (input.probes ?? []).filter((p) => p.status === 'ok').length,
    recurrence: c.recurrence,
    ruleProof: c.proof,
    title: input.issueTitle,
    text: statements.map((s) => s.text).join('\n'),
  };
}
