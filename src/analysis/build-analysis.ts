import { MAX_CONSECUTIVE_HYPOTHESES, MAX_WHYS } from '../domain/constants.ts';
import type {
  Analysis,
  EvidenceItem,
  Lead,
  Pattern,
  ProbeResult,
  Signal,
  Why,
} from '../domain/types.ts';
import { isCategory, type Owner } from '../domain/vocabulary.ts';
import { renderTemplate, type CompiledRule } from '../rules/compile-rule.ts';
import { matchTextRules, type MatchedSignal } from '../rules/match-evidence.ts';
import { matchThreadRules } from '../rules/thread-detectors.ts';
import { decideVerdict, type Judgement } from '../judgement/judge.ts';
import type { ThreadView } from '../judgement/thread-view.ts';
import { buildThreadView } from './thread-view.ts';
import { strengthOf } from './score.ts';
import { buildActions, buildTakeaway } from './build-actions.ts';
import { factsOf } from './facts.ts';
import { findLead } from './leads.ts';

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
  /** The fitted act and decision models (data/models/judgement.json). */
  judgement: Judgement;
}

/** Thread rules that count as proof for `resolved` (SPEC: merged fix, confirmation, healthy probes). */
export const PROOF_TAG = 'proof';

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
/** The evidence read by the rules: signals, chain nodes and the Five Whys (no decisions yet). */
function buildChain(input: Omit<AnalysisInput, 'judgement'>) {
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
  // Why the fixes so far failed (a timeout raised again and again) is a side finding about the
  // thread, not a cause: it becomes a pattern line, and the chain gets all five places.
  const patterns = buildPatterns(threadSignals, ruleById);
  const chainBudget = MAX_WHYS;
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
  let lead: Lead | undefined;
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
    // No supported deeper cause. A change the thread reports in the same statements (the
    // connector "was resized last week") is the likely next cause down: the strongest lead.
    const found = findLead(cur.sig.evidence, byId);
    if (found && whys.length < chainBudget) {
      lead = { quote: found.quote, evidence: found.item.id, why: whys.length };
      whys.push({
        question: 'What changed before it failed?',
        answer: `Reported in the thread: "${found.quote}" Likely the trigger; not confirmed yet.`,
        evidence: [found.item.id],
        certainty: 'likely',
        supported: true,
      });
      break;
    }
    // Otherwise name up to two hypotheses from the edges, then stop.
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
  // A lead elsewhere in the chain's evidence (deepest first) when the root's own has none.
  if (!lead) {
    for (let i = whys.length - 1; i >= 0 && !lead; i--) {
      const found = findLead(whys[i]!.evidence, byId);
      if (found) lead = { quote: found.quote, evidence: found.item.id, why: i };
    }
  }
  for (const p of patterns) p.attachTo = attachPattern(p, whys, [...failureSignals, ...threadSignals]);

  return { byId, ruleById, failureSignals, threadSignals, nodes, whys, root, startNode, patterns, lead };
}

/** What the decision layer sees of this audit (for training and for `buildAnalysis`). */
export function buildAnalysisView(input: Omit<AnalysisInput, 'judgement'>): ThreadView {
  const c = buildChain(input);
  return viewOf(input, c);
}

function viewOf(input: Omit<AnalysisInput, 'judgement'>, c: ReturnType<typeof buildChain>): ThreadView {
  const { threadSignals, ruleById } = c;
  const proofRules = threadSignals.filter((s) => (ruleById.get(s.rule)?.spec.effects?.status?.resolved ?? 0) > 0);
  // A recurrence counts against `resolved` only when it was reported after the latest proof of
  // a fix: a description saying an earlier fix did not hold is answered by a later merged PR.
  // Linked PRs carry no thread position; they count as coming after the description.
  const lastPos = (s: MatchedSignal) => Math.max(...s.hits.map((h) => h.position ?? 0.5));
  const lastProof = Math.max(-1, ...proofRules.map(lastPos));
  const isRecurrence = (s: MatchedSignal) => ruleById.get(s.rule)?.spec.when?.detector === 'recurrence-after-fix';
  const staleRecurrence = new Set(threadSignals.filter((s) => isRecurrence(s) && lastPos(s) < lastProof).map((s) => s.rule));
  const recurrence = threadSignals.some((s) => isRecurrence(s) && !staleRecurrence.has(s.rule));
  return buildThreadView(input, { ...c, staleRecurrence, recurrence, proof: proofRules.length > 0 });
}

export function buildAnalysis(input: AnalysisInput): Analysis {
  const chain = buildChain(input);
  const { byId, ruleById, failureSignals, threadSignals, whys, root, patterns, lead } = chain;
  void byId;
  // ---- Decisions: the fitted decision layer over what the thread view shows.
  const view = viewOf(input, chain);
  const verdict = decideVerdict(view, input.judgement);
  const status = verdict.status;
  const owner = verdict.owner;
  const category = verdict.category;

  // ---- Confidence: the decision layer's calibrated probabilities, and the chain's support.
  const reasons: string[] = [];
  if (verdict.probability.status < 0.6) reasons.push(`status probability ${verdict.probability.status.toFixed(2)}${status.runnerUp ? ` (runner-up ${status.runnerUp.value})` : ''}`);
  if (verdict.probability.owner < 0.5) reasons.push(`owner probability ${verdict.probability.owner.toFixed(2)}`);
  const supported = whys.filter((w) => w.supported).length;
  if (supported < 2) reasons.push(`${supported} supported why${supported === 1 ? '' : 's'}`);
  const confidence = reasons.length === 0 ? 'high' : reasons.length === 1 && supported >= 2 ? 'medium' : 'low';

  // ---- Diagnostics, next steps, monitoring, validation and the takeaway: src/analysis/build-actions.ts.
  const actions = buildActions({ whys, failureSignals, threadSignals, ruleById, owner: owner.value, items: input.items });
  const takeaway = buildTakeaway({ status: status.value, owner: owner.value, whys, root: root?.sig, ruleById, lead });
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
    acts: verdict.acts,
    gates: verdict.gates,
    recurrenceRules: threadSignals.filter((s) => ruleById.get(s.rule)?.spec.when?.detector === 'recurrence-after-fix').map((s) => s.rule),
    fixMerged: threadSignals.some((s) => {
      const r = ruleById.get(s.rule);
      return r?.spec.when?.detector === 'merged-pr' && (r.spec.effects?.status?.resolved ?? 0) > 0;
    }),
    patterns,
    ...(lead ? { lead } : {}),
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

/** Short names of the side findings thread rules make, by detector. */
const PATTERN_NAME: Record<string, string> = {
  'repeated-fix': 'symptom tuning',
  'recurrence-after-fix': 'recurrence after a fix',
  'zero-tests': 'no tests ran',
};

/** Side findings of thread rules (why the failure survived the fixes tried so far), strongest first. */
function buildPatterns(threadSignals: MatchedSignal[], ruleById: Map<string, CompiledRule>): Pattern[] {
  const out: Pattern[] = [];
  for (const s of threadSignals) {
    const r = ruleById.get(s.rule);
    const tpl = r?.spec.why;
    if (!r || !tpl) continue;
    const text = renderTemplate(tpl.answer, factsOf(s));
    if (!text) continue;
    const detector = r.spec.when?.detector ?? 'text';
    out.push({ rule: s.rule, name: PATTERN_NAME[detector] ?? r.title.toLowerCase(), text, evidence: [...s.evidence], attachTo: 0 });
  }
  // The repeated fix says most about why the issue is still open; then recurrence, then the rest.
  const rank = (p: Pattern) => {
    const d = ruleById.get(p.rule)?.spec.when?.detector;
    return d === 'repeated-fix' ? 0 : d === 'recurrence-after-fix' ? 1 : 2;
  };
  return out.sort((a, b) => rank(a) - rank(b));
}

/**
 * The why a pattern hangs off in the chain diagram: the one sharing its evidence, else the one
 * whose signal carries a value the pattern names (a raised 75 s timeout and the 75.0 s init
 * timeout), else the first.
 */
function attachPattern(p: Pattern, whys: Why[], signals: MatchedSignal[]): number {
  const shared = whys.findIndex((w) => w.evidence.some((id) => p.evidence.includes(id)));
  if (shared >= 0) return shared;
  const numbers = new Set([...p.text.matchAll(/\d+(?:\.\d+)?/g)].map((m) => Number(m[0])));
  const byValue = whys.findIndex((w) => {
    const sig = signals.find((s) => s.rule === w.rule);
    return Object.values(sig?.factValues ?? {}).some((vals) => Object.keys(vals).some((v) => v.trim() !== '' && numbers.has(Number(v))));
  });
  return byValue >= 0 ? byValue : 0;
}
