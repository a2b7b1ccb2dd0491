import { describe, expect, it } from 'vitest';
import type { Redacted } from '../domain/redacted.ts';
import type { ProbeResult } from '../domain/types.ts';
import { renderLines, renderPrometheus, renderTable } from './render-probe-results.ts';

const AT = '2026-11-27T00:00:00.000Z';
const results: ProbeResult[] = [
  { id: 'db', kind: 'postgres', target: 'postgres://app@127.0.0.1:5432/app', status: 'ok', latencyMs: 12, observed: { maxConnections: 100, inUse: 38, usedPct: 38, role: 'app', roleConnLimit: 50, roleInUse: 20 }, at: AT },
  { id: 'api', kind: 'http', target: 'GET http://127.0.0.1:8080/healthz', status: 'failed', latencyMs: 4, observed: { httpStatus: 503 }, code: 'HTTP_503', rule: 'probe-http-503', error: 'answered 503: {"db":"down"}' as Redacted, at: AT },
  { id: 'cache', kind: 'redis', target: 'redis ($REDIS_URL)', status: 'probe_error', latencyMs: 0, observed: {}, code: 'ENV_MISSING', error: 'dsnEnv: environment variable REDIS_URL is not set' as Redacted, at: AT },
];

describe('probe output', () => {
  it('text table: status, headroom for healthy probes, code and rule for failures', () => {
    expect(renderTable(results).split('\n')).toEqual([
      'STATUS   PROBE  KIND      TARGET                             LATENCY  DETAIL',
      'ok       db     postgres  postgres://app@127.0.0.1:5432/app  12ms     38/100 connections (38%), role app 20/50',
      'FAILED   api    http      GET http://127.0.0.1:8080/healthz  4ms      HTTP_503 [probe-http-503] answered 503: {"db":"down"}',
      'NOT RUN  cache  redis     redis ($REDIS_URL)                 0ms      ENV_MISSING dsnEnv: environment variable REDIS_URL is not set',
      '',
      '3 probes: 1 ok, 1 failed, 1 could not run',
    ]);
  });

  it('piped watch lines mark state changes', () => {
    const prev = new Map([['db', 'failed' as const], ['api', 'failed' as const]]);
    expect(renderLines(results.slice(0, 2), AT, prev).split('\n')).toEqual([
      `${AT} db ok CHANGED failed->ok 12ms 38/100 connections (38%), role app 20/50`,
      `${AT} api failed 4ms HTTP_503 [probe-http-503] answered 503: {"db":"down"}`,
    ]);
  });

  it('prometheus exposition', () => {
    const text = renderPrometheus(results);
    expect(text).toContain('# TYPE progressor_probe_up gauge\nprogressor_probe_up{probe="db",kind="postgres"} 1\nprogressor_probe_up{probe="api",kind="http"} 0\nprogressor_probe_up{probe="cache",kind="redis"} 0\n');
    expect(text).toContain('progressor_probe_status{probe="cache",kind="redis",status="probe_error"} 1\n');
    expect(text).toContain('progressor_probe_latency_seconds{probe="db",kind="postgres"} 0.012\n');
    expect(text).toContain('progressor_probe_failure_info{probe="api",kind="http",code="HTTP_503",rule="probe-http-503"} 1\n');
    expect(text).toContain('progressor_probe_observed{probe="db",kind="postgres",key="maxConnections"} 100\n');
    expect(text).not.toContain('key="role"');
  });
});
