// One Forge contract, every forge (STYLE §8.9).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimIssue, releaseClaim, heartbeatClaim, readClaimState } from '../../src/actions/claim.ts';
import { DEFAULT_CLAIM_LABEL, STATUS_MARKER_PREFIX } from '../../src/domain/constants.ts';
import { findStatusComment, isSameLogin, upsertStatusComment } from '../../src/forge/status-comment.ts';
import { forgeFactories, type ForgeHarness, type SeedSpec } from './forge-factories.ts';

const base = (n: number, over: Partial<SeedSpec> = {}): SeedSpec => ({
  number: n,
  title: `Staging won't start #${n}`,
  body: 'psycopg2.OperationalError: could not connect to server',
  author: 'reporter',
  labels: ['bug', 'p0'],
  comments: [
    { author: 'maintainer', body: 'Looking at the DB socket.', authorAssociation: 'MEMBER' },
    { author: 'reporter', body: 'Still failing.', authorAssociation: 'NONE' },
  ],
  pulls: [
    { number: 41, title: 'Raise timeout', state: 'MERGED', mergedAt: '2026-11-21T09:00:00Z', checks: 'SUCCESS' },
    { number: 42, title: 'Fix socket path', state: 'OPEN', mergedAt: null, checks: 'FAILURE' },
  ],
  ...over,
});
const marker = (s: string) => `${STATUS_MARKER_PREFIX} {"v":1,"issue":1,"session":"${s}","status":"in-progress","owner":"unknown","category":"unknown","auditHash":"h"} -->`;

for (const [name, makeHarness] of forgeFactories) {
  describe(`Forge contract: ${name}`, () => {
    let h: ForgeHarness;
    beforeEach(async () => {
      h = await makeHarness();
    });
    afterEach(async () => {
      await h.close();
    });

    it('reads the issue, its comments with author association, and linked PRs with checks', async () => {
      const ref = await h.seed(base(1));
      const issue = await h.forge.getIssue(ref);
      expect(issue).toMatchObject({ number: 1, title: "Staging won't start #1", state: 'OPEN', author: 'reporter' });
      expect(issue.body).toContain('OperationalError');
      expect(issue.labels.sort()).toEqual(['bug', 'p0']);
      expect(issue.comments.map((c) => [c.author, c.authorAssociation, c.body])).toEqual([
        ['maintainer', 'MEMBER', 'Looking at the DB socket.'],
        ['reporter', 'NONE', 'Still failing.'],
      ]);
      expect(issue.comments.every((c) => typeof c.id === 'string' && c.url)).toBe(true);
      expect(issue.linkedPullRequests.map((p) => [p.number, p.state, p.mergedAt, p.checks])).toEqual([
        [41, 'MERGED', '2026-11-21T09:00:00Z', 'SUCCESS'],
        [42, 'OPEN', null, 'FAILURE'],
      ]);
    });

    it('creates a comment as the bot and edits it in place', async () => {
      const ref = await h.seed(base(2));
      const id = await h.forge.createComment(ref, `first\n${marker('s1')}`);
      await h.forge.updateComment(ref, id, `second\n${marker('s1')}`);
      const issue = await h.forge.getIssue(ref);
      expect(issue.comments).toHaveLength(3);
      const mine = issue.comments.find((c) => c.id === id)!;
      // Spelt exactly as botLogin() spells it (GitHub's GraphQL drops "[bot]"; the forge restores it).
      expect(mine.author).toBe(await h.forge.botLogin());
      expect(isSameLogin(mine.author, h.botLogin)).toBe(true);
      expect(mine.body).toBe(`second\n${marker('s1')}`);
    });

    it('finds the status comment by marker and bot login across all pages, not the last comment', async () => {
      const comments: SeedSpec['comments'] = Array.from({ length: 130 }, (_, i) => ({ author: `user${i}`, body: `comment ${i}` }));
      // A human quoting the marker is not the status comment.
      comments.splice(3, 0, { author: 'mallory', body: `copy: ${marker('fake')}` });
      const ref = await h.seed(base(3, { comments }));
      const login = await h.forge.botLogin();
      const first = await upsertStatusComment(h.forge, ref, `v1\n${marker('s')}`);
      expect(first.action).toBe('created');
      await h.forge.createComment(ref, 'a later, unrelated bot comment');
      for (let i = 0; i < 3; i++) await h.forge.createComment(ref, `more noise ${i}`);
      const second = await upsertStatusComment(h.forge, ref, `v2\n${marker('s')}`);
      expect(second).toEqual({ action: 'updated', commentId: first.commentId });
      const third = await upsertStatusComment(h.forge, ref, `v2\n${marker('s')}`);
      expect(third).toEqual({ action: 'unchanged', commentId: first.commentId });
      const issue = await h.forge.getIssue(ref);
      expect(issue.comments.length).toBe(131 + 5);
      expect(issue.comments.filter((c) => c.body.includes(STATUS_MARKER_PREFIX) && isSameLogin(c.author, login))).toHaveLength(1);
      expect(findStatusComment(issue.comments, login)?.body).toBe(`v2\n${marker('s')}`);
    });

    it('adds labels idempotently, removes absent labels without error, and records label events in order', async () => {
      const ref = await h.seed(base(4));
      await h.forge.addLabels(ref, ['triaged', 'p0']);
      await h.forge.addLabels(ref, ['triaged']);
      await h.forge.removeLabel(ref, 'bug');
      await h.forge.removeLabel(ref, 'never-there');
      expect((await h.forge.getIssue(ref)).labels.sort()).toEqual(['p0', 'triaged']);
      const events = (await h.forge.listLabelEvents(ref)).map((e) => `${e.action}:${e.label}`);
      expect(events.slice(-2)).toEqual(['labeled:triaged', 'unlabeled:bug']);
    });

    it('opens a draft pull request once and finds it again by its head branch', async () => {
      const ref = await h.seed(base(5, { pulls: [] }));
      expect(await h.forge.findPullRequest(ref, 'progressor/issue-5-20261201-100000-ab12')).toBeUndefined();
      const pr = await h.forge.createPullRequest(ref, {
        head: 'progressor/issue-5-20261201-100000-ab12',
        base: 'main',
        title: '[fix] Add instead of subtract in sum() - reproduction test passes',
        body: 'Closes #5',
        draft: true,
      });
      expect(pr).toMatchObject({ state: 'OPEN', draft: true, head: 'progressor/issue-5-20261201-100000-ab12', base: 'main', body: 'Closes #5' });
      expect(pr.number).toBeGreaterThan(5);
      expect(pr.url).toMatch(new RegExp(`/pull/${pr.number}$`));
      expect(await h.forge.findPullRequest(ref, 'progressor/issue-5-20261201-100000-ab12')).toEqual(pr);
      expect(await h.forge.findPullRequest(ref, 'other')).toBeUndefined();
    });

    it('closes with a state reason and reopens', async () => {
      const ref = await h.seed(base(5));
      await h.forge.setState(ref, 'CLOSED', 'not_planned');
      let issue = await h.forge.getIssue(ref);
      expect([issue.state, issue.stateReason]).toEqual(['CLOSED', 'NOT_PLANNED']);
      await h.forge.setState(ref, 'OPEN');
      issue = await h.forge.getIssue(ref);
      expect(issue.state).toBe('OPEN');
    });

    it('lists open issues only', async () => {
      await h.seed(base(6));
      const r7 = await h.seed(base(7, { labels: [] }));
      await h.forge.setState(r7, 'CLOSED', 'completed');
      const list = await h.forge.listIssues(h.location);
      expect(list.map((i) => i.ref.number)).toEqual([6]);
      expect(list[0]!.labels.sort()).toEqual(['bug', 'p0']);
    });

    it('claims: first session wins, a second is refused, release clears, heartbeat extends', async () => {
      const ref = await h.seed(base(8, { labels: [] }));
      const now = new Date();
      const a = await claimIssue(h.forge, ref, { session: 'progressor-session-20261120-100000-aaaa', now: () => now });
      expect(a.won).toBe(true);
      const b = await claimIssue(h.forge, ref, { session: 'progressor-session-20261120-100001-bbbb', now: () => now });
      expect(b).toMatchObject({ won: false, reason: 'held', holder: 'progressor-session-20261120-100000-aaaa' });
      expect((await h.forge.getIssue(ref)).labels.sort()).toEqual([DEFAULT_CLAIM_LABEL, 'progressor-session-20261120-100000-aaaa']);
      const hb = await heartbeatClaim(h.forge, ref, 'progressor-session-20261120-100000-aaaa', { now: () => new Date(now.getTime() + 15 * 60_000) });
      expect(Date.parse(hb.expiresAt)).toBe(now.getTime() + 35 * 60_000);
      // 30 minutes later the lease lives on thanks to the heartbeat.
      const later = await readClaimState(h.forge, ref, { now: () => new Date(now.getTime() + 30 * 60_000) });
      expect(later.holder?.session).toBe('progressor-session-20261120-100000-aaaa');
      await releaseClaim(h.forge, ref, 'progressor-session-20261120-100000-aaaa');
      expect((await h.forge.getIssue(ref)).labels).toEqual([]);
    });

    it('reclaims an expired lease and prunes the stale session label', async () => {
      const ref = await h.seed(base(9, { labels: [] }));
      const now = Date.now();
      await claimIssue(h.forge, ref, { session: 'progressor-session-20261120-100000-dead', now: () => new Date(now) });
      const c = await claimIssue(h.forge, ref, {
        session: 'progressor-session-20261120-103000-cccc',
        now: () => new Date(now + 21 * 60_000),
      });
      expect(c).toMatchObject({ won: true, pruned: ['progressor-session-20261120-100000-dead'] });
      expect((await h.forge.getIssue(ref)).labels.sort()).toEqual([DEFAULT_CLAIM_LABEL, 'progressor-session-20261120-103000-cccc']);
    });
  });
}
