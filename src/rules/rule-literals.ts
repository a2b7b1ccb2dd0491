import { extractLiterals, MIN_LITERAL } from '../scan/literals.ts';
import type { CompiledRule } from './compile-rule.ts';

// A per-rule literal prefilter for code that runs one rule over one text (test-report
// failures, thread statements, repository summaries): a rule's regexes can match only text
// holding one of their required literals (literals.ts), which `includes` on the lower-cased
// text finds far faster than the regexes fail. Rules with a `u` flag (case folding wider
// than ASCII) or without usable literals always run.

const bySource = new WeakMap<CompiledRule, readonly string[] | null>();

/** The literals one of which every match of the rule contains; null when none are known. */
export function ruleLiterals(rule: CompiledRule): readonly string[] | null {
  let lits = bySource.get(rule);
  if (lits === undefined) {
    const all = new Set<string>();
    let usable = rule.matchers.length > 0;
    for (const m of rule.matchers) {
      const x = m.flags.includes('u') ? undefined : extractLiterals(m.source);
      if (!x?.literals || x.hasBackref || x.literals.some((l) => l.length < MIN_LITERAL)) {
        usable = false;
        break;
      }
      for (const l of x.literals) all.add(l);
    }
    lits = usable ? [...all] : null;
    bySource.set(rule, lits);
  }
  return lits;
}

// Lower-cased texts, so many rules over one text lower it once (bounded; cleared when full).
const lowered = new Map<string, string>();
const MAX_LOWERED = 4_096;

function lower(text: string): string {
  let l = lowered.get(text);
  if (l === undefined) {
    if (lowered.size >= MAX_LOWERED) lowered.clear();
    l = text.toLowerCase();
    lowered.set(text, l);
  }
  return l;
}

/** False only when the rule cannot match the text (no required literal in it). */
export function mayMatch(rule: CompiledRule, text: string): boolean {
  const lits = ruleLiterals(rule);
  if (!lits) return true;
  const l = lower(text);
  for (const lit of lits) if (l.includes(lit)) return true;
  return false;
}
