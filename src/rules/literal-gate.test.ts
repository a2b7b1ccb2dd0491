import { describe, expect, it } from 'vitest';
import { compileRule, matchText } from './compile-rule.ts';
import { LiteralGate } from './literal-gate.ts';
import { loadRules } from './load-rules.ts';
import { matchTextRules } from './match-evidence.ts';
import { mayMatch } from './rule-literals.ts';
import type { EvidenceItem } from '../domain/types.ts';

const all = await loadRules({ checkSafety: false });
const rules = all.filter((r) => r.kind === 'text');

describe('literal gate', () => {
  it('lets through every rule that matches any built-in example, and skips rules on plain text', () => {
    const gate = new LiteralGate(rules);
    const texts = rules
      .flatMap((r) => [...(r.spec.examples?.match ?? []), ...(r.spec.examples?.noMatch ?? [])])
      .filter((t): t is string => typeof t === 'string');
    let skipped = 0;
    for (const text of texts) {
      const c = gate.candidates(text);
      rules.forEach((r, ri) => {
        if (matchText(r, text).length > 0) expect([r.id, text, c[ri]]).toEqual([r.id, text, 1]);
        else if (c[ri] === 0) skipped++;
      });
    }
    expect(skipped).toBeGreaterThan(texts.length * rules.length * 0.9);
    expect([...gate.candidates('GET /api/users 200 in 12 ms')].filter((x) => x === 1).length).toBeLessThan(rules.length / 4);
  });

  it('finds literals longer than the scanner window at the very start of a text', () => {
    const rule = all.find((r) => r.id === 'cause-found-works-now')!;
    const text = 'Was caused by the proxy rule on the gateway, works now.';
    expect(new LiteralGate([rule]).candidates(text)[0]).toBe(1);
    expect(new LiteralGate([rule]).candidates(`x\n${text}`)[0]).toBe(1);
  });

  it('never gates a rule whose regex folds case beyond ASCII (u flag)', () => {
    const base = rules[0]!.spec;
    const spec = { ...base, id: 'kelvin', match: [{ regex: 'temperature 5k', flags: 'iu' }], notMatch: [] };
    const rule = compileRule(spec, 'kelvin.yaml', false);
    const text = 'temperature 5\u212a'; // KELVIN SIGN folds to k under /iu
    expect(matchText(rule, text)).toHaveLength(1);
    expect(new LiteralGate([rule]).candidates(text)[0]).toBe(1);
    const item = { id: 'comment-1', key: 'c1', kind: 'comment', text } as unknown as EvidenceItem;
    expect(matchTextRules([item], [rule]).map((s) => [s.rule, s.count])).toEqual([['kelvin', 1]]);
  });
});

describe('per-rule literal prefilter (matchText)', () => {
  it('never rules out a text that one of the rule\'s regexes matches (every built-in rule, every example)', () => {
    const texts = all.flatMap((r) =>
      [...(r.spec.examples?.match ?? []), ...(r.spec.examples?.noMatch ?? [])].flatMap((e) =>
        typeof e === 'string' ? [e] : [e.body, ...e.comments.map((c) => c.body), ...e.prs.map((p) => p.title)],
      ),
    );
    let ruledOut = 0;
    for (const rule of all) {
      const regexes = rule.matchers.map((m) => new RegExp(m.source, m.flags.replace('g', '')));
      for (const text of texts) {
        const hit = regexes.some((re) => re.test(text));
        if (hit) expect([rule.id, text, mayMatch(rule, text)]).toEqual([rule.id, text, true]);
        else if (!mayMatch(rule, text)) ruledOut++;
      }
    }
    expect(ruledOut).toBeGreaterThan(all.length * texts.length * 0.5);
  });
});
