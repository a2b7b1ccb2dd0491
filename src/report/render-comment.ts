import type { Redacted } from '../domain/redacted.ts';
import type { Analysis, EvidenceItem, Gap, ProbeResult } from '../domain/types.ts';
import type { Owner } from '../domain/vocabulary.ts';
import { MAX_COMMENT_CHARS, MAX_VISIBLE_WORDS } from '../domain/constants.ts';
import { buildCommentModel, type Cite, type CommentModel, type NextItem } from './comment-model.ts';
import { visibleWords } from './lint-comment.ts';
import { md, type Inline, type MarkdownBuilder } from './markdown.ts';
import type { StatusMarker } from './status-marker.ts';

export interface RenderCommentInput {
  issue: { number: number; title: Redacted; url: string; labels: Redacted[] };
  analysis: Analysis;
  items: EvidenceItem[];
  probes: ProbeResult[];
  gaps: Gap[];
  marker: StatusMarker;
  teams: Partial<Record<Owner, string>>;
  mentionTeams?: boolean;
  plannedLabels: string[];
}

/** The comment model for an audit (shared by the Markdown and text renderers). */
export function commentModelOf(input: Omit<RenderCommentInput, 'marker' | 'issue'> & { issue: { labels: string[] } }): CommentModel {
  return fitToBudget(buildCommentModel({
    analysis: input.analysis,
    items: input.items,
    probes: input.probes,
    gaps: input.gaps,
    labels: input.issue.labels,
    plannedLabels: input.plannedLabels,
    teams: input.teams,
    mentionTeams: input.mentionTeams ?? false,
  }));
}

function citeLinks(cites: Cite[], withWhere = true): Inline {
  return md.join(
    cites.map((c) => (c.url ? md.link(c.id, c.url) : c.where && withWhere ? md.inline`${c.id} ${md.code(c.where)}` : md.text(c.id))),
    ', ',
  );
}

/** Text with its evidence ids (`E7`) turned into links; the rest escaped. */
function linkIds(text: string, urls: ReadonlyMap<string, string | undefined>): Inline {
  return md.join(text.split(/\b(E\d+)\b/).map((part, i) => (i % 2 === 1 && urls.get(part) ? md.link(part, urls.get(part)!) : md.text(part))));
}

/** Text whose `code spans` are kept as code, the rest escaped (rule text written by us). */
function withCode(text: string): Inline {
  return md.join(text.split(/`([^`]+)`/).map((part, i) => (i % 2 === 1 ? md.code(part) : md.text(part))));
}

export function teamInline(team: NonNullable<NextItem['team']>): Inline {
  // Without mentionTeams the handle is a code span: readable, copyable, and it pings nobody.
  return team.live ? md.mention(team.handle) : md.code(team.handle);
}

function nextItem(n: NextItem): Inline {
  const who = n.team ? md.inline`${n.who} (${teamInline(n.team)})` : md.text(n.who);
  const cites = n.cites.length ? md.inline` (${citeLinks(n.cites, false)})` : md.text('');
  if (!n.command) return md.inline`${who}: ${withCode(lowerFirst(n.action))}${cites}`;
  if (n.action === 'run') return md.inline`${who}: run ${md.code(n.command)}${cites}`;
  return md.inline`${who}: ${withCode(lowerFirst(n.action.replace(/\.$/, '')))}: ${md.code(n.command)}${cites}`;
}

/** The visible part: status, takeaway, Five Whys, impact, done / not done, Next. */
function renderVisible(m: CommentModel): MarkdownBuilder {
  const urls = new Map(m.evidence.map((e) => [e.id, e.url]));
  const b: MarkdownBuilder = md.builder();
  // Lines 1 and 2: status and takeaway (one paragraph with a hard break keeps them adjacent).
  b.raw(`${md.inline`**Status:** ${m.statusLine.status} · **Owner:** ${m.statusLine.owner} · ${m.statusLine.confidence}`}\n${linkIds(m.takeaway, urls)}`);

  b.heading(3, 'Five Whys');
  b.orderedList(
    m.whys.map((w) =>
      w.hypothesis
        ? md.inline`**${w.question}** ${w.answer} *hypothesis: no evidence yet*`
        : md.inline`**${w.question}** ${w.answer} (${citeLinks(w.cites)})`,
    ),
  );
  for (const p of m.patterns) b.paragraph(md.inline`**Pattern:** ${p.text} (${citeLinks(p.cites, false)})`);

  b.heading(3, 'Impact');
  const impact: Inline[] = m.impact.map((i) => md.inline`${md.italic(i.quote)} (${citeLinks([i.cite])})`);
  if (m.priorityLabels.length) impact.push(md.inline`Priority label${m.priorityLabels.length > 1 ? 's' : ''}: ${md.join(m.priorityLabels.map((l) => md.code(l)), ', ')}.`);
  if (impact.length === 0) b.paragraph('The thread does not state the impact.');
  else b.list(impact);

  b.heading(3, 'Done / not done');
  b.list(m.status.map((s) => md.inline`${md.bold(s.label)}: ${withCode(s.text)}${s.cites.length ? md.inline` (${citeLinks(s.cites)})` : md.text('')}.`));

  b.heading(3, 'Next');
  b.orderedList(m.next.map(nextItem));
  if (m.monitor.length) {
    b.paragraph(md.bold('Monitor:'));
    b.list(m.monitor.map((l) => md.inline`${l.who}: ${l.text}: ${md.code(l.command)}`));
  }
  if (m.validate.length) {
    b.paragraph(md.bold('Validate:'));
    b.list(m.validate.map((l) => md.inline`${l.who}: ${l.text}: ${md.code(l.command)}`));
  }
  return b;
}

/**
 * Keeps the visible part within MAX_VISIBLE_WORDS by folding its least important lines into
 * the details, in this order: patterns after the first, validate and monitor lines after the
 * first, Next steps after the third, the last validate and monitor lines. The model comes back
 * with what was folded listed in `folded`; the text format renders the same fitted model.
 */
const folded = (l: { who: string; text: string; command: string }) => ({ text: `${l.who}: ${l.text}`, command: l.command });

export function fitToBudget(model: CommentModel, maxWords = MAX_VISIBLE_WORDS): CommentModel {
  const m: CommentModel = { ...model, patterns: [...model.patterns], monitor: [...model.monitor], validate: [...model.validate], next: [...model.next], folded: [...model.folded] };
  const words = () => visibleWords(renderVisible(m).toString());
  const steps: (() => boolean)[] = [
    () => m.patterns.length > 1 && !!m.folded.push({ section: 'Pattern', text: `${m.patterns.at(-1)!.name}: ${m.patterns.pop()!.text}` }),
    () => m.validate.length > 1 && !!m.folded.push({ section: 'Validate', ...folded(m.validate.pop()!) }),
    () => m.monitor.length > 1 && !!m.folded.push({ section: 'Monitor', ...folded(m.monitor.pop()!) }),
    () => m.next.length > 3 && !!m.folded.push({ section: 'Next', text: `${m.next.at(-1)!.who}: ${m.next.at(-1)!.action}`, command: m.next.pop()!.command }),
    () => m.validate.length > 0 && !!m.folded.push({ section: 'Validate', ...folded(m.validate.pop()!) }),
    () => m.monitor.length > 0 && !!m.folded.push({ section: 'Monitor', ...folded(m.monitor.pop()!) }),
  ];
  for (const step of steps) {
    while (words() > maxWords) if (!step()) break;
  }
  return m;
}

/**
 * The living status comment (SPEC §7, COMMENT_STYLE): status line, takeaway, Five Whys,
 * impact, done / not done, Next (last visible), then the folded details and the marker.
 */
export function renderComment(input: RenderCommentInput): string {
  const m = commentModelOf(input);
  const b = renderVisible(m);

  // Folded bulk.
  const determination = md.builder();
  determination.list(
    m.decisions.map(
      (d) =>
        md.inline`${d.field} ${md.code(d.value)} decided by ${md.join(d.decidedBy.map((r) => md.code(r)), ', ')}${d.runnerUp ? md.inline`; runner-up ${d.runnerUp}, margin ${d.margin}` : md.text('')}`,
    ),
  );
  if (m.statusLine.confidenceNote) determination.paragraph(md.italic(m.statusLine.confidenceNote));
  if (m.labels.length) determination.paragraph(md.inline`Labels: ${md.join(m.labels.map((l) => md.code(l)), ', ')}.`);
  for (const g of m.tallies) {
    determination.paragraph(md.bold(g.component));
    determination.list(g.lines.map((l) => (l.cites.length ? md.inline`${l.text} (${citeLinks(l.cites)})` : md.text(l.text))));
  }
  b.details('Determination and counts', determination);
  if (m.folded.length)
    b.details(
      `More steps (${m.folded.length})`,
      md.list(m.folded.map((f) => md.inline`${f.section}: ${f.text}${f.command ? md.inline`: ${md.code(f.command)}` : md.text('')}`)),
    );
  if (m.held.length)
    b.details(
      `Steps not shown (${m.held.length})`,
      md.list(m.held.map((h) => md.inline`${md.code(h.text)}: ${h.reason}${h.cites.length ? md.inline` (${citeLinks(h.cites)})` : md.text('')}`)),
    );
  b.details(
    `Evidence (${m.evidence.length} items)`,
    md.table(
      ['id', 'kind', 'where', 'excerpt'],
      m.evidence.map((e) => [e.url ? md.link(e.id, e.url) : e.id, e.kind, e.where + (e.at ? ` · ${e.at.slice(0, 10)}` : ''), md.code(e.excerpt)]),
    ),
  );
  if (m.signals.length)
    b.details(
      `Signals (${m.signals.length})`,
      md.table(
        ['rule', 'category', 'owner', 'count', 'evidence'],
        m.signals.map((s) => [md.code(s.rule), s.category, s.owner, String(s.count), s.evidence.join(' ')]),
      ),
    );
  b.details('Chain diagram', md.codeBlock(m.mermaid, 'mermaid'));
  b.raw(input.marker.toString());
  const out = b.toString();
  return out.length > MAX_COMMENT_CHARS ? truncate(out, input.marker.toString()) : out;
}

function lowerFirst(s: string): string {
  return /^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s;
}

/** Keeps a comment under GitHub's size limit: drops the folded bulk, keeps the marker. */
function truncate(body: string, marker: string): string {
  const cut = body.indexOf('<details>');
  const visible = cut > 0 ? body.slice(0, cut) : body.slice(0, MAX_COMMENT_CHARS - marker.length - 200);
  return `${visible}\n_Evidence tables omitted: the comment would exceed ${MAX_COMMENT_CHARS} characters._\n\n${marker}\n`;
}
