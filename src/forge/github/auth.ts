import { readFileSync } from 'node:fs';
import { ProgressorError } from '../../errors/errors.ts';

/** Credentials for GitHub, and where they came from (named in errors; the secret never is). */
export type GitHubAuth =
  | { kind: 'token'; token: string; source: 'GITHUB_TOKEN' | 'GH_TOKEN' }
  | { kind: 'app'; appId: string; privateKey: string; installationId: string; source: string };

/**
 * Reads GitHub credentials from the environment: `GITHUB_TOKEN`, else `GH_TOKEN`, else a
 * GitHub App (`GITHUB_APP_ID`, `GITHUB_APP_PRIVATE_KEY` or `GITHUB_APP_PRIVATE_KEY_PATH`,
 * `GITHUB_APP_INSTALLATION_ID`).
 * @throws ProgressorError FORGE_AUTH when none is set or the App settings are incomplete.
 */
export function resolveGitHubAuth(env: NodeJS.ProcessEnv = process.env): GitHubAuth {
  for (const source of ['GITHUB_TOKEN', 'GH_TOKEN'] as const) {
    const token = env[source]?.trim();
    if (token) return { kind: 'token', token, source };
  }
  const appId = env.GITHUB_APP_ID?.trim();
  if (appId) {
    let privateKey = env.GITHUB_APP_PRIVATE_KEY?.replace(/\\n/g, '\n');
    const keyPath = env.GITHUB_APP_PRIVATE_KEY_PATH;
    if (!privateKey && keyPath) {
      try {
        privateKey = readFileSync(keyPath, 'utf8');
      } catch (e) {
        throw new ProgressorError('FORGE_AUTH', `cannot read GITHUB_APP_PRIVATE_KEY_PATH: ${(e as Error).message}`, {
          file: keyPath,
          hint: 'Point GITHUB_APP_PRIVATE_KEY_PATH at the .pem file downloaded from the App settings.',
        });
      }
    }
    const installationId = env.GITHUB_APP_INSTALLATION_ID?.trim();
    const missing = [!privateKey && 'GITHUB_APP_PRIVATE_KEY (or GITHUB_APP_PRIVATE_KEY_PATH)', !installationId && 'GITHUB_APP_INSTALLATION_ID'].filter(
      Boolean,
    );
    if (missing.length || !privateKey || !installationId) {
      throw new ProgressorError('FORGE_AUTH', `GITHUB_APP_ID is set but ${missing.join(' and ')} is not`, {
        hint: 'Set all three of GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY (or _PATH) and GITHUB_APP_INSTALLATION_ID, or use GITHUB_TOKEN.',
      });
    }
    return { kind: 'app', appId, privateKey, installationId, source: `GitHub App ${appId} (GITHUB_APP_ID), installation ${installationId}` };
  }
  // Worded without "NAME=value" so the output redactor leaves the variable names readable.
  throw new ProgressorError('FORGE_AUTH', 'no GitHub credentials found (GITHUB_TOKEN, GH_TOKEN and GITHUB_APP_ID are all unset)', {
    hint: 'Set GITHUB_TOKEN (or GH_TOKEN) to a token with "Issues: read and write", e.g. from `gh auth token`, or configure a GitHub App.',
  });
}

/** Names the credentials for a message, e.g. "the token in GITHUB_TOKEN". */
export function describeAuthSource(auth: GitHubAuth): string {
  return auth.kind === 'token' ? `the token in ${auth.source}` : auth.source;
}
