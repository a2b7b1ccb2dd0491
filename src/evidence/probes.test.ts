import { describe, expect, it } from 'vitest';
import type { Redacted } from '../domain/redacted.ts';
import type { ProbeResult } from '../domain/types.ts';
import { loadRules } from '../rules/load-rules.ts';
import { probeResultsToOutput } from './probes.ts';

const rules = (await loadRules()).filter((r) => r.kind === 'probe');
const AT = '2026-11-27T00:00:00.000Z';
const socket = (id: string, dir: string): ProbeResult => ({
  id,
  kind: 'postgres',
  target: `postgres://app@/app?host=${dir}&port=5432`,
  status: 'failed',
  latencyMs: 2,
  observed: { socketPath: `${dir}/.s.PGSQL.5432` },
  code: 'ENOENT',
  rule: 'probe-postgres-socket-missing',
  error: `connect: socket ${dir}/.s.PGSQL.5432 does not exist` as Redacted,
  at: AT,
});

describe('probes collector output', () => {
  const out = probeResultsToOutput(
    [
      socket('db-a', '/cloudsql/p:r:a'),
      socket('db-b', '/cloudsql/p:r:b'),
      { id: 'cache', kind: 'redis', target: 'redis://127.0.0.1:6379', status: 'ok', latencyMs: 1, observed: { connectedClients: 3, maxClients: 10000 }, at: AT },
      { id: 'api', kind: 'http', target: 'GET http://x/', status: 'probe_error', latencyMs: 0, observed: {}, code: 'ENV_MISSING', error: 'headersEnv.authorization: environment variable TOKEN is not set' as Redacted, at: AT },
    ],
    rules,
    [{ id: 'db-a', kind: 'postgres', host: '/cloudsql/p:r:a', port: 5432, ssl: false, maxUsedPct: 90, user: 'app' }],
  );

  it('makes every result a probe evidence item, healthy ones included', () => {
    expect(out.collector).toBe('probes');
    expect(out.items.map((i) => [i.key, i.kind, i.source, i.meta?.status])).toEqual([
      ['probe:db-a', 'probe', { probe: 'db-a' }, 'failed'],
      ['probe:db-b', 'probe', { probe: 'db-b' }, 'failed'],
      ['probe:cache', 'probe', { probe: 'cache' }, 'ok'],
      ['probe:api', 'probe', { probe: 'api' }, 'probe_error'],
    ]);
    expect(out.items[0]?.text).toBe('probe db-a (postgres postgres://app@/app?host=/cloudsql/p:r:a&port=5432): failed ENOENT in 2 ms: connect: socket /cloudsql/p:r:a/.s.PGSQL.5432 does not exist');
    expect(out.items.every((i) => i.meta?.prematched === true)).toBe(true);
  });

  it('counts failures per probe rule, with facts for the rule templates', () => {
    expect(out.signals).toHaveLength(1);
    const s = out.signals[0]!;
    expect(s).toMatchObject({ rule: 'probe-postgres-socket-missing', category: 'db-connection-refused', layer: 'database', owner: 'configuration', count: 2, evidenceKeys: ['probe:db-a', 'probe:db-b'] });
    expect(s.facts).toMatchObject({ probe: 'db-a', code: 'ENOENT', socketPath: '/cloudsql/p:r:a/.s.PGSQL.5432', socketDir: '/cloudsql/p:r:a', host: '/cloudsql/p:r:a', user: 'app' });
    expect(s.factValues.probe).toEqual({ 'db-a': 1, 'db-b': 1 });
  });

  it('reports a probe that could not run as a gap, never as a failure signal', () => {
    expect(out.gaps).toEqual([{ collector: 'probes', code: 'ENV_MISSING', message: 'probe api could not run: headersEnv.authorization: environment variable TOKEN is not set' }]);
    expect(out.probes?.map((p) => p.status)).toEqual(['failed', 'failed', 'ok', 'probe_error']);
  });
});
