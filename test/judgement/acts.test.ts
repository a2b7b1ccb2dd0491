import { describe, expect, it } from 'vitest';
import { predictActs } from '../../src/judgement/act-model.ts';
import { keywordScores } from '../../src/judgement/keywords.ts';
import { compileFamilies, loadActDefs, loadFamilyDefs, loadJudgement } from '../../src/judgement/load-judgement.ts';

// Each act definition carries examples; the shipped act model must read each `match` example as
// that act more strongly than any `noMatch` example, and put it among its top two acts.
const j = loadJudgement();
const defs = loadActDefs();
const p = (text: string) => predictActs(j.acts, [{ text, kind: 'comment', role: 'maintainer' }])[0]!;

describe('act definitions and the shipped act model', () => {
  for (const d of defs) {
    describe(d.id, () => {
      const noMatchMax = Math.max(...d.examples.noMatch.map((t) => p(t)[`act:${d.id}`]!));
      d.examples.match.forEach((text, i) => {
        it(`reads match example ${i + 1} as ${d.id}`, () => {
          const probs = p(text);
          const mine = probs[`act:${d.id}`]!;
          const ranked = Object.entries(probs).filter(([h]) => h.startsWith('act:')).sort((a, b) => b[1] - a[1]).map(([h]) => h);
          expect(ranked.slice(0, 2)).toContain(`act:${d.id}`);
          expect(mine).toBeGreaterThan(noMatchMax);
        });
      });
    });
  }
});

describe('keyword families', () => {
  for (const def of loadFamilyDefs()) {
    const fam = compileFamilies([def]);
    it(`${def.category}: matches its examples and not its counter-examples`, () => {
      for (const t of def.examples.match) expect(keywordScores(fam, t, t).has(def.category)).toBe(true);
      for (const t of def.examples.noMatch) expect(keywordScores(fam, t, t).has(def.category)).toBe(false);
    });
  }
});
