// Turns one statement (an issue description or a comment) into named sparse features for the
// act model: word unigrams and bigrams over a normalised, lightly stemmed text, the first
// words, words of the previous comment as context, the author's role and place, and the
// thread rules whose wording matched it. Pure and deterministic.

/** What the act model sees of one statement. */
export interface StatementInput {
  text: string;
  /** The previous statement's text (context), if any. */
  prev?: string;
  role?: string;
  /** 'body' for the issue description, 'comment' otherwise. */
  kind: 'body' | 'comment';
  /** Last statement of the thread. */
  last?: boolean;
  /** Ids of thread rules whose wording matched this statement. */
  rules?: string[];
}

const MAX_CHARS = 4000;

/** Replaces what carries no act (code, logs, links, numbers) by placeholder words. */
export function normaliseText(text: string): string {
  return text
    .replace(/```[\s\S]*?(?:```|$)/g, ' codeblock ')
    .replace(/^(?: {4}|\t).*$/gm, ' codeblock ')
    .replace(/^>.*$/gm, ' quoted ')
    .replace(/https?:\/\/\S+\/commit\/[0-9a-f]{7,40}\S*/gi, ' commitref ')
    .replace(/https?:\/\/\S+\/pull\/\d+\S*/gi, ' prref ')
    .replace(/https?:\/\/\S+\/(?:issues|discussions)\/\d+\S*/gi, ' issueref ')
    .replace(/https?:\/\/\S+\/releases\/\S*/gi, ' releaseref ')
    .replace(/https?:\/\/\S+/g, ' url ')
    .replace(/`[^`\n]{1,200}`/g, ' code ')
    .replace(/(?<![\w&])#\d+\b/g, ' prref ')
    .replace(/\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{7,40}\b/g, ' sha ')
    .replace(/@[\w-]+/g, ' mention ')
    .replace(/\bv?\d+(?:\.\d+)+\w*/g, ' version ')
    .replace(/\d+/g, '0')
    .slice(0, MAX_CHARS)
    .toLowerCase();
}

/** A light suffix stemmer: enough to join fix/fixed/fixes/fixing; not linguistics. */
export function stem(w: string): string {
  if (w.length <= 4) return w;
  for (const suf of ['ations', 'ation', 'ing', 'ies', 'ied', 'ed', 'es', 'ly', 's']) {
    if (w.endsWith(suf) && w.length - suf.length >= 3) {
      const base = w.slice(0, -suf.length);
      return suf === 'ies' || suf === 'ied' ? `${base}y` : base;
    }
  }
  return w;
}

export function tokens(text: string): string[] {
  const norm = normaliseText(text).replace(/[’']/g, '');
  return (norm.match(/[a-z][a-z0-9_-]*|0|[!?]/g) ?? []).map(stem);
}

/** Feature names of one statement (duplicates removed, sorted). */
export function statementFeatures(s: StatementInput): string[] {
  const out = new Set<string>();
  const t = tokens(s.text);
  for (let i = 0; i < t.length; i++) {
    out.add(`w:${t[i]}`);
    if (i + 1 < t.length) out.add(`b:${t[i]}_${t[i + 1]}`);
    if (i < 3) out.add(`f:${t[i]}`);
  }
  if (s.prev !== undefined) for (const w of tokens(s.prev).slice(0, 120)) out.add(`p:${w}`);
  out.add(`role:${s.role ?? 'unknown'}`);
  out.add(`kind:${s.kind}`);
  if (s.last) out.add('pos:last');
  out.add(t.length < 12 ? 'len:short' : t.length < 80 ? 'len:mid' : 'len:long');
  for (const r of s.rules ?? []) out.add(`rule:${r}`);
  return [...out].sort();
}
