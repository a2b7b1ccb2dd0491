import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeResult } from '../../src/domain/types.ts';
import type { ProbeCheck } from '../../src/probes/probe-schema.ts';
import { runProbe, runProbes } from '../../src/probes/run-probes.ts';
import { loadRules } from '../../src/rules/load-rules.ts';
import { closedPort, makeCert, type Running, startBlackHole, startDns, startHttp, startRaw, startTls } from './probes-servers.ts';

// Real PostgreSQL and Redis on this machine, and servers started here on 127.0.0.1.
const rules = (await loadRules()).filter((r) => r.kind === 'probe');
const run = (check: ProbeCheck, env: Record<string, string> = {}): Promise<ProbeResult> => runProbe(check, { rules, env });
const pgCheck = (over: Partial<Extract<ProbeCheck, { kind: 'postgres' }>>): ProbeCheck => ({ id: 'db', kind: 'postgres', port: 5432, ssl: false, maxUsedPct: 90, ...over });
const redisCheck = (over: Partial<Extract<ProbeCheck, { kind: 'redis' }>>): ProbeCheck => ({ id: 'cache', kind: 'redis', host: '127.0.0.1', port: 6379, tls: false, maxClientsPct: 90, maxMemoryPct: 95, ...over });
const httpCheck = (over: Partial<Extract<ProbeCheck, { kind: 'http' }>> & { url: string }): ProbeCheck => ({ id: 'api', kind: 'http', method: 'GET', headers: {}, headersEnv: {}, json: [], insecure: false, ...over });
const tlsCheck = (over: Partial<Extract<ProbeCheck, { kind: 'tls' }>> & { port: number }): ProbeCheck => ({ id: 'cert', kind: 'tls', host: '127.0.0.1', minValidDays: 7, ...over });

const servers: Running[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe('postgres probe', () => {
  const role = `progressor_probe_limited_${process.pid}`;
  const admin = new pg.Client({ host: '127.0.0.1', user: 'postgres', database: 'test' });
  let holder: pg.Client | undefined;
  beforeAll(async () => {
    await admin.connect();
    await admin.query(`drop role if exists ${role}`);
    await admin.query(`create role ${role} login connection limit 1`);
  });
  afterAll(async () => {
    await holder?.end().catch(() => {});
    await admin.query(`drop role if exists ${role}`).catch(() => {});
    await admin.end();
  });

  it('reports headroom and per-role limits when healthy', async () => {
    const r = await run(pgCheck({ host: '127.0.0.1', user: 'postgres', database: 'test' }));
    expect(r.status).toBe('ok');
    expect(r.observed.maxConnections).toBeGreaterThan(0);
    expect(r.observed.inUse).toBeGreaterThan(0);
    expect(r.observed.role).toBe('postgres');
    expect(r.observed.roleConnLimit).toBe(-1);
    expect(r.observed[`roles.${role}.limit`]).toBe(1);
    expect(r.target).toBe('postgres://postgres@127.0.0.1:5432/test');
  });

  it('gives the connection-limit verdict when the role CONNECTION LIMIT is exhausted', async () => {
    holder = new pg.Client({ host: '127.0.0.1', user: role, database: 'test' });
    await holder.connect();
    const r = await run(pgCheck({ host: '127.0.0.1', user: role, database: 'test' }));
    expect(r).toMatchObject({ status: 'failed', code: 'PG_ROLE_CONNECTION_LIMIT', rule: 'probe-postgres-role-connection-limit' });
    expect(r.error).toContain(`too many connections for role "${role}"`);
  });

  it('gives the socket verdict (ENOENT) when the socket directory is missing', async () => {
    const r = await run(pgCheck({ host: '/tmp/does-not-exist-xyz', user: 'postgres', database: 'test' }));
    expect(r).toMatchObject({ status: 'failed', code: 'ENOENT', rule: 'probe-postgres-socket-missing' });
    expect(r.observed.socketPath).toBe('/tmp/does-not-exist-xyz/.s.PGSQL.5432');
  });

  it('connects over the unix socket directory', async () => {
    const r = await run(pgCheck({ host: '/var/run/postgresql', user: 'postgres', database: 'test' }));
    expect(r.status).toBe('ok');
  });

  it('is probe_error, not failed, when the password variable is missing', async () => {
    const r = await run(pgCheck({ host: '127.0.0.1', passwordEnv: 'PROGRESSOR_TEST_UNSET_PASSWORD' }));
    expect(r).toMatchObject({ status: 'probe_error', code: 'ENV_MISSING' });
    expect(r.rule).toBeUndefined();
  });

  it('refused port gives the refused verdict', async () => {
    const r = await run(pgCheck({ host: '127.0.0.1', port: await closedPort() }));
    expect(r).toMatchObject({ status: 'failed', code: 'ECONNREFUSED', rule: 'probe-postgres-refused' });
  });
});

describe('redis probe', () => {
  it('reports clients vs maxclients and memory', async () => {
    const r = await run(redisCheck({}));
    expect(r.status).toBe('ok');
    expect(r.observed.connectedClients).toBeGreaterThan(0);
    expect(r.observed.maxClients).toBeGreaterThan(0);
    expect(r.observed.usedMemory).toBeGreaterThan(0);
    expect(r.observed.ping).toBe('PONG');
  });

  it('maps "max number of clients reached" to the max-clients verdict', async () => {
    const s = await startRaw('-ERR max number of clients reached\r\n');
    servers.push(s);
    const r = await run(redisCheck({ port: s.port }));
    expect(r).toMatchObject({ status: 'failed', code: 'REDIS_MAX_CLIENTS', rule: 'probe-redis-max-clients' });
  });

  it('refused port gives the redis refused verdict', async () => {
    const r = await run(redisCheck({ port: await closedPort() }));
    expect(r).toMatchObject({ status: 'failed', code: 'ECONNREFUSED', rule: 'probe-redis-refused' });
  });
});

describe('http probe', () => {
  it('503 with a body gives the 503 verdict and quotes the body', async () => {
    const s = await startHttp((_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end('{"status":"down","db":"connect ENOENT /cloudsql/p:r:i/.s.PGSQL.5432"}');
    });
    servers.push(s);
    const r = await run(httpCheck({ url: `http://127.0.0.1:${s.port}/healthz` }));
    expect(r).toMatchObject({ status: 'failed', code: 'HTTP_503', rule: 'probe-http-503' });
    expect(r.observed.httpStatus).toBe(503);
    expect(r.error).toContain('"status":"down"');
  });

  it('a server too slow for the timeout gives the http timeout verdict', async () => {
    const s = await startHttp((_req, res) => {
      setTimeout(() => res.end('late'), 5_000).unref();
    });
    servers.push(s);
    const r = await run(httpCheck({ url: `http://127.0.0.1:${s.port}/healthz`, timeout: '300ms' }));
    expect(r).toMatchObject({ status: 'failed', code: 'ETIMEDOUT', rule: 'probe-http-timeout' });
  });

  it('a slow but successful answer gives the slow verdict', async () => {
    const s = await startHttp((_req, res) => {
      setTimeout(() => res.end('{"status":"ok"}'), 300).unref();
    });
    servers.push(s);
    const r = await run(httpCheck({ url: `http://127.0.0.1:${s.port}/`, slow: '50ms', timeout: '3s' }));
    expect(r).toMatchObject({ status: 'failed', code: 'HTTP_SLOW', rule: 'probe-http-slow' });
  });

  it('checks the JSON body by JSONPath', async () => {
    const s = await startHttp((_req, res) => res.end('{"status":"degraded","checks":{"db":"ok"}}'));
    servers.push(s);
    const ok = await run(httpCheck({ url: `http://127.0.0.1:${s.port}/`, json: [{ path: '$.checks.db', equals: 'ok' }] }));
    expect(ok.status).toBe('ok');
    const bad = await run(httpCheck({ url: `http://127.0.0.1:${s.port}/`, json: [{ path: '$.status', equals: 'ok' }] }));
    expect(bad).toMatchObject({ status: 'failed', code: 'HTTP_BODY_CHECK', rule: 'probe-http-body-check' });
    expect(bad.error).toContain('$.status is "degraded", expected "ok"');
  });
});

describe('tls probe', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'progressor-tls-'));
  const day = 86_400_000;
  const expired = await makeCert({ names: ['localhost', '127.0.0.1'], notBefore: new Date(Date.now() - 400 * day), notAfter: new Date(Date.now() - 30 * day) });
  const wrongName = await makeCert({ names: ['other.invalid'], notBefore: new Date(Date.now() - day), notAfter: new Date(Date.now() + 365 * day) });
  const good = await makeCert({ names: ['localhost', '127.0.0.1'], notBefore: new Date(Date.now() - day), notAfter: new Date(Date.now() + 365 * day) });
  const caFile = async (name: string, pem: string) => {
    const f = join(dir, name);
    await writeFile(f, pem);
    return f;
  };

  it('an expired certificate gives the expired verdict', async () => {
    const s = await startTls(expired);
    servers.push(s);
    const r = await run(tlsCheck({ port: s.port, servername: 'localhost', ca: await caFile('expired.pem', expired.cert) }));
    expect(r).toMatchObject({ status: 'failed', code: 'CERT_EXPIRED', rule: 'probe-tls-cert-expired' });
    expect(Number(r.observed.daysLeft)).toBeLessThan(0);
  });

  it('a certificate for another name gives the hostname-mismatch verdict', async () => {
    const s = await startTls(wrongName);
    servers.push(s);
    const r = await run(tlsCheck({ port: s.port, servername: 'localhost', ca: await caFile('wrong.pem', wrongName.cert) }));
    expect(r).toMatchObject({ status: 'failed', code: 'CERT_HOSTNAME_MISMATCH', rule: 'probe-tls-hostname-mismatch' });
  });

  it('a valid, trusted certificate is ok and reports its expiry', async () => {
    const s = await startTls(good);
    servers.push(s);
    const r = await run(tlsCheck({ port: s.port, servername: 'localhost', ca: await caFile('good.pem', good.cert) }));
    expect(r.status).toBe('ok');
    expect(Number(r.observed.daysLeft)).toBeGreaterThan(300);
    const untrusted = await run(tlsCheck({ port: s.port, servername: 'localhost' }));
    expect(untrusted).toMatchObject({ status: 'failed', code: 'CERT_SELF_SIGNED', rule: 'probe-tls-untrusted' });
  });

  it('https health endpoints get the same certificate checks', async () => {
    const s = await startTls(expired, (sock) => sock.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok'));
    servers.push(s);
    const r = await run(httpCheck({ url: `https://127.0.0.1:${s.port}/healthz`, ca: await caFile('expired2.pem', expired.cert) }));
    expect(r).toMatchObject({ status: 'failed', code: 'CERT_EXPIRED', rule: 'probe-tls-cert-expired' });
  });
});

describe('dns probe', () => {
  it('an unresolvable name gives the not-found verdict', async () => {
    const r = await run({ id: 'name', kind: 'dns', name: 'progressor-probe-test.invalid', type: 'ANY_ADDRESS' });
    expect(r).toMatchObject({ status: 'failed', code: 'ENOTFOUND', rule: 'probe-dns-not-found' });
  });

  it('a SERVFAIL from the DNS server gives the temporary-failure verdict', async () => {
    const s = await startDns(2);
    servers.push(s);
    const r = await run({ id: 'name', kind: 'dns', name: 'redis-staging.invalid', type: 'A', server: `127.0.0.1:${s.port}` });
    expect(r).toMatchObject({ status: 'failed', code: 'ESERVFAIL', rule: 'probe-dns-temporary-failure' });
  });

  it('resolves localhost', async () => {
    const r = await run({ id: 'name', kind: 'dns', name: 'localhost', type: 'ANY_ADDRESS' });
    expect(r.status).toBe('ok');
  });
});

describe('concurrency and hard timeouts', () => {
  it('twelve probes with a 2 s timeout against black-holed targets all time out together', async () => {
    const holes = await Promise.all(Array.from({ length: 12 }, () => startBlackHole()));
    servers.push(...holes);
    const checks: ProbeCheck[] = holes.map((h, i) => {
      const base = { id: `hole-${i}`, timeout: '2s' };
      switch (i % 4) {
        case 0:
          return httpCheck({ ...base, url: `http://127.0.0.1:${h.port}/healthz` });
        case 1:
          return pgCheck({ ...base, host: '127.0.0.1', port: h.port });
        case 2:
          return redisCheck({ ...base, port: h.port });
        default:
          return tlsCheck({ ...base, port: h.port });
      }
    });
    const started = Date.now();
    const results = await runProbes(checks, { rules });
    const elapsed = Date.now() - started;
    expect(results.map((r) => [r.status, r.code])).toEqual(checks.map(() => ['failed', 'ETIMEDOUT']));
    expect(results.map((r) => r.rule)).toEqual(
      checks.map((c) => ({ http: 'probe-http-timeout', postgres: 'probe-postgres-timeout', redis: 'probe-redis-timeout', tls: 'probe-timeout' })[c.kind as 'http']),
    );
    // Hang guard only (sequential would be 24 s); the timing itself is measured in bench/probes.mjs.
    expect(elapsed).toBeLessThan(6_000);
  });
});

describe('probes collector with issue text', () => {
  it('probes an address from the issue only when probes.allow lists it', async () => {
    const { collectProbes } = await import('../../src/evidence/probes.ts');
    const text = 'Error -3 connecting to 127.0.0.1:6379. Temporary failure in name resolution.\nconnect ECONNREFUSED 127.0.0.2:5432';
    const out = await collectProbes({ timeoutMs: 2_000, allow: ['127.0.0.1:6379'], checks: [] }, { rules, env: {}, issueText: text });
    expect(out.probes?.map((p) => [p.id, p.kind, p.status])).toEqual([['issue-redis-127.0.0.1-6379', 'redis', 'ok']]);
    expect(out.gaps.map((g) => g.code)).toEqual(['NOT_ALLOWED']);
    expect(out.gaps[0]?.message).toContain('127.0.0.2:5432');
  });
});
