import { extractLiterals, MIN_LITERAL } from '../scan/literals.ts';
import { buildMultiLiteral, FoundLiterals, literalsInRange, type MultiLiteral } from '../scan/multi-literal.ts';
import type { CompiledRule } from './compile-rule.ts';

/**
 * Which rules can possibly match a text, from one pass over it: every regex of a gated rule
 * needs one of its required literals (literals.ts), found by the scanner's multi-literal
 * automaton. Rules without usable literals, or with the `u` flag (whose case folding is
 * wider than ASCII), are never gated. A gate only skips work: the rules it lets through
 * still run their regexes.
 */
export class LiteralGate {
  private readonly ml: MultiLiteral | undefined;
  /** For each literal, the indexes of the rules it gates. */
  private readonly literalRules: number[][] = [];
  /** 1 for rules that always run. */
  private readonly open: Uint8Array;
  private readonly found: FoundLiterals;

  constructor(rules: readonly CompiledRule[]) {
    this.open = new Uint8Array(rules.length);
    const literals: string[] = [];
    const index = new Map<string, number>();
    rules.forEach((r, ri) => {
      this.index.set(r, ri);
      const sets = r.matchers.map((m) => (m.flags.includes('u') ? null : extractLiterals(m.source)));
      const usable =
        sets.length > 0 && sets.every((s) => s?.literals && !s.hasBackref && s.literals.every((l) => l.length >= MIN_LITERAL));
      if (!usable) {
        this.open[ri] = 1;
        return;
      }
      for (const s of sets) for (const l of s!.literals!) {
        let li = index.get(l);
        if (li === undefined) {
          li = literals.length;
          literals.push(l);
          index.set(l, li);
          this.literalRules.push([]);
        }
        if (!this.literalRules[li]!.includes(ri)) this.literalRules[li]!.push(ri);
      }
    });
    this.ml = literals.length > 0 ? buildMultiLiteral(literals) : undefined;
    this.found = new FoundLiterals(literals.length);
  }

  private readonly index = new Map<CompiledRule, number>();
  private readonly memo = new Map<string, Uint8Array>();

  /** False only when `rule` (one of the gate's) cannot match `text`; texts are memoised. */
  mayMatch(rule: CompiledRule, text: string): boolean {
    const ri = this.index.get(rule);
    if (ri === undefined) return true;
    let c = this.memo.get(text);
    if (!c) {
      if (this.memo.size >= 4_096) this.memo.clear();
      c = this.candidates(text);
      this.memo.set(text, c);
    }
    return c[ri] === 1;
  }

  /** 1 at the index of every rule that may match `text`. */
  candidates(text: string): Uint8Array {
    const out = Uint8Array.from(this.open);
    if (!this.ml) return out;
    const buf = Buffer.from(text, 'utf8');
    const found = this.found;
    found.clear();
    literalsInRange(this.ml, buf, 0, buf.length, found);
    for (let k = 0; k < found.list.n; k++) for (const ri of this.literalRules[found.list.data[k]!]!) out[ri] = 1;
    return out;
  }
}

const gates = new WeakMap<readonly CompiledRule[], LiteralGate>();

/** The gate of a rule list, built once per list. */
export function literalGate(rules: readonly CompiledRule[]): LiteralGate {
  let g = gates.get(rules);
  if (!g) {
    g = new LiteralGate(rules);
    gates.set(rules, g);
  }
  return g;
}
