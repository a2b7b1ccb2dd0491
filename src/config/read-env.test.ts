import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/errors.ts';
import { readEnv } from './read-env.ts';

const PEM_ONE_LINE = '-----BEGIN RSA PRIVATE KEY-----\\nMIIEow\\n-----END RSA PRIVATE KEY-----';

function envError(env: NodeJS.ProcessEnv): string {
  try {
    readEnv(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).describe();
  }
  throw new Error('expected a ConfigError');
}

describe('readEnv', () => {
  it('defaults for an empty environment', () => {
    expect(readEnv({})).toEqual({ githubApiUrl: 'https://api.github.com', logLevel: 'info', noColor: false });
  });

  it('reads every variable', () => {
    expect(
      readEnv({
        GITHUB_TOKEN: 'tok-a',
        GH_TOKEN: 'tok-b',
        GITHUB_API_URL: 'https://ghe.example.com/api/v3/',
        GITHUB_APP_ID: '12345',
        GITHUB_APP_PRIVATE_KEY: PEM_ONE_LINE,
        GITHUB_APP_INSTALLATION_ID: '678',
        DATABASE_URL: 'postgres://app@127.0.0.1:5432/test',
        PROGRESSOR_LOG_LEVEL: 'DEBUG',
        NO_COLOR: '1',
        UNRELATED: 'x',
      }),
    ).toEqual({
      githubToken: 'tok-a',
      githubTokenSource: 'GITHUB_TOKEN',
      githubApiUrl: 'https://ghe.example.com/api/v3',
      githubApp: { appId: '12345', privateKey: '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----', installationId: 678 },
      databaseUrl: 'postgres://app@127.0.0.1:5432/test',
      logLevel: 'debug',
      noColor: true,
    });
  });

  it('reads the store location variables', () => {
    expect(readEnv({ PROGRESSOR_STORE: '/var/lib/p.db', PROGRESSOR_STORE_SCHEMA: 'prog_1', XDG_STATE_HOME: '/state' })).toMatchObject({
      storeFile: '/var/lib/p.db',
      storeSchema: 'prog_1',
      stateHome: '/state',
    });
    expect(readEnv({ HOME: '/home/u' }).stateHome).toBe('/home/u/.local/state');
    expect(() => readEnv({ PROGRESSOR_STORE_SCHEMA: 'Bad-Name' })).toThrow(/PROGRESSOR_STORE_SCHEMA|schema name/);
  });

  it('falls back to GH_TOKEN; empty values are unset', () => {
    expect(readEnv({ GITHUB_TOKEN: '  ', GH_TOKEN: 'tok-b', NO_COLOR: '' })).toEqual({
      githubToken: 'tok-b',
      githubTokenSource: 'GH_TOKEN',
      githubApiUrl: 'https://api.github.com',
      logLevel: 'info',
      noColor: false,
    });
  });

  it('rejects bad values naming the variable and the fix, never echoing secrets', () => {
    expect(envError({ PROGRESSOR_LOG_LEVEL: 'loud' })).toBe(
      'error[CONFIG_INVALID] (environment): PROGRESSOR_LOG_LEVEL: "loud" is not a log level\n  fix: Use one of trace, debug, info, warn, error, fatal, silent.',
    );
    expect(envError({ GITHUB_API_URL: 'not a url' })).toBe(
      'error[CONFIG_INVALID] (environment): GITHUB_API_URL: is not a URL\n  fix: Set it to the API root, e.g. https://github.example.com/api/v3.',
    );
    expect(envError({ GITHUB_APP_ID: '1' })).toBe(
      'error[CONFIG_INVALID] (environment): GITHUB_APP_PRIVATE_KEY: is not set but GITHUB_APP_ID is\n  fix: Set it to the App private key (PEM).',
    );
    expect(envError({ GITHUB_APP_ID: 'abc', GITHUB_APP_PRIVATE_KEY: PEM_ONE_LINE })).toContain('GITHUB_APP_ID: must be a number');
    expect(envError({ GITHUB_APP_ID: '1', GITHUB_APP_PRIVATE_KEY: 'hunter2' })).toContain('GITHUB_APP_PRIVATE_KEY: is not a PEM private key');
    expect(envError({ GITHUB_APP_INSTALLATION_ID: '5' })).toContain('GITHUB_APP_ID: is not set but other GITHUB_APP_* variables are');
    const dsn = envError({ DATABASE_URL: 'mysql://root:hunter2@db/x' });
    expect(dsn).toContain('DATABASE_URL: is not a postgres:// URL');
    expect(dsn).not.toContain('hunter2');
  });
});
