// One Store suite, both engines (STYLE §6 contract tests): SQLite in a temporary file and
// PostgreSQL on 127.0.0.1:5432 (db `test`) in a schema unique to this run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../src/stores/postgres/postgres-store.ts';
import { openSqliteStore } from '../../src/stores/sqlite/sqlite-store.ts';
import { LATEST_SCHEMA_VERSION } from '../../src/stores/migrations/migrations.ts';
import { storeTarget } from '../../src/stores/open-store.ts';
import type { Store } from '../../src/stores/store.ts';

const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const tmp = mkdtempSync(join(tmpdir(), 'progressor-store-'));
const schemas: string[] = [];

const engines: [string, () => Promise<Store>][] = [
  ['sqlite', () => openSqliteStore(join(tmp, `${randomBytes(4).toString('hex')}.db`))],
  [
    'postgres',
    () => {
      const schema = `progressor_test_${process.pid}_${randomBytes(4).toString('hex')}`;
      schemas.push(schema);
      return openPostgresStore(PG_URL, schema);
    },
  ],
];

afterAll(async () => {
  rmSync(tmp, { recursive: true, force: true });
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  for (const s of schemas) await c.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  await c.end();
});

const T0 = new Date('2026-12-01T10:00:00.000Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);

for (const [name, open] of engines) {
  describe(`Store contract: ${name}`, () => {
    it('migrates to the latest version, and re-opening applies nothing twice', async () => {
      const s = await open();
      expect(await s.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
      expect(s.engine).toBe(name);
      await s.close();
    });

    it('keeps sessions, updating by id', async () => {
      const s = await open();
      await s.saveSession({ id: 'progressor-session-1', issueKey: 'local:/x#1', startedAt: T0.toISOString(), worker: 'host:1' });
      await s.saveSession({ id: 'progressor-session-1', issueKey: 'local:/x#1', startedAt: T0.toISOString(), endedAt: at(5).toISOString(), worker: 'host:1' });
      expect(await s.getSession('progressor-session-1')).toEqual({
        id: 'progressor-session-1',
        issueKey: 'local:/x#1',
        startedAt: T0.toISOString(),
        endedAt: at(5).toISOString(),
        worker: 'host:1',
      });
      expect(await s.getSession('nope')).toBeUndefined();
      await s.close();
    });

    it('leases: one holder at a time, taken over only after expiry, renewed only by the holder', async () => {
      const s = await open();
      const a = await s.acquireLease('issue-1', 'worker-a', T0, 60_000);
      expect(a).toEqual({ key: 'issue-1', holder: 'worker-a', acquiredAt: T0.toISOString(), expiresAt: at(60_000).toISOString() });
      expect(await s.acquireLease('issue-1', 'worker-b', at(30_000), 60_000)).toBeUndefined();
      expect(await s.renewLease('issue-1', 'worker-b', at(30_000), 60_000)).toBe(false);
      expect(await s.renewLease('issue-1', 'worker-a', at(30_000), 60_000)).toBe(true);
      expect((await s.getLease('issue-1'))?.expiresAt).toBe(at(90_000).toISOString());
      // Re-acquiring one's own lease keeps the acquisition time.
      expect((await s.acquireLease('issue-1', 'worker-a', at(40_000), 60_000))?.acquiredAt).toBe(T0.toISOString());
      // Expired: another worker takes it over.
      const b = await s.acquireLease('issue-1', 'worker-b', at(200_000), 60_000);
      expect(b?.holder).toBe('worker-b');
      expect(b?.acquiredAt).toBe(at(200_000).toISOString());
      await s.releaseLease('issue-1', 'worker-a'); // not the holder: nothing happens
      expect((await s.getLease('issue-1'))?.holder).toBe('worker-b');
      await s.releaseLease('issue-1', 'worker-b');
      expect(await s.getLease('issue-1')).toBeUndefined();
      await s.close();
    });

    it('leases are compare-and-set under concurrency: of 8 racing workers exactly one wins', async () => {
      const stores = await Promise.all([open()]);
      const s = stores[0]!;
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => s.acquireLease('race', `w${i}`, T0, 60_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
      await s.close();
    });

    it('keeps audits, newest first', async () => {
      const s = await open();
      for (const [i, status] of ['needs-reproduction', 'in-progress'].entries()) {
        await s.saveAudit({
          id: `a${i}`,
          issueKey: 'local:/x#1',
          session: 'sess',
          runId: null,
          auditHash: `h${i}`,
          status,
          owner: 'application',
          category: 'code-bug',
          at: at(i * 1000).toISOString(),
          summary: { confidence: 'medium' },
        });
      }
      const list = await s.listAudits('local:/x#1');
      expect(list.map((a) => [a.id, a.status, a.auditHash])).toEqual([
        ['a1', 'in-progress', 'h1'],
        ['a0', 'needs-reproduction', 'h0'],
      ]);
      expect(list[0]!.summary).toEqual({ confidence: 'medium' });
      expect(await s.listAudits('local:/other#2')).toEqual([]);
      await s.close();
    });

    it('runs and step checkpoints: attempts, totals, artefacts, per-issue totals', async () => {
      const s = await open();
      const run = await s.createRun({
        id: 'run-1',
        issueKey: 'local:/x#1',
        session: 'sess',
        branch: 'progressor/issue-1-sess',
        state: 'running',
        startedAt: T0.toISOString(),
        updatedAt: T0.toISOString(),
        options: { agent: 'command' },
      });
      expect(run.tokens).toBe(0);
      const first = await s.startStep('run-1', 3, 'plan-tests', 'in-a', T0.toISOString());
      expect(first).toMatchObject({ step: 3, name: 'plan-tests', state: 'running', attempt: 1, inputHash: 'in-a', tokens: 0, artefacts: [] });
      // A crash: the step is started again and the attempt is counted.
      await s.finishStep('run-1', 3, { state: 'failed', endedAt: at(100).toISOString(), durationMs: 100, tokens: 50, costUsd: 0.01, result: { error: 'timeout' } });
      const again = await s.startStep('run-1', 3, 'plan-tests', 'in-a', at(200).toISOString());
      expect(again).toMatchObject({ attempt: 2, state: 'running', result: null, tokens: 50 });
      await s.finishStep('run-1', 3, {
        state: 'done',
        endedAt: at(1200).toISOString(),
        durationMs: 1000,
        tokens: 1200,
        costUsd: 0.02,
        result: { files: ['test/repro.test.js'] },
        artefacts: [{ kind: 'commit', ref: 'abc123' }],
      });
      await s.startStep('run-1', 4, 'run-tests', 'in-b', at(1300).toISOString());
      await s.recordArtefacts('run-1', 4, [{ kind: 'deploy', ref: 'abc123', url: at(1300).toISOString() }]);
      expect((await s.listSteps('run-1'))[1]!.artefacts).toEqual([{ kind: 'deploy', ref: 'abc123', url: at(1300).toISOString() }]);
      await s.finishStep('run-1', 4, { state: 'done', endedAt: at(1400).toISOString(), durationMs: 100, result: { passed: 3, failed: 1 } });

      const steps = await s.listSteps('run-1');
      expect(steps.map((x) => [x.step, x.state, x.attempt, x.tokens])).toEqual([
        [3, 'done', 2, 1250],
        [4, 'done', 1, 0],
      ]);
      expect(steps[0]!.costUsd).toBeCloseTo(0.03, 10);
      expect(steps[0]!.artefacts).toEqual([{ kind: 'commit', ref: 'abc123' }]);
      expect(steps[0]!.result).toEqual({ files: ['test/repro.test.js'] });
      expect(steps[0]!.durationMs).toBe(1000);
      await expect(s.finishStep('run-1', 9, { state: 'done', endedAt: T0.toISOString(), durationMs: 1 })).rejects.toMatchObject({ code: 'STORE_FAILED' });

      await s.updateRun('run-1', { state: 'done', endedAt: at(2000).toISOString(), updatedAt: at(2000).toISOString() });
      const got = await s.getRun('run-1');
      expect(got).toMatchObject({ id: 'run-1', state: 'done', tokens: 1250, branch: 'progressor/issue-1-sess', options: { agent: 'command' } });
      expect(got!.costUsd).toBeCloseTo(0.03, 10);

      await s.createRun({ id: 'run-2', issueKey: 'local:/x#1', session: 's2', state: 'running', startedAt: at(3000).toISOString(), updatedAt: at(3000).toISOString(), options: {} });
      await s.startStep('run-2', 3, 'plan-tests', null, at(3000).toISOString());
      await s.finishStep('run-2', 3, { state: 'done', endedAt: at(3100).toISOString(), durationMs: 100, tokens: 10, costUsd: 0.5 });
      await s.createRun({ id: 'run-3', issueKey: 'local:/y#2', session: 's3', state: 'running', startedAt: at(4000).toISOString(), updatedAt: at(4000).toISOString(), options: {} });
      expect((await s.listRuns({ issueKey: 'local:/x#1' })).map((r) => r.id)).toEqual(['run-2', 'run-1']);
      expect((await s.listRuns()).map((r) => r.id)).toEqual(['run-3', 'run-2', 'run-1']);
      const totals = await s.issueTotals('local:/x#1');
      expect(totals.tokens).toBe(1260);
      expect(totals.costUsd).toBeCloseTo(0.53, 10);
      await expect(
        s.createRun({ id: 'run-1', issueKey: 'k', session: 's', state: 'running', startedAt: T0.toISOString(), updatedAt: T0.toISOString(), options: {} }),
      ).rejects.toMatchObject({ code: 'STORE_FAILED' });
      await s.close();
    });

    it('keeps probe history per probe, newest first', async () => {
      const s = await open();
      await s.saveProbeResults([
        { probeId: 'db', target: '127.0.0.1:5432', status: 'failed', latencyMs: 12.5, error: 'ECONNREFUSED', at: T0.toISOString() },
        { probeId: 'db', target: '127.0.0.1:5432', status: 'ok', latencyMs: 3, at: at(60_000).toISOString(), observed: 'select 1' },
        { probeId: 'cache', target: '127.0.0.1:6379', status: 'ok', latencyMs: 1, at: T0.toISOString() },
      ]);
      const h = await s.listProbeHistory('db');
      expect(h.map((p) => [p.status, p.latencyMs, p.error ?? null])).toEqual([
        ['ok', 3, null],
        ['failed', 12.5, 'ECONNREFUSED'],
      ]);
      await s.close();
    });
  });
}

describe('store selection (SPEC §9)', () => {
  it('DATABASE_URL, then PROGRESSOR_STORE, then the state folder', () => {
    expect(storeTarget({ databaseUrl: 'postgres://u@h/db', storeFile: '/x.db', stateHome: '/s' })).toEqual({ engine: 'postgres', url: 'postgres://u@h/db', schema: 'public' });
    expect(storeTarget({ storeFile: '/x.db', stateHome: '/s' })).toEqual({ engine: 'sqlite', file: '/x.db' });
    expect(storeTarget({ stateHome: '/s' })).toEqual({ engine: 'sqlite', file: '/s/progressor/progressor.db' });
    expect(() => storeTarget({})).toThrow(/no place for the store/);
  });

  it('two processes opening a new SQLite file migrate it once', async () => {
    const file = join(tmp, 'shared.db');
    const script = `import { openSqliteStore } from ${JSON.stringify(new URL('../../src/stores/sqlite/sqlite-store.ts', import.meta.url).href)};
      const s = await openSqliteStore(process.argv[1]); console.log(await s.schemaVersion()); await s.close();`;
    const one = (): Promise<string> =>
      new Promise((res, rej) =>
        execFile(process.execPath, ['--input-type=module', '-e', script, file], (e, out, err) => (e ? rej(new Error(err)) : res(out.trim()))),
      );
    expect(await Promise.all([one(), one(), one()])).toEqual([String(LATEST_SCHEMA_VERSION), String(LATEST_SCHEMA_VERSION), String(LATEST_SCHEMA_VERSION)]);
    const s = await openSqliteStore(file);
    expect(await s.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    await s.close();
  });
});
