import type { CompiledRule } from '../rules/compile-rule.ts';
import { extractLiterals, MIN_LITERAL } from './literals.ts';
import { defaultOffset, WINDOW } from './multi-literal.ts';
import type { GramSample } from './sample.ts';


/**
 * Words that make an unmatched line an "unrecognised error" (grouped into templates). They
 * are also literals of the scanner, so such lines are found in the same pass.
 */
export const ERROR_WORDS = ['error', 'fatal', 'panic', 'exception', 'failed', 'failure', 'traceback', 'critical'];
export const ERROR_LINE = /(?:error|exception)(?![a-z])|\b(?:fatal|panic|failed|failure|traceback|critical)\b/i;

export interface PlanMatcher {
  source: string;
  flags: string;
}

export interface PlanRule {
  id: string;
  matchers: PlanMatcher[];
  suppressors: PlanMatcher[];
  /** Named groups, in order of first appearance. */
  groups: string[];
}

/** Everything a scan worker needs, as plain data (it crosses the worker boundary). */
export interface ScanPlan {
  rules: PlanRule[];
  /** Scanner literals (lower-case ASCII). */
  literals: string[];
  /** Where each literal's scanning window starts (chosen from a sample of the input). */
  windowOffsets: number[];
  /** For each literal: the rule indexes it gates. */
  literalRules: number[][];
  /** Literal indexes that are error words (for unrecognised lines). */
  errorLiterals: number[];
  /** Rules without a usable literal: run over every chunk as full regexes. */
  fallbackRules: number[];
}

/** Rules that read logs: text rules whose scope (if any) includes `log`. */
export function logRules(rules: readonly CompiledRule[]): CompiledRule[] {
  return rules.filter((r) => r.kind === 'text' && r.matchers.length > 0 && (!r.spec.scope || r.spec.scope.includes('log')));
}

/** Builds the scan plan: per-rule literal gates plus the fallback list. */
export function buildScanPlan(rules: readonly CompiledRule[], sample?: GramSample): ScanPlan {
  const cost = sample ? (set: string[]) => sample.setCost(set) : undefined;
  const literals: string[] = [];
  const index = new Map<string, number>();
  const literalRules: number[][] = [];
  const fallbackRules: number[] = [];
  const lit = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) {
      i = literals.length;
      literals.push(s);
      literalRules.push([]);
      index.set(s, i);
    }
    return i;
  };
  const planRules: PlanRule[] = [];
  logRules(rules).forEach((r, ri) => {
    const groups: string[] = [];
    for (const m of r.matchers) for (const g of m.groups) if (!groups.includes(g)) groups.push(g);
    planRules.push({
      id: r.id,
      matchers: r.matchers.map((m) => ({ source: m.source, flags: m.flags.replace('g', '') })),
      suppressors: r.suppressors.map((m) => ({ source: m.source, flags: m.flags.replace('g', '') })),
      groups,
    });
    const sets = r.matchers.map((m) => extractLiterals(m.source, cost));
    const usable = sets.every((s) => s.literals && !s.hasBackref && s.literals.every((l) => l.length >= MIN_LITERAL));
    if (!usable) {
      fallbackRules.push(ri);
      return;
    }
    for (const s of sets) for (const l of s.literals!) {
      const li = lit(l);
      if (!literalRules[li]!.includes(ri)) literalRules[li]!.push(ri);
    }
  });
  const errorLiterals = ERROR_WORDS.map(lit);
  const windowOffsets = literals.map((l) => (sample && l.length > WINDOW ? sample.windowOffset(l, WINDOW) : defaultOffset(l.length)));
  return { rules: planRules, literals, windowOffsets, literalRules, errorLiterals, fallbackRules };
}
