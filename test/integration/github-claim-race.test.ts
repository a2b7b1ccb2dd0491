// Two real `progressor claim` processes race for the same issue, 50 times.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releaseClaim } from '../../src/actions/claim.ts';
import { DEFAULT_CLAIM_LABEL } from '../../src/domain/constants.ts';
import { openGitHubForge } from '../../src/forge/github/open-github-forge.ts';
import { startGitHubEmulator, type GitHubEmulator } from '../emulator/github-emulator.ts';
import { emulatorEnv, mainLoads, runCli } from './helpers/github-env.ts';

const TOKEN_A = 'ghp_raceWorkerA00000000000000000000000';
const TOKEN_B = 'ghp_raceWorkerB00000000000000000000000';
let em: GitHubEmulator;

beforeAll(async () => {
  em = await startGitHubEmulator();
  em.addToken(TOKEN_A, 'worker-a[bot]');
  em.addToken(TOKEN_B, 'worker-b[bot]');
  em.seedIssue('acme/race', { number: 1, title: 'Crash loop', labels: ['p0'] });
});
afterAll(() => em.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('claim race between two processes', () => {
  it('exactly one wins every time, and the loser leaves no label behind', { timeout: 300_000 }, async () => {
    const ref = { forge: 'github' as const, location: 'acme/race', number: 1 };
    const admin = openGitHubForge({ env: emulatorEnv(em, TOKEN_A) });
    for (let round = 0; round < 50; round++) {
      // Small, varying head starts (0–20 ms either way) so both orders and near-ties occur.
      const delayA = (round * 7) % 21;
      const delayB = (round * 13) % 21;
      const [a, b] = await Promise.all([
        sleep(delayA).then(() => runCli(['claim', 'acme/race#1', '--format', 'json'], emulatorEnv(em, TOKEN_A))),
        sleep(delayB).then(() => runCli(['claim', 'acme/race#1', '--format', 'json'], emulatorEnv(em, TOKEN_B))),
      ]);
      const ra = JSON.parse(a.stdout) as { won: boolean; session: string };
      const rb = JSON.parse(b.stdout) as { won: boolean; session: string };
      const winners = [ra, rb].filter((r) => r.won);
      expect(winners, `round ${round}: ${a.stdout} ${b.stdout} ${a.stderr} ${b.stderr}`).toHaveLength(1);
      const [winner, winnerCode, loser, loserCode] = ra.won ? [ra, a.code, rb, b.code] : [rb, b.code, ra, a.code];
      expect([winnerCode, loserCode]).toEqual([0, 9]);
      expect(em.issue('acme/race', 1)!.labels.sort()).toEqual([DEFAULT_CLAIM_LABEL, winner!.session, 'p0'].sort());
      expect(em.issue('acme/race', 1)!.labels).not.toContain(loser!.session);
      await releaseClaim(admin, ref, winner!.session);
      expect(em.issue('acme/race', 1)!.labels).toEqual(['p0']);
    }
  });
});

describe('the real binary', () => {
  it.skipIf(!mainLoads())('src/cli/main.ts claims, refuses a second claim, and releases', { timeout: 60_000 }, async () => {
    em.seedIssue('acme/race', { number: 2, title: 'Second' });
    const a = await runCli(['claim', 'acme/race#2', '--session', 'progressor-session-20261127-000000-main'], emulatorEnv(em, TOKEN_A), 'main');
    expect([a.code, a.stdout]).toEqual([0, expect.stringMatching(/^acme\/race#2: claimed by progressor-session-20261127-000000-main until /)]);
    const b = await runCli(['claim', 'acme/race#2'], emulatorEnv(em, TOKEN_B), 'main');
    expect([b.code, b.stdout]).toEqual([9, 'acme/race#2: not claimed: held by progressor-session-20261127-000000-main\n']);
    const r = await runCli(['release', 'acme/race#2', '--session', 'progressor-session-20261127-000000-main'], emulatorEnv(em, TOKEN_A), 'main');
    expect(r.stdout).toBe('acme/race#2: removed progressor-session-20261127-000000-main, actively-being-worked-on\n');
    expect(em.issue('acme/race', 2)!.labels).toEqual([]);
  });
});
