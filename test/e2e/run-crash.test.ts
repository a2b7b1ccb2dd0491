// `progressor run` end to end: the real CLI, a real git repository with a known bug and a
// bare remote, the local forge, a SQLite store, the scripted agent (test/agents).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeRunFixture } from './run-fixture.ts';
import { agentCalls, agentConfig, botComments, branchCommits, progressorBranches, run, runsJson } from './run-helpers.ts';

describe('progressor run: crash inside each step, then resume', () => {
  // Each failpoint SIGKILLs the process right after a step's effect (or mid-step); the second
  // run must finish with one branch, one PR, one status comment, and nothing done twice.
  const cases: [number, string][] = [
    [3, 'tests-committed'],
    [4, 'repro-run'],
    [5, 'remediation-planned'],
    [6, 'fix-committed'],
    [7, 'proved'],
    [8, 'deployed'],
    [9, 'pushed'],
    [9, 'pr-created'],
  ];
  for (const [step, point] of cases) {
    it(`killed in step ${step} (${point}): the re-run completes, each effect once`, () => {
      const f = makeRunFixture();
      f.config(agentConfig(`  deploy:\n    command: echo "$PROGRESSOR_BRANCH" >> "${f.dir}/deploys.log"\n    skipWithinMinutes: 30\n`));
      const crashed = run(f, [], { PROGRESSOR_FAILPOINTS: point });
      expect(crashed.code).toBe(-1); // killed by SIGKILL
      const mid = runsJson(f).runs[0]!;
      expect(mid.state).toBe('running');
      expect(mid.steps.find((s) => s.step === step)?.state).toBe('running');

      const resumed = run(f);
      expect(resumed.stderr).toContain(`step ${step} ${['claim', 'audit', 'decide', 'plan-tests', 'run-tests', 'plan-remediation', 'apply', 'prove', 'deploy', 'pr'][step]}: redo (was in flight)`);
      expect(resumed.code).toBe(0);
      const done = runsJson(f).runs;
      expect(done).toHaveLength(1);
      expect(done[0]!.state).toBe('done');
      expect(done[0]!.steps.find((s) => s.step === step)?.attempt).toBe(2);

      expect(progressorBranches(f)).toHaveLength(1);
      expect(f.pulls()).toHaveLength(1);
      expect(botComments(f)).toHaveLength(1);
      expect(branchCommits(f, progressorBranches(f)[0]!)).toEqual(['fix: use addition in sum() (#7)', 'test: reproduce #7']);
      expect(readFileSync(`${f.dir}/deploys.log`, 'utf8').trim().split('\n')).toHaveLength(1);
      // Agent calls: plan-tests and apply once each (their effects are commits); a plan is
      // asked again only when the crash came before it was recorded.
      const calls = agentCalls(f);
      expect(calls.filter((c) => c.endsWith('plan-tests'))).toHaveLength(1);
      expect(calls.filter((c) => c.endsWith(' apply'))).toHaveLength(1);
      expect(calls.filter((c) => c.endsWith('plan-remediation'))).toHaveLength(step === 5 ? 2 : 1);
    }, 60_000);
  }
});

