import type { CompiledRule } from './compile-rule.ts';

// Rules → ripgrep pattern file (ripgrep 13, Rust regex syntax). One line per rule: its
// regexes as an alternation, each in a flag group. `rg -f FILE` joins the lines with `|`,
// so named groups get a per-line prefix to stay unique, and an empty line (which would
// match everything) is never written. JavaScript-only syntax (look-around, back-references)
// cannot be expressed; such rules are reported as skipped.

/** ASCII punctuation Rust's regex lets us escape; others must be written bare. */
const RUST_ESCAPABLE = new Set('\\.+*?()|[]{}^$#&-~'.split(''));

export class RgUnsupported extends Error {}

/**
 * Translates one JavaScript regex to ripgrep syntax.
 * @param prefix makes named groups unique across the pattern file.
 * @throws RgUnsupported for look-around, back-references and other JS-only syntax.
 */
export function toRgRegex(source: string, flags: string, prefix: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const n = source[i + 1];
      if (n === undefined) throw new RgUnsupported('trailing backslash');
      i++;
      if (/[1-9]/.test(n) && !inClass) throw new RgUnsupported('back-reference');
      if (n === 'k' && source[i + 1] === '<') throw new RgUnsupported('named back-reference');
      if (n === 'c') throw new RgUnsupported('control escape \\c');
      if (n === 'd') out += inClass ? '0-9' : '[0-9]';
      else if (n === 'w') out += inClass ? '0-9A-Za-z_' : '[0-9A-Za-z_]';
      else if (n === 'D' && !inClass) out += '[^0-9]';
      else if (n === 'W' && !inClass) out += '[^0-9A-Za-z_]';
      else if (n === '0') out += '\\x00';
      else if (n === 'u') {
        const m = /^u(\{[0-9a-fA-F]+\}|[0-9a-fA-F]{4})/.exec(source.slice(i));
        if (!m) throw new RgUnsupported('invalid \\u escape');
        out += `\\x{${m[1]!.replace(/[{}]/g, '')}}`;
        i += m[0].length - 1;
      } else if (/[A-Za-z]/.test(n)) out += `\\${n}`;
      else if (RUST_ESCAPABLE.has(n)) out += `\\${n}`;
      else out += n === ' ' ? ' ' : n;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      else if ((c === '&' || c === '~' || c === '-') && source[i + 1] === c) {
        // Rust reads && -- ~~ inside a class as set operators.
        out += `\\${c}`;
        continue;
      } else if (c === '[') {
        out += '\\[';
        continue;
      }
      out += c;
      continue;
    }
    if (c === '[') {
      if (source.startsWith('[^]', i)) throw new RgUnsupported('[^] (any character incl. newline)');
      inClass = true;
      out += c;
      // A leading ] is literal in JS only when followed by more; keep "[]" unsupported.
      if (source[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (source[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && source[i + 1] === '?') {
      const rest = source.slice(i + 2, i + 4);
      if (rest.startsWith('=') || rest.startsWith('!') || rest === '<=' || rest === '<!') {
        throw new RgUnsupported('look-around');
      }
      const named = /^\(\?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(source.slice(i));
      if (named) {
        out += `(?P<${prefix}${named[1]}>`;
        i += named[0].length - 1;
        continue;
      }
    }
    if (c === '{' && !/^\{\d+(,\d*)?\}/.test(source.slice(i))) {
      out += '\\{';
      continue;
    }
    if (c === '}' || c === ']') {
      // Reached only for literal braces/brackets (quantifier braces are consumed above).
      const prev = out.slice(-12);
      if (c === '}' && /\{\d+(,\d*)?$/.test(prev)) {
        out += c;
        continue;
      }
      out += `\\${c}`;
      continue;
    }
    out += c;
  }
  if (inClass) throw new RgUnsupported('unterminated character class');
  const f = [...new Set(flags.replace(/[gu]/g, '').split(''))].filter((x) => 'ims'.includes(x)).join('');
  return f ? `(?${f}:${out})` : `(?:${out})`;
}

export interface RgRulePattern {
  rule: string;
  /** One ripgrep regex: the rule's matchers as an alternation. */
  pattern: string;
  /** The rule's `notMatch` regexes as one alternation (rg cannot subtract them in one pattern). */
  suppress?: string;
}

export interface RgExport {
  patterns: RgRulePattern[];
  skipped: { rule: string; reason: string }[];
}

/** Translates every text rule; rules using JavaScript-only syntax are listed as skipped. */
export function exportRulesForRg(rules: readonly CompiledRule[]): RgExport {
  const patterns: RgRulePattern[] = [];
  const skipped: { rule: string; reason: string }[] = [];
  rules.forEach((r, n) => {
    if (r.kind !== 'text' || r.matchers.length === 0) return;
    try {
      const pattern = r.matchers.map((m, j) => toRgRegex(m.source, m.flags, `r${n}m${j}_`)).join('|');
      const suppress =
        r.suppressors.length > 0 ? r.suppressors.map((m, j) => toRgRegex(m.source, m.flags, `r${n}s${j}_`)).join('|') : undefined;
      patterns.push({ rule: r.id, pattern, suppress });
    } catch (e) {
      if (!(e instanceof RgUnsupported)) throw e;
      skipped.push({ rule: r.id, reason: e.message });
    }
  });
  return { patterns, skipped };
}

/** The pattern file `rg -f` reads: one pattern per line, no empty lines. */
export function renderRgPatternFile(exp: RgExport): string {
  return exp.patterns.map((p) => `${p.pattern}\n`).join('');
}
