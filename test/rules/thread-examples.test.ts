import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/rules/load-rules.ts';
import { exampleToItems, matchThreadRules } from '../../src/rules/thread-detectors.ts';

// Thread rules test themselves (STYLE §6): each match example fires the rule, each
// noMatch example does not.
const rules = (await loadRules({ checkSafety: false })).filter((r) => r.kind === 'thread');

describe('thread rules', () => {
  it('exist', () => {
    expect(rules.length).toBeGreaterThanOrEqual(10);
  });
  for (const rule of rules) {
    describe(rule.id, () => {
      rule.spec.examples.match.forEach((ex, i) => {
        it(`fires on match example ${i + 1}`, () => {
          const fired = matchThreadRules(exampleToItems(ex, rule), [rule]);
          expect(fired.map((s) => s.rule)).toEqual([rule.id]);
        });
      });
      rule.spec.examples.noMatch.forEach((ex, i) => {
        it(`stays silent on noMatch example ${i + 1}`, () => {
          expect(matchThreadRules(exampleToItems(ex, rule), [rule])).toEqual([]);
        });
      });
    });
  }
});
