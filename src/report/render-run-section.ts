import { md } from './markdown.ts';

export interface RunSectionStep {
  step: number;
  title: string;
  state: string;
  summary: string;
  durationMs?: number | null;
  tokens: number;
  costUsd: number;
}

export interface RunSectionInput {
  session: string;
  branch?: string;
  steps: RunSectionStep[];
  totals: { tokens: number; costUsd: number };
  pr?: { number: number; url: string };
}

const secs = (ms: number | null | undefined): string => (ms === null || ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);

/**
 * The run's part of the living status comment (SPEC §3: every step updates its own
 * section): one short section per step with state, result, duration, tokens and cost. Figures
 * are in code spans: they are what progressor measured, not claims to cite. Pure.
 */
export function renderRunSection(r: RunSectionInput): string {
  const b = md.builder();
  b.heading(3, 'Run');
  const branch = r.branch ? md.inline` on branch ${md.code(r.branch)}` : md.text('');
  const pr = r.pr ? md.inline` · draft PR ${md.link(`#${r.pr.number}`, r.pr.url)}` : md.text('');
  b.paragraph(md.inline`Session ${md.code(r.session)}${branch}${pr} · totals ${md.code(`${r.totals.tokens} tokens`)}, ${md.code(`$${r.totals.costUsd.toFixed(4)}`)}`);
  for (const s of r.steps) {
    b.heading(4, `${s.step}. ${s.title}: ${s.state}`);
    b.paragraph(md.inline`${s.summary} (${md.code(secs(s.durationMs))}, ${md.code(`${s.tokens} tokens`)}, ${md.code(`$${s.costUsd.toFixed(4)}`)})`);
  }
  return b.toString();
}

/** Puts the run section into an audit comment, before its Next section (which stays last). */
export function withRunSection(comment: string, section: string): string {
  const i = comment.search(/^### Next\s*$/m);
  if (i < 0) {
    const m = comment.search(/^<!-- progressor:status/m);
    return m < 0 ? `${comment}\n\n${section}` : `${comment.slice(0, m)}${section}\n\n${comment.slice(m)}`;
  }
  return `${comment.slice(0, i)}${section}\n\n${comment.slice(i)}`;
}
