// Issue 10, bad input: each case exits with its documented code, prints one clear line
// naming the file and the fix, no stack trace, and writes nothing half-way.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, copyExample, NOW } from './cli.ts';

function bomb(head = ''): string {
  let y = `${head}a0: &a0 [x, x, x, x, x, x, x, x, x]\n`;
  for (let i = 1; i < 10; i++) y += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]\n`;
  return y;
}

function expectClean(r: { code: number; stderr: string }, code: number, file: string, fix: RegExp): void {
  expect(r.code).toBe(code);
  const lines = r.stderr.trim().split('\n');
  expect(lines[0]).toContain(file);
  expect(r.stderr).toMatch(fix);
  expect(r.stderr).not.toMatch(/\n\s+at |INTERNAL|This is a bug/);
  expect(lines.length).toBeLessThanOrEqual(2);
}

describe('bad input', () => {
  it('a YAML alias bomb in a rule file: exit 5 naming the file', () => {
    const dir = copyExample();
    mkdirSync(join(dir, 'myrules'));
    writeFileSync(join(dir, 'myrules', 'bomb.yaml'), bomb('id: bomb\n'));
    const r = cli(['audit', dir, '--now', NOW, '--rules', join(dir, 'myrules')]);
    expectClean(r, 5, 'bomb.yaml', /fix: Remove the YAML aliases/);
  });

  it('a YAML alias bomb in the configuration: exit 3 naming the file', () => {
    const dir = copyExample();
    writeFileSync(join(dir, '.github', 'progressor.yml'), bomb());
    const before = readFileSync(join(dir, 'issues', '1312.json'), 'utf8');
    const r = cli(['audit', dir, '--now', NOW, '--apply']);
    expectClean(r, 3, 'progressor.yml', /fix: Remove the YAML aliases/);
    expect(readFileSync(join(dir, 'issues', '1312.json'), 'utf8')).toBe(before);
  });

  it('a probe timeout beyond 10 minutes: exit 3 naming the file and key (no overflow to 1 ms)', () => {
    const dir = copyExample();
    writeFileSync(join(dir, 'probes.yml'), 'checks:\n  - { id: db, kind: tcp, host: 127.0.0.1, port: 1, timeout: 99999999999999 }\n');
    const r = cli(['probe', join(dir, 'probes.yml')]);
    expectClean(r, 3, 'probes.yml', /checks\.0\.timeout: at most 600000 ms/);
  });

  it('an unknown configuration key named password is printed by name', () => {
    const dir = copyExample();
    writeFileSync(join(dir, '.github', 'progressor.yml'), 'password: hunter2\n');
    const r = cli(['audit', dir, '--now', NOW]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('password: unknown key "password"');
    expect(r.stderr).not.toContain('hunter2');
  });

  it('a snapshot with a UTF-8 byte-order mark is accepted, also by --apply', () => {
    const dir = copyExample();
    const file = join(dir, 'issues', '1312.json');
    writeFileSync(file, `\uFEFF${readFileSync(file, 'utf8')}`);
    const r = cli(['audit', dir, '--now', NOW, '--apply', '--format', 'json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { status: string }).status).toBe('blocked-on-infrastructure');
  });

  it('a snapshot nested 200 000 levels deep: exit 4 naming the file, nothing written', () => {
    const dir = copyExample();
    const file = join(dir, 'issues', '1312.json');
    const text = readFileSync(file, 'utf8').replace(/\}\s*$/, `, "extra": ${'['.repeat(200_000)}${']'.repeat(200_000)} }`);
    writeFileSync(file, text);
    const r = cli(['audit', dir, '--now', NOW, '--apply']);
    expectClean(r, 4, '1312.json', /nested more than 64 levels deep/);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });
});
