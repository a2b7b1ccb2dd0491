import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/output.ts';
import { validateCommand, type ValidateReport } from '../../src/cli/validate.ts';
import { EXIT_CODES } from '../../src/errors/errors.ts';

// Fixture: issue #1401 whose linked PR #1405 merged at 12:00; its log fails before 12:00
// and is clean after; its probes point at this machine's PostgreSQL and Redis.
const FIXTURE = resolve(import.meta.dirname, '../fixtures/validate');

function capture(): CliIo & { stdout: string[] } {
  const stdout: string[] = [];
  return { stdout, isTTY: false, out: (t) => stdout.push(t), err: () => {} };
}

async function validateJson(opts: Parameters<typeof validateCommand>[1], ref = FIXTURE): Promise<{ code: number; report: ValidateReport }> {
  const io = capture();
  const code = await validateCommand(ref, { issue: 1401, format: 'json', ...opts }, io, { env: {} });
  return { code, report: JSON.parse(io.stdout.join('')) as ValidateReport };
}

describe('progressor validate', () => {
  it('says fixed when every probe is healthy and the logs stop failing after the merge of the fix', async () => {
    const io = capture();
    const code = await validateCommand(FIXTURE, { issue: 1401 }, io, { env: {} });
    expect(code).toBe(EXIT_CODES.OK);
    const text = io.stdout.join('\n');
    expect(text.split('\n')[0]).toBe('Validate: fixed · issue #1401 Staging API cannot start: database socket missing and Redis error -3');
    expect(text).toContain('Fix time: 2026-11-20T12:00:00.000Z (PR #1405 merged)');
    expect(text).toContain('- all 3 probes are healthy and no failure signal in the logs since the fix');
    expect(text).toContain('Logs since the fix: no failure signal');
  });

  it('says not fixed and names the failing probe when one probe fails', async () => {
    const { code, report } = await validateJson({ probes: join(FIXTURE, 'probes-one-failing.yml') });
    expect(code).toBe(EXIT_CODES.FINDINGS);
    expect(report.verdict).toBe('not-fixed');
    expect(report.decision.failingProbes).toEqual([
      expect.objectContaining({ id: 'db-socket', code: 'ENOENT', rule: 'probe-postgres-socket-missing' }),
    ]);
    expect(report.decision.reasons[0]).toMatch(/^probe db-socket \(postgres .*\) still fails: ENOENT \[probe-postgres-socket-missing\]/);
    expect(report.decision.healthyProbes).toEqual(['db', 'cache']);
  });

  it('says not fixed while failure signals still appear in the logs after the fix time', async () => {
    const { code, report } = await validateJson({ since: '2026-11-20T09:00:00Z' });
    expect(code).toBe(EXIT_CODES.FINDINGS);
    expect(report.verdict).toBe('not-fixed');
    expect(report.decision.recurringSignals.map((s) => [s.rule, s.count])).toEqual([
      ['cloudsql-socket-missing', 2],
      ['dns-temporary-failure', 1],
    ]);
  });

  it('never probes an address read from the issue unless probes.allow lists it', async () => {
    const { report } = await validateJson({});
    expect(report.probes.map((p) => p.id)).toEqual(['db', 'cache', 'db-tcp']);
    expect(report.gaps).toEqual([
      { collector: 'probes', code: 'NOT_ALLOWED', message: 'not probed: redis-staging:6379 is named in the issue but is not in probes.allow' },
    ]);
  });

  it('with --apply closes the issue when fixed, and leaves it open when not', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'progressor-validate-'));
    await cp(FIXTURE, dir, { recursive: true });
    const notFixed = await validateJson({ apply: true, probes: join(dir, 'probes-one-failing.yml'), now: '2026-11-21T00:00:00Z' }, dir);
    expect(notFixed.code).toBe(EXIT_CODES.FINDINGS);
    expect(JSON.parse(await readFile(join(dir, 'issues/1401.json'), 'utf8'))).toMatchObject({ state: 'OPEN' });
    expect(notFixed.report.applied).toContain('left open: not-fixed');

    const fixed = await validateJson({ apply: true, now: '2026-11-21T00:00:00Z' }, dir);
    expect(fixed.code).toBe(EXIT_CODES.OK);
    expect(JSON.parse(await readFile(join(dir, 'issues/1401.json'), 'utf8'))).toMatchObject({ state: 'CLOSED' });
  });

  it('asks for --since when no linked PR was merged', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'progressor-validate-'));
    await cp(FIXTURE, dir, { recursive: true });
    const file = join(dir, 'issues/1401.json');
    const snap = JSON.parse(await readFile(file, 'utf8')) as { linkedPullRequests: unknown[] };
    snap.linkedPullRequests = [];
    await (await import('node:fs/promises')).writeFile(file, JSON.stringify(snap));
    await expect(validateCommand(dir, { issue: 1401 }, capture(), { env: {} })).rejects.toMatchObject({ code: 'USAGE' });
  });
});
