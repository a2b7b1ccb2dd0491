import { LOW_MARGIN, MAX_CONSECUTIVE_HYPOTHESES, MAX_WHYS } from '../domain/constants.ts';
import type {
  Analysis,
  Decision,
  EvidenceItem,
  ProbeResult,
  Signal,
  Why,
} from '../domain/types.ts';
import { CATEGORIES, OWNERS, STATUSES, isCategory, type Category, type Owner, type Status } from '../domain/vocabulary.ts';
import { renderTemplate, type CompiledRule } from '../rules/compile-rule.ts';
import { matchTextRules, type MatchedSignal } from '../rules/match-evidence.ts';
import { matchThreadRules } from '../rules/thread-detectors.ts';
import { decisionRules, type DecisionContext } from './decision-rules.ts';
import { strengthOf } from './score.ts';
import { buildActions, buildTakeaway } from './build-actions.ts';
import { factsOf } from './facts.ts';

export interface AnalysisInput {
  issueTitle: string;
  open: boolean;
  items: EvidenceItem[];
  rules: CompiledRule[];
  /** Signals counted by collectors (logs, test reports, repo, probes), evidence ids assigned. */
  collectedSignals?: Signal[];
  probes?: ProbeResult[];
  /** Team handles per owner, from configuration (`escalation`). */
  teams?: Partial<Record<Owner, string>>;
}

const THREAD_STATUS_PROOF = ['resolved'];
/** Thread rules that count as proof for `resolved` (SPEC: merged fix, confirmation, healthy probes). */
export const PROOF_TAG = 'proof';
/** Proof rules that say the project's own people made the change (as opposed to a reporter's "works now"). */
const PROJECT_FIX_RULES = new Set(['label-fixed']);
/** Shipped deployment artifacts: a fix there is a configuration change, not a code change. */
const DEPLOY_ARTIFACT =
  /\b(?:helm|charts?|manifests?|values\.ya?ml|kustomiz\w*|statefulset|daemonset|deployment\.ya?ml|(?:liveness|readiness|startup) ?probes?)\b/i;

interface Node {
  sig: MatchedSignal;
  rule: CompiledRule;
  strength: number;
}

function toMatched(s: Signal, items: Map<string, EvidenceItem>): MatchedSignal {
  return {
    ...s,
    hits: s.evidence.map((id) => ({
      evidence: id,
      line: 0,
      lineText: String(items.get(id)?.excerpt ?? ''),
      groups: {},
    })),
  };
}

function decide<T extends string>(
  values: readonly T[],
  scores: Map<T, { score: number; by: string[] }>,
  fallback: T,
): Decision<T> {
  const ranked = values
    .map((v) => ({ value: v, ...(scores.get(v) ?? { score: 0, by: [] }) }))
    .filter((r) => r.score > 0)
    .sort((a, b) => b.score - a.score || values.indexOf(a.value) - values.indexOf(b.value));
  const top = ranked[0];
  if (!top) return { value: fallback, decidedBy: [], score: 0, margin: 0 };
  const second = ranked[1];
  return {
    value: top.value,
    decidedBy: [...new Set(top.by)].sort(),
    score: round(top.score),
    runnerUp: second ? { value: second.value, score: round(second.score), decidedBy: [...new Set(second.by)].sort() } : undefined,
    margin: round(top.score - (second?.score ?? 0)),
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function add<T extends string>(m: Map<T, { score: number; by: string[] }>, key: T, score: number, by: string): void {
  if (score === 0) return;
  const cur = m.get(key) ?? { score: 0, by: [] };
  cur.score += score;
  cur.by.push(by);
  m.set(key, cur);
}

/** The best-supported signal a node's `causes` edges lead to, or the categories they name. */
function nextNode(cur: Node, nodes: Node[], used: Set<string>): { node?: Node; hypotheses: string[] } {
  const edges = cur.rule.spec.causes;
  const candidates = nodes.filter(
    (n) =>
      !used.has(n.sig.rule) &&
      (edges.includes(n.sig.rule) || edges.includes(n.sig.category)) &&
      n.rule.spec.depth >= cur.rule.spec.depth,
  );
  candidates.sort((a, b) => b.strength - a.strength || b.rule.spec.depth - a.rule.spec.depth);
  if (candidates[0]) return { node: candidates[0], hypotheses: [] };
  return { hypotheses: edges.filter((e) => !nodes.some((n) => n.sig.rule === e || n.sig.category === e)) };
}

/** The question a node answers: its rule's own `why.question`, else one built from the step before. */
function question(node: Node | CompiledRule | undefined, prev: Node | undefined, title: string): string {
  const rule = node && 'sig' in node ? node.rule : node;
  const q = rule?.spec.why?.question;
  if (q) {
    const facts = node && 'sig' in node ? factsOf(node.sig) : {};
    return renderTemplate(q, facts) ?? q.replace(/\{\{[^}]*\}\}/g, '…');
  }
  if (!prev) return `Why is this failing: ${title.replace(/[?.!]+$/, '')}?`;
  return `Why did this happen: ${prev.rule.title.toLowerCase()}?`;
}

function answer(node: Node): string {
  const tpl = node.rule.spec.why?.answer;
  const rendered = tpl ? renderTemplate(tpl, factsOf(node.sig)) : undefined;
  if (rendered) return rendered;
  const line = node.sig.hits[0]?.lineText.trim() ?? '';
  return `${node.rule.title}: \`${line.length > 140 ? `${line.slice(0, 139)}…` : line}\``;
}

/**
 * Builds the verdict (pure): signals, the Five Whys chain along `causes` edges, and the
 * scored decisions for status, owner and category with the rules that decided them.
 */
export function buildAnalysis(input: AnalysisInput): Analysis {
  const byId = new Map(input.items.map((i) => [i.id, i]));
  const ruleById = new Map(input.rules.map((r) => [r.id, r]));
  const maxPos = Math.max(0, ...input.items.map((i) => i.position ?? 0));

  const textSignals = matchTextRules(input.items, input.rules);
  const collected = (input.collectedSignals ?? []).map((s) => toMatched(s, byId));
  const failureSignals = mergeByRule([...textSignals, ...collected]).filter((s) => ruleById.get(s.rule)?.kind !== 'thread');
  const threadSignals = [
    ...matchThreadRules(input.items, input.rules),
    ...collected.filter((s) => ruleById.get(s.rule)?.kind === 'thread'),
  ];

  // Failure signals as chain nodes; a healthy probe on the same layer weakens them.
  const PROBE_LAYER: Record<string, string> = { postgres: 'database', redis: 'cache', dns: 'network', tcp: 'network', tls: 'network', http: 'load-balancer' };
  const healthyLayers = new Set(
    (input.probes ?? []).filter((p) => p.status === 'ok').map((p) => PROBE_LAYER[p.kind] ?? String(p.observed.layer ?? '')),
  );
  // A layer with a failing probe is not refuted by another healthy probe on it.
  for (const p of input.probes ?? []) if (p.status === 'failed') healthyLayers.delete(PROBE_LAYER[p.kind] ?? '');
  const nodes: Node[] = failureSignals
    .map((sig) => ({ sig, rule: ruleById.get(sig.rule)!, strength: strengthOf(sig, maxPos) }))
    .filter((n) => n.rule);

  // ---- Five Whys: from the strongest outward symptom down the causes edges.
  const whys: Why[] = [];
  const used = new Set<string>();
  const threadWhys = buildThreadWhys(threadSignals, ruleById);
  // The chain gets most of the five; one place is kept for why the fixes so far failed.
  const chainBudget = MAX_WHYS - Math.min(threadWhys.length, 1);
  const start = [...nodes].sort(
    (a, b) => a.rule.spec.depth - b.rule.spec.depth || b.strength - a.strength || a.sig.rule.localeCompare(b.sig.rule),
  );
  // Prefer a start from which a chain actually continues.
  const startNode =
    start.find((n) => n.rule.spec.causes.some((c) => nodes.some((m) => m !== n && (m.sig.rule === c || m.sig.category === c)))) ??
    start[0];
  let root: Node | undefined;
  let prev: Node | undefined;
  let cur = startNode;
  let hypotheses = 0;
  while (cur && whys.length < chainBudget) {
    used.add(cur.sig.rule);
    const refuted = healthyLayers.has(cur.rule.layer);
    const direct = cur.sig.hits.some((h) => h.position !== undefined) || cur.sig.count > 0;
    whys.push({
      question: question(cur, prev, input.issueTitle),
      answer: refuted ? `${answer(cur)} (a probe of the ${cur.rule.layer} layer is healthy now)` : answer(cur),
      evidence: [...cur.sig.evidence],
      certainty: refuted ? 'likely' : direct ? 'confirmed' : 'likely',
      supported: true,
      rule: cur.sig.rule,
    });
    root = cur;
    prev = cur;
    const step = nextNode(cur, nodes, used);
    if (step.node) {
      cur = step.node;
      continue;
    }
    // No supported deeper cause: name up to two hypotheses from the edges, then stop.
    for (const h of step.hypotheses) {
      if (hypotheses >= MAX_CONSECUTIVE_HYPOTHESES || whys.length >= chainBudget) break;
      const hRule = ruleById.get(h);
      whys.push({
        question: question(hRule, prev, input.issueTitle),
        answer: `Possibly ${hRule ? hRule.title.toLowerCase() : h.replace(/-/g, ' ')}; no evidence in the thread or logs yet (hypothesis).`,
        evidence: [],
        certainty: 'hypothesis',
        supported: false,
        rule: hRule?.id,
      });
      hypotheses++;
    }
    break;
  }
  // A failing live probe of the same failure class confirms a why (and is cited by it).
  for (const w of whys) {
    const r = w.rule ? ruleById.get(w.rule) : undefined;
    if (!r || !w.supported || r.kind === 'probe') continue;
    for (const n of nodes) {
      if (n.rule.kind !== 'probe' || n.rule.category !== r.category || used.has(n.sig.rule)) continue;
      w.evidence.push(...n.sig.evidence.filter((id) => !w.evidence.includes(id)));
      w.certainty = 'confirmed';
      w.answer = `${w.answer.replace(/ \(a probe of the [a-z-]+ layer is healthy now\)$/, '')} A live probe fails the same way now.`;
      used.add(n.sig.rule);
    }
  }
  for (const w of threadWhys.slice(0, MAX_WHYS - whys.length)) whys.push(w);

  // ---- Decisions.
  const proof = threadSignals.filter((s) => (ruleById.get(s.rule)?.spec.effects?.status?.resolved ?? 0) > 0);
  // A recurrence counts against `resolved` only when it was reported after the latest proof of
  // a fix: a description saying an earlier fix did not hold is answered by a later merged PR.
  // Linked PRs carry no thread position; they count as coming after the description.
  const lastPos = (s: MatchedSignal) => Math.max(...s.hits.map((h) => h.position ?? 0.5));
  const lastProof = Math.max(-1, ...proof.map(lastPos));
  const staleRecurrence = new Set(
    threadSignals
      .filter((s) => ruleById.get(s.rule)?.spec.when?.detector === 'recurrence-after-fix' && lastPos(s) < lastProof)
      .map((s) => s.rule),
  );
  const recurrence = threadSignals.some(
    (s) => ruleById.get(s.rule)?.spec.when?.detector === 'recurrence-after-fix' && !staleRecurrence.has(s.rule),
  );
  const ctx: DecisionContext = {
    open: input.open,
    threadSignals,
    failureSignals,
    root: root?.sig,
    mergedPrs: input.items.filter((i) => i.kind === 'linked-pr' && i.meta?.state === 'MERGED').length,
    fixMerged: threadSignals.some((s) => ruleById.get(s.rule)?.spec.when?.detector === 'merged-pr' && (ruleById.get(s.rule)?.spec.effects?.status?.resolved ?? 0) > 0),
    openPrs: input.items.filter((i) => i.kind === 'linked-pr' && i.meta?.state === 'OPEN').length,
    maintainerSpoke: input.items.some((i) => i.role === 'maintainer'),
    comments: input.items.filter((i) => i.kind === 'comment').length,
    probesFailing: (input.probes ?? []).filter((p) => p.status === 'failed').length,
    probesHealthy: (input.probes ?? []).filter((p) => p.status === 'ok').length,
    hasRecurrence: recurrence,
    fixProven: proof.length > 0,
    projectFixed: proof.some((s) => PROJECT_FIX_RULES.has(s.rule) || ruleById.get(s.rule)?.spec.when?.detector === 'merged-pr' || ruleById.get(s.rule)?.spec.when?.author === 'maintainer'),
    causeNamed: threadSignals.some((s) => s.category !== 'unknown' && ruleById.get(s.rule)?.spec.when?.detector === 'text'),
    threadOwners: [
      ...new Set(
        threadSignals.flatMap((s) =>
          Object.entries(ruleById.get(s.rule)?.spec.effects?.owner ?? {})
            .filter(([, v]) => (v ?? 0) > 0)
            .map(([k]) => k),
        ),
      ),
    ],
    deployArtifacts: input.items.some((i) => (i.kind === 'issue-body' || i.kind === 'comment' || i.kind === 'linked-pr') && DEPLOY_ARTIFACT.test(i.text)),
    notABugStated: threadSignals.some((s) => (ruleById.get(s.rule)?.spec.effects?.status?.['not-a-bug'] ?? 0) > 0),
  };
  const statusScores = new Map<Status, { score: number; by: string[] }>();
  const ownerScores = new Map<Owner, { score: number; by: string[] }>();
  const categoryScores = new Map<Category, { score: number; by: string[] }>();

  for (const row of decisionRules) {
    if (!row.applies(ctx)) continue;
    for (const [k, v] of Object.entries(row.status ?? {})) add(statusScores, k as Status, v, row.id);
    for (const [k, v] of Object.entries(row.owner ?? {})) add(ownerScores, k as Owner, v, row.id);
    if (row.id === 'decide-owner-from-root-cause' && root) add(ownerScores, root.rule.owner, 2, row.id);
  }
  const statementCount = Math.max(1, ...input.items.filter((i) => i.kind === 'comment').map((i) => i.position ?? 0));
  for (const s of threadSignals) {
    const eff = ruleById.get(s.rule)?.spec.effects;
    if (!eff || staleRecurrence.has(s.rule)) continue;
    // Later statements overturn earlier ones: a statement's status weight grows with its
    // place in the thread (the last comment counts 1.25×, the description 1×).
    const lastPos = Math.max(0, ...s.hits.map((h) => h.position ?? 0));
    const recency = s.hits.some((h) => h.position !== undefined) ? 1 + 0.25 * (lastPos / statementCount) : 1;
    for (const [k, v] of Object.entries(eff.status ?? {})) add(statusScores, k as Status, (v ?? 0) * recency, s.rule);
    for (const [k, v] of Object.entries(eff.owner ?? {})) add(ownerScores, k as Owner, v, s.rule);
    for (const [k, v] of Object.entries(eff.category ?? {})) add(categoryScores, k as Category, v, s.rule);
  }
  for (const n of nodes) {
    const depthBonus = 1 + 0.35 * (n.rule.spec.depth - 1);
    add(categoryScores, n.rule.category, n.strength * depthBonus, n.sig.rule);
    add(ownerScores, n.rule.owner, 0.3 * n.strength, n.sig.rule);
    const eff = n.rule.spec.effects;
    for (const [k, v] of Object.entries(eff?.status ?? {})) add(statusScores, k as Status, v, n.sig.rule);
    for (const [k, v] of Object.entries(eff?.owner ?? {})) add(ownerScores, k as Owner, v, n.sig.rule);
  }
  // The deepest supported node of a chain of two or more is the cause the evidence
  // establishes (not the loudest error string): it takes the lead by a clear margin.
  const chainNodes = whys.filter((w) => w.supported && w.rule && nodes.some((n) => n.sig.rule === w.rule)).length;
  if (root && chainNodes >= 2) {
    const best = Math.max(0, ...[...categoryScores.entries()].filter(([k]) => k !== root.rule.category).map(([, v]) => v.score));
    const own = categoryScores.get(root.rule.category)?.score ?? 0;
    add(categoryScores, root.rule.category, Math.max(2, best - own + 2), 'decide-category-from-root-cause');
  } else if (root) add(categoryScores, root.rule.category, 1, 'decide-category-from-root-cause');
  // The cause the discussion names (a firewall, a leak, a missing setting) beats the loudest
  // error string: the strongest, latest named cause takes the lead.
  const named = threadSignals
    .map((s) => ({ s, r: ruleById.get(s.rule) }))
    .filter(({ s, r }) => s.category !== 'unknown' && (r?.spec.when?.detector === 'text' || r?.spec.when?.detector === 'latest-comment'))
    .map(({ s, r }) => ({
      s,
      weight: (r?.spec.effects?.category?.[s.category as Category] ?? 0) + 0.1 * Math.max(0, ...s.hits.map((h) => h.position ?? 0)),
    }))
    .sort((a, b) => b.weight - a.weight || a.s.rule.localeCompare(b.s.rule));
  const namedTop = named[0];
  if (namedTop && namedTop.weight > 0) {
    const cat = namedTop.s.category as Category;
    const best = Math.max(0, ...[...categoryScores.entries()].filter(([k]) => k !== cat).map(([, v]) => v.score));
    const own = categoryScores.get(cat)?.score ?? 0;
    if (own <= best) add(categoryScores, cat, best - own + 1.5, 'decide-category-named-in-discussion');
  }

  // `resolved` needs proof: a merged fix, a confirmation, or healthy probes with no recurrence.
  const probeProof = ctx.probesHealthy > 0 && ctx.probesFailing === 0 && !recurrence;
  if (proof.length === 0 && !probeProof) statusScores.delete('resolved');
  if (probeProof) add(statusScores, 'resolved', 1.5, 'decide-healthy-probes-no-recurrence');

  const status = decide(STATUSES, statusScores, input.open ? 'in-progress' : 'needs-info');
  // Rubric: when the thread ends waiting for information or a reproduction and nobody named
  // a cause, the owner is unknown (the error class still gives the category).
  if (
    (status.value === 'needs-info' || status.value === 'needs-reproduction') &&
    !ctx.causeNamed &&
    !ctx.notABugStated &&
    !ctx.fixProven
  ) {
    const best = Math.max(0, ...[...ownerScores.entries()].filter(([k]) => k !== 'unknown').map(([, v]) => v.score));
    const own = ownerScores.get('unknown')?.score ?? 0;
    add(ownerScores, 'unknown', Math.max(1, best - own + 1), 'decide-owner-unknown-cause-undetermined');
  }
  const owner = decide(OWNERS, ownerScores, 'unknown');
  const category = decide(CATEGORIES, categoryScores, 'unknown');
  void THREAD_STATUS_PROOF;

  // ---- Confidence.
  const reasons: string[] = [];
  if (status.margin < LOW_MARGIN && status.runnerUp)
    reasons.push(`status margin ${status.margin} over ${status.runnerUp.value}`);
  if (owner.margin < LOW_MARGIN && owner.runnerUp) reasons.push(`owner margin ${owner.margin} over ${owner.runnerUp.value}`);
  const supported = whys.filter((w) => w.supported).length;
  if (supported < 2) reasons.push(`${supported} supported why${supported === 1 ? '' : 's'}`);
  const confidence = reasons.length === 0 ? 'high' : reasons.length === 1 && supported >= 2 ? 'medium' : 'low';

  // ---- Diagnostics, next steps, monitoring, validation and the takeaway: src/analysis/build-actions.ts.
  const actions = buildActions({ whys, failureSignals, threadSignals, ruleById, owner: owner.value });
  const takeaway = buildTakeaway({ status: status.value, owner: owner.value, whys, root: root?.sig, threadSignals, ruleById });
  return {
    status,
    owner,
    category: isCategory(category.value) ? category : { ...category, value: 'unknown' },
    confidence,
    confidenceReasons: reasons,
    takeaway,
    whys,
    signals: failureSignals.map(strip),
    threadSignals: threadSignals.map(strip),
    ...actions,
  };
}

/** One signal per rule: the thread's mentions and the logs' counts of the same signature add up. */
function mergeByRule(signals: MatchedSignal[]): MatchedSignal[] {
  const byRule = new Map<string, MatchedSignal>();
  for (const s of signals) {
    const prior = byRule.get(s.rule);
    if (!prior) {
      byRule.set(s.rule, { ...s, facts: { ...s.facts }, factValues: { ...s.factValues }, evidence: [...s.evidence], hits: [...s.hits] });
      continue;
    }
    prior.count += s.count;
    for (const id of s.evidence) if (!prior.evidence.includes(id)) prior.evidence.push(id);
    for (const [k, v] of Object.entries(s.facts)) if (!(k in prior.facts)) prior.facts[k] = v;
    for (const [k, counts] of Object.entries(s.factValues)) {
      const into = (prior.factValues[k] = { ...(prior.factValues[k] ?? {}) });
      for (const [v, n] of Object.entries(counts)) into[v] = (into[v] ?? 0) + n;
    }
    if (s.firstSeen && (!prior.firstSeen || s.firstSeen < prior.firstSeen)) prior.firstSeen = s.firstSeen;
    if (s.lastSeen && (!prior.lastSeen || s.lastSeen > prior.lastSeen)) prior.lastSeen = s.lastSeen;
    prior.hits.push(...s.hits);
  }
  return [...byRule.values()];
}

function strip(s: MatchedSignal): Signal {
  const { hits: _hits, ...rest } = s;
  return rest;
}

/** Whys inferred by thread rules: why the failure survived the fixes tried so far. */
function buildThreadWhys(threadSignals: MatchedSignal[], ruleById: Map<string, CompiledRule>): Why[] {
  const out: Why[] = [];
  for (const s of threadSignals) {
    const r = ruleById.get(s.rule);
    const tpl = r?.spec.why;
    if (!r || !tpl) continue;
    const ans = renderTemplate(tpl.answer, factsOf(s));
    if (!ans) continue;
    out.push({
      question: tpl.question ?? 'Why has the issue not been fixed yet?',
      answer: ans,
      evidence: [...s.evidence],
      certainty: 'likely',
      supported: true,
      rule: s.rule,
    });
  }
  // The repeated fix says most about why the issue is still open; then recurrence, then the rest.
  const rank = (w: Why) => {
    const d = w.rule ? ruleById.get(w.rule)?.spec.when?.detector : undefined;
    return d === 'repeated-fix' ? 0 : d === 'recurrence-after-fix' ? 1 : 2;
  };
  return out.sort((a, b) => rank(a) - rank(b));
}
