import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runLint } from '../cli/lint.ts';
import { loadClaimPatterns, type ClaimPattern } from '../verify/load-claims.ts';
import { lintComment } from './lint-comment.ts';

// COMMENT_STYLE rule 3, "cite or mark": a factual sentence carries an evidence link, or says
// it is a hypothesis. Why-answers are factual by position; claim patterns find the rest.

const fixtureFile = fileURLToPath(new URL('../../test/fixtures/lint/uncited-whys.md', import.meta.url));
const HEAD = ['**Status:** in-progress · **Owner:** application · medium confidence', 'The pool fix is open in [E2](https://x.test/2).', ''];
const NEXT = ['', '### Next', '', '- Application: merge the pool fix after review.', ''];
const facts = (body: string[], patterns: ClaimPattern[] = []) =>
  lintComment([...HEAD, ...body, ...NEXT].join('\n'), { claimPatterns: patterns }).filter((f) => f.rule === 'cite-facts');

let patterns: ClaimPattern[] = [];
beforeAll(async () => {
  patterns = await loadClaimPatterns();
});

describe('lint cite-facts', () => {
  it('fails a comment with two uncited whys, at their lines, and passes the marked hypothesis', () => {
    const found = lintComment(readFileSync(fixtureFile, 'utf8')).filter((f) => f.rule === 'cite-facts');
    expect(found).toEqual([
      { rule: 'cite-facts', line: 6, message: '"Why does startup fail? The database socket is missing." answers a why without evidence: cite it ([E1](…)) or mark it *hypothesis*' },
      { rule: 'cite-facts', line: 7, message: '"Why is the socket missing? The VPC connector was resized la…" answers a why without evidence: cite it ([E1](…)) or mark it *hypothesis*' },
    ]);
  });

  it('accepts cited whys', () => {
    expect(facts(['### Five Whys', '', '1. **Why does startup fail?** The socket is missing ([E3](https://x.test/3)).', '2. **Why?** Rule `x` infers it from E4.'])).toEqual([]);
  });

  it('flags an uncited claim the patterns recognise, and not a cited one', () => {
    expect(facts(['#1319 is merged and deployed.'], patterns).map((f) => f.message)).toEqual([
      '"#1319 is merged and deployed" states a fact (pr-commit) without evidence: cite it ([E1](…)) or mark it *hypothesis*',
    ]);
    expect(facts(['#1319 is merged ([E12](https://x.test/pull/1319)).'], patterns)).toEqual([]);
    expect(facts(['The root cause is the connector (hypothesis).'], patterns)).toEqual([]);
  });

  it('makes `progressor lint` exit 1 on the uncited whys', async () => {
    let out = '';
    const code = await runLint(fixtureFile, { format: 'text' }, { out: (t) => (out += t), err: () => {} });
    expect(code).toBe(1);
    expect(out.split('\n').filter((l) => l.includes('cite-facts'))).toHaveLength(2);
  });
});
