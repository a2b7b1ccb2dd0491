// `progressor run` end to end: the real CLI, a real git repository with a known bug and a
// bare remote, the local forge, a SQLite store, the scripted agent (test/agents).
import { readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { join } from 'node:path';
import { cli, copyExample } from './cli.ts';
import { describe, expect, it } from 'vitest';
import { makeRunFixture } from './run-fixture.ts';
import { agentCalls, botComments, branchCommits, progressorBranches, run, runsJson } from './run-helpers.ts';

describe('progressor run with the scripted agent', () => {
  it('ends with a draft PR citing the failing-then-passing test, one comment with a section per step, store rows for every step; a second run writes nothing', () => {
    const f = makeRunFixture();
    const r = run(f);
    expect(r.stderr).toContain('done: draft PR #8');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { state: string; steps: { step: number; state: string }[]; pr: { number: number }; totals: { tokens: number } };
    expect(report.state).toBe('done');
    expect(report.steps.map((s) => s.state)).toEqual(['done', 'done', 'done', 'done', 'done', 'done', 'done', 'done', 'skipped', 'done']);
    expect(report.totals.tokens).toBe(3600);

    const [pr, ...more] = f.pulls();
    expect(more).toEqual([]);
    expect(pr).toMatchObject({ number: 8, isDraft: true, baseRefName: 'main', state: 'OPEN' });
    expect(pr!.headRefName).toMatch(/^progressor\/issue-7-\d{8}-\d{6}-[0-9a-f]{4}$/);
    expect(pr!.title).toBe('[fix] Use addition in sum() - reproduction test now passes');
    expect(pr!.body).toContain('Closes #7');
    expect(pr!.body).toContain('- `src/sum.js`');
    expect(pr!.body).toContain('- [x] reproduction `test/repro-sum.test.js` failed before the fix: `0 passed, 1 failed, 0 skipped (exit 1)`');
    expect(pr!.body).toContain('- [x] reproduction passes after the fix: `1 passed, 0 failed, 0 skipped (exit 0)`');
    expect(pr!.body).toContain('- [x] `node --test`: `2 passed, 0 failed, 0 skipped (exit 0)`');

    expect(progressorBranches(f)).toEqual([pr!.headRefName]);
    expect(branchCommits(f, pr!.headRefName)).toEqual(['fix: use addition in sum() (#7)', 'test: reproduce #7']);

    const comments = botComments(f);
    expect(comments).toHaveLength(1);
    const body = comments[0]!.body;
    for (const h of ['0\\. Claim: done', '1\\. Audit: done', '2\\. Decide: done', '3\\. Plan tests: done', '4\\. Run tests: done', '5\\. Plan remediation: done', '6\\. Apply remediation: done', '7\\. Prove: done', '8\\. Deploy to staging: skipped', '9\\. Pull request: done']) {
      expect(body).toContain(`#### ${h}`);
    }
    expect(body).toContain('draft PR [\\#8](https://github.com/acme/cart/pull/8)');
    expect(body.indexOf('### Run')).toBeLessThan(body.indexOf('### Next'));
    // The comment with its run sections still follows COMMENT_STYLE.
    writeFileSync(join(f.dir, 'comment.md'), body);
    expect(cli(['lint', join(f.dir, 'comment.md')], { env: f.env })).toMatchObject({ code: 0, stdout: '' });
    // The claim is released; the session label is gone.
    expect(f.labels()).toEqual(['bug', 'in-progress']);

    const runs = runsJson(f).runs;
    expect(runs).toHaveLength(1);
    expect(runs[0]!.state).toBe('done');
    expect(runs[0]!.steps.map((s) => [s.step, s.name, s.state, s.tokens])).toEqual([
      [0, 'claim', 'done', 0],
      [1, 'audit', 'done', 0],
      [2, 'decide', 'done', 0],
      [3, 'plan-tests', 'done', 1200],
      [4, 'run-tests', 'done', 0],
      [5, 'plan-remediation', 'done', 1200],
      [6, 'apply', 'done', 1200],
      [7, 'prove', 'done', 0],
      [8, 'deploy', 'skipped', 0],
      [9, 'pr', 'done', 0],
    ]);

    const before = { issue: readFileSync(f.issueFile, 'utf8'), pulls: JSON.stringify(f.pulls()), branches: f.remoteBranches(), calls: agentCalls(f).length };
    const again = run(f);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/nothing to do: run \S+ opened draft PR #8, still open/);
    expect(readFileSync(f.issueFile, 'utf8')).toBe(before.issue);
    expect(JSON.stringify(f.pulls())).toBe(before.pulls);
    expect(f.remoteBranches()).toEqual(before.branches);
    expect(agentCalls(f)).toHaveLength(before.calls);
    expect(runsJson(f).runs).toHaveLength(1);
  }, 60_000);

  it('--agent none runs steps 0–2, 4 and 7 and reports 3, 5 and 6 as skipped', () => {
    const f = makeRunFixture();
    const r = run(f, ['--agent', 'none']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { steps: { step: number; state: string; summary: string }[] };
    expect(report.steps.map((s) => `${s.step}:${s.state}`)).toEqual(['0:done', '1:done', '2:done', '3:skipped', '4:done', '5:skipped', '6:skipped', '7:done', '8:skipped', '9:skipped']);
    expect(report.steps[3]!.summary).toBe('skipped: no agent (agent: none)');
    expect(report.steps[4]!.summary).toBe('tests 1 passed, 0 failed, 0 skipped (exit 0)');
    expect(report.steps[7]!.summary).toBe("proven by progressor's own run: tests 1 passed, 0 failed, 0 skipped (exit 0)");
    expect(report.steps[9]!.summary).toBe('skipped: no change to propose (no fix was committed); claim released');
    expect(agentCalls(f)).toEqual([]);
    expect(f.pulls()).toEqual([]);
    expect(progressorBranches(f)).toEqual([]);
  }, 60_000);

  it('without --apply prints the plan of each step and writes nothing', () => {
    const f = makeRunFixture();
    const before = readFileSync(f.issueFile, 'utf8');
    const r = cli(['run', f.forge, '--format', 'text'], { env: f.env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('planned: dry run: nothing written (run with --apply to write)');
    expect(r.stdout).toMatch(/^3 plan-tests {7}planned {3}ask agent command for reproduction tests, commit them on progressor\/issue-7-/m);
    expect(r.stdout).toMatch(/^9 pr {15}planned {3}push progressor\/issue-7-\S+ to origin and open a draft PR against main with "Closes #7"; release the claim$/m);
    expect(readFileSync(f.issueFile, 'utf8')).toBe(before);
    expect(agentCalls(f)).toEqual([]);
    expect(cli(['runs'], { env: f.env }).stdout.trim()).toBe('no runs recorded');
  }, 60_000);
});


describe('progressor run on the bundled example (offline, local forge)', () => {
  it('escalates at the status decision and stops; a second run on the unchanged issue writes nothing', () => {
    const dir = copyExample();
    const env = { PROGRESSOR_STORE: join(dir, 'state/progressor.db'), DATABASE_URL: '', HOME: dir };
    const r = cli(['run', dir, '--apply', '--format', 'json'], { env });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { state: string; steps: { state: string; summary: string }[] };
    expect(report.state).toBe('stopped');
    expect(report.steps[2]!.summary).toBe('blocked on infrastructure: escalated, claim released; no re-audit until a new signal');
    expect(report.steps.slice(3).map((s) => s.state)).toEqual(['pending', 'pending', 'pending', 'pending', 'pending', 'pending', 'pending']);
    const file = join(dir, 'issues/1312.json');
    const after = readFileSync(file, 'utf8');
    expect((JSON.parse(after) as { labels: { name: string }[] }).labels.map((l) => l.name)).toEqual(['bug', 'p1', 'staging', 'blocked', 'infrastructure', 'escalated-platform']);
    const again = cli(['run', dir, '--apply'], { env });
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/nothing to do: run \S+ stopped at the status decision \(escalate\) and the audit is unchanged since/);
    expect(readFileSync(file, 'utf8')).toBe(after);
  }, 60_000);
});

describe('progressor run with the PostgreSQL store', () => {
  it('DATABASE_URL selects PostgreSQL (schema from PROGRESSOR_STORE_SCHEMA): the same run, resumed after a crash, rows for every step', async () => {
    const schema = `progressor_run_${process.pid}_${randomBytes(4).toString('hex')}`;
    const url = 'postgres://postgres@127.0.0.1:5432/test';
    const f = makeRunFixture();
    const env = { DATABASE_URL: url, PROGRESSOR_STORE_SCHEMA: schema, PROGRESSOR_STORE: '' };
    try {
      const crashed = cli(['run', f.forge, '--apply', '--format', 'json'], { env: { ...f.env, ...env, PROGRESSOR_FAILPOINTS: 'fix-committed' } });
      expect(crashed.code).toBe(-1);
      const r = cli(['run', f.forge, '--apply', '--format', 'json'], { env: { ...f.env, ...env } });
      expect(r.code).toBe(0);
      const listed = JSON.parse(cli(['runs', '--format', 'json'], { env: { ...f.env, ...env } }).stdout) as { store: { engine: string; location: string }; runs: { state: string; steps: { state: string; attempt: number }[] }[] };
      expect(listed.store).toEqual({ engine: 'postgres', location: `postgres://postgres@127.0.0.1:5432/test (schema ${schema})` });
      expect(listed.runs.map((x) => x.state)).toEqual(['done']);
      expect(listed.runs[0]!.steps.map((s) => s.state)).toEqual(['done', 'done', 'done', 'done', 'done', 'done', 'done', 'done', 'skipped', 'done']);
      expect(listed.runs[0]!.steps[6]!.attempt).toBe(2);
      expect(f.pulls()).toHaveLength(1);
      expect(branchCommits(f, f.pulls()[0]!.headRefName)).toEqual(['fix: use addition in sum() (#7)', 'test: reproduce #7']);
    } finally {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    }
  }, 60_000);
});
