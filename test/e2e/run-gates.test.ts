// `progressor run` end to end: the real CLI, a real git repository with a known bug and a
// bare remote, the local forge, a SQLite store, the scripted agent (test/agents).
import { describe, expect, it } from 'vitest';
import { makeRunFixture } from './run-fixture.ts';
import { agentConfig, botComments, progressorBranches, run, runsJson } from './run-helpers.ts';

describe('progressor run: proof gates an agent cannot talk past', () => {
  const gate = (mode: string) => {
    const f = makeRunFixture();
    const r = run(f, [], { SCRIPTED_AGENT_MODE: mode });
    return { f, r, report: JSON.parse(r.stdout) as { state: string; steps: { step: number; state: string; summary: string }[] } };
  };

  it('an agent that claims success without fixing: step 7 fails, the comment says what progressor ran', () => {
    const { f, r, report } = gate('claim-without-fix');
    expect(r.code).toBe(1);
    expect(report.state).toBe('stopped');
    expect(report.steps[7]).toMatchObject({ state: 'failed' });
    expect(report.steps[7]!.summary).toBe(
      'not proven: the reproduction tests still fail (0 passed, 1 failed, 0 skipped (exit 1)); the test command fails (1 passed, 1 failed, 0 skipped (exit 1)); the agent claimed "all tests pass", progressor\'s own run disagrees',
    );
    expect(botComments(f)[0]!.body).toContain('#### 7\\. Prove: failed');
    expect(botComments(f)[0]!.body).toContain('the agent claimed "all tests pass", progressor\'s own run disagrees');
    expect(f.pulls()).toEqual([]);
    expect(progressorBranches(f)).toEqual([]);
    // The stopped run gave its claim back: a new run (here a real fix) can take the issue.
    expect(f.labels()).not.toContain('actively-being-worked-on');
    const next = run(f);
    expect(next.code).toBe(0);
    expect(f.pulls()).toHaveLength(1);
    expect(runsJson(f).runs.map((x) => x.state)).toEqual(['done', 'stopped']);
  }, 90_000);

  it('a reproduction test that passes before the fix is rejected', () => {
    const { f, r, report } = gate('repro-passes');
    expect(r.code).toBe(1);
    expect(report.steps[4]!.summary).toMatch(/^rejected: the reproduction tests pass before the fix, so they do not reproduce the issue/);
    expect(report.steps[5]!.state).toBe('pending');
    expect(f.pulls()).toEqual([]);
  }, 60_000);

  it('zero tests executed is rejected', () => {
    const { r, report } = gate('zero-tests');
    expect(r.code).toBe(1);
    expect(report.steps[4]!.summary).toBe('rejected: the reproduction tests executed zero tests (reproduction 0 passed, 0 failed, 1 skipped (exit 0); tests 1 passed, 0 failed, 1 skipped (exit 0))');
  }, 60_000);

  it('a fix that edits the reproduction tests is rejected', () => {
    const { r, report } = gate('edit-tests');
    expect(r.code).toBe(1);
    expect(report.steps[6]!.summary).toBe('rejected: the fix edited the reproduction tests (test/repro-sum.test.js)');
  }, 60_000);
});

describe('progressor run: agent failures, budgets, branch safety', () => {
  it('an agent that times out: retried with backoff, then exit 13; the run resumes later', () => {
    const f = makeRunFixture();
    f.config(agentConfig().replace('    retries: 0\n', '    retries: 1\n    timeoutSeconds: 1\n'));
    const r = run(f, [], { SCRIPTED_AGENT_MODE: 'sleep' });
    expect(r.code).toBe(13);
    expect(r.stderr).toContain('agent command: timed out after 1 s; retry 1/1 in 500 ms');
    expect(r.stderr).toMatch(/agent command: timed out after 1 s$/m);
    expect(runsJson(f).runs[0]!.state).toBe('failed');
    const again = run(f);
    expect(again.code).toBe(0);
    expect(runsJson(f).runs).toHaveLength(1);
    expect(f.pulls()).toHaveLength(1);
  }, 60_000);

  it('output that is not the documented JSON: exit 11', () => {
    const f = makeRunFixture();
    const r = run(f, [], { SCRIPTED_AGENT_MODE: 'invalid' });
    expect(r.code).toBe(11);
    expect(r.stderr).toMatch(/agent command: stdout is not JSON/);
  }, 60_000);

  it('a transient agent failure is retried and the step succeeds', () => {
    const f = makeRunFixture();
    f.config(agentConfig().replace('    retries: 0\n', '    retries: 2\n'));
    const r = run(f, [], { SCRIPTED_AGENT_MODE: 'fail-once' });
    expect(r.stderr).toContain('agent command: exited with 1: scripted agent: simulated crash; retry 1/2 in 500 ms');
    expect(r.code).toBe(0);
    expect(f.pulls()).toHaveLength(1);
  }, 60_000);

  it('budget exhaustion mid-step blocks loudly, says what was left undone, and is recorded', () => {
    const f = makeRunFixture();
    f.config(agentConfig('  budget:\n    mode: block\n    tokens:\n      run: 2000\n'));
    const r = run(f);
    expect(r.code).toBe(10);
    expect(r.stderr).toContain('run token budget spent: 2400 of 2000 tokens during plan-remediation: its result was not used; not done: steps 5–9 (plan-remediation, apply, prove, deploy, pr)');
    const runs = runsJson(f).runs;
    expect(runs[0]!.state).toBe('blocked');
    expect(runs[0]!.steps.find((s) => s.step === 5)).toMatchObject({ state: 'blocked' });
    expect(botComments(f)[0]!.body).toContain('#### 5\\. Plan remediation: blocked');
    expect(f.pulls()).toEqual([]);
  }, 60_000);

  it('budget in warn mode goes on and says so', () => {
    const f = makeRunFixture();
    f.config(agentConfig('  budget:\n    mode: warn\n    tokens:\n      run: 2000\n'));
    const r = run(f);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('budget warning: run token budget spent: 2400 of 2000 tokens');
  }, 60_000);

  it('a push to the default or a protected branch is refused (exit 14), nothing pushed', () => {
    const f = makeRunFixture();
    f.config(agentConfig().replace('  tests:', '  protectedBranches: [main, "progressor/*"]\n  tests:'));
    const r = run(f);
    expect(r.code).toBe(14);
    expect(r.stderr).toMatch(/refused to push to progressor\/issue-7-\S+: it is the working, default or a protected branch/);
    expect(f.remoteBranches()).toEqual(['main']);
    expect(f.pulls()).toEqual([]);
  }, 60_000);
});
