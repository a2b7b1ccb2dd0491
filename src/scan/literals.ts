// Required-literal extraction from a JavaScript regex source. For each regex we compute a
// set of lower-cased ASCII strings such that every match contains at least one of them;
// the scanner looks for those literals first (like ripgrep's literal prefilter) and runs the
// real regex only on lines that contain one. Anything we cannot reason about yields "no
// literal", which is always safe (the rule then runs as a full regex).

interface Info {
  /** Every string this node can match, when small and fully literal. */
  exact: string[] | null;
  /** A set of strings at least one of which occurs in every match. */
  req: string[] | null;
  /** For x+ / x{n,} (n ≥ 1) with a literal x: every match starts and ends with one of these. */
  rep?: string[];
}

const MAX_SET = 24;
const MAX_LIT = 48;
const NONE: Info = { exact: null, req: null };
const EMPTY: Info = { exact: [''], req: null };

// Words so common in logs that a literal made only of one of them finds most lines.
const COMMON = new Set(
  'status code error info warn warning debug trace request response time user path method duration get post put http https the and with for from to at in on of is was not no id type name value message service host port url ms true false null'.split(' '),
);

/** Selectivity of one literal: longer is better, common words and digits/spaces count less. */
function stringScore(s: string): number {
  let score = 0;
  for (const ch of s) score += ch === ' ' ? 0.3 : ch >= '0' && ch <= '9' ? 0.7 : 1;
  const core = s.replace(/[^a-z0-9]+/g, ' ').trim();
  return COMMON.has(core) ? score * 0.3 : score;
}

/** Score of a required set: higher is more selective. A set containing a weak string is weak. */
export function literalScore(set: string[] | null): number {
  if (!set || set.length === 0) return 0;
  let min = Infinity;
  for (const s of set) min = Math.min(min, stringScore(s));
  return min * 100 - 20 * set.length;
}

/** Literals shorter than this are not worth scanning for. */
export const MIN_LITERAL = 4;

function usable(set: string[] | null): boolean {
  return !!set && set.length > 0 && set.every((s) => s.length >= MIN_LITERAL);
}

/** Set while one extraction runs: a data-driven cost of a literal set (lower is better). */
let setCost: ((set: string[]) => number) | undefined;

function best(a: string[] | null, b: string[] | null): string[] | null {
  if (usable(a) !== usable(b)) return usable(a) ? a : b;
  if (setCost && a && b && usable(a)) return setCost(b) < setCost(a) ? b : a;
  return literalScore(b) > literalScore(a) ? b : a;
}

function dedupe(set: string[]): string[] {
  return [...new Set(set)];
}

function cross(a: string[], b: string[]): string[] | null {
  if (a.length * b.length > MAX_SET) return null;
  const out: string[] = [];
  for (const x of a) for (const y of b) {
    if (x.length + y.length > MAX_LIT) return null;
    out.push(x + y);
  }
  return dedupe(out);
}

function reqOf(i: Info): string[] | null {
  return best(i.req, i.exact && !i.exact.includes('') ? i.exact : null);
}

class Parser {
  pos = 0;
  hasBackref = false;
  readonly src: string;
  constructor(src: string) {
    this.src = src;
  }

  parseAlt(): Info {
    const branches: Info[] = [this.parseSeq()];
    while (this.src[this.pos] === '|') {
      this.pos++;
      branches.push(this.parseSeq());
    }
    if (branches.length === 1) return branches[0]!;
    let exact: string[] | null = [];
    let req: string[] | null = [];
    for (const b of branches) {
      exact = exact && b.exact ? dedupe([...exact, ...b.exact]) : null;
      if (exact && exact.length > MAX_SET) exact = null;
      const r = reqOf(b);
      req = req && r ? dedupe([...req, ...r]) : null;
    }
    return { exact, req };
  }

  parseSeq(): Info {
    let cur: string[] | null = [''];
    let whole = true;
    let req: string[] | null = null;
    const flush = () => {
      if (cur && !cur.includes('')) req = best(req, cur);
    };
    while (this.pos < this.src.length && this.src[this.pos] !== '|' && this.src[this.pos] !== ')') {
      const atom = this.parseQuantified();
      if (atom.rep && cur) {
        // A x+ B: the match contains A·x and x·B.
        const c = cross(cur, atom.rep);
        whole = false;
        if (c && !c.includes('')) req = best(req, c);
        else flush();
        cur = atom.rep;
        continue;
      }
      if (atom.exact && cur) {
        const c = cross(cur, atom.exact);
        if (c) {
          cur = c;
          continue;
        }
      }
      whole = false;
      flush();
      req = best(req, reqOf(atom));
      cur = atom.exact ? atom.exact : [''];
    }
    flush();
    return { exact: whole ? cur : null, req };
  }

  parseQuantified(): Info {
    const atom = this.parseAtom();
    const c = this.src[this.pos];
    let min = 1;
    let quantified = false;
    if (c === '*' || c === '?') {
      min = 0;
      quantified = true;
      this.pos++;
    } else if (c === '+') {
      quantified = true;
      this.pos++;
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos));
      if (m) {
        quantified = true;
        min = Number(m[1]);
        this.pos += m[0].length;
        if (!m[2] && min === 1) quantified = false;
      }
    }
    if (!quantified) return atom;
    if (this.src[this.pos] === '?') this.pos++;
    if (min === 0) {
      // x? with a literal x: either x or nothing, which keeps literals on both sides joined.
      if (c === '?' && atom.exact && !atom.exact.includes('')) return { exact: [...atom.exact, ''], req: null };
      return NONE;
    }
    return { exact: null, req: reqOf(atom), rep: atom.exact && !atom.exact.includes('') ? atom.exact : undefined };
  }

  parseAtom(): Info {
    const c = this.src[this.pos++] as string;
    if (c === '(') return this.parseGroup();
    if (c === '[') return this.parseClass();
    if (c === '\\') return this.parseEscape(false);
    if (c === '.') return NONE;
    if (c === '^' || c === '$') return EMPTY;
    return charInfo(c);
  }

  parseGroup(): Info {
    let lookaround = false;
    if (this.src[this.pos] === '?') {
      const rest = this.src.slice(this.pos, this.pos + 3);
      if (rest.startsWith('?:')) this.pos += 2;
      else if (rest.startsWith('?=') || rest.startsWith('?!')) {
        this.pos += 2;
        lookaround = true;
      } else if (rest.startsWith('?<=') || rest.startsWith('?<!')) {
        this.pos += 3;
        lookaround = true;
      } else if (rest.startsWith('?<')) {
        this.pos = this.src.indexOf('>', this.pos) + 1;
      } else {
        // Inline modifiers such as (?i:…): give up on literals inside.
        const close = this.src.indexOf(':', this.pos);
        this.pos = close < 0 ? this.src.length : close + 1;
        this.parseAlt();
        this.pos++;
        return NONE;
      }
    }
    const inner = this.parseAlt();
    this.pos++; // ')'
    return lookaround ? EMPTY : inner;
  }

  parseClass(): Info {
    let negated = false;
    if (this.src[this.pos] === '^') {
      negated = true;
      this.pos++;
    }
    const chars = new Set<string>();
    let open = false;
    let first = true;
    while (this.pos < this.src.length && (this.src[this.pos] !== ']' || first)) {
      first = false;
      let ch = this.src[this.pos++] as string;
      if (ch === '\\') {
        const e = this.parseEscape(true);
        if (!e.exact || e.exact.length !== 1) {
          open = true;
          continue;
        }
        ch = e.exact[0]!;
      }
      if (this.src[this.pos] === '-' && this.src[this.pos + 1] !== ']' && this.pos + 1 < this.src.length) {
        this.pos++;
        let hi = this.src[this.pos++] as string;
        if (hi === '\\') {
          const e = this.parseEscape(true);
          hi = e.exact?.[0] ?? '\uffff';
        }
        const span = hi.charCodeAt(0) - ch.charCodeAt(0);
        if (span > 8 || span < 0) open = true;
        else for (let k = 0; k <= span; k++) chars.add(String.fromCharCode(ch.charCodeAt(0) + k).toLowerCase());
        continue;
      }
      chars.add(ch.toLowerCase());
    }
    this.pos++; // ']'
    if (negated || open || chars.size === 0 || chars.size > 8) return NONE;
    for (const ch of chars) if (ch.charCodeAt(0) > 127) return NONE;
    return { exact: [...chars], req: null };
  }

  parseEscape(inClass: boolean): Info {
    const c = this.src[this.pos++] as string;
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', '0': '\0' };
    if (c in simple) return charInfo(simple[c]!);
    if (c === 'x' || c === 'u') {
      const m = (c === 'x' ? /^[0-9a-fA-F]{2}/ : /^(\{[0-9a-fA-F]+\}|[0-9a-fA-F]{4})/).exec(this.src.slice(this.pos));
      if (!m) return charInfo(c);
      this.pos += m[0].length;
      return charInfo(String.fromCodePoint(parseInt(m[0].replace(/[{}]/g, ''), 16)));
    }
    if (c === 'b' || c === 'B') return inClass ? charInfo('\b') : EMPTY;
    if ('dDwWsS'.includes(c)) return NONE;
    if (c === 'p' || c === 'P') {
      if (this.src[this.pos] === '{') this.pos = this.src.indexOf('}', this.pos) + 1;
      return NONE;
    }
    if (c === 'k' && this.src[this.pos] === '<') {
      this.hasBackref = true;
      this.pos = this.src.indexOf('>', this.pos) + 1;
      return NONE;
    }
    if (/[1-9]/.test(c) && !inClass) {
      this.hasBackref = true;
      while (/[0-9]/.test(this.src[this.pos] ?? '')) this.pos++;
      return NONE;
    }
    if (c === 'c') {
      this.pos++;
      return NONE;
    }
    return charInfo(c);
  }
}

function charInfo(c: string): Info {
  if (c.charCodeAt(0) > 127 || c === '\n') return NONE;
  return { exact: [c.toLowerCase()], req: null };
}

export interface RegexLiterals {
  /** Lower-cased ASCII literals; every match contains at least one. Null: none known. */
  literals: string[] | null;
  hasBackref: boolean;
}

/**
 * Computes the required literal set of one regex (case-folded, ASCII only). With `cost`
 * (e.g. frequencies sampled from the input), the cheapest usable set wins; otherwise a
 * static heuristic (longer, fewer common words) decides.
 */
export function extractLiterals(source: string, cost?: (set: string[]) => number): RegexLiterals {
  if (!cost) {
    // Without a cost the answer depends on the source only: the audit's literal gate and
    // the scan plan ask for the same regexes.
    let known = untuned.get(source);
    if (!known) {
      known = extract(source);
      untuned.set(source, known);
    }
    return known;
  }
  setCost = cost;
  try {
    return extract(source);
  } finally {
    setCost = undefined;
  }
}

const untuned = new Map<string, RegexLiterals>();

/** Seeds the untuned answers (from the rule cache, which stores them with the rules). */
export function primeLiterals(known: Record<string, RegexLiterals>): void {
  for (const [source, lits] of Object.entries(known)) if (!untuned.has(source)) untuned.set(source, lits);
}

function extract(source: string): RegexLiterals {
  const p = new Parser(source);
  let info: Info;
  try {
    info = p.parseAlt();
    if (p.pos < source.length) return { literals: null, hasBackref: p.hasBackref };
  } catch {
    return { literals: null, hasBackref: true };
  }
  const set = reqOf(info);
  return { literals: set && set.length > 0 && !set.includes('') ? set : null, hasBackref: p.hasBackref };
}
