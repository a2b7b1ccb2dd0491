// `progressor next` against the emulator: priority first, live claims skipped, expired ones offered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimIssue } from '../../src/actions/claim.ts';
import { openGitHubForge } from '../../src/forge/github/open-github-forge.ts';
import { startGitHubEmulator, type GitHubEmulator } from '../emulator/github-emulator.ts';
import { emulatorEnv, runCli } from './helpers/github-env.ts';

const TOKEN = 'ghp_nextTestToken00000000000000000000';
let em: GitHubEmulator;

beforeAll(async () => {
  em = await startGitHubEmulator();
  em.addToken(TOKEN, 'progressor[bot]');
  em.seedIssue('acme/queue', { number: 1, title: 'Old p1', labels: ['p1'], updatedAt: '2026-11-01T00:00:00Z' });
  em.seedIssue('acme/queue', { number: 2, title: 'Fresh, no priority', updatedAt: '2026-11-26T00:00:00Z' });
  em.seedIssue('acme/queue', { number: 3, title: 'Claimed p0', labels: ['p0'], updatedAt: '2026-11-20T00:00:00Z' });
  em.seedIssue('acme/queue', { number: 4, title: 'Closed p0', labels: ['p0'], state: 'CLOSED' });
  await claimIssue(openGitHubForge({ env: emulatorEnv(em, TOKEN) }), { forge: 'github', location: 'acme/queue', number: 3 });
});
afterAll(() => em.close());

describe('progressor next', () => {
  it('takes priority labels first and skips live claims', async () => {
    const r = await runCli(['next', 'acme/queue', '--format', 'json'], emulatorEnv(em, TOKEN));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ issue: { forge: 'github', location: 'acme/queue', number: 1 }, reclaimable: false });
  });

  it('--focus recent takes the most recently updated unclaimed issue', async () => {
    const r = await runCli(['next', 'acme/queue', '--focus', 'recent'], emulatorEnv(em, TOKEN));
    expect(r.stdout).toBe('acme/queue#2\tFresh, no priority\n');
  });

  it('--focus p0 with only a live claim finds nothing (exit 1); an expired lease is offered', async () => {
    const r = await runCli(['next', 'acme/queue', '--focus', 'p0'], emulatorEnv(em, TOKEN));
    expect([r.code, r.stdout, r.stderr]).toEqual([1, '', 'no open issue to take in acme/queue with focus p0 (all claimed or none match)\n']);
    const expired = await runCli(['next', 'acme/queue', '--focus', 'p0', '--lease-minutes', '0.0001'], emulatorEnv(em, TOKEN));
    expect(expired.stdout).toBe('acme/queue#3\tClaimed p0\t(expired claim: reclaimable)\n');
  });
});
