import { describe, expect, it } from 'vitest';
import { deriveProbesFromText, isHostAllowed } from './derive-probes.ts';
import { scrubSecrets, secretsOf } from './secrets.ts';

const ISSUE = `redis.exceptions.ConnectionError: Error -3 connecting to redis-staging:6379. Temporary failure in name resolution.
psql: error: connection to server at "db.staging.internal" (10.20.0.3), port 5432 failed: Connection timed out
Error: connect ECONNREFUSED 203.0.113.9:8080`;

describe('addresses read from issue text', () => {
  it('are never probed unless the allow-list names them', () => {
    const d = deriveProbesFromText(ISSUE, []);
    expect(d.checks).toEqual([]);
    expect(d.skipped.map((s) => `${s.host}:${s.port}`)).toEqual(['redis-staging:6379', 'db.staging.internal:5432', '203.0.113.9:8080']);
  });

  it('become probes of the matching kind when allowed', () => {
    const d = deriveProbesFromText(ISSUE, ['*.staging.internal:5432', 'redis-staging:6379']);
    expect(d.checks.map((c) => [c.id, c.kind])).toEqual([
      ['issue-redis-redis-staging-6379', 'redis'],
      ['issue-postgres-db.staging.internal-5432', 'postgres'],
    ]);
    expect(d.skipped.map((s) => s.host)).toEqual(['203.0.113.9']);
  });

  it('matches exact hosts, *.suffix globs and [IPv6], each with its one port', () => {
    expect(isHostAllowed('db.staging.internal', 5432, ['*.staging.internal:5432'])).toBe(true);
    expect(isHostAllowed('staging.internal', 5432, ['*.staging.internal:5432'])).toBe(false);
    expect(isHostAllowed('evil-staging.internal', 5432, ['*.staging.internal:5432'])).toBe(false);
    expect(isHostAllowed('redis-staging', 6380, ['redis-staging:6379'])).toBe(false);
    expect(isHostAllowed('127.0.0.1', 6379, ['127.0.0.1:6379'])).toBe(true);
    expect(isHostAllowed('::1', 6379, ['[::1]:6379'])).toBe(true);
  });

  it('a host without a port opens nothing (issue 10: 300 ports of one host were probed)', () => {
    expect(isHostAllowed('127.0.0.1', 6379, ['127.0.0.1'])).toBe(false);
    expect(isHostAllowed('db.staging.internal', 5433, ['*.staging.internal:5432'])).toBe(false);
  });

  it('at most MAX_DERIVED_PROBES addresses of one issue are probed; the rest are skipped, saying why', () => {
    const text = Array.from({ length: 300 }, (_, i) => `connect ECONNREFUSED 127.0.0.1:${10_000 + i}`).join('\n');
    const allow = Array.from({ length: 300 }, (_, i) => `127.0.0.1:${10_000 + i}`);
    const d = deriveProbesFromText(text, allow);
    expect(d.checks).toHaveLength(5);
    expect(d.skipped).toHaveLength(295);
    expect(d.skipped[0]!.reason).toBe('more than 5 addresses in the issue');
  });
});

describe('secrets of a check', () => {
  it('are the values of the env vars it names, and the password inside a DSN', () => {
    const env = { DB: 'postgres://app:p%40ss-w0rd@db/app', PW: 'redis-secret-1', TOKEN: 'tok-123456' };
    const s = secretsOf({ id: 'x', kind: 'http', url: 'http://h/', method: 'GET', headers: {}, headersEnv: { authorization: 'TOKEN' }, json: [], insecure: false }, env);
    expect(s).toEqual(['tok-123456']);
    const pg = secretsOf({ id: 'db', kind: 'postgres', port: 5432, ssl: false, maxUsedPct: 90, dsnEnv: 'DB', passwordEnv: 'PW' }, env);
    expect(pg).toEqual(expect.arrayContaining(['postgres://app:p%40ss-w0rd@db/app', 'p%40ss-w0rd', 'p@ss-w0rd', 'redis-secret-1']));
    expect(scrubSecrets('login p@ss-w0rd failed; also redis-secret-1', pg)).toBe('login *** failed; also ***');
  });
});
