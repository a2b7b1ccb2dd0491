import { describe, expect, it } from 'vitest';
import type { Redacted } from '../domain/redacted.ts';
import type { ProbeResult } from '../domain/types.ts';
import { decideFixed } from './decide-fixed.ts';

const probe = (id: string, status: ProbeResult['status'], code?: string): ProbeResult => ({
  id,
  kind: 'postgres',
  target: `postgres://app@127.0.0.1:5432/${id}`,
  status,
  latencyMs: 3,
  observed: {},
  at: '2026-11-27T00:00:00.000Z',
  ...(code ? { code, error: `${code} message` as Redacted, rule: 'probe-postgres-socket-missing' } : {}),
});

describe('decideFixed', () => {
  it('is fixed when every probe is healthy and the logs are clean since the fix', () => {
    const d = decideFixed([probe('db', 'ok'), probe('cache', 'ok')], []);
    expect(d.verdict).toBe('fixed');
    expect(d.fixed).toBe(true);
    expect(d.reasons).toEqual(['all 2 probes are healthy and no failure signal in the logs since the fix']);
  });

  it('is not fixed and names the failing probe', () => {
    const d = decideFixed([probe('db', 'ok'), probe('db-socket', 'failed', 'ENOENT')], []);
    expect(d.verdict).toBe('not-fixed');
    expect(d.failingProbes.map((p) => p.id)).toEqual(['db-socket']);
    expect(d.reasons[0]).toBe('probe db-socket (postgres postgres://app@127.0.0.1:5432/db-socket) still fails: ENOENT [probe-postgres-socket-missing] — ENOENT message');
  });

  it('is not fixed while failure signals keep appearing in the logs', () => {
    const d = decideFixed([probe('db', 'ok')], [{ rule: 'redis-dns-eai-again', title: 'Redis host does not resolve', count: 3, lastSeen: '2026-11-27T01:00:00Z' }]);
    expect(d.verdict).toBe('not-fixed');
    expect(d.reasons).toEqual(['Redis host does not resolve appears 3 times in the logs since the fix (last 2026-11-27T01:00:00Z) [redis-dns-eai-again]']);
  });

  it('a probe that could not run blocks "fixed" without calling the system failing', () => {
    const d = decideFixed([probe('db', 'ok'), probe('cache', 'probe_error', 'ENV_MISSING')], []);
    expect(d.verdict).toBe('unknown');
    expect(d.failingProbes).toEqual([]);
    expect(d.unconfirmedProbes.map((p) => p.id)).toEqual(['cache']);
  });

  it('without any evidence it is unknown, never fixed', () => {
    expect(decideFixed([], undefined).verdict).toBe('unknown');
    expect(decideFixed([], []).verdict).toBe('fixed');
  });
});
