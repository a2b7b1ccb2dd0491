// One Octokit client with small plugins composed onto it (STYLE: octokit.js model):
// retry for 5xx and dropped connections, throttling for primary/secondary rate limits.
import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import type { GitHubAuth } from './auth.ts';

// Typed as plain Octokit: the plugins add behaviour, not methods progressor calls.
const ProgressorOctokit: typeof Octokit = Octokit.plugin(retry, throttling);
export type GitHubClient = Octokit;

/** Receives warnings (rate limits, retries). Messages never contain credentials. */
export type ForgeLog = (message: string) => void;

export interface GitHubClientOptions {
  auth: GitHubAuth;
  /** `GITHUB_API_URL`; defaults to https://api.github.com. */
  baseUrl?: string;
  log?: ForgeLog;
  /** Retries of 5xx / dropped connections (plugin-retry). Default 5. */
  retries?: number;
  /** Retries after a rate limit (plugin-throttling). Default 4. */
  rateLimitRetries?: number;
  /**
   * Milliseconds per unit of back-off: plugin-retry waits (n+1)² units, plugin-throttling
   * waits `retry-after` units. Default 1000 (seconds); tests pass a few ms.
   */
  retryAfterBaseMs?: number;
}

// plugin-throttling paces all writes *and* GraphQL reads 1 s apart (comments 3 s) through
// process-wide Bottleneck groups. GitHubForge serialises and paces its own mutations
// (minWriteIntervalMs), so these stand-ins let requests through; rate-limit retries stay
// with the plugin.
const passThroughGroup = {
  key: () => ({ schedule: <T>(_options: unknown, fn: () => T | Promise<T>) => Promise.resolve(fn()) }),
};

type AppAuthOptions = { appId: string; privateKey: string; installationId: string };
type HookFn = (request: unknown, route: unknown, parameters?: unknown) => Promise<unknown>;
/**
 * createAppAuth, loaded on first use: @octokit/auth-app costs ~0.3 s to import and only
 * GitHub App runs need it (every `progressor claim` process pays the import otherwise).
 */
function lazyAppAuth(options: AppAuthOptions) {
  let loaded: Promise<((o: unknown) => Promise<unknown>) & { hook: HookFn }> | undefined;
  const load = () =>
    (loaded ??= import('@octokit/auth-app').then(
      (m) => m.createAppAuth(options) as unknown as ((o: unknown) => Promise<unknown>) & { hook: HookFn },
    ));
  const auth = async (o: unknown) => (await load())(o);
  auth.hook = async (request: unknown, route: unknown, parameters?: unknown) => (await load()).hook(request, route, parameters);
  return auth;
}

/** Builds the Octokit client progressor uses for one run. */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const log = options.log ?? (() => undefined);
  const base = options.retryAfterBaseMs ?? 1000;
  const maxRateRetries = options.rateLimitRetries ?? 4;
  const auth = options.auth;
  return new ProgressorOctokit({
    ...(auth.kind === 'token'
      ? { auth: auth.token }
      : {
          authStrategy: lazyAppAuth,
          auth: { appId: auth.appId, privateKey: auth.privateKey, installationId: auth.installationId },
        }),
    baseUrl: (options.baseUrl ?? 'https://api.github.com').replace(/\/+$/, ''),
    userAgent: 'progressor',
    log: {
      debug: () => undefined,
      info: () => undefined,
      warn: (m: string) => log(String(m)),
      // Failed requests are converted and reported by the forge; plugin-request-log's error
      // lines would only repeat them.
      error: () => undefined,
    },
    retry: { retries: options.retries ?? 5, retryAfterBaseValue: base },
    throttle: {
      retryAfterBaseValue: base,
      fallbackSecondaryRateRetryAfter: 60,
      write: passThroughGroup,
      notifications: passThroughGroup,
      onRateLimit: (retryAfter: number, o: { method: string; url: string }, _k: unknown, retryCount: number) => {
        log(`GitHub rate limit on ${o.method} ${o.url}; retrying in ${retryAfter}s (attempt ${retryCount + 1}/${maxRateRetries})`);
        return retryCount < maxRateRetries;
      },
      onSecondaryRateLimit: (retryAfter: number, o: { method: string; url: string }, _k: unknown, retryCount: number) => {
        log(`GitHub secondary rate limit on ${o.method} ${o.url}; retrying in ${retryAfter}s (attempt ${retryCount + 1}/${maxRateRetries})`);
        return retryCount < maxRateRetries;
      },
    },
  } as unknown as ConstructorParameters<typeof ProgressorOctokit>[0]);
}
