import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFixtures, scoreFixture } from '../../src/dev/score-verify.ts';

// Real status comments (agents' and people's), quoted verbatim from public threads with their
// source, each with the verdict a careful reader expects per claim (written before verify ran
// on them; the first run is recorded in test/fixtures/verify/FIRST_RUN.txt).

const DIR = resolve(import.meta.dirname, '../fixtures/verify');
const fixtures = await loadFixtures(DIR);

describe('verify on real status comments', () => {
  it('has at least 10 fixtures, each naming its public source', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(10);
    for (const [name, f] of fixtures) expect(f.source, name).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/(?:issues|pull)\/\d+$/);
  });

  it.each(fixtures)('%s: every expected claim is found with its kind and verdict', async (name, f) => {
    const { scores, report } = await scoreFixture(name, f);
    const wrong = scores.filter((s) => !s.verdictAgrees || !s.kindAgrees).map((s) => `${s.quote}: want ${s.expected.kind ?? '*'}/${s.expected.verdict}, got ${s.got ? `${s.got.kind}/${s.got.verdict}` : 'nothing'}`);
    expect(wrong).toEqual([]);
    for (const c of report.claims) if (c.verdict !== 'unverifiable') expect(c.evidence.length, c.span).toBeGreaterThan(0);
  });
});
