import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLint, type LintIo } from './lint.ts';

const fixtures = fileURLToPath(new URL('../../test/fixtures/lint/', import.meta.url));
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'progressor-lint-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function capture(stdin?: string): LintIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out: (t: string) => {
      io.stdout += t;
    },
    err: (t: string) => {
      io.stderr += t;
    },
    ...(stdin === undefined ? {} : { readStdin: async () => stdin }),
  };
  return io;
}

describe('progressor lint', () => {
  it('exit 0 and no output for a clean comment', async () => {
    const io = capture();
    expect(await runLint(join(fixtures, 'clean.md'), { format: 'text' }, io)).toBe(0);
    expect(io.stdout).toBe('');
    expect(io.stderr).toBe('');
  });

  it('exit 1 with file:line rule message lines for findings', async () => {
    const io = capture();
    const file = join(fixtures, 'seed-style.md');
    expect(await runLint(file, { format: 'text' }, io)).toBe(1);
    const lines = io.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(23);
    expect(lines[0]).toBe(`${file}:1 takeaway-first line 1 must be the status line "**Status:** <status> · **Owner:** <owner> · <confidence>"`);
    expect(lines.at(-1)).toBe(`${file}:32 no-noise emoji in text (🤖); use words`);
  });

  it('--format json prints { file, findings } and still exits 1', async () => {
    const io = capture();
    const file = join(fixtures, 'seed-style.md');
    expect(await runLint(file, { format: 'json' }, io)).toBe(1);
    const report = JSON.parse(io.stdout) as { file: string; findings: { rule: string; line: number; message: string }[] };
    expect(report.file).toBe(file);
    expect(report.findings[0]).toEqual({
      rule: 'takeaway-first',
      line: 1,
      message: 'line 1 must be the status line "**Status:** <status> · **Owner:** <owner> · <confidence>"',
    });
    expect(report.findings.filter((f) => f.rule === 'max-labels')).toEqual([
      { rule: 'max-labels', line: 24, message: 'recommends 5 labels (payments, p0, platform, needs-triage, escalated); at most 3 beyond the claim/session labels' },
    ]);
  });

  it('json for a clean file has an empty findings list', async () => {
    const io = capture();
    expect(await runLint(join(fixtures, 'clean.md'), { format: 'json' }, io)).toBe(0);
    expect(JSON.parse(io.stdout)).toEqual({ file: join(fixtures, 'clean.md'), findings: [] });
  });

  it('--max-labels changes the limit', async () => {
    const io = capture();
    expect(await runLint(join(fixtures, 'clean.md'), { maxLabels: 1 }, io)).toBe(1);
    expect(io.stdout).toContain(':22 max-labels recommends 2 labels (blocked, infrastructure); at most 1 beyond the claim/session labels\n');
  });

  it('reads standard input for -', async () => {
    const io = capture('hello\n');
    expect(await runLint('-', {}, io)).toBe(1);
    expect(io.stdout.split('\n')[0]).toBe('-:1 takeaway-first line 1 must be the status line "**Status:** <status> · **Owner:** <owner> · <confidence>"');
  });

  it('input errors exit 6 naming the file', async () => {
    const missing = join(dir, 'missing.md');
    let io = capture();
    expect(await runLint(missing, {}, io)).toBe(6);
    expect(io.stderr).toBe(`error[INPUT_INVALID] ${missing}: cannot read file (ENOENT)\n  fix: Check the path.\n`);

    const binary = join(dir, 'binary.md');
    await writeFile(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    io = capture();
    expect(await runLint(binary, {}, io)).toBe(6);
    expect(io.stderr).toBe(`error[INPUT_INVALID] ${binary}: is binary, not Markdown\n  fix: Pass the Markdown text of a comment.\n`);

    io = capture();
    expect(await runLint(dir, {}, io)).toBe(6);
    expect(io.stderr).toBe(`error[INPUT_INVALID] ${dir}: is not a file\n  fix: Pass the path of a Markdown comment file.\n`);
    expect(io.stdout).toBe('');
  });
});
