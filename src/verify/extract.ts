import type { CompiledMatcher } from '../rules/compile-rule.ts';
import type { ClaimKind } from './claim-schema.ts';
import type { ClaimPattern } from './load-claims.ts';

// Claim extraction (pure): a status comment is cut into sentences (list items, headings,
// table rows, sentences of paragraphs; code blocks and hidden comments are quoted data, not
// claims), every claim pattern runs over every sentence, and a sentence that no pattern
// recognises but names a number, a path, a PR or a completion word is kept as an
// `unrecognised` claim, so nothing checkable is silently dropped.

/** One sentence of a comment. */
export interface Sentence {
  /** The sentence as written (trimmed), for quoting. */
  text: string;
  /** Markdown emphasis, emoji and list markers removed; what patterns match. */
  plain: string;
  /** 1-based line of the comment where the sentence starts. */
  line: number;
  /** The heading or lead-in line ("Files delivered:") the sentence sits under. */
  context: string;
  heading: boolean;
  /** A lead-in line ("Files delivered:") introduces what follows; it is context, not a claim. */
  leadIn?: boolean;
}

export interface ExtractedClaim {
  text: string;
  /** The part of the sentence the pattern matched. */
  span: string;
  line: number;
  kind: ClaimKind;
  pattern?: string;
  facts: Record<string, string>;
  context: string;
}

const EMOJI = /(?![©®™])\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic}|\p{Emoji_Modifier})*|\p{Regional_Indicator}{2}/gu;
const HEADING = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/;
const LIST = /^\s*(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?/;

/** Removes markdown emphasis, emoji and mojibake left by double-encoded emoji. */
export function plainText(text: string): string {
  return text
    .replace(EMOJI, ' ')
    .replace(/[\u00c2-\u00f0][\u0080-\u00bf\u2018-\u203a\u0152-\u0178\u02c6-\u02dc\u20ac\u2122]{1,3}/g, ' ')
    .replace(/\*\*|__|(?<![\w*])\*(?!\s)|(?<!\s)\*(?![\w*])/g, '')
    // A link to a PR or issue keeps its number: "[PR](…/pull/43)" reads "PR #43".
    .replace(/\[([^\]]*)\]\(([^)]*)\)/g, (_, text: string, url: string) => {
      const n = /\/(?:pull|issues)\/(\d+)(?:[/#?]\S*)?$/.exec(url)?.[1];
      return n && !text.includes(`#${n}`) ? `${text} #${n}` : text;
    })
    .replace(/\bhttps?:\/\/\S+?\/(?:pull|issues)\/(\d+)(?:[/#?][^\s)]*)?(?=[\s).,;]|$)/g, '#$1')
    .replace(/<\/?[a-z][^>]*>/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

// Sentence ends: ". " followed by a capital, a digit, a quote or markup; not decimals,
// versions or common abbreviations.
const SENTENCE_END = /(?<!\b(?:e\.g|i\.e|etc|vs|approx|cf|no|Mr|Dr|St|incl))(?<=[.!?])\s+(?=[A-Z0-9`*"'(#[])/;

function splitSentences(text: string): string[] {
  return text.split(SENTENCE_END).map((s) => s.trim()).filter(Boolean);
}

/** Cuts a markdown comment into sentences with their line and heading context. */
export function splitComment(markdown: string): Sentence[] {
  const out: Sentence[] = [];
  const lines = markdown.split(/\r?\n/);
  let fence: string | undefined;
  let inComment = false;
  let heading = '';
  let leadIn = '';
  let para: { text: string; line: number }[] = [];
  const push = (text: string, line: number, isHeading = false, isLeadIn = false) => {
    const plain = plainText(text);
    if (plain.replace(/[^\p{L}\p{N}]/gu, '').length < 3) return;
    out.push({ text: text.trim(), plain, line, context: isHeading ? '' : leadIn || heading, heading: isHeading, leadIn: isLeadIn });
  };
  const flush = () => {
    if (para.length === 0) return;
    const joined = para.map((p) => p.text.trim()).join(' ');
    // Line numbers: each sentence is attributed to the line its first words sit on.
    let from = 0;
    for (const s of splitSentences(joined)) {
      const at = joined.indexOf(s, from);
      from = at + s.length;
      let acc = 0;
      const line = para.find((p) => (acc += p.text.trim().length + 1) > at)?.line ?? para[0]!.line;
      push(s, line);
    }
    para = [];
  };
  lines.forEach((raw, i) => {
    const no = i + 1;
    const t = raw.trim();
    const f = /^(`{3,}|~{3,})/.exec(t);
    if (fence !== undefined) {
      if (f && f[1]!.startsWith(fence) && t.replace(/[`~]/g, '') === '') fence = undefined;
      return;
    }
    if (f) {
      flush();
      fence = f[1];
      return;
    }
    if (inComment) {
      if (t.includes('-->')) inComment = false;
      return;
    }
    if (t.startsWith('<!--')) {
      flush();
      if (!t.includes('-->')) inComment = true;
      return;
    }
    if (t === '' || /^(?:-{3,}|\*{3,}|_{3,})$/.test(t) || /^\|?\s*:?-{2,}/.test(t) || /^<\/?(?:details|summary)\b/i.test(t)) {
      flush();
      return;
    }
    const h = HEADING.exec(raw);
    if (h) {
      flush();
      heading = plainText(h[1]!);
      leadIn = '';
      push(h[1]!, no, true);
      return;
    }
    if (t.startsWith('|')) {
      flush();
      push(t.replace(/^\||\|$/g, '').split('|').map((c) => c.trim()).filter(Boolean).join(' · '), no);
      return;
    }
    if (LIST.test(raw)) {
      flush();
      const item = raw.replace(LIST, '').replace(/^>\s*/, '');
      // A list item that is itself a lead-in ("- **Files:**") gives context to what follows.
      for (const s of splitSentences(item)) push(s, no);
      if (/:\**\s*$/.test(item)) {
        leadIn = plainText(item);
        const last = out.at(-1);
        if (last?.line === no) last.leadIn = true;
      }
      return;
    }
    const text = t.replace(/^>\s*/, '');
    if (/:\**\s*$/.test(text) && plainText(text).length <= 120) {
      flush();
      push(text, no, false, true);
      leadIn = plainText(text);
      return;
    }
    // A paragraph line ends any lead-in scope once a list has passed.
    if (para.length === 0 && leadIn && out.at(-1)?.context === leadIn) leadIn = '';
    // Reports write one statement per line ("**Status:** …" then "**Impact:** …"): a line that
    // starts with a bold label, or follows a line ending a sentence, starts a new paragraph.
    const prev = para.at(-1)?.text.trim() ?? '';
    if (para.length > 0 && (/^(?:\*\*|__)[^*_]{1,60}?:/.test(text) || /(?:[.!?:]|\*\*|__)$/.test(prev))) flush();
    para.push({ text, line: no });
  });
  flush();
  return out;
}

/**
 * Longest sentence (and context) a pattern runs over. Claim patterns scan prose with bounded
 * gaps, which backtracks polynomially at worst; a bounded input keeps that cheap.
 */
export const MAX_SENTENCE = 2_000;

function firstMatch(list: CompiledMatcher[], text: string): RegExpMatchArray | undefined {
  for (const m of list) {
    const hit = text.slice(0, MAX_SENTENCE).matchAll(m.regex).next();
    if (!hit.done) return hit.value;
  }
  return undefined;
}

/** Runs one pattern over one sentence: the claims it recognises (zero or more). */
export function matchPattern(p: ClaimPattern, s: Pick<Sentence, 'plain' | 'context'>): { span: string; index: number; facts: Record<string, string> }[] {
  const text = s.plain.slice(0, MAX_SENTENCE);
  if (firstMatch(p.suppressors, text)) return [];
  if (p.context.length > 0 && !firstMatch(p.context, text) && !firstMatch(p.context, s.context)) return [];
  const out: { span: string; index: number; facts: Record<string, string> }[] = [];
  for (const m of p.matchers) {
    for (const hit of text.matchAll(m.regex)) {
      const facts: Record<string, string> = { ...p.spec.facts };
      for (const [k, v] of Object.entries(hit.groups ?? {})) if (v !== undefined) facts[k] = v.trim();
      const index = hit.index ?? 0;
      if (out.some((o) => rangesOverlap(o.index, o.span.length, index, hit[0].length))) continue;
      out.push({ span: hit[0].trim(), index, facts });
    }
  }
  return out;
}

function rangesOverlap(a: number, al: number, b: number, bl: number): boolean {
  return a < b + bl && b < a + al;
}

const PR_REF = /(?:^|[\s(])#\d+\b|\bPR\s*#?\d+\b|\bpull\/\d+\b/i;
const PATH_LIKE = /(?:^|[\s`(])\/?(?:[\w.@-]+\/)+[\w.@-]+\.[A-Za-z0-9]{1,8}\b|`[\w.-]+\.(?:py|ts|js|go|rb|java|ya?ml|json|toml|md|sh|sql|tf|env)`/;
const NUMBER = /(?<![\w#])\d[\d,.]*\b/;
const COMPLETION = /\b(?:complete[ds]?|completion|done|finished|resolved|fixed|delivered|ready|working|deployed|implemented|verified|validated|confirmed|operational|restored|passing|shipped|merged)\b/i;

/** Why a sentence no pattern recognised is still worth listing; undefined when it is not. */
export function checkableFeature(s: Pick<Sentence, 'plain' | 'heading'>): string | undefined {
  const text = s.plain;
  if (/\?\s*$/.test(text)) return undefined; // a question claims nothing
  if (PR_REF.test(text)) return 'names a PR or issue';
  if (PATH_LIKE.test(text)) return 'names a path';
  if (COMPLETION.test(text)) return 'uses a completion word';
  // Numbers inside code spans are identifiers and quoted output; dates are not counts.
  const bare = text.replace(/`[^`]*`/g, ' ').replace(/\b(?:19|20)\d\d-\d\d-\d\d(?:[T ][\d:.]+Z?)?/g, '');
  if (NUMBER.test(bare)) return 'states a number';
  return undefined;
}

/**
 * Extracts the claims of one comment: every pattern over every sentence, overlapping
 * matches of the same kind kept once (the longest), and the leftover checkable sentences.
 */
export function extractClaims(markdown: string, patterns: readonly ClaimPattern[]): ExtractedClaim[] {
  const claims: ExtractedClaim[] = [];
  for (const s of splitComment(markdown)) {
    const found: (ExtractedClaim & { index: number })[] = [];
    for (const p of patterns) {
      for (const m of matchPattern(p, s)) {
        const same = found.find((f) => f.kind === p.kind && rangesOverlap(f.index, f.span.length, m.index, m.span.length));
        if (same) {
          if (m.span.length <= same.span.length) continue;
          found.splice(found.indexOf(same), 1);
        }
        found.push({ text: s.text, span: m.span, index: m.index, line: s.line, kind: p.kind, pattern: p.id, facts: m.facts, context: s.context });
      }
    }
    if (found.length > 0) {
      for (const f of found.sort((a, b) => a.index - b.index)) {
        const { index: _index, ...claim } = f;
        claims.push(claim);
      }
      continue;
    }
    const feature = s.leadIn ? undefined : checkableFeature(s);
    if (feature) claims.push({ text: s.text, span: s.plain, line: s.line, kind: 'unrecognised', facts: { feature }, context: s.context });
  }
  return claims;
}
