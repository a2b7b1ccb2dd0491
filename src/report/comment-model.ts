import { MAX_NEXT_STEPS } from '../domain/constants.ts';
import type { Analysis, EvidenceItem, Gap, HeldStep, ProbeResult, Why } from '../domain/types.ts';
import type { Layer, Owner } from '../domain/vocabulary.ts';

/**
 * The status comment as data (SPEC §7), before Markdown or text: both renderers read this one
 * model, so the two formats say the same thing. Every piece of issue text in it is a redacted
 * excerpt that the renderers escape.
 */
export interface CommentModel {
  statusLine: { status: string; owner: string; confidence: string; confidenceNote?: string };
  /** One sentence; evidence ids in it (`E7`) are linked by the renderer. */
  takeaway: string;
  whys: { question: string; answer: string; cites: Cite[]; hypothesis: boolean }[];
  patterns: { name: string; text: string; cites: Cite[] }[];
  impact: { quote: string; cite: Cite }[];
  priorityLabels: string[];
  /** What is done and not: one line each for PRs, tests, probes (and logs or gaps when needed). */
  status: { label: string; text: string; cites: Cite[] }[];
  next: NextItem[];
  monitor: { who: string; text: string; command: string }[];
  validate: { who: string; text: string; command: string }[];
  /** Folded: decisions, counts, steps held back, evidence, signals, diagram. */
  decisions: { field: string; value: string; decidedBy: string[]; runnerUp?: string; margin: number }[];
  labels: string[];
  tallies: { component: string; lines: { text: string; cites: Cite[] }[] }[];
  held: { text: string; reason: string; cites: Cite[] }[];
  /** Lines folded into the details to keep the visible part within its word budget. */
  folded: { section: string; text: string; command?: string }[];
  evidence: EvidenceRow[];
  /** Ids the visible part cites, in first-cited order (the text format lists them). */
  cited: string[];
  signals: { rule: string; title: string; category: string; owner: string; count: number; evidence: string[]; firstSeen?: string; lastSeen?: string }[];
  mermaid: string;
  gaps: Gap[];
}

export interface NextItem {
  who: string;
  /** A team handle from configuration; `live` when it may ping (mentionTeams: true). */
  team?: { handle: string; live: boolean };
  /** Imperative, without the command. */
  action: string;
  command?: string;
  cites: Cite[];
}

export interface EvidenceRow {
  id: string;
  kind: string;
  where: string;
  url?: string;
  author?: string;
  at?: string;
  excerpt: string;
}

export interface Cite {
  id: string;
  url?: string;
  /** `path:line` for evidence that lives in a file (logs, reports, the repository). */
  where?: string;
}

const COMPONENT: Partial<Record<Layer, string>> = {
  database: 'Database',
  cache: 'Cache',
  network: 'Network',
  'load-balancer': 'Load balancer',
  platform: 'Platform',
  application: 'Application',
  test: 'Tests',
  dependency: 'Dependencies',
  configuration: 'Configuration',
};

const OWNER_NAME: Record<Owner | 'maintainers' | 'reporter', string> = {
  application: 'Application',
  infrastructure: 'Infrastructure',
  configuration: 'Configuration owners',
  dependency: 'Dependency maintainers',
  test: 'Test owners',
  unknown: 'Maintainers',
  maintainers: 'Maintainers',
  reporter: 'Reporter',
};

function whereOf(i: EvidenceItem): string {
  if (i.source.path) return `${i.source.path}${i.source.line ? `:${i.source.line}` : ''}`;
  if (i.source.probe) return `probe ${i.source.probe}`;
  if (i.kind === 'comment') return `comment by ${i.author ?? 'unknown'}`;
  if (i.kind === 'issue-body') return 'issue description';
  return i.kind;
}

const IMPACT_RE = /\b(?:impact|blocked|blocking|blocks|outage|customers?|users? (?:cannot|can't|are unable)|revenue|down for|unavailable)\b/i;
/** Lines that are pasted output, not a statement of impact. */
const OUTPUT_LINE = /^\d{4}-\d\d-\d\d[T ]|\b(?:GET|POST|PUT|HEAD|DELETE) \/|\b(?:ERROR|WARNING|WARN|INFO|DEBUG)\b/;

/** Prose lines of a statement, outside fenced code blocks. */
function proseLines(text: string): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const raw of text.split('\n')) {
    const l = raw.trim();
    if (/^(?:```|~~~)/.test(l)) {
      fenced = !fenced;
      continue;
    }
    if (!fenced && l) out.push(l);
  }
  return out;
}

export interface CommentModelInput {
  analysis: Analysis;
  items: EvidenceItem[];
  probes: ProbeResult[];
  gaps: Gap[];
  labels: string[];
  plannedLabels: string[];
  teams: Partial<Record<Owner, string>>;
  mentionTeams: boolean;
}

const HELD_REASON: Record<HeldStep['reason'], (h: HeldStep) => string> = {
  placeholders: (h) => `needs ${h.missing!.map((m) => `{{${m}}}`).join(', ')}, which the evidence does not give`,
  'invalid-fact': (h) => `a fact for ${h.missing!.map((m) => `{{${m}}}`).join(', ')} is not a valid value for a shell command`,
  platform: (h) => `for ${h.platform}, which the evidence does not show`,
  'done-in-thread': () => 'the thread already reports it',
  'no-evidence': (h) => `needs evidence of ${h.missing!.join(' or ')}, which the audit did not find`,
  'ranked-out': () => 'ranked below the first five',
  duplicate: () => 'same command as a step above',
};

export function buildCommentModel(input: CommentModelInput): CommentModel {
  const { analysis: a, items } = input;
  const byId = new Map(items.map((i) => [i.id, i]));
  const cite = (id: string): Cite => {
    const src = byId.get(id)?.source;
    return { id, url: src?.url, where: src?.path ? `${src.path}${src.line ? `:${src.line}` : ''}` : undefined };
  };
  /** Up to three cites: the thread's links first, then one file location. */
  const cites = (ids: string[], max = 3): Cite[] => {
    const all = ids.map(cite);
    const linked = all.filter((c) => c.url && !c.where);
    const files = all.filter((c) => !c.url || c.where);
    return [...linked.slice(0, max - Math.min(1, files.length)), ...files].slice(0, max).sort((x, y) => ids.indexOf(x.id) - ids.indexOf(y.id));
  };

  // Impact: only as the thread states it, quoted with its evidence (never pasted output).
  const impact: CommentModel['impact'] = [];
  for (const i of items) {
    if ((i.kind !== 'issue-body' && i.kind !== 'comment') || i.role === 'bot') continue;
    const line = proseLines(String(i.text)).find((l) => IMPACT_RE.test(l) && !OUTPUT_LINE.test(l) && l.length < 300);
    if (line && impact.length < 2) impact.push({ quote: line, cite: cite(i.id) });
  }
  const priorityLabels = input.labels.filter((l) => /^(?:p[0-4]|priority[:/ -]?\w+|critical|urgent|sev[0-4]|severity[:/ -]?\w+)$/i.test(l));

  // Done / not done: one line each for PRs, tests, probes; logs and gaps only when they matter.
  const status: CommentModel['status'] = [];
  const prs = items.filter((x) => x.kind === 'linked-pr');
  const fixMerged = a.fixMerged ?? false;
  if (prs.length) {
    const states = prs.map((p) => `#${String(p.meta?.number ?? p.excerpt).replace(/^PR #?(\d+).*$/, '$1')} ${String(p.meta?.state ?? '').toLowerCase()}`);
    status.push({ label: 'PRs', text: `${states.join(', ')}${fixMerged ? '' : '; none addresses the root cause'}`, cites: prs.map((p) => cite(p.id)) });
  } else status.push({ label: 'PRs', text: 'none linked', cites: [] });
  const reports = items.filter((x) => x.kind === 'test-report' && !x.meta?.failure);
  // Every failure of a report explained by an infrastructure signature (the collector's count).
  const allInfra = reports.some((r) => Number(r.meta?.failed ?? 0) > 0 && Number(r.meta?.infrastructureFailures ?? 0) >= Number(r.meta?.failed));
  if (reports.length) {
    const text = reports.map((r) => String(r.excerpt).replace(/^test report \(([^)]+)\): /, '$1: ')).join('; ');
    status.push({ label: 'Tests', text: `${text}${allInfra ? '; every failure is infrastructure' : ''}`, cites: reports.slice(0, 3).map((r) => cite(r.id)) });
  } else status.push({ label: 'Tests', text: 'no test report given (`--tests`)', cites: [] });
  if (input.probes.length) {
    const text = input.probes.map((p) => `${p.id} ${p.status}${p.code ? ` ${p.code}` : ''}`).join(', ');
    const probeItems = items.filter((i) => i.kind === 'probe');
    status.push({ label: 'Probes', text, cites: probeItems.slice(0, 3).map((i) => cite(i.id)) });
  } else status.push({ label: 'Probes', text: 'none ran (configure `probes:`, pass `--probe`)', cites: [] });
  if (!items.some((i) => i.kind === 'log')) status.push({ label: 'Logs', text: 'none scanned (configure `sources.logs` or pass `--logs`)', cites: [] });
  if (input.gaps.length) status.push({ label: 'Not gathered', text: input.gaps.map((g) => `${g.collector}: ${g.message} (${g.code})`).join('; '), cites: [] });

  // Per-component tallies (folded): what every signal counted, where and when.
  const groups = new Map<string, { text: string; cites: Cite[] }[]>();
  for (const s of a.signals) {
    const component = COMPONENT[s.layer] ?? 'Other';
    const window = s.firstSeen && s.lastSeen && s.firstSeen !== s.lastSeen ? `, ${s.firstSeen.slice(0, 10)} to ${s.lastSeen.slice(0, 10)}` : '';
    // Where the count comes from: lines counted in each log file, the rest in the thread and reports.
    const perFile = new Map<string, number>();
    for (const id of s.evidence) {
      const it = byId.get(id);
      if (it?.kind === 'log' && it.meta?.rule === s.rule && typeof it.meta.count === 'number' && it.source.path) perFile.set(it.source.path, it.meta.count);
    }
    const inLogs = [...perFile.values()].reduce((x, y) => x + y, 0);
    const rest = s.count - inLogs;
    const where = perFile.size
      ? ` (${[...perFile].map(([p, n]) => `${n} line${n === 1 ? '' : 's'} in ${p}`).join(', ')}${rest > 0 ? `, ${rest} in the thread and reports` : ''})`
      : ` in ${s.evidence.length} evidence item${s.evidence.length === 1 ? '' : 's'}`;
    const g = groups.get(component) ?? [];
    g.push({ text: `${s.title}: ${s.count} match${s.count === 1 ? '' : 'es'}${where}${window}`, cites: cites(s.evidence, 4) });
    groups.set(component, g);
  }
  const tallies = [...groups.entries()].map(([component, lines]) => ({ component, lines }));

  // Next: the analysis' ranked steps; the team is named (and pinged only when configured so)
  // where the evidence says that owner acts.
  // A team handle and the evidence are given once, on the first step they apply to.
  const named = new Set<string>();
  let lastCites = '';
  const next: NextItem[] = a.nextSteps.slice(0, MAX_NEXT_STEPS).map((s) => {
    const handle = s.owner !== 'maintainers' && s.owner !== 'reporter' && (s.ownerEvidence?.length ?? 0) > 0 ? input.teams[s.owner] : undefined;
    const ids = [...new Set([...(s.ownerEvidence ?? []), ...(s.evidence ?? [])])].slice(0, 2);
    const showTeam = handle !== undefined && !named.has(handle);
    if (handle) named.add(handle);
    const key = ids.join(',');
    const showCites = key !== lastCites;
    lastCites = key;
    return {
      who: OWNER_NAME[s.owner],
      ...(showTeam ? { team: { handle: handle!, live: input.mentionTeams } } : {}),
      action: s.action,
      ...(s.command ? { command: s.command } : {}),
      cites: showCites ? ids.map(cite) : [],
    };
  });
  if (next.length === 0) next.push({ who: 'Maintainers', action: 'confirm or correct this verdict in a comment; the next audit reads it.', cites: [] });

  const decisions = (['status', 'owner', 'category'] as const).map((f) => ({
    field: f,
    value: a[f].value,
    decidedBy: a[f].decidedBy,
    runnerUp: a[f].runnerUp ? `${a[f].runnerUp!.value} (${a[f].runnerUp!.score})` : undefined,
    margin: a[f].margin,
  }));

  const whys = a.whys.map((w: Why) => ({ question: w.question, answer: w.answer, cites: cites(w.evidence, 2), hypothesis: w.certainty === 'hypothesis' }));
  const patterns = a.patterns.map((p) => ({ name: p.name, text: p.text, cites: cites(p.evidence, 4) }));
  const held = a.heldSteps.map((h) => ({ text: h.text, reason: HELD_REASON[h.reason](h), cites: (h.doneBy ?? []).map(cite) }));

  const cited: string[] = [];
  const note = (ids: string[]) => ids.forEach((id) => !cited.includes(id) && byId.has(id) && cited.push(id));
  note([...a.takeaway.matchAll(/\bE\d+\b/g)].map((m) => m[0]));
  for (const w of whys) note(w.cites.map((c) => c.id));
  for (const p of patterns) note(p.cites.map((c) => c.id));
  note(impact.map((i) => i.cite.id));
  for (const s of status) note(s.cites.map((c) => c.id));
  for (const n of next) note(n.cites.map((c) => c.id));

  return {
    statusLine: {
      status: a.status.value,
      owner: a.owner.value,
      confidence: `${a.confidence} confidence`,
      confidenceNote: a.confidenceReasons.length ? `Confidence is ${a.confidence}: ${a.confidenceReasons.join('; ')}.` : undefined,
    },
    takeaway: a.takeaway,
    whys,
    patterns,
    impact,
    priorityLabels,
    status,
    next,
    monitor: a.monitor.map((m) => ({ who: OWNER_NAME[m.owner], text: `watch ${lowerFirst(m.text)}`, command: m.command })),
    validate: a.validate.map((v) => ({ who: OWNER_NAME[v.owner], text: `confirm ${lowerFirst(v.text)}`, command: v.command })),
    decisions,
    labels: input.plannedLabels,
    tallies,
    held,
    folded: [],
    evidence: items.map((i) => ({
      id: i.id,
      kind: i.kind,
      where: whereOf(i),
      url: i.source.url,
      author: i.author,
      at: i.at,
      excerpt: String(i.excerpt),
    })),
    cited,
    signals: [...a.signals, ...a.threadSignals].map((s) => ({
      rule: s.rule,
      title: s.title,
      category: s.category,
      owner: s.owner,
      count: s.count,
      evidence: s.evidence,
      firstSeen: s.firstSeen,
      lastSeen: s.lastSeen,
    })),
    mermaid: buildMermaid(a.whys, a.patterns),
    gaps: input.gaps,
  };
}

/** Longest Mermaid label text before it is cut (on a word boundary, with an ellipsis). */
const LABEL_CHARS = 60;

/**
 * Cuts text to at most `max` characters on a word boundary, marking the cut with an ellipsis;
 * a long token (a socket path) is cut after one of its separators (`/`, `:`), never mid-word.
 */
export function cutOnWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max);
  const space = head.lastIndexOf(' ');
  const sep = Math.max(head.lastIndexOf('/'), head.lastIndexOf(':'));
  const at = space > max / 2 ? space : sep > max / 2 ? sep : space > 0 ? space : max;
  return `${head.slice(0, at).replace(/[\s,.:;(/→-]+$/, '')}…`;
}

/**
 * The chain as a Mermaid flowchart: each why explained by the next one down; a pattern is a
 * side node hanging off the why it concerns, not a step of the chain.
 */
export function buildMermaid(whys: Why[], patterns: Analysis['patterns'] = []): string {
  const safe = (s: string) => s.replace(/[^\w\s.,:;/()→-]/g, ' ').replace(/\s+/g, ' ').trim();
  const lines = ['flowchart TD'];
  whys.forEach((w, i) => {
    const label = `${i + 1}. ${cutOnWord(safe(w.answer), LABEL_CHARS)}${w.evidence.length ? ` [${w.evidence.slice(0, 3).join(' ')}]` : ''}`;
    lines.push(`  ${w.certainty === 'hypothesis' ? `W${i}{{"${label} (hypothesis)"}}` : `W${i}["${label}"]`}`);
    if (i > 0) lines.push(`  W${i - 1} --> W${i}`);
  });
  patterns.forEach((p, i) => {
    const label = `Pattern: ${cutOnWord(safe(`${p.name}: ${p.text}`), LABEL_CHARS)}${p.evidence.length ? ` [${p.evidence.slice(0, 3).join(' ')}]` : ''}`;
    lines.push(`  P${i}(["${label}"])`);
    if (whys.length) lines.push(`  W${Math.min(p.attachTo, whys.length - 1)} -.- P${i}`);
  });
  return lines.join('\n');
}

function lowerFirst(s: string): string {
  return /^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s;
}
