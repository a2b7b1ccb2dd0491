import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/stores/sqlite/sqlite-store.ts';
import { cli, EXAMPLE } from './cli.ts';

describe('progressor runs', () => {
  it('lists runs and their steps from PROGRESSOR_STORE, all or one issue, as text and JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'progressor-runs-'));
    const file = join(dir, 'store.db');
    const s = await openSqliteStore(file);
    const key = `local:${join(EXAMPLE, 'issues/1312.json')}#1312`;
    await s.createRun({ id: 'run-a', issueKey: key, session: 'progressor-session-20261201-100000', state: 'done', startedAt: '2026-12-01T10:00:00.000Z', updatedAt: '2026-12-01T10:00:05.000Z', options: {} });
    await s.startStep('run-a', 4, 'run-tests', 'h', '2026-12-01T10:00:01.000Z');
    await s.finishStep('run-a', 4, { state: 'done', endedAt: '2026-12-01T10:00:03.500Z', durationMs: 2500, tokens: 0, costUsd: 0, result: { summary: '3 passed, 1 failed' } });
    await s.createRun({ id: 'run-b', issueKey: 'github:acme/api#7', session: 's', state: 'running', startedAt: '2026-12-01T11:00:00.000Z', updatedAt: '2026-12-01T11:00:00.000Z', options: {} });
    await s.close();
    const env = { PROGRESSOR_STORE: file, DATABASE_URL: '' };

    const all = cli(['runs', '--format', 'json'], { env });
    expect(all.code).toBe(0);
    const json = JSON.parse(all.stdout) as { store: { engine: string }; runs: { id: string; steps: { step: number; name: string; state: string; durationMs: number }[] }[] };
    expect(json.store.engine).toBe('sqlite');
    expect(json.runs.map((r) => r.id)).toEqual(['run-b', 'run-a']);
    expect(json.runs[1]!.steps).toMatchObject([{ step: 4, name: 'run-tests', state: 'done', durationMs: 2500 }]);

    const one = cli(['runs', EXAMPLE], { env });
    expect(one.code).toBe(0);
    expect(one.stdout.split('\n')[0]).toMatch(/^run-a {2}local:.*1312\.json#1312 {2}done {2}started 2026-12-01T10:00:00\.000Z {2}tokens 0 {2}cost \$0\.0000$/);
    expect(one.stdout).toContain('  4 run-tests        done        2.5 s  tokens 0  $0.0000  attempt 1  3 passed, 1 failed');
    expect(one.stdout).not.toContain('run-b');
  });

  it('an unwritable store location fails with exit 12 naming it', () => {
    const notDir = join(mkdtempSync(join(tmpdir(), 'progressor-runs-')), 'file');
    writeFileSync(notDir, 'x');
    const r = cli(['runs'], { env: { PROGRESSOR_STORE: join(notDir, 'x.db'), DATABASE_URL: '' } });
    expect(r.code).toBe(12);
    expect(r.stderr).toContain(`error[STORE_FAILED] ${join(notDir, 'x.db')}: cannot open the SQLite store`);
  });
});
