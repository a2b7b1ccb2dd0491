// Credentials: a rejected token names its variable and the fix; no token ever reaches output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveGitHubAuth } from '../../src/forge/github/auth.ts';
import { startGitHubEmulator, type GitHubEmulator } from '../emulator/github-emulator.ts';
import { emulatorEnv, runCli } from './helpers/github-env.ts';

const GOOD = 'ghp_goodSecretToken1111111111111111111';
const BAD = 'ghp_revokedSecretToken22222222222222222';
let em: GitHubEmulator;

beforeAll(async () => {
  em = await startGitHubEmulator();
  em.addToken(GOOD, 'progressor-bot[bot]');
  em.seedIssue('acme/auth', { number: 5 });
});
afterAll(() => em.close());

describe('GitHub credentials', () => {
  it('a 401 names GITHUB_TOKEN and how to fix it, without printing the token', async () => {
    const r = await runCli(['claim', 'acme/auth#5'], emulatorEnv(em, BAD));
    expect(r.code).toBe(8);
    expect(r.stderr).toContain('error[FORGE_AUTH]: GitHub rejected the token in GITHUB_TOKEN');
    expect(r.stderr).toContain('fix: The token in GITHUB_TOKEN is invalid, expired or revoked.');
    expect(r.stderr).toContain('then put the new token in GITHUB_TOKEN (or unset GITHUB_TOKEN to use GH_TOKEN).');
    expect(r.stdout + r.stderr).not.toContain(BAD);
  });

  it('a 401 from GH_TOKEN names GH_TOKEN', async () => {
    const env = emulatorEnv(em, BAD);
    delete env.GITHUB_TOKEN;
    env.GH_TOKEN = BAD;
    const r = await runCli(['claim', 'acme/auth#5'], env);
    expect(r.code).toBe(8);
    expect(r.stderr).toContain('GitHub rejected the token in GH_TOKEN');
    expect(r.stderr).toContain('then put the new token in GH_TOKEN.');
    expect(r.stdout + r.stderr).not.toContain(BAD);
  });

  it('no credentials at all is a FORGE_AUTH error saying what to set', async () => {
    const env = emulatorEnv(em, GOOD);
    delete env.GITHUB_TOKEN;
    const r = await runCli(['claim', 'acme/auth#5'], env);
    expect(r.code).toBe(8);
    expect(r.stderr).toContain('error[FORGE_AUTH]: no GitHub credentials found (GITHUB_TOKEN, GH_TOKEN and GITHUB_APP_ID are all unset)');
    expect(r.stderr).toContain('fix: Set GITHUB_TOKEN (or GH_TOKEN) to a token');
  });

  it('the token never appears in output or warnings, even through retries and rate limits', async () => {
    em.failNext('secondary-rate-limit', '502', '429', 'drop-before');
    const r = await runCli(['claim', 'acme/auth#5', '--format', 'json'], emulatorEnv(em, GOOD));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ issue: 'acme/auth#5', won: true });
    expect(r.stderr).toContain('secondary rate limit');
    expect(r.stdout + r.stderr).not.toContain(GOOD);
    expect(JSON.stringify(em.requests)).not.toContain(GOOD);
  });

  it('a GitHub App needs all three settings', () => {
    expect(() => resolveGitHubAuth({ GITHUB_APP_ID: '123' })).toThrow(
      'GITHUB_APP_ID is set but GITHUB_APP_PRIVATE_KEY (or GITHUB_APP_PRIVATE_KEY_PATH) and GITHUB_APP_INSTALLATION_ID is not',
    );
    expect(resolveGitHubAuth({ GITHUB_APP_ID: '1', GITHUB_APP_PRIVATE_KEY: 'k', GITHUB_APP_INSTALLATION_ID: '2' })).toMatchObject({ kind: 'app' });
    expect(resolveGitHubAuth({ GH_TOKEN: 'x', GITHUB_TOKEN: 'y' })).toMatchObject({ source: 'GITHUB_TOKEN', token: 'y' });
  });
});

describe('GitHub App credentials', () => {
  it('authenticates as the installation and writes as <slug>[bot]', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    em.addApp({ id: 4242, slug: 'progressor-app', installationId: 99 });
    const { openGitHubForge } = await import('../../src/forge/github/open-github-forge.ts');
    const forge = openGitHubForge({
      env: {
        GITHUB_APP_ID: '4242',
        GITHUB_APP_PRIVATE_KEY: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
        GITHUB_APP_INSTALLATION_ID: '99',
        GITHUB_API_URL: em.url,
        PROGRESSOR_GITHUB_WRITE_INTERVAL_MS: '0',
      },
    });
    expect(await forge.botLogin()).toBe('progressor-app[bot]');
    const ref = { forge: 'github' as const, location: 'acme/auth', number: 5 };
    const id = await forge.createComment(ref, 'from the app');
    const issue = await forge.getIssue(ref);
    expect(issue.comments.find((c) => c.id === id)?.author).toBe('progressor-app[bot]');
  });
});
