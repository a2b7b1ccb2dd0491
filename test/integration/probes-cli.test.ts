import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/output.ts';
import { probeCommand } from '../../src/cli/probe.ts';
import { EXIT_CODES } from '../../src/errors/errors.ts';
import { type Running, startHttp } from './probes-servers.ts';

const servers: Running[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

function capture(isTTY = false): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, isTTY, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

async function probeFile(yaml: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'progressor-probe-cli-'));
  const file = join(dir, 'probes.yml');
  await writeFile(file, yaml);
  return file;
}

const noSleep = { sleep: async () => {} };

describe('progressor probe', () => {
  it('one-shot: prints a table and exits 1 when a probe fails', async () => {
    const file = await probeFile(`probes:
  - { id: db, kind: postgres, host: 127.0.0.1, user: postgres, database: test }
  - { id: db-socket, kind: postgres, host: /tmp/does-not-exist-xyz }
`);
    const io = capture();
    const code = await probeCommand(file, {}, io, { env: {} });
    expect(code).toBe(EXIT_CODES.FINDINGS);
    const text = io.stdout.join('\n');
    expect(text).toMatch(/^ok +db +postgres +postgres:\/\/postgres@127\.0\.0\.1:5432\/test +\d+ms +\d+\/\d+ connections/m);
    expect(text).toMatch(/^FAILED +db-socket +postgres .* ENOENT \[probe-postgres-socket-missing\]/m);
    expect(text).toContain('2 probes: 1 ok, 1 failed');
  });

  it('one-shot: exit 0 when every probe is healthy', async () => {
    const file = await probeFile(`- { id: cache, kind: redis }\n- { id: db, kind: postgres, host: /var/run/postgresql, database: test }\n`);
    const io = capture();
    expect(await probeCommand(file, { format: 'json' }, io, { env: {} })).toBe(EXIT_CODES.OK);
    const json = JSON.parse(io.stdout.join('')) as { ok: boolean; summary: Record<string, number>; results: { id: string; status: string }[] };
    expect(json.ok).toBe(true);
    expect(json.summary).toEqual({ total: 2, ok: 2, failed: 0, no_data: 0, probe_error: 0 });
    expect(json.results.map((r) => [r.id, r.status])).toEqual([['cache', 'ok'], ['db', 'ok']]);
  });

  it('a missing environment variable is "could not run", not a failure', async () => {
    const file = await probeFile(`- { id: db, kind: postgres, host: 127.0.0.1, passwordEnv: PROGRESSOR_NOT_SET }\n`);
    const io = capture();
    expect(await probeCommand(file, { format: 'json' }, io, { env: {} })).toBe(EXIT_CODES.FINDINGS);
    const json = JSON.parse(io.stdout.join('')) as { results: { status: string; code: string; error: string; rule?: string }[] };
    expect(json.results[0]).toMatchObject({ status: 'probe_error', code: 'ENV_MISSING', error: 'passwordEnv: environment variable PROGRESSOR_NOT_SET is not set' });
    expect(json.results[0]?.rule).toBeUndefined();
  });

  it('no credential from a DSN or the environment appears in any format', async () => {
    // The server echoes the Authorization header into its 503 body, as some proxies do.
    const s = await startHttp((req, res) => {
      res.writeHead(503);
      res.end(`upstream rejected token=${String(req.headers['x-api-key'])} auth=${String(req.headers.authorization)}`);
    });
    servers.push(s);
    const env = {
      DATABASE_URL: 'postgres://postgres:Dsn-Pa55w0rd-x1@127.0.0.1:5432/test',
      BAD_DATABASE_URL: 'postgres://nobody:An0ther-Dsn-Secret@127.0.0.1:1/test',
      PG_PASSWORD: 'Env-Pa55w0rd-y2',
      REDIS_URL: 'redis://:Redis-Pa55w0rd-z3@127.0.0.1:6379/0',
      API_KEY: 'k3y-plain-value-4455',
      AUTH: 'Bearer abc.def-ghi',
    };
    const file = await probeFile(`probes:
  timeout: 2s
  checks:
    - { id: db-dsn, kind: postgres, dsnEnv: DATABASE_URL }
    - { id: db-bad, kind: postgres, dsnEnv: BAD_DATABASE_URL }
    - { id: db-pw, kind: postgres, host: 127.0.0.1, user: postgres, database: test, passwordEnv: PG_PASSWORD }
    - { id: cache, kind: redis, dsnEnv: REDIS_URL }
    - { id: api, kind: http, url: "http://127.0.0.1:${s.port}/healthz", headersEnv: { x-api-key: API_KEY, authorization: AUTH } }
`);
    for (const format of ['text', 'json', 'prometheus'] as const) {
      const io = capture();
      await probeCommand(file, { format }, io, { env });
      const all = [...io.stdout, ...io.stderr].join('\n');
      expect(all.length).toBeGreaterThan(100);
      for (const secret of ['Dsn-Pa55w0rd-x1', 'An0ther-Dsn-Secret', 'Env-Pa55w0rd-y2', 'Redis-Pa55w0rd-z3', 'k3y-plain-value-4455', 'abc.def-ghi']) {
        expect(all, `${format} leaks ${secret}`).not.toContain(secret);
      }
    }
  });

  it('watch, piped: plain lines per round, state changes marked, bounded by --count', async () => {
    let calls = 0;
    const s = await startHttp((_req, res) => {
      calls++;
      res.writeHead(calls === 1 ? 503 : 200);
      res.end(calls === 1 ? 'starting' : 'ok');
    });
    servers.push(s);
    const file = await probeFile(`- { id: api, kind: http, url: "http://127.0.0.1:${s.port}/healthz" }\n`);
    const io = capture(false);
    const code = await probeCommand(file, { watch: true, count: 2, interval: 10 }, io, { env: {}, ...noSleep });
    expect(code).toBe(EXIT_CODES.OK);
    expect(io.stdout).toHaveLength(2);
    expect(io.stdout[0]).toMatch(/^\S+Z api failed \d+ms HTTP_503 \[probe-http-503\]/);
    expect(io.stdout[1]).toMatch(/^\S+Z api ok CHANGED failed->ok \d+ms HTTP 200$/);
  });

  it('watch in a terminal: a live table marking changed rows', async () => {
    let calls = 0;
    const s = await startHttp((_req, res) => {
      calls++;
      res.writeHead(calls === 1 ? 200 : 503);
      res.end();
    });
    servers.push(s);
    const file = await probeFile(`- { id: api, kind: http, url: "http://127.0.0.1:${s.port}/healthz" }\n`);
    const frames: string[] = [];
    let done = false;
    const io = capture(true);
    const code = await probeCommand(file, { watch: true, count: 2 }, io, { env: {}, ...noSleep, live: { render: (t) => frames.push(t), done: () => (done = true) } });
    expect(code).toBe(EXIT_CODES.FINDINGS);
    expect(done).toBe(true);
    expect(frames).toHaveLength(2);
    expect(frames[1]).toMatch(/^\* +FAILED +api +http .*\(was ok\) HTTP_503/m);
    expect(frames[1]).toContain('round 2');
  });

  it('watch --format json prints one JSON object per round', async () => {
    const file = await probeFile(`- { id: cache, kind: redis }\n`);
    const io = capture();
    await probeCommand(file, { watch: true, count: 3, interval: 1000, format: 'json' }, io, { env: {}, ...noSleep });
    expect(io.stdout.map((l) => (JSON.parse(l) as { round: number }).round)).toEqual([1, 2, 3]);
  });

  it('rejects --count without --watch', async () => {
    const file = await probeFile(`- { id: cache, kind: redis }\n`);
    await expect(probeCommand(file, { count: 2 }, capture(), { env: {} })).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('an invalid probe file names the key and the fix', async () => {
    const file = await probeFile(`probes:\n  - { id: db, kind: postgres, password: hunter2 }\n`);
    await expect(probeCommand(file, {}, capture(), { env: {} })).rejects.toMatchObject({ code: 'CONFIG_INVALID', path: 'probes.0' });
  });
});
