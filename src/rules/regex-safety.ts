import { checkSync } from 'recheck';
import { ProgressorError } from '../errors/errors.ts';
import type { CompiledRule } from './compile-rule.ts';

/**
 * Rejects user regexes with catastrophic (exponential or polynomial) backtracking, so a
 * user rule cannot hang an audit. Built-in rules are checked once by the catalogue test.
 * @throws ProgressorError RULE_INVALID naming the file, the regex and an attack string.
 */
export function assertRegexSafe(rule: CompiledRule): void {
  for (const [i, m] of [...rule.matchers, ...rule.suppressors].entries()) {
    const res = checkSync(m.source, m.flags.replace('g', ''), { timeout: 5_000 });
    if (res.status === 'vulnerable') {
      const where = i < rule.matchers.length ? `match[${i}].regex` : `notMatch[${i - rule.matchers.length}].regex`;
      throw new ProgressorError(
        'RULE_INVALID',
        `${where}: regex has ${res.complexity.type} backtracking (catastrophic on input like ${JSON.stringify(res.attack.string.slice(0, 40))})`,
        {
          file: rule.file,
          path: where,
          hint: 'Remove nested or overlapping quantifiers such as (a+)+ or (\\w+\\s?)*; prefer [^x]* character classes.',
        },
      );
    }
  }
}
