import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, copyExample, NOW } from './cli.ts';

// Issue 11 items 3–7, end to end on copies of the bundled example (its configuration sets
// `claim.sessionLabelFormat: agent-session-{YYYYMMDD}-{HHmmss}`).

interface Snapshot {
  state: string;
  labels: { name: string }[];
  comments: { author: { login: string }; body: string }[];
}
const read = (dir: string): Snapshot => JSON.parse(readFileSync(join(dir, 'issues/1312.json'), 'utf8')) as Snapshot;
const labels = (dir: string): string[] => read(dir).labels.map((l) => l.name);

describe('strict numeric and time options (item 3)', () => {
  it.each([
    [['audit', '.', '--apply', '--max-writes', 'abc'], "error: option '--max-writes <n>' argument 'abc' is invalid. expected a whole number ≥ 0, such as 3."],
    [['audit', '.', '--apply', '--max-writes', '-1'], "error: option '--max-writes <n>' argument '-1' is invalid. expected a whole number ≥ 0, such as 3."],
    [['audit', '.', '--issue', 'abc'], "error: option '--issue <n>' argument 'abc' is invalid. expected a whole number ≥ 1, such as 3."],
    [['audit', '.', '--now', 'yesterday'], "error: option '--now <time>' argument 'yesterday' is invalid. expected an ISO time (2026-11-20T17:00:00Z), a date (2026-11-20), or a time back from now (30m, 2h, 7d)."],
    [['validate', '.', '--since', 'soon'], "error: option '--since <time>' argument 'soon' is invalid. expected an ISO time (2026-11-20T17:00:00Z), a date (2026-11-20), or a time back from now (30m, 2h, 7d)."],
    [['claim', 'issues/1312.json', '--lease-minutes', '0'], "error: option '--lease-minutes <n>' argument '0' is invalid. expected a positive number such as 20."],
    [['probe', '--watch', '--count', '1.5'], "error: option '--count <n>' argument '1.5' is invalid. expected a whole number ≥ 1, such as 3."],
    [['scan', 'logs/orbit-api.log', '--workers', 'many'], "error: option '--workers <n>' argument 'many' is invalid. expected a whole number ≥ 1, such as 3."],
  ])('%j exits 2 with one line naming the option, writing nothing', (args, line) => {
    const dir = copyExample();
    const before = readFileSync(join(dir, 'issues/1312.json'), 'utf8');
    const r = cli(args, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toEqual([line, `see 'progressor ${args[0]} --help'`, '']);
    expect(readFileSync(join(dir, 'issues/1312.json'), 'utf8')).toBe(before);
  });

  it('--since takes the same "2h back" form as scan, relative to --now', () => {
    const dir = copyExample();
    const r = cli(['validate', '.', '--since', '2h', '--now', '2026-11-21T09:00:00Z', '--format', 'json'], { cwd: dir });
    expect((JSON.parse(r.stdout) as { since: string; sinceSource: string })).toMatchObject({ since: '2026-11-21T07:00:00.000Z', sinceSource: '--since' });
  });
});

describe('claim, heartbeat, next and release follow .github/progressor.yml (items 4, 5, 6)', () => {
  const dir = copyExample();
  const claimed = cli(['claim', 'issues/1312.json', '--format', 'json'], { cwd: dir });
  const session = (JSON.parse(claimed.stdout) as { session: string }).session;

  it('claim labels with the configured agent-session format, every placeholder filled', () => {
    expect(claimed.code).toBe(0);
    expect(session).toMatch(/^agent-session-\d{8}-\d{6}-[0-9a-f]{4}$/);
    expect(labels(dir)).toEqual(['bug', 'p1', 'staging', 'actively-being-worked-on', session]);
  });

  it("the audit does not take progressor's own claim and session labels as evidence", () => {
    const r = cli(['audit', '.', '--format', 'json', '--now', NOW], { cwd: dir });
    const evidence = (JSON.parse(r.stdout) as { evidence: { kind: string; excerpt: string }[] }).evidence;
    expect(evidence.filter((e) => e.kind === 'label').map((e) => e.excerpt)).toEqual(['label: bug', 'label: p1', 'label: staging']);
  });

  it('the heartbeat creates a status comment that passes progressor lint', () => {
    const hb = cli(['claim', 'issues/1312.json', '--heartbeat', '--session', session], { cwd: dir });
    expect(hb.code).toBe(0);
    const body = read(dir).comments.at(-1)!.body;
    expect(body.split('\n').slice(0, 2)).toEqual([
      '**Status:** in-progress · **Owner:** unknown · low confidence',
      expect.stringMatching(new RegExp(`^Claimed by session \`${session}\` until \`\\S+Z\`; no audit has run on issue #1312 yet\\.$`)),
    ]);
    writeFileSync(join(dir, 'heartbeat.md'), body);
    const lint = cli(['lint', 'heartbeat.md'], { cwd: dir });
    expect([lint.code, lint.stdout]).toEqual([0, '']);
  });

  it('next skips the live claim; release removes both labels', () => {
    const next = cli(['next', '.'], { cwd: dir });
    expect([next.code, next.stdout]).toEqual([1, '']);
    const rel = cli(['release', 'issues/1312.json', '--session', session], { cwd: dir });
    expect([rel.code, rel.stdout]).toEqual([0, `issues/1312.json#1312: removed ${session}, actively-being-worked-on\n`]);
    expect(labels(dir)).toEqual(['bug', 'p1', 'staging']);
  });

  it('--config points claim at another configuration', () => {
    writeFileSync(join(dir, 'other.yml'), 'claim:\n  label: taken\n  sessionLabelFormat: "w-{YYYY}{MM}{DD}-{rand}"\n');
    const r = cli(['claim', 'issues/1312.json', '--config', 'other.yml', '--format', 'json'], { cwd: dir });
    const s = (JSON.parse(r.stdout) as { session: string }).session;
    expect(s).toMatch(/^w-\d{8}-[0-9a-f]{4}$/);
    expect(labels(dir)).toEqual(['bug', 'p1', 'staging', 'taken', s]);
  });
});

describe('--max-writes 1 --format json (item 7)', () => {
  it('prints the audit with what was and was not written, and exits 10', () => {
    const dir = copyExample();
    const r = cli(['audit', '.', '--apply', '--max-writes', '1', '--format', 'json', '--now', NOW], { cwd: dir });
    expect(r.code).toBe(10);
    const json = JSON.parse(r.stdout) as { status: string; applied: unknown };
    expect(json.status).toBe('blocked-on-infrastructure');
    expect(json.applied).toEqual({
      written: ['created the status comment'],
      notWritten: ['add labels blocked, infrastructure, escalated-platform'],
      noChange: false,
    });
    expect(r.stderr.split('\n')[0]).toBe(
      'error[BUDGET_EXHAUSTED]: write budget exhausted (--max-writes 1): written: created the status comment; not written: add labels blocked, infrastructure, escalated-platform',
    );
    expect(labels(dir)).toEqual(['bug', 'p1', 'staging']);
    expect(read(dir).comments.at(-1)!.body.split('\n')[0]).toBe('**Status:** blocked-on-infrastructure · **Owner:** infrastructure · high confidence');
  });
});
