import { describe, expect, it } from 'vitest';
import { matchText } from '../../src/rules/compile-rule.ts';
import { loadRules } from '../../src/rules/load-rules.ts';

// Rules test themselves (Semgrep annotations, ESLint RuleTester): every text rule's
// string examples must and must not match. Thread and probe rules are tested elsewhere.
const rules = (await loadRules({ checkSafety: false })).filter((r) => r.kind === 'text');

describe.each(rules.map((r) => [r.id, r] as const))('rule %s', (_id, rule) => {
  const match = rule.spec.examples.match.filter((x): x is string => typeof x === 'string');
  const noMatch = rule.spec.examples.noMatch.filter((x): x is string => typeof x === 'string');

  it.each(match)('matches %s', (example) => {
    expect(matchText(rule, example)).not.toEqual([]);
  });

  it.each(noMatch)('does not match %s', (example) => {
    expect(matchText(rule, example)).toEqual([]);
  });
});
