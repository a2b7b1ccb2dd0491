import { describe, expect, it } from 'vitest';
import { predictActs, trainActModel, type LabelledStatement } from '../../src/judgement/act-model.ts';
import { foldOf } from '../../src/judgement/fit.ts';
import { encodeJudgement } from '../../src/judgement/load-judgement.ts';
import { trainChoice, scoreChoices, softmax } from '../../src/judgement/logistic.ts';
import { normaliseText, statementFeatures } from '../../src/judgement/text-features.ts';
import { trainNb } from '../../src/judgement/naive-bayes.ts';

// Small statements written for this test: the learners are deterministic, learn what the labels
// say, and the shipped encoding is byte-identical for the same data.
const say = (text: string, act: string, i: number): LabelledStatement => ({
  repo: `t/r${i % 3}`,
  source: `t#${i}`,
  input: { text, kind: 'comment', role: 'maintainer' },
  acts: [{ act }],
});
const DATA: LabelledStatement[] = [
  ...['Fixed in the latest release.', 'We released the fix today.', 'The fix is released in 2.1.', 'Released a fix, closing.'].map((t, i) => say(t, 'fix-shipped', i)),
  ...['Could you share the logs?', 'Please share the full logs.', 'Can you share your config and logs?', 'Share the logs please.'].map((t, i) => say(t, 'request-details', i + 10)),
];
const ACTS = ['fix-shipped', 'request-details'];

describe('act model training', () => {
  it('learns which words mean which act', () => {
    const m = trainActModel(DATA, ACTS, { minDf: 2 });
    const [fix, ask] = predictActs(m, [
      { text: 'The fix is released.', kind: 'comment', role: 'maintainer' },
      { text: 'Could you share the logs?', kind: 'comment', role: 'maintainer' },
    ]);
    expect(fix!['act:fix-shipped']!).toBeGreaterThan(0.5);
    expect(fix!['act:request-details']!).toBeLessThan(0.5);
    expect(ask!['act:request-details']!).toBeGreaterThan(0.5);
  });

  it('gives the same bytes for the same data', () => {
    const enc = () => {
      const acts = trainActModel(DATA, ACTS, { minDf: 2 });
      const nb = trainNb([{ text: 'redis refused', classes: ['redis-connection'] }, { text: 'redis down', classes: ['redis-connection'] }], ['redis-connection', 'unknown']);
      return encodeJudgement({ acts, nb, families: [], weights: { status: new Map([['open@in-progress', 0.5]]), owner: new Map(), category: new Map() }, ownerGivenCategory: new Map() });
    };
    expect(enc()).toBe(enc());
  });
});

describe('conditional logit', () => {
  it('fits the accepted class and counts alternates as right', () => {
    const ex = (a: number, accept: string[]) => ({
      classes: new Map([
        ['x', new Map([['cf:a', a]])],
        ['y', new Map([['cf:a', 1 - a], ['bias@y', 1]])],
      ]),
      accept: new Set(accept),
    });
    const w = trainChoice([ex(1, ['x']), ex(0.9, ['x']), ex(0, ['y']), ex(0.1, ['y', 'x'])], { l2: 0.01 });
    expect(softmax(scoreChoices(ex(1, []).classes, w)).get('x')!).toBeGreaterThan(0.5);
    expect(softmax(scoreChoices(ex(0, []).classes, w)).get('y')!).toBeGreaterThan(0.5);
  });

  it('pulls weights towards their priors where the data says nothing', () => {
    const w = trainChoice([], { priors: new Map([['open@in-progress', 0.8]]) });
    expect(w.get('open@in-progress')).toBe(0.8);
  });
});

describe('text features', () => {
  it('turns code, links, versions and numbers into placeholder words', () => {
    expect(normaliseText('See https://github.com/o/r/commit/0123abc4 and ```\nstack\n``` in v2.3.1 (#12)')).toBe(
      'see  commitref  and  codeblock  in  version  ( prref )',
    );
  });
  it("names the author's role, the statement kind and the rules that matched", () => {
    const f = statementFeatures({ text: 'Fixed now.', kind: 'comment', role: 'maintainer', rules: ['x-rule'], last: true });
    expect(f).toEqual(expect.arrayContaining(['w:fix', 'w:now', 'b:fix_now', 'role:maintainer', 'kind:comment', 'pos:last', 'rule:x-rule', 'len:short']));
  });
});

describe('folds', () => {
  it('puts a repository in the same fold whatever its case', () => {
    expect(foldOf('Acme/Widgets', 5)).toBe(foldOf('acme/widgets', 5));
    expect(new Set(['a/b', 'c/d', 'e/f', 'g/h', 'i/j', 'k/l', 'm/n'].map((r) => foldOf(r, 5))).size).toBeGreaterThan(2);
  });
});
