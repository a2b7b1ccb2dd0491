import { createHash } from 'node:crypto';
import type { EvidenceItem, Gap } from '../domain/types.ts';
import type { CheckedClaim, Verdict } from './check-claims.ts';

// Rendering `progressor verify`: the JSON document, a terminal table, the short markdown
// reply a reviewer could post, and the "Claims checked" section of the living status comment.

export interface VerifyReport {
  issue: { number: number; title: string; url: string };
  /** The comments checked: a file path, `-`, or a comment id / URL. */
  comments: { ref: string; author?: string; url?: string }[];
  summary: { claims: number; verified: number; contradicted: number; unverifiable: number };
  claims: CheckedClaim[];
  evidence: { id: string; kind: string; source: EvidenceItem['source']; at?: string; author?: string; excerpt: string }[];
  gaps: Gap[];
  applied?: string[];
}

export function summarise(claims: readonly CheckedClaim[]): VerifyReport['summary'] {
  const n = (v: Verdict) => claims.filter((c) => c.verdict === v).length;
  return { claims: claims.length, verified: n('verified'), contradicted: n('contradicted'), unverifiable: n('unverifiable') };
}

/** "3 of 11 claims verified, 2 contradicted, 6 unverifiable". */
export function headline(s: VerifyReport['summary']): string {
  return `${s.verified} of ${s.claims} claim${s.claims === 1 ? '' : 's'} verified, ${s.contradicted} contradicted, ${s.unverifiable} unverifiable`;
}

const clip = (t: string, n: number) => (t.length > n ? `${t.slice(0, n - 1)}…` : t);
const quote = (c: CheckedClaim) => `“${clip(c.span.length >= 6 ? c.span : c.text, 110).replace(/[“”]/g, '"')}”`;

function cite(ids: readonly string[], items: ReadonlyMap<string, VerifyReport['evidence'][number]>): string {
  return ids
    .map((id) => {
      const e = items.get(id);
      if (e?.source.url) return `[${id}](${e.source.url})`;
      const where = e?.source.path ? `${e.source.path}${e.source.line ? `:${e.source.line}` : ''}` : e?.source.probe;
      return where ? `${id} \`${where}\`` : id;
    })
    .join(', ');
}

function mdLines(r: VerifyReport, verdicts: Verdict[], max: number): string[] {
  const byId = new Map(r.evidence.map((e) => [e.id, e]));
  const out: string[] = [];
  for (const v of verdicts) {
    const list = r.claims.filter((c) => c.verdict === v);
    if (list.length === 0) continue;
    out.push('', `**${v[0]!.toUpperCase()}${v.slice(1)}:**`, '');
    for (const c of list.slice(0, max)) {
      const ev = c.evidence.length > 0 ? ` (${cite(c.evidence, byId)})` : '';
      out.push(`- ${quote(c)}: ${clip(c.reason, 220)}${ev}`);
    }
    if (list.length > max) out.push(`- and ${list.length - max} more (\`progressor verify --format text\` lists them)`);
  }
  return out;
}

/** The short reply a reviewer could post: the headline, then the claims by verdict. */
export function renderVerifyMarkdown(r: VerifyReport): string {
  const contradicted = r.claims.filter((c) => c.verdict === 'contradicted');
  const lead = contradicted.length > 0 ? `: ${contradicted.slice(0, 3).map(quote).join('; ')}` : '.';
  return [`${headline(r.summary)}${lead}`, ...mdLines(r, ['contradicted', 'verified', 'unverifiable'], 12)].join('\n').concat('\n');
}

/** One line per claim for a terminal. */
export function renderVerifyText(r: VerifyReport): string {
  const lines = [`Claims: ${headline(r.summary)} · issue #${r.issue.number} ${r.issue.title}`, ''];
  const many = r.comments.length > 1;
  for (const c of r.claims) {
    const from = many ? `${r.comments.find((x) => x.ref === c.comment)?.author ?? c.comment} ` : '';
    lines.push(`${c.id.padEnd(4)} ${c.verdict.padEnd(13)} ${c.kind.padEnd(13)} ${from}line ${String(c.line).padEnd(4)} ${quote(c)}`);
    lines.push(`     ${c.reason}${c.evidence.length ? ` [${c.evidence.join(', ')}]` : ''}`);
  }
  for (const g of r.gaps) lines.push(`Gap: ${g.collector}: ${g.message}`);
  return lines.join('\n');
}

export const CLAIMS_HEADING = '### Claims checked';
const CLAIMS_MARK = /<!-- progressor:claims ([0-9a-f]{16}) -->/;

/** Hash over verdicts and evidence ids only, so an unchanged check makes no edit. */
export function claimsHash(claims: readonly CheckedClaim[]): string {
  const key = claims.map((c) => [c.comment, c.kind, c.span, c.verdict, c.evidence.join(',')].join('\u0001')).join('\u0002');
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** The "Claims checked" section of the living status comment (visible, before Next). */
export function renderClaimsSection(r: VerifyReport): string {
  const who = r.comments.map((c) => (c.url ? `[${c.author ? `@${c.author}` : 'comment'}](${c.url})` : c.author ? `@${c.author}` : `\`${c.ref}\``)).join(', ');
  return [
    CLAIMS_HEADING,
    '',
    `Checked ${who || 'the comments'} against the evidence: ${headline(r.summary)}.`,
    ...mdLines(r, ['contradicted', 'verified'], 8),
    ...(r.summary.unverifiable > 0 ? ['', `Not checkable (${r.summary.unverifiable}): completeness and praise, stated causes no evidence confirms, and sentences no claim pattern recognises; \`progressor verify\` lists them.`] : []),
    '',
    `<!-- progressor:claims ${claimsHash(r.claims)} -->`,
  ].join('\n');
}

/** The claims hash recorded in a status comment, if it has the section. */
export function claimsHashOf(body: string): string | undefined {
  return CLAIMS_MARK.exec(body)?.[1];
}

/** The "Claims checked" section of a comment body (heading through its hidden mark). */
export function claimsSectionOf(body: string): string | undefined {
  const start = body.indexOf(`${CLAIMS_HEADING}\n`);
  if (start < 0) return undefined;
  const m = CLAIMS_MARK.exec(body.slice(start));
  if (!m) return undefined;
  return body.slice(start, start + m.index + m[0].length);
}

/**
 * Puts a "Claims checked" section into a status comment: replaces the one there, or
 * inserts it before the Next section (Next stays last in the visible part).
 */
export function withClaimsSection(body: string, section: string): string {
  const old = claimsSectionOf(body);
  if (old) return body.replace(old, section);
  const next = /^### Next\s*$/m.exec(body);
  if (next) return `${body.slice(0, next.index)}${section}\n\n${body.slice(next.index)}`;
  const details = body.indexOf('<details>');
  return details >= 0 ? `${body.slice(0, details)}${section}\n\n${body.slice(details)}` : `${body.trimEnd()}\n\n${section}\n`;
}

/** Keeps the claims section of the prior status comment when an audit re-renders it. */
export function carryClaimsSection(priorBody: string | undefined, rendered: string): string {
  const section = priorBody ? claimsSectionOf(priorBody) : undefined;
  return section ? withClaimsSection(rendered, section) : rendered;
}
