import type { Analysis, EvidenceItem, Gap, ProbeResult, Why } from '../domain/types.ts';
import type { Layer, Owner } from '../domain/vocabulary.ts';

/**
 * The status comment as data (SPEC §7), before Markdown: every piece of issue text in it
 * is a redacted excerpt that the renderer escapes.
 */
export interface CommentModel {
  statusLine: { status: string; owner: string; confidence: string; confidenceNote?: string };
  takeaway: string;
  whys: { question: string; answer: string; cites: Cite[]; hypothesis: boolean }[];
  impact: { quote: string; cite: Cite }[];
  priorityLabels: string[];
  done: { component: string; lines: { text: string; cites: Cite[] }[] }[];
  notDone: string[];
  next: { who: string; action: string; mention?: string }[];
  diagnostics: string[];
  monitor: string[];
  validate: string[];
  labels: string[];
  evidence: { id: string; kind: string; where: string; url?: string; author?: string; at?: string; excerpt: string }[];
  signals: { rule: string; title: string; category: string; owner: string; count: number; evidence: string[]; firstSeen?: string; lastSeen?: string }[];
  decisions: { field: string; value: string; decidedBy: string[]; runnerUp?: string; margin: number }[];
  mermaid: string;
  gaps: Gap[];
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

export function buildCommentModel(input: CommentModelInput): CommentModel {
  const { analysis: a, items } = input;
  const byId = new Map(items.map((i) => [i.id, i]));
  const cite = (id: string): Cite => {
    const src = byId.get(id)?.source;
    return { id, url: src?.url, where: src?.path ? `${src.path}${src.line ? `:${src.line}` : ''}` : undefined };
  };
  const cites = (ids: string[]) => ids.slice(0, 4).map(cite);

  // Impact: only as the thread states it, quoted with its evidence.
  const impact: CommentModel['impact'] = [];
  for (const i of items) {
    if (i.kind !== 'issue-body' && i.kind !== 'comment') continue;
    const line = String(i.text)
      .split('\n')
      .map((l) => l.trim())
      .find((l) => IMPACT_RE.test(l) && !l.startsWith('```') && l.length < 300);
    if (line && impact.length < 2) impact.push({ quote: line, cite: cite(i.id) });
  }
  const priorityLabels = input.labels.filter((l) => /^(?:p[0-4]|priority[:/ -]?\w+|critical|urgent|sev[0-4]|severity[:/ -]?\w+)$/i.test(l));

  // What is done / not done, by component: linked PRs, tests, probes, signals.
  const groups = new Map<string, { text: string; cites: Cite[] }[]>();
  const push = (component: string, text: string, c: Cite[]) => {
    const g = groups.get(component) ?? [];
    g.push({ text, cites: c });
    groups.set(component, g);
  };
  for (const i of items.filter((x) => x.kind === 'linked-pr')) {
    const state = String(i.meta?.state ?? '').toLowerCase();
    push('Pull requests', `${String(i.excerpt).replace(/^PR /, '')}${state === 'merged' && i.meta?.mergedAt ? ` (merged ${String(i.meta.mergedAt).slice(0, 10)})` : ''}`, [cite(i.id)]);
  }
  for (const p of input.probes) {
    const item = items.find((i) => i.kind === 'probe' && i.source.probe === p.id);
    push('Probes', `${p.id} (${p.kind} ${p.target}): ${p.status}${p.code ? ` ${p.code}` : ''}, ${p.latencyMs} ms`, item ? [cite(item.id)] : []);
  }
  for (const i of items.filter((x) => x.kind === 'test-report')) push('Tests', String(i.excerpt), [cite(i.id)]);
  for (const s of a.signals) {
    const component = COMPONENT[s.layer] ?? 'Other';
    const window = s.firstSeen && s.lastSeen && s.firstSeen !== s.lastSeen ? `, ${s.firstSeen.slice(0, 10)} to ${s.lastSeen.slice(0, 10)}` : '';
    // Where the count comes from: lines counted in each log file, the rest in the thread and reports.
    const perFile = new Map<string, number>();
    for (const id of s.evidence) {
      const it = byId.get(id);
      if (it?.kind === 'log' && it.meta?.rule === s.rule && typeof it.meta.count === 'number' && it.source.path)
        perFile.set(it.source.path, it.meta.count);
    }
    const inLogs = [...perFile.values()].reduce((a, b) => a + b, 0);
    const rest = s.count - inLogs;
    const where = perFile.size
      ? ` (${[...perFile].map(([p, n]) => `${n} line${n === 1 ? '' : 's'} in ${p}`).join(', ')}${rest > 0 ? `, ${rest} in the thread and reports` : ''})`
      : ` in ${s.evidence.length} evidence item${s.evidence.length === 1 ? '' : 's'}`;
    push(component, `${s.title}: ${s.count} match${s.count === 1 ? '' : 'es'}${where}${window}`, cites(s.evidence));
  }
  const done = [...groups.entries()].map(([component, lines]) => ({ component, lines }));
  const notDone: string[] = [];
  if (!items.some((i) => i.kind === 'probe')) notDone.push('No live probe ran in this audit (configure `probes:` and pass `--probe`).');
  if (!items.some((i) => i.kind === 'log')) notDone.push('No log files were scanned (configure `sources.logs`).');
  if (!items.some((i) => i.kind === 'linked-pr' && i.meta?.state === 'MERGED') || !a.fixMerged)
    notDone.push('No merged change addresses the root cause.');

  const team = input.teams[a.owner.value];
  const next: CommentModel['next'] = a.nextSteps.slice(0, 6).map((s) => ({
    who: OWNER_NAME[s.owner],
    action: s.action,
    mention: input.mentionTeams && s.owner === a.owner.value ? team : undefined,
  }));
  if (a.status.value === 'blocked-on-infrastructure' && team)
    next.unshift({ who: OWNER_NAME[a.owner.value], action: `take over this issue (escalated to ${team}); start with the diagnostics below.`, mention: input.mentionTeams ? team : undefined });
  if (next.length === 0) next.push({ who: 'Maintainers', action: 'confirm or correct this verdict in a comment; the next audit reads it.' });

  const decisions = (['status', 'owner', 'category'] as const).map((f) => ({
    field: f,
    value: a[f].value,
    decidedBy: a[f].decidedBy,
    runnerUp: a[f].runnerUp ? `${a[f].runnerUp!.value} (${a[f].runnerUp!.score})` : undefined,
    margin: a[f].margin,
  }));

  return {
    statusLine: {
      status: a.status.value,
      owner: a.owner.value,
      confidence: `${a.confidence} confidence`,
      confidenceNote: a.confidenceReasons.length ? `Confidence is ${a.confidence}: ${a.confidenceReasons.join('; ')}.` : undefined,
    },
    takeaway: a.takeaway,
    whys: a.whys.map((w: Why) => ({ question: w.question, answer: w.answer, cites: cites(w.evidence), hypothesis: w.certainty === 'hypothesis' })),
    impact,
    priorityLabels,
    done,
    notDone,
    next,
    diagnostics: a.diagnostics.map((d) => d.command),
    monitor: a.monitor.map((t) => `${OWNER_NAME[a.owner.value]}: watch ${lowerFirst(t)}`),
    validate: a.validate.map((t) => `${OWNER_NAME[a.owner.value]}: confirm ${lowerFirst(t.replace(/\.$/, ''))}`),
    labels: input.plannedLabels,
    evidence: items.map((i) => ({
      id: i.id,
      kind: i.kind,
      where: whereOf(i),
      url: i.source.url,
      author: i.author,
      at: i.at,
      excerpt: String(i.excerpt),
    })),
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
    decisions,
    mermaid: buildMermaid(a.whys),
    gaps: input.gaps,
  };
}

/** The chain as a Mermaid flowchart; labels are reduced to safe characters. */
export function buildMermaid(whys: Why[]): string {
  const safe = (s: string) => s.replace(/[^\w\s.,:;/()→-]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 80);
  const lines = ['flowchart TD'];
  whys.forEach((w, i) => {
    const label = `${i + 1}. ${safe(w.answer)}${w.evidence.length ? ` [${w.evidence.slice(0, 3).join(' ')}]` : ''}`;
    const shape = w.certainty === 'hypothesis' ? `W${i}{{"${label} (hypothesis)"}}` : `W${i}["${label}"]`;
    lines.push(`  ${shape}`);
    if (i > 0) lines.push(`  W${i - 1} --> W${i}`);
  });
  return lines.join('\n');
}

function lowerFirst(s: string): string {
  return /^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s;
}
