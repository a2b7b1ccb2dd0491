import { describe, expect, it } from 'vitest';
import { checkableFeature, plainText, splitComment } from './extract.ts';

describe('splitComment', () => {
  it('cuts list items, headings and sentences; skips code blocks, hidden comments and tables rules', () => {
    const md = [
      '## Status: 100% COMPLETE',
      '',
      'The fix is merged. The tests pass.',
      '',
      '```bash',
      'echo 15/16 tests passing',
      '```',
      '<!-- hidden 3 failures -->',
      '**Files delivered:**',
      '- `scripts/a.py` - monitor',
      '| check | state |',
      '|---|---|',
      '| 3 failed | 2 passed |',
    ].join('\n');
    const s = splitComment(md);
    expect(s.map((x) => [x.line, x.plain, x.context])).toEqual([
      [1, 'Status: 100% COMPLETE', ''],
      [3, 'The fix is merged.', 'Status: 100% COMPLETE'],
      [3, 'The tests pass.', 'Status: 100% COMPLETE'],
      [9, 'Files delivered:', 'Status: 100% COMPLETE'],
      [10, '`scripts/a.py` - monitor', 'Files delivered:'],
      [11, 'check · state', 'Files delivered:'],
      [13, '3 failed · 2 passed', 'Files delivered:'],
    ]);
    expect(s[3]!.leadIn).toBe(true);
  });

  it('starts a new statement at each bold label line', () => {
    const s = splitComment('**Status:** done\n**Impact:** $5K lost\nwrapped line\ncontinues here.');
    expect(s.map((x) => x.plain)).toEqual(['Status: done', 'Impact: $5K lost wrapped line continues here.']);
  });
});

describe('plainText and checkable sentences', () => {
  it('keeps the number of a linked PR and of a bare PR URL', () => {
    expect(plainText('As the [PR](https://github.com/o/r/pull/43) has been merged')).toBe('As the PR #43 has been merged');
    expect(plainText('Merged in https://github.com/o/r/pull/1581.')).toBe('Merged in #1581.');
  });

  it('lists sentences with PRs, paths, completion words or numbers, but not questions, ids or dates', () => {
    expect(checkableFeature({ plain: 'See #12 for details', heading: false })).toBe('names a PR or issue');
    expect(checkableFeature({ plain: 'Wrote docs/x.md', heading: false })).toBe('names a path');
    expect(checkableFeature({ plain: 'Deployment done', heading: false })).toBe('uses a completion word');
    expect(checkableFeature({ plain: 'Took 4 hours', heading: false })).toBe('states a number');
    expect(checkableFeature({ plain: 'Why did 3 runs fail?', heading: false })).toBeUndefined();
    expect(checkableFeature({ plain: 'Session `s-20261120-1700` on 2026-11-20', heading: false })).toBeUndefined();
  });
});
