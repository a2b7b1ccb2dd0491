import { describe, expect, it } from 'vitest';
import { assertPushable, BranchName } from './branch-name.ts';

describe('BranchName', () => {
  it('round-trips progressor/issue-<N>-<session>', () => {
    const b = BranchName.forSession(7, 'progressor-session-20261201-100000-ab12', 'progressor-session-');
    expect(b.toString()).toBe('progressor/issue-7-20261201-100000-ab12');
    expect(BranchName.parse(b.toString())).toEqual(b);
    expect(BranchName.parse('main')).toBeUndefined();
    expect(BranchName.parse('progressor/issue-x-1')).toBeUndefined();
  });
});

describe('assertPushable', () => {
  const forbidden = ['main', 'master', 'release/*'];
  it('refuses the default, working and protected branches (exit 14)', () => {
    for (const b of ['main', 'master', 'release/2026.12']) {
      expect(() => assertPushable(b, forbidden)).toThrow(expect.objectContaining({ code: 'BRANCH_UNSAFE', message: `refused to push to ${b}: it is the working, default or a protected branch` }));
    }
  });
  it('refuses any branch that is not progressor\'s own', () => {
    expect(() => assertPushable('feature/x', forbidden)).toThrow(/not a progressor\/issue-<N>-<session> branch/);
  });
  it('allows progressor/issue-<N>-<session>', () => {
    expect(() => assertPushable('progressor/issue-7-20261201-100000-ab12', forbidden)).not.toThrow();
  });
});
