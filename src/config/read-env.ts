import { ConfigError } from '../errors/errors.ts';

// The environment is read here and only here (STYLE §5, probot): callers pass `env` in
// tests, and nothing else touches process.env.

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';

/** Every environment variable progressor reads, already validated. */
export interface EnvConfig {
  /** GITHUB_TOKEN, else GH_TOKEN (the gh CLI's name). */
  githubToken?: string;
  /** Which variable the token came from, for messages (never the value). */
  githubTokenSource?: 'GITHUB_TOKEN' | 'GH_TOKEN';
  /** GITHUB_API_URL without a trailing slash; GitHub Enterprise sets it. */
  githubApiUrl: string;
  /** GitHub App credentials: GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY (PEM; `\n` escapes allowed), GITHUB_APP_INSTALLATION_ID. */
  githubApp?: { appId: string; privateKey: string; installationId?: number };
  /** DATABASE_URL: PostgreSQL store when set, SQLite otherwise. */
  databaseUrl?: string;
  /** PROGRESSOR_STORE: the SQLite store's file when DATABASE_URL is unset. */
  storeFile?: string;
  /** PROGRESSOR_STORE_SCHEMA: the PostgreSQL schema of the store (default public). */
  storeSchema?: string;
  /** XDG_STATE_HOME, else $HOME/.local/state: where the default store and worktrees live. */
  stateHome?: string;
  /** PROGRESSOR_LOG_LEVEL, default info. */
  logLevel: LogLevel;
  /** NO_COLOR set to any non-empty value (https://no-color.org). */
  noColor: boolean;
}

const ENV_FILE = '(environment)';

function fail(path: string, message: string, hint: string): never {
  throw new ConfigError([{ file: ENV_FILE, path, message, hint }]);
}

/**
 * Reads progressor's environment variables. Empty values count as unset.
 * @throws ConfigError (file "(environment)", path = the variable) for an invalid value.
 */
export function readEnv(env: NodeJS.ProcessEnv = process.env): EnvConfig {
  const get = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };

  const out: EnvConfig = {
    githubApiUrl: DEFAULT_GITHUB_API_URL,
    logLevel: 'info',
    noColor: (env.NO_COLOR ?? '') !== '',
  };

  const githubToken = get('GITHUB_TOKEN');
  const ghToken = get('GH_TOKEN');
  if (githubToken) Object.assign(out, { githubToken, githubTokenSource: 'GITHUB_TOKEN' });
  else if (ghToken) Object.assign(out, { githubToken: ghToken, githubTokenSource: 'GH_TOKEN' });

  const apiUrl = get('GITHUB_API_URL');
  if (apiUrl) {
    let url: URL;
    try {
      url = new URL(apiUrl);
    } catch {
      fail('GITHUB_API_URL', 'is not a URL', 'Set it to the API root, e.g. https://github.example.com/api/v3.');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      fail('GITHUB_API_URL', `has protocol ${url.protocol}`, 'Use an http(s) URL.');
    }
    out.githubApiUrl = apiUrl.replace(/\/+$/, '');
  }

  const appId = get('GITHUB_APP_ID');
  const privateKey = get('GITHUB_APP_PRIVATE_KEY');
  const installation = get('GITHUB_APP_INSTALLATION_ID');
  if (appId || privateKey || installation) {
    if (!appId) fail('GITHUB_APP_ID', 'is not set but other GITHUB_APP_* variables are', 'Set GITHUB_APP_ID to the App id, or unset the GITHUB_APP_* variables.');
    if (!privateKey) fail('GITHUB_APP_PRIVATE_KEY', 'is not set but GITHUB_APP_ID is', 'Set it to the App private key (PEM).');
    if (!/^\d+$/.test(appId)) fail('GITHUB_APP_ID', 'must be a number', 'Copy the numeric App ID from the App settings page.');
    // CI secrets often carry the PEM on one line with literal "\n".
    const pem = privateKey.includes('\\n') ? privateKey.replace(/\\n/g, '\n') : privateKey;
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
      fail('GITHUB_APP_PRIVATE_KEY', 'is not a PEM private key', 'Paste the whole .pem file, including the BEGIN/END lines.');
    }
    let installationId: number | undefined;
    if (installation) {
      if (!/^\d+$/.test(installation)) fail('GITHUB_APP_INSTALLATION_ID', 'must be a number', 'Use the numeric installation id.');
      installationId = Number(installation);
    }
    out.githubApp = { appId, privateKey: pem, ...(installationId === undefined ? {} : { installationId }) };
  }

  const databaseUrl = get('DATABASE_URL');
  if (databaseUrl) {
    if (!/^postgres(?:ql)?:\/\//i.test(databaseUrl)) {
      fail('DATABASE_URL', 'is not a postgres:// URL', 'Use postgres://user@host:5432/db, or unset it to use SQLite.');
    }
    out.databaseUrl = databaseUrl;
  }

  const storeFile = get('PROGRESSOR_STORE');
  if (storeFile) out.storeFile = storeFile;
  const storeSchema = get('PROGRESSOR_STORE_SCHEMA');
  if (storeSchema) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(storeSchema)) {
      fail('PROGRESSOR_STORE_SCHEMA', `"${storeSchema}" is not a schema name`, 'Use lower-case letters, digits and underscores, starting with a letter.');
    }
    out.storeSchema = storeSchema;
  }
  const stateHome = get('XDG_STATE_HOME') ?? (get('HOME') ? `${get('HOME')}/.local/state` : undefined);
  if (stateHome) out.stateHome = stateHome;

  const level = get('PROGRESSOR_LOG_LEVEL')?.toLowerCase();
  if (level) {
    if (!(LOG_LEVELS as readonly string[]).includes(level)) {
      fail('PROGRESSOR_LOG_LEVEL', `"${level}" is not a log level`, `Use one of ${LOG_LEVELS.join(', ')}.`);
    }
    out.logLevel = level as LogLevel;
  }
  return out;
}
