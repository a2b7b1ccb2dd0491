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
export function renderRunSection(r: RunSectionInput): { visible: string; folded: string } {
  const b = md.builder();
  b.heading(3, 'Run');
  const pr = r.pr ? md.inline` · draft PR ${md.link(`#${r.pr.number}`, r.pr.url)}` : md.text('');
  const last = r.steps[r.steps.length - 1];
  const at = last ? md.inline` · step ${md.code(`${last.step}`)} ${md.code(last.state)}` : md.text('');
  b.paragraph(md.inline`Session ${md.code(r.session)}${at}${pr} · totals ${md.code(`${r.totals.tokens} tokens`)}, ${md.code(`$${r.totals.costUsd.toFixed(4)}`)}`);
  // The steps are folded (COMMENT_STYLE 7): each is what progressor itself ran and measured.
  const steps = md.builder();
  if (r.branch) steps.paragraph(md.inline`Branch ${md.code(r.branch)}.`);
  for (const s of r.steps) {
    steps.heading(4, `${s.step}. ${s.title}: ${s.state}`);
    steps.paragraph(md.inline`${s.summary} (${md.code(secs(s.durationMs))}, ${md.code(`${s.tokens} tokens`)}, ${md.code(`$${s.costUsd.toFixed(4)}`)})`);
  }
  return { visible: b.toString(), folded: md.details(`Run steps (${r.steps.length}): state, result, duration, tokens, cost`, steps).toString() };
}

/**
 * Puts the run section into an audit comment: the short visible part before Next (which stays
 * the last visible section), the steps folded with the other details, before the marker.
 */
export function withRunSection(comment: string, section: { visible: string; folded: string }): string {
  let out = comment;
  const next = out.search(/^### Next\s*$/m);
  out = next < 0 ? `${out}\n\n${section.visible}` : `${out.slice(0, next)}${section.visible}\n${out.slice(next)}`;
  const from = Math.max(0, out.search(/^### Next\s*$/m));
  const rel = out.slice(from).search(/^<details>|^<!-- progressor:status/m);
  if (rel < 0) return `${out}\n${section.folded}`;
  const at = from + rel;
  return `${out.slice(0, at)}${section.folded}\n${out.slice(at)}`;
}
