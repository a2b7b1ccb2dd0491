import type { Redacted } from '../domain/redacted.ts';
import type { Analysis, EvidenceItem, Gap, ProbeResult } from '../domain/types.ts';
import type { Owner } from '../domain/vocabulary.ts';
import { MAX_COMMENT_CHARS } from '../domain/constants.ts';
import { buildCommentModel, type Cite } from './comment-model.ts';
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

function citeLinks(cites: Cite[]): Inline {
  return md.join(
    cites.map((c) => (c.url ? md.link(c.id, c.url) : c.where ? md.inline`${c.id} ${md.code(c.where)}` : md.text(c.id))),
    ', ',
  );
}

/**
 * The living status comment (SPEC §7, COMMENT_STYLE): status line, takeaway, Five Whys,
 * impact, determination, what is done and not, Next (last visible), folded details, marker.
 */
export function renderComment(input: RenderCommentInput): string {
  const m = buildCommentModel({
    analysis: input.analysis,
    items: input.items,
    probes: input.probes,
    gaps: input.gaps,
    labels: input.issue.labels,
    plannedLabels: input.plannedLabels,
    teams: input.teams,
    mentionTeams: input.mentionTeams ?? false,
  });
  const a = input.analysis;
  const b: MarkdownBuilder = md.builder();
  // Lines 1 and 2: status and takeaway (one paragraph with a hard break keeps them adjacent).
  b.raw(
    `${md.inline`**Status:** ${m.statusLine.status} · **Owner:** ${m.statusLine.owner} · ${m.statusLine.confidence}`}\n${md.text(m.takeaway)}`,
  );

  b.heading(3, 'Five Whys');
  b.orderedList(
    m.whys.map((w) =>
      w.hypothesis
        ? md.inline`**${w.question}** ${w.answer} *hypothesis: no evidence yet*`
        : md.inline`**${w.question}** ${w.answer} (${citeLinks(w.cites)})`,
    ),
  );

  b.heading(3, 'Impact');
  if (m.impact.length === 0) b.paragraph('The thread does not state the impact.');
  else b.list(m.impact.map((i) => md.inline`${md.italic(i.quote)} (${citeLinks([i.cite])})`));
  if (m.priorityLabels.length) b.paragraph(md.inline`Priority labels: ${md.join(m.priorityLabels.map((l) => md.code(l)), ', ')}.`);

  b.heading(3, 'Determination');
  const determination: Inline[] = m.decisions.map(
    (d) =>
      md.inline`${d.field} ${md.code(d.value)} decided by ${md.join(d.decidedBy.map((r) => md.code(r)), ', ')}${d.runnerUp ? md.inline`; runner-up ${d.runnerUp}, margin ${d.margin}` : md.text('')}`,
  );
  b.list(determination);
  if (m.statusLine.confidenceNote) b.paragraph(md.italic(m.statusLine.confidenceNote));
  if (m.labels.length) b.paragraph(md.inline`Labels: ${md.join(m.labels.map((l) => md.code(l)), ', ')}.`);

  b.heading(3, 'Done and not done');
  for (const g of m.done) {
    b.paragraph(md.bold(g.component));
    b.list(g.lines.map((l) => (l.cites.length ? md.inline`${l.text} (${citeLinks(l.cites)})` : md.text(l.text))));
  }
  if (m.notDone.length) {
    b.paragraph(md.bold('Not done'));
    b.list(m.notDone.map((t) => md.raw(t.replace(/`([^`]+)`/g, (_, c: string) => md.code(c).markdown).replace(/^[^`]*/, (s) => md.text(s).markdown))));
  }
  if (m.gaps.length) {
    b.paragraph(md.bold('Not gathered'));
    b.list(m.gaps.map((g) => md.inline`${g.collector}: ${g.message} (${md.code(g.code)})`));
  }

  b.heading(3, 'Next');
  const signalEvidence = new Map([...a.signals, ...a.threadSignals].map((s) => [s.rule, s.evidence]));
  b.list(
    m.next.map((n, i) => {
      const step = a.nextSteps[i - (m.next.length - a.nextSteps.slice(0, 6).length)];
      const ev = step?.rule ? (signalEvidence.get(step.rule) ?? []) : [];
      const cite = ev.length ? md.inline` (from ${citeLinks(ev.slice(0, 2).map((id) => ({ id, url: input.items.find((x) => x.id === id)?.source.url })))})` : md.text('');
      return md.inline`${n.who}${n.mention ? md.inline` (${md.mention(n.mention)})` : md.text('')}: ${n.action}${cite}`;
    }),
  );
  if (m.diagnostics.length) {
    b.paragraph('Diagnose:');
    b.codeBlock(m.diagnostics.join('\n'), 'bash');
  }
  if (m.monitor.length) {
    b.paragraph('Monitor while it is fixed:');
    b.list(m.monitor);
  }
  if (m.validate.length) {
    b.paragraph('Validate the fix:');
    b.list(m.validate);
  }

  // Folded bulk.
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

/** Keeps a comment under GitHub's size limit: drops the folded bulk, keeps the marker. */
function truncate(body: string, marker: string): string {
  const cut = body.indexOf('<details>');
  const visible = cut > 0 ? body.slice(0, cut) : body.slice(0, MAX_COMMENT_CHARS - marker.length - 200);
  return `${visible}\n_Evidence tables omitted: the comment would exceed ${MAX_COMMENT_CHARS} characters._\n\n${marker}\n`;
}
