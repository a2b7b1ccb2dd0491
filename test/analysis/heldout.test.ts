import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Case, FIELDS, scoreCase } from '../../src/dev/score-case.ts';
import { loadRules } from '../../src/rules/load-rules.ts';

// The held-out threads in test/fixtures/heldout (24) and heldout-blind (20, written later in three
// batches of 8, 6 and 6, each scored before any rule was changed for it) were written for this project, not taken from
// the development set, to measure how the judgement generalises. The floors are the lenient
// accuracies reached when they were last raised; a change that lowers one, or that calls a
// case resolved when it is not, fails here.
// One blind case (an open thread whose only answer is an unconfirmed setup diagnosis) is
// still missed on status: 43/44.
const FLOORS = { status: 0.97, owner: 1, category: 1 };

const rules = await loadRules({ checkSafety: false });
const load = (name: string) => {
  const dir = join(import.meta.dirname, '../fixtures', name);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ f, s: scoreCase(JSON.parse(readFileSync(join(dir, f), 'utf8')) as Case, f, rules) }));
};
const heldout = load('heldout');
const blind = load('heldout-blind');
const scores = [...heldout, ...blind];

describe('held-out cases', () => {
  it('has 24 held-out and 20 blind cases', () => {
    expect([heldout.length, blind.length]).toEqual([24, 20]);
  });

  it('never calls a case resolved when it is not', () => {
    expect(scores.filter(({ s }) => s.wrongResolved).map(({ f }) => f)).toEqual([]);
  });

  for (const field of FIELDS) {
    it(`keeps lenient ${field} accuracy at or above ${FLOORS[field]}`, () => {
      const ok = scores.filter(({ s }) => s.lenient[field]).length;
      expect(ok / scores.length).toBeGreaterThanOrEqual(FLOORS[field]);
    });
  }
});
