import { resolveGitHubAuth } from './auth.ts';
import { createGitHubClient, type ForgeLog } from './client.ts';
import { GitHubForge } from './github-forge.ts';

export interface OpenGitHubForgeOptions {
  /** Defaults to process.env: GITHUB_TOKEN / GH_TOKEN / GITHUB_APP_*, GITHUB_API_URL. */
  env?: NodeJS.ProcessEnv;
  log?: ForgeLog;
  /** Overrides the login looked up from the credentials (PROGRESSOR_BOT_LOGIN). */
  botLogin?: string;
}

/** Reads a non-negative integer knob from the environment. */
function intFromEnv(env: NodeJS.ProcessEnv, key: string): number | undefined {
  const v = env[key];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/**
 * Opens the GitHub forge from the environment. This is what `audit`, `next`, `claim` and
 * `release` call for an `owner/repo#N` or issue-URL reference.
 *
 * Environment: `GITHUB_TOKEN` | `GH_TOKEN` | `GITHUB_APP_ID` + `GITHUB_APP_PRIVATE_KEY[_PATH]` +
 * `GITHUB_APP_INSTALLATION_ID`; `GITHUB_API_URL` (GitHub Enterprise); `PROGRESSOR_BOT_LOGIN`;
 * pacing knobs `PROGRESSOR_GITHUB_WRITE_INTERVAL_MS` (default 1000) and
 * `PROGRESSOR_GITHUB_RETRY_BASE_MS` (default 1000; tests use a few ms).
 * @throws ProgressorError FORGE_AUTH when no credentials are configured.
 */
export function openGitHubForge(options: OpenGitHubForgeOptions = {}): GitHubForge {
  const env = options.env ?? process.env;
  const auth = resolveGitHubAuth(env);
  const retryAfterBaseMs = intFromEnv(env, 'PROGRESSOR_GITHUB_RETRY_BASE_MS');
  const client = createGitHubClient({ auth, baseUrl: env.GITHUB_API_URL || undefined, log: options.log, retryAfterBaseMs });
  return new GitHubForge({
    client,
    auth,
    log: options.log,
    botLogin: options.botLogin ?? (env.PROGRESSOR_BOT_LOGIN || undefined),
    minWriteIntervalMs: intFromEnv(env, 'PROGRESSOR_GITHUB_WRITE_INTERVAL_MS'),
  });
}
