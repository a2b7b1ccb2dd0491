import { redactEvidence } from '../redact/redact.ts';
import { MAX_MATCH_INPUT } from '../rules/compile-rule.ts';
import { Drain, tokenize } from './drain.ts';
import { lineFields, lineTime } from './json-line.ts';
import { buildMultiLiteral, findCandidateLines, FoundLiterals, literalsInRange, Offsets, type MultiLiteral } from './multi-literal.ts';
import { ERROR_LINE, type ScanPlan } from './scan-plan.ts';

/** Distinct values kept per fact; more are counted in `factOverflow`. */
const MAX_FACT_VALUES = 200;
const MAX_FACT_CHARS = 200;
/** Example lines kept per rule and per task; the merge keeps the earliest. */
export const EXAMPLES_PER_RULE = 2;
/** Longest example text kept (after redaction). */
const MAX_EXAMPLE_CHARS = 2_000;

/** A line kept as an example: absolute byte offset of its start; line number when known. */
export interface RawExample {
  offset: number;
  line?: number;
  text: string;
}

export interface RuleTally {
  count: number;
  first?: number;
  last?: number;
  facts: Record<string, Record<string, number>>;
  factOverflow: number;
  examples: RawExample[];
}

export interface TemplateTally {
  tokens: string[];
  count: number;
  example: RawExample;
}

/** One task's result: plain data, so it crosses the worker boundary. */
export interface TaskResult {
  rules: (RuleTally | null)[];
  templates: TemplateTally[];
  templateOverflow: number;
  unrecognised: number;
  outsideWindow: number;
  longLines: number;
  bytes: number;
  /** Lines seen (only for sequential tasks, which count lines). */
  lines?: number;
}

export interface TaskOptions {
  since?: number;
  until?: number;
  /** Year for syslog timestamps. */
  year?: number;
  /** Count lines as we go (sequential streams); otherwise examples carry offsets only. */
  countLines: boolean;
}

interface CompiledPlanRule {
  matchers: RegExp[];
  suppressors: RegExp[];
}

/** Compiled scanner state shared by every task of one worker. */
export class CompiledPlan {
  readonly ml: MultiLiteral | undefined;

  readonly rules: CompiledPlanRule[];
  readonly errorLiteral: Uint8Array;
  readonly fallback: { rule: number; regex: RegExp }[];
  readonly plan: ScanPlan;
  /** @param ml the plan's scanner tables when already built (another thread sends them). */
  constructor(plan: ScanPlan, ml?: MultiLiteral) {
    this.plan = plan;
    this.ml = ml ?? (plan.literals.length > 0 ? buildMultiLiteral(plan.literals, plan.windowOffsets) : undefined);
    this.rules = plan.rules.map((r) => ({
      matchers: r.matchers.map((m) => new RegExp(m.source, m.flags)),
      suppressors: r.suppressors.map((m) => new RegExp(m.source, m.flags)),
    }));
    this.errorLiteral = new Uint8Array(plan.literals.length);
    for (const i of plan.errorLiterals) this.errorLiteral[i] = 1;
    this.fallback = plan.fallbackRules.flatMap((ri) =>
      plan.rules[ri]!.matchers.map((m) => ({ rule: ri, regex: new RegExp(m.source, `${m.flags.replace(/[gm]/g, '')}gm`) })),
    );
  }
}

/**
 * Scans the lines of one task (a byte range of a file, or a whole stream) and tallies rule
 * matches, facts, examples and unrecognised error templates. Feed it regions of whole
 * lines; a region may also be a piece of a line longer than the read buffer.
 */
export class TaskScanner {
  private readonly tallies: (RuleTally | null)[];
  private readonly lastLine: Float64Array;
  private readonly drain = new Drain<RawExample>();
  private unrecognised = 0;
  private lastUnrecognised = -1;
  private outsideWindow = 0;
  private longLines = 0;
  private bytes = 0;
  private lines = 0;
  private readonly found: FoundLiterals;
  private readonly toRun: number[] = [];
  private readonly hits = new Offsets();
  private readonly firstPos: Int32Array;
  private readonly cp: CompiledPlan;
  private readonly opts: TaskOptions;

  constructor(cp: CompiledPlan, opts: TaskOptions) {
    this.cp = cp;
    this.opts = opts;
    this.tallies = cp.plan.rules.map(() => null);
    this.lastLine = new Float64Array(cp.plan.rules.length).fill(-1);
    this.firstPos = new Int32Array(cp.plan.rules.length).fill(-1);
    this.found = new FoundLiterals(cp.plan.literals.length);
  }

  /**
   * Scans buf[from, to). `base` is the absolute offset of buf[0]. `lineStart` is the
   * absolute offset where the line containing buf[from] starts (it differs from base+from
   * only for continuation pieces of a long line); `lineNo` is that line's 1-based number
   * when counting.
   */
  feed(buf: Buffer, from: number, to: number, base: number, lineStart: number): void {
    this.bytes += to - from;
    const ml = this.cp.ml;
    const linesAtFrom = this.lines;
    const counter = this.lineCounter(buf, from, linesAtFrom);
    const hits = this.hits;
    hits.n = 0;
    if (ml) findCandidateLines(ml, buf, from, to, hits);
    let lineEnd = -1;
    for (let k = 0; k < hits.n; k++) {
      const hit = hits.data[k]!;
      if (hit < lineEnd) continue;
      const nlBefore = hit === from ? -1 : buf.lastIndexOf(10, hit - 1);
      const ls = nlBefore >= from ? nlBefore + 1 : from;
      let le = buf.indexOf(10, hit);
      if (le < 0 || le > to) le = to;
      const abs = ls === from ? lineStart : base + ls;
      this.candidateLine(buf, ls, le, abs, counter(ls));
      lineEnd = le + 1;
    }
    if (this.cp.fallback.length > 0) {
      this.fallbackPass(buf, from, to, base, lineStart, this.lineCounter(buf, from, linesAtFrom));
    }
    if (this.opts.countLines) {
      counter(to);
      this.lines = linesAtFrom + this.countedSince;
    }
  }

  private countedSince = 0;

  /** Returns the 1-based line number at increasing positions (undefined when not counting). */
  private lineCounter(buf: Buffer, from: number, linesAtFrom: number): (pos: number) => number | undefined {
    if (!this.opts.countLines) return () => undefined;
    let cursor = from;
    let count = 0;
    return (pos: number) => {
      while (cursor < pos) {
        const nl = buf.indexOf(10, cursor);
        if (nl < 0 || nl >= pos) {
          cursor = pos;
          break;
        }
        count++;
        cursor = nl + 1;
      }
      this.countedSince = count;
      return linesAtFrom + count + 1;
    };
  }

  private fallbackPass(
    buf: Buffer,
    from: number,
    to: number,
    base: number,
    lineStart: number,
    lineNoAt: (pos: number) => number | undefined,
  ): void {
    // Rules without a usable literal: their regex runs over the whole region, decoded as
    // latin1 so string positions are byte positions; hits are re-checked on UTF-8 text.
    const s = buf.toString('latin1', from, to);
    const hits = new Set<number>();
    for (const f of this.cp.fallback) {
      f.regex.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = f.regex.exec(s))) {
        const ls = s.lastIndexOf('\n', m.index) + 1;
        hits.add(ls);
        const le = s.indexOf('\n', m.index);
        if (le < 0) break;
        f.regex.lastIndex = le + 1;
      }
    }
    // Line numbers must be requested in order.
    for (const ls of [...hits].sort((a, b) => a - b)) {
      let le = s.indexOf('\n', ls);
      if (le < 0) le = s.length;
      const abs = ls === 0 ? lineStart : base + from + ls;
      const text = this.decode(buf, from + ls, from + le);
      this.timeRead = false;
      const lineNo = lineNoAt(from + ls);
      for (const ri of this.cp.plan.fallbackRules) this.tryRule(ri, text, abs, lineNo);
    }
  }

  private decode(buf: Buffer, ls: number, le: number): string {
    if (le - ls > MAX_MATCH_INPUT) {
      this.longLines++;
      return buf.toString('utf8', ls, ls + MAX_MATCH_INPUT);
    }
    return buf.toString('utf8', ls, le);
  }

  private candidateLine(buf: Buffer, ls: number, le: number, abs: number, lineNo: number | undefined): void {
    const cp = this.cp;
    const found = this.found;
    found.clear();
    literalsInRange(cp.ml!, buf, ls, le, found);
    const long = le - ls > MAX_MATCH_INPUT;
    if (long) this.longLines++;
    const text = long ? '' : buf.toString('utf8', ls, le);
    this.timeRead = false;
    let matched = false;
    let errorish = false;
    const toRun = this.toRun;
    const firstPos = this.firstPos;
    toRun.length = 0;
    for (let k = 0; k < found.list.n; k++) {
      const li = found.list.data[k]!;
      const pos = found.first[li]!;
      if (cp.errorLiteral[li] === 1) errorish = true;
      for (const ri of cp.plan.literalRules[li]!) {
        if (firstPos[ri] === -1) {
          firstPos[ri] = pos;
          toRun.push(ri);
        }
      }
    }
    if (toRun.length > 1) toRun.sort((a, b) => a - b);
    for (const ri of toRun) {
      let t = text;
      if (long) {
        // A line longer than the match limit is matched in a window around the literal.
        const p = firstPos[ri]!;
        const half = MAX_MATCH_INPUT >> 1;
        t = buf.toString('utf8', Math.max(ls, p - half), Math.min(le, p + half));
      }
      if (this.tryRule(ri, t, abs, lineNo)) matched = true;
    }
    for (const ri of toRun) firstPos[ri] = -1;
    if (matched || !errorish) return;
    const head = long ? buf.toString('utf8', ls, ls + MAX_MATCH_INPUT) : text;
    if (!ERROR_LINE.test(head)) return;
    // A rule without literals may still know this line (its own pass counts it).
    for (const f of cp.fallback) {
      f.regex.lastIndex = 0;
      if (f.regex.test(head)) return;
    }
    if (abs === this.lastUnrecognised) return;
    this.lastUnrecognised = abs;
    if (!this.inWindow(head)) return;
    this.unrecognised++;
    const msg = lineFields(head, this.opts.year).message ?? head;
    // Redacted before it is tokenised or cut (issue 10): a JSON line's `"password": "x"` must
    // not survive as a template token, nor a secret be cut in half by the length cap.
    this.drain.addTokens(tokenize(redactEvidence(msg)), 1, { offset: abs, line: lineNo, text: clip(redactEvidence(head)) }, abs);
  }

  // The current line's timestamp, read once per line when first needed (no allocation).
  private timeRead = false;
  private time: number | undefined;

  private inWindow(text: string): boolean {
    if (!this.timeRead) {
      this.time = lineTime(text, this.opts.year);
      this.timeRead = true;
    }
    const t = this.time;
    if (t === undefined) return true;
    if ((this.opts.since !== undefined && t < this.opts.since) || (this.opts.until !== undefined && t > this.opts.until)) {
      this.outsideWindow++;
      return false;
    }
    return true;
  }

  private tryRule(
    ri: number,
    text: string,
    abs: number,
    lineNo: number | undefined,
  ): boolean {
    const rule = this.cp.rules[ri]!;
    let hit: RegExpExecArray | null = null;
    for (const re of rule.matchers) {
      hit = re.exec(text);
      if (hit) break;
    }
    if (!hit) return false;
    for (const s of rule.suppressors) if (s.test(text)) return false;
    if (this.lastLine[ri] === abs) return true;
    this.lastLine[ri] = abs;
    if (!this.inWindow(text)) return true;
    let t = this.tallies[ri];
    if (!t) {
      t = { count: 0, facts: {}, factOverflow: 0, examples: [] };
      this.tallies[ri] = t;
    }
    t.count++;
    const time = this.time;
    if (time !== undefined) {
      if (t.first === undefined || time < t.first) t.first = time;
      if (t.last === undefined || time > t.last) t.last = time;
    }
    // Facts are taken from the redacted line (issue 10): a group must never capture a secret.
    const clean = redactEvidence(text);
    if (clean !== text) {
      let again: RegExpExecArray | null = null;
      for (const re of rule.matchers) {
        re.lastIndex = 0;
        again = re.exec(clean);
        if (again) break;
      }
      hit = again ?? ({ groups: undefined } as unknown as RegExpExecArray);
    }
    if (hit.groups) {
      for (const k in hit.groups) {
        const v: string | undefined = hit.groups[k];
        if (v === undefined) continue;
        const values = (t.facts[k] ??= {});
        const key = v.length > MAX_FACT_CHARS ? v.slice(0, MAX_FACT_CHARS) : v;
        if (values[key] !== undefined) values[key]++;
        else if (Object.keys(values).length < MAX_FACT_VALUES) values[key] = 1;
        else t.factOverflow++;
      }
    }
    if (t.examples.length < EXAMPLES_PER_RULE) t.examples.push({ offset: abs, line: lineNo, text: clip(clean) });
    return true;
  }

  result(): TaskResult {
    return {
      rules: this.tallies,
      templates: this.drain.clusters().map((c) => ({ tokens: c.tokens, count: c.count, example: c.example })),
      templateOverflow: this.drain.overflow,
      unrecognised: this.unrecognised,
      outsideWindow: this.outsideWindow,
      longLines: this.longLines,
      bytes: this.bytes,
      lines: this.opts.countLines ? this.lines : undefined,
    };
  }
}

function clip(s: string): string {
  return s.length > MAX_EXAMPLE_CHARS ? `${s.slice(0, MAX_EXAMPLE_CHARS)}…` : s;
}
