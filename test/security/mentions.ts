import { marked, type Token } from 'marked';

/**
 * The @handles GitHub would turn into pings in a Markdown comment: @-words in text outside
 * code spans, code blocks and HTML comments, not preceded by a word character. Parsed with a
 * real Markdown parser (marked), so escaping tricks cannot fool the check.
 */
export function pingsIn(markdown: string): string[] {
  const found: string[] = [];
  const visit = (tokens: Token[] | undefined): void => {
    for (const t of tokens ?? []) {
      if (t.type === 'codespan' || t.type === 'code' || t.type === 'html') continue;
      if (t.type === 'text' || t.type === 'escape') {
        const text = (t as { text: string }).text.replace(/&#8203;|\u200b/g, '\u200b');
        for (const m of text.matchAll(/(?<![A-Za-z0-9_])@(?!\u200b)[A-Za-z0-9][\w/-]*/g)) found.push(m[0]);
      }
      const nested = t as { tokens?: Token[]; items?: { tokens: Token[] }[]; header?: { tokens: Token[] }[]; rows?: { tokens: Token[] }[][] };
      if (nested.tokens && t.type !== 'text') visit(nested.tokens);
      else if (nested.tokens && t.type === 'text') visit(nested.tokens.filter((x) => x.type !== 'text'));
      for (const i of nested.items ?? []) visit(i.tokens);
      for (const h of nested.header ?? []) visit(h.tokens);
      for (const r of nested.rows ?? []) for (const c of r) visit(c.tokens);
    }
  };
  visit(marked.lexer(markdown));
  return found;
}
