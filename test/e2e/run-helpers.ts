// Shared by the `progressor run` end-to-end tests (split in files so they run in parallel).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cli } from './cli.ts';
import { SCRIPTED_AGENT, type RunFixture } from './run-fixture.ts';

export const run = (f: RunFixture, args: string[] = [], env: NodeJS.ProcessEnv = {}) => cli(['run', f.forge, '--apply', '--format', 'json', ...args], { env: { ...f.env, ...env } });
export const runsJson = (f: RunFixture) => JSON.parse(cli(['runs', '--format', 'json'], { env: f.env }).stdout) as { runs: { id: string; state: string; steps: { step: number; name: string; state: string; tokens: number; durationMs: number; attempt: number }[] }[] };
export const botComments = (f: RunFixture) => f.comments().filter((c) => c.author.login === 'progressor[bot]');
export const progressorBranches = (f: RunFixture) => f.remoteBranches().filter((b) => b.startsWith('progressor/'));
export const agentCalls = (f: RunFixture): string[] => {
  try {
    return readFileSync(f.env.SCRIPTED_AGENT_LOG!, 'utf8').trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
};
export const branchCommits = (f: RunFixture, branch: string): string[] =>
  execFileSync('git', ['--git-dir', f.remote, 'log', '--format=%s', `main..${branch}`], { encoding: 'utf8' }).trim().split('\n');
export const agentConfig = (extra = '') =>
  `  tests:\n    command: node --test\n  agent:\n    backend: command\n    command: ["${process.execPath}", "${SCRIPTED_AGENT}"]\n    retries: 0\n${extra}`;

