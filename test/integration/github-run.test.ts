// `progressor run owner/repo#N` against the GitHub emulator: the fixture repository with a
// known bug, its bare remote linked to the emulated repository (so the PR's head branch must
// really have been pushed), the scripted agent; then a crash after the PR is opened.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubEmulator, type GitHubEmulator } from '../emulator/github-emulator.ts';
import { ISSUE, makeRunFixture } from '../e2e/run-fixture.ts';
import { emulatorEnv, runCli } from './helpers/github-env.ts';

const TOKEN = 'ghp_runTestToken000000000000000000000';
let em: GitHubEmulator;
beforeAll(async () => {
  em = await startGitHubEmulator();
  em.addToken(TOKEN, 'progressor-bot[bot]');
});
afterAll(() => em.close());

describe('progressor run on GitHub (emulator)', () => {
  it('opens one draft PR from the pushed branch, keeps one status comment, survives a crash after the PR, and a second run writes nothing', async () => {
    const repo = 'acme/cart';
    em.seedIssue(repo, { number: 7, title: ISSUE.title, body: ISSUE.body, author: 'reporter', labels: ['bug'], comments: [{ author: 'maintainer', authorAssociation: 'MEMBER', body: 'Confirmed on main.' }] });
    const f = makeRunFixture();
    em.linkGitRemote(repo, f.remote);
    const env = { ...emulatorEnv(em, TOKEN), ...f.env, PATH: f.env.PATH };
    const args = ['run', `${repo}#7`, '--apply', '--format', 'json', '--config', `${f.forge}/.github/progressor.yml`];

    const crashed = await runCli(args, { ...env, PROGRESSOR_FAILPOINTS: 'pr-created' }, 'main');
    expect(crashed.code).toBe(null); // SIGKILL
    const pullsAfterCrash = em.pulls(repo);
    expect(pullsAfterCrash).toHaveLength(1);

    const r = await runCli(args, env, 'main');
    expect(r.stderr).toContain('step 9 pr: redo (was in flight)');
    expect(r.code).toBe(0);
    const pulls = em.pulls(repo);
    expect(pulls).toHaveLength(1);
    expect(pulls[0]).toMatchObject({ draft: true, base: 'main', state: 'OPEN', author: 'progressor-bot[bot]' });
    expect(pulls[0]!.head).toMatch(/^progressor\/issue-7-/);
    expect(pulls[0]!.body).toContain('Closes #7');
    expect(pulls[0]!.body).toContain('failed before the fix');
    expect(JSON.parse(r.stdout)).toMatchObject({ state: 'done', pr: { number: pulls[0]!.number } });
    expect(JSON.parse(r.stdout).steps[9].summary).toMatch(/^found draft PR #\d+ against main; claim released$/);

    const issue = em.issue(repo, 7)!;
    const mine = issue.comments.filter((c) => c.author === 'progressor-bot[bot]');
    expect(mine).toHaveLength(1);
    expect(mine[0]!.body).toContain('#### 9\\. Pull request: done');
    expect(issue.labels).not.toContain('actively-being-worked-on');

    em.setPullChecks(repo, pulls[0]!.number, 'SUCCESS');
    const writes = em.requests.filter((q) => q.write).length;
    const again = await runCli(args, env, 'main');
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/nothing to do: run \S+ opened draft PR #\d+, still open \(https:\/\/github\.com\/acme\/cart\/pull\/\d+; checks: SUCCESS\)/);
    expect(em.requests.filter((q) => q.write).length).toBe(writes);
  }, 90_000);

  it('the emulator refuses a PR whose head branch was never pushed (422), as GitHub does', async () => {
    const repo = 'acme/unpushed';
    em.seedIssue(repo, { number: 1, title: 't', body: 'b' });
    const f = makeRunFixture();
    em.linkGitRemote(repo, f.remote);
    const res = await fetch(`${em.url}/repos/${repo}/pulls`, {
      method: 'POST',
      headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ head: 'progressor/issue-1-x', base: 'main', title: 't', draft: true }),
    });
    expect(res.status).toBe(422);
    const branch = await fetch(`${em.url}/repos/${repo}/branches/main`, { headers: { authorization: `token ${TOKEN}` } });
    expect(branch.status).toBe(200);
    expect(((await branch.json()) as { commit: { sha: string } }).commit.sha).toMatch(/^[0-9a-f]{40}$/);
  });
});
