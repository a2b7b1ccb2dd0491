// An escaping Markdown builder (STYLE §8.8, after actions/toolkit's `summary`). Issue
// text is untrusted: every string argument is escaped, so it can neither format, inject
// HTML, nor ping people. Escaped inline fragments are `Inline` values, which builders
// accept as they are (no double escaping); `raw()` is the only opt-out.

const INLINE = Symbol('progressor.inline');

/** A fragment of inline Markdown that is already safe. Create it only through `md.*`. */
export interface Inline {
  readonly [INLINE]: true;
  readonly markdown: string;
  toString(): string;
}

/** What block methods accept: a string (escaped), an Inline fragment (kept as is). */
export type Content = string | Inline;

function inline(markdown: string): Inline {
  return { [INLINE]: true, markdown, toString: () => markdown };
}

export function isInline(value: unknown): value is Inline {
  return typeof value === 'object' && value !== null && (value as { [INLINE]?: boolean })[INLINE] === true;
}

// A zero-width space entity after "@" keeps the text readable but stops GitHub's mention
// (the same device Renovate uses).
const MENTION_BREAK = '@&#8203;';

/**
 * Escapes text for Markdown: formatting characters, HTML, `$` math, entities and @mentions.
 * Newlines are kept; each line's start is escaped so it cannot open a block (heading, list,
 * quote, setext underline, indented code). Blank lines are collapsed so text cannot end
 * the block it sits in.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\n[ \t]*(?:\n[ \t]*)+/g, '\n')
    .split('\n')
    .map(escapeLine)
    .join('\n');
}

function escapeLine(line: string): string {
  let s = line.replace(/^[ \t]+/, '');
  s = s.replace(/[\\`*_[\]|~$&]/g, (c) => `\\${c}`);
  s = s.replace(/</g, '&lt;').replace(/>/g, '&gt;');
  // @mention (and @org/team) unless part of an e-mail address or word.
  // GitHub pings after `.`, `-`, `+` too (issue 10), and `_` is escaped to `\_` just above;
  // only a letter or digit before `@` (an e-mail address) makes it no mention.
  s = s.replace(/(^|[^A-Za-z0-9])@(?=[A-Za-z0-9])/g, `$1${MENTION_BREAK}`);
  // Line starts that would open a block.
  s = s.replace(/^([#=+-])/, '\\$1').replace(/^(\d{1,9})([.)])/, '$1\\$2');
  return s;
}

/** HTML-context escaping (used in `<summary>`), where Markdown may or may not be parsed. */
function escapeHtmlText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~$#]/g, (c) => `&#${c.charCodeAt(0)};`)
    .replace(/(^|[^A-Za-z0-9])@(?=[A-Za-z0-9])/g, `$1${MENTION_BREAK}`);
}

function toInline(content: Content): string {
  return isInline(content) ? content.markdown : escapeMarkdown(content);
}

/** One line: newlines become spaces (headings, summaries). */
function oneLine(content: Content): string {
  return toInline(content).replace(/\s*\n\s*/g, ' ').trim();
}

function codeSpan(code: string): string {
  const s = code.replace(/\r?\n/g, ' ');
  if (s === '') return '` `';
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  // A leading/trailing backtick (or an all-space span) needs padding, stripped by the renderer.
  const pad = /^`|`$/.test(s) || /^ .* $/.test(s) ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}

function safeUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  return parsed.href.replace(/[()<> ]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** Block-level builder. Every method appends one block and returns `this`. */
export class MarkdownBuilder {
  private readonly blocks: string[] = [];

  /** `#`…`######` heading; the text is one line. */
  heading(level: 1 | 2 | 3 | 4 | 5 | 6, text: Content): this {
    if (!Number.isInteger(level) || level < 1 || level > 6) throw new RangeError(`heading level ${level} is not 1-6`);
    return this.push(`${'#'.repeat(level)} ${oneLine(text)}`);
  }

  /** A paragraph; several contents are joined with a space. */
  paragraph(...content: Content[]): this {
    const text = content.map(toInline).join(' ').trim();
    return text === '' ? this : this.push(text);
  }

  /** `- item` list; an item may be a builder (nested blocks, indented under the item). */
  list(items: readonly (Content | MarkdownBuilder)[]): this {
    return items.length === 0 ? this : this.push(items.map((item) => listItem('- ', item)).join('\n'));
  }

  /** `1. item` list, numbered from `start`. */
  orderedList(items: readonly (Content | MarkdownBuilder)[], start = 1): this {
    return items.length === 0 ? this : this.push(items.map((item, i) => listItem(`${start + i}. `, item)).join('\n'));
  }

  /** A GFM table. Pipes are escaped and newlines become `<br>` in every cell. */
  table(headers: readonly Content[], rows: readonly (readonly Content[])[]): this {
    if (headers.length === 0) throw new RangeError('a table needs at least one column');
    const width = headers.length;
    const line = (cells: readonly Content[]) => {
      if (cells.length > width) throw new RangeError(`table row has ${cells.length} cells for ${width} columns`);
      const padded = [...cells, ...Array<Content>(width - cells.length).fill('')];
      return `| ${padded.map(tableCell).join(' | ')} |`;
    };
    return this.push([line(headers), `|${' --- |'.repeat(width)}`, ...rows.map(line)].join('\n'));
  }

  /** `<details>` with an escaped one-line summary; `inner` is a builder or content. */
  details(summary: Content, inner: Content | MarkdownBuilder): this {
    const summaryText = isInline(summary) ? oneLine(summary) : escapeHtmlText(summary);
    const body = inner instanceof MarkdownBuilder ? inner.toString().replace(/\n$/, '') : toInline(inner);
    return this.push(`<details>\n<summary>${summaryText}</summary>\n\n${body}\n\n</details>`);
  }

  /** A fenced code block; the fence is longer than any backtick run in `code`. */
  codeBlock(code: string, lang = ''): this {
    const longest = Math.max(0, ...(code.match(/`{3,}/g) ?? []).map((r) => r.length));
    const fence = '`'.repeat(Math.max(3, longest + 1));
    const info = lang.replace(/[^A-Za-z0-9_+#.-]/g, '');
    return this.push(`${fence}${info}\n${code.replace(/\r\n?/g, '\n').replace(/\n$/, '')}\n${fence}`);
  }

  /** A thematic break (`---`). */
  rule(): this {
    return this.push('---');
  }

  /** Trusted Markdown, appended verbatim: the only opt-out of escaping. */
  raw(markdown: string): this {
    return this.push(markdown);
  }

  /** Appends another builder's blocks. */
  append(other: MarkdownBuilder): this {
    this.blocks.push(...other.blocks);
    return this;
  }

  isEmpty(): boolean {
    return this.blocks.length === 0;
  }

  /** Blocks separated by one blank line, ending with a newline. */
  toString(): string {
    return this.blocks.length === 0 ? '' : `${this.blocks.join('\n\n')}\n`;
  }

  private push(block: string): this {
    this.blocks.push(block);
    return this;
  }
}

function listItem(marker: string, item: Content | MarkdownBuilder): string {
  const indent = ' '.repeat(marker.length);
  const text = item instanceof MarkdownBuilder ? item.toString().replace(/\n$/, '') : toInline(item);
  const [first = '', ...rest] = text.split('\n');
  return [marker + first, ...rest.map((l) => (l === '' ? '' : indent + l))].join('\n');
}

function tableCell(content: Content): string {
  return toInline(content)
    .replace(/\s*\n\s*/g, '<br>')
    .replace(/(?<=(?:^|[^\\])(?:\\\\)*)\|/g, '\\|')
    .trim();
}

/** Starts a builder with `md.heading(…)`, or makes inline fragments with `md.code(…)` etc. */
export const md = {
  /** An empty builder. */
  builder: () => new MarkdownBuilder(),
  heading: (level: 1 | 2 | 3 | 4 | 5 | 6, text: Content) => new MarkdownBuilder().heading(level, text),
  paragraph: (...content: Content[]) => new MarkdownBuilder().paragraph(...content),
  list: (items: readonly (Content | MarkdownBuilder)[]) => new MarkdownBuilder().list(items),
  orderedList: (items: readonly (Content | MarkdownBuilder)[], start = 1) => new MarkdownBuilder().orderedList(items, start),
  table: (headers: readonly Content[], rows: readonly (readonly Content[])[]) => new MarkdownBuilder().table(headers, rows),
  details: (summary: Content, inner: Content | MarkdownBuilder) => new MarkdownBuilder().details(summary, inner),
  codeBlock: (code: string, lang = '') => new MarkdownBuilder().codeBlock(code, lang),

  /** Escaped text as an Inline fragment. */
  text: (text: string): Inline => inline(escapeMarkdown(text)),
  /** Inline code; any backticks inside are handled by a longer fence. */
  code: (code: string): Inline => inline(codeSpan(code)),
  bold: (content: Content): Inline => inline(`**${oneLine(content)}**`),
  italic: (content: Content): Inline => inline(`*${oneLine(content)}*`),
  /** A link for http(s) URLs only; anything else renders as the (escaped) text alone. */
  link: (text: Content, url: string): Inline => {
    const href = safeUrl(url);
    const label = oneLine(text);
    return inline(href ? `[${label}](${href})` : label);
  },
  /**
   * A real mention (pings): only for team handles from configuration, never issue text.
   * A handle that is not `@login` or `@org/team` is rendered escaped (no ping).
   */
  mention: (handle: string): Inline =>
    /^@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\/[A-Za-z0-9._-]{1,100})?$/.test(handle) ? inline(handle) : inline(escapeMarkdown(handle)),
  /** Joins fragments with a separator (escaped unless Inline). */
  join: (parts: readonly Content[], separator: Content = ''): Inline => inline(parts.map(toInline).join(toInline(separator))),
  /**
   * Tagged template: the literal parts are trusted (written by us), interpolated values are
   * escaped unless they are Inline. ``md.inline`**Status:** ${status}` ``
   */
  inline: (strings: TemplateStringsArray, ...values: (Content | number)[]): Inline =>
    inline(strings.reduce((acc, lit, i) => acc + lit + (i < values.length ? toInline(typeof values[i] === 'number' ? String(values[i]) : (values[i] as Content)) : ''), '')),
  /** Trusted inline Markdown, verbatim: the inline opt-out. */
  raw: (markdown: string): Inline => inline(markdown),
} as const;
