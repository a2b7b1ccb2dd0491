// Issue 10: concurrent and killed `--apply` runs on one local snapshot. The read–plan–write
// holds the snapshot's lock (proper-lockfile), the status comment is re-checked under it, and
// orphan temp files of a killed writer are removed by the next run.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditCommand } from '../../src/cli/audit.ts';
import { STATUS_MARKER_PREFIX } from '../../src/domain/constants.ts';
import { readSnapshot } from '../../src/forge/local/local-forge.ts';
import { EXAMPLE, NOW, ROOT } from '../e2e/cli.ts';

const FILE = 'issues/1312.json';
const quiet = { out: () => undefined, err: () => undefined, isTTY: false };

function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'progressor-lock-'));
  cpSync(EXAMPLE, dir, { recursive: true });
  return dir;
}

async function state(dir: string) {
  const s = await readSnapshot(join(dir, FILE)); // throws on a corrupt file
  return {
    statusComments: s.comments.filter((c) => c.author?.login === 'progressor[bot]' && c.body.includes(STATUS_MARKER_PREFIX)).length,
    comments: s.comments.length,
    labels: s.labels.map((l) => l.name).sort(),
    temps: readdirSync(join(dir, 'issues')).filter((f) => f.endsWith('.tmp')),
  };
}

function runCli(dir: string, killAfterMs?: number): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'src/cli/main.ts'), 'audit', dir, '--apply', '--now', NOW, '--format', 'json'], {
      cwd: dir,
      stdio: 'ignore',
      env: { ...process.env, NO_COLOR: '1' },
    });
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

describe('local forge: concurrent --apply', () => {
  it('50 rounds of two concurrent --apply: exactly one status comment, no lost update', async () => {
    const outcomes: string[] = [];
    for (let round = 0; round < 50; round++) {
      const dir = copy();
      const before = await state(dir);
      await Promise.all([
        auditCommand(dir, { rules: [], now: NOW, apply: true, format: 'json' }, quiet),
        auditCommand(dir, { rules: [], now: '2026-11-21T09:05:00Z', apply: true, format: 'json' }, quiet),
      ]);
      const after = await state(dir);
      outcomes.push(`${after.statusComments} ${after.comments - before.comments} ${after.labels.join(',')}`);
      rmSync(dir, { recursive: true, force: true });
    }
    // One status comment each round; the planned labels all present (neither run's write lost).
    expect(new Set(outcomes)).toEqual(new Set(['1 1 blocked,bug,escalated-platform,infrastructure,p1,staging']));
  }, 60_000);

  it('two concurrent CLI processes (5 rounds): one status comment, labels intact', async () => {
    for (let round = 0; round < 5; round++) {
      const dir = copy();
      const codes = await Promise.all([runCli(dir), runCli(dir)]);
      expect(codes).toEqual([0, 0]);
      const s = await state(dir);
      expect([s.statusComments, s.labels.join(',')]).toEqual([1, 'blocked,bug,escalated-platform,infrastructure,p1,staging']);
      expect(existsSync(join(dir, `${FILE}.lock`))).toBe(false);
    }
  }, 60_000);
});

describe('local forge: kill -9 during --apply', () => {
  it('100 killed runs (4 lanes): 0 corrupt files, 0 duplicates, 0 orphan temp files after the next run', async () => {
    const lanes = await Promise.all(
      Array.from({ length: 4 }, async (_, lane) => {
        const dir = copy();
        let corrupt = 0;
        let duplicates = 0;
        for (let i = 0; i < 25; i++) {
          // Spread the kill over start-up, reading, planning and writing.
          await runCli(dir, 150 + ((i * 97 + lane * 211) % 1400));
          try {
            if ((await state(dir)).statusComments > 1) duplicates++;
          } catch {
            corrupt++;
          }
          // The killed run is dead; its lock would go stale after 5 s. Removing it here only
          // saves that wait; the last one is left for the final run to recover from.
          if (i < 24) rmSync(join(dir, `${FILE}.lock`), { recursive: true, force: true });
        }
        const code = await runCli(dir);
        const s = await state(dir);
        return { lane, corrupt, duplicates, code, statusComments: s.statusComments, temps: s.temps.length, lock: existsSync(join(dir, `${FILE}.lock`)) };
      }),
    );
    for (const l of lanes) expect(l).toEqual({ lane: l.lane, corrupt: 0, duplicates: 0, code: 0, statusComments: 1, temps: 0, lock: false });
  }, 120_000);
});
