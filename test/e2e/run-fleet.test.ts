// `progressor run --repo … --workers N --max-issues M`: issues taken like `next`, run at
// once with a shared budget; JSON lines when piped.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli } from './cli.ts';
import { makeRunFixture } from './run-fixture.ts';
import { progressorBranches, runsJson } from './run-helpers.ts';

type Event = { issue: string; state: string; step?: number; name?: string; pr?: { number: number }; tokens: number };

describe('progressor run: a fleet', () => {
  it('runs two issues with two workers: one PR, one branch and one comment each; JSON lines when piped', () => {
    const f = makeRunFixture();
    const nine = f.addIssue(9, 'cart total wrong on checkout');
    const r = cli(['run', '--repo', f.forge, '--workers', '2', '--max-issues', '5', '--stagger-ms', '300', '--apply'], { env: f.env });
    expect(r.stderr).toMatch(/^fleet: 2 issue\(s\) in .*, 7200 tokens, \$0\.0600 in all$/m);
    expect(r.code).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Event);
    const finals = events.filter((e) => e.step === undefined);
    expect(finals.map((e) => [e.issue, e.state, e.tokens]).sort()).toEqual([
      ['#7', 'done', 3600],
      ['#9', 'done', 3600],
    ]);
    expect(events.filter((e) => e.issue === '#7' && e.state === 'running').map((e) => e.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(f.pulls().map((p) => p.body.match(/Closes #\d+/)?.[0]).sort()).toEqual(['Closes #7', 'Closes #9']);
    expect(progressorBranches(f)).toHaveLength(2);
    for (const file of [f.issueFile, nine]) {
      const issue = JSON.parse(readFileSync(file, 'utf8')) as { comments: { author: { login: string } }[] };
      expect(issue.comments.filter((c) => c.author.login === 'progressor[bot]')).toHaveLength(1);
    }
    expect(runsJson(f).runs.map((x) => x.state)).toEqual(['done', 'done']);
  }, 90_000);

  it('--max-issues bounds the issues taken', () => {
    const f = makeRunFixture();
    f.addIssue(9, 'cart total wrong on checkout');
    const one = cli(['run', '--repo', f.forge, '--workers', '2', '--max-issues', '1', '--apply'], { env: f.env });
    expect(one.code).toBe(0);
    expect(one.stdout.trim().split('\n').map((l) => JSON.parse(l) as Event).filter((e) => e.step === undefined)).toHaveLength(1);
    expect(f.pulls()).toHaveLength(1);
  }, 90_000);

  it('the run budget is shared by the fleet: the second issue is blocked once the first spent it', () => {
    const f = makeRunFixture();
    f.addIssue(9, 'cart total wrong on checkout');
    f.config(`  tests:\n    command: node --test\n  agent:\n    backend: command\n    command: ["${process.execPath}", "${process.cwd()}/test/agents/scripted-agent.mjs"]\n    retries: 0\n  budget:\n    tokens:\n      run: 4000\n`);
    const r = cli(['run', '--repo', f.forge, '--workers', '1', '--max-issues', '2', '--apply'], { env: f.env });
    expect(r.code).toBe(10);
    const finals = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Event & { message: string }).filter((e) => e.step === undefined);
    expect(finals.map((e) => e.state)).toEqual(['done', 'blocked']);
    expect(finals[1]!.message).toMatch(/^run token budget spent: 4800 of 4000 tokens during plan-tests: its result was not used; not done: steps 3–9/);
    expect(f.pulls()).toHaveLength(1);
  }, 90_000);
});
