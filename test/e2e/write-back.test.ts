import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, copyExample } from './cli.ts';

// Issue 11 items 1 and 2, end to end on a copy of the bundled example: an audit escalates,
// a maintainer reports the fix deployed, validation confirms it.

interface Snapshot {
  state: string;
  labels: { name: string }[];
  comments: { id: string; author: { login: string }; authorAssociation?: string; body: string; createdAt: string }[];
}

const read = (dir: string): Snapshot => JSON.parse(readFileSync(join(dir, 'issues/1312.json'), 'utf8')) as Snapshot;
const labels = (s: Snapshot): string[] => s.labels.map((l) => l.name);
const byBot = (s: Snapshot) => s.comments.filter((c) => c.author.login === 'progressor[bot]');
const nextSection = (body: string): string[] => {
  const after = body.split('### Next\n\n')[1] ?? '';
  return after.split('\n\n')[0]!.split('\n');
};

describe('write-back that tells the truth (issue 11)', () => {
  const dir = copyExample();
  const escalated = cli(['audit', '.', '--apply', '--format', 'md', '--now', '2026-11-20T17:00:00Z'], { cwd: dir });
  const afterEscalation = read(dir);

  it('escalates first: blocked, with the blocked and escalation labels', () => {
    expect(escalated.code).toBe(0);
    expect(afterEscalation.state).toBe('OPEN');
    expect(labels(afterEscalation)).toEqual(['bug', 'p1', 'staging', 'blocked', 'infrastructure', 'escalated-platform']);
    expect(byBot(afterEscalation)[0]!.body.split('\n')[0]).toBe('**Status:** blocked-on-infrastructure · **Owner:** infrastructure · high confidence');
  });

  // Item 2: a MEMBER reports the fix deployed after the last failure.
  const snap = read(dir);
  snap.comments.push({
    id: 'IC_fix_deployed',
    author: { login: 'sam-sre' },
    authorAssociation: 'MEMBER',
    body: 'Recreated the connector, it is READY now, redeployed.',
    createdAt: '2026-11-20T18:00:00Z',
  });
  writeFileSync(join(dir, 'issues/1312.json'), JSON.stringify(snap, null, 2));
  const reported = cli(['audit', '.', '--apply', '--format', 'md', '--now', '2026-11-20T18:30:00Z'], { cwd: dir });
  const afterReport = read(dir);

  it('a fix reported in the thread is "fix deployed, awaiting validation", with validate first in Next', () => {
    expect(reported.code).toBe(0);
    const body = byBot(afterReport)[0]!.body;
    expect(body.split('\n').slice(0, 2)).toEqual([
      '**Status:** in-progress · **Owner:** infrastructure · medium confidence',
      // The takeaway's evidence ids are links (issue 12).
      'Fix deployed, awaiting validation: sam-sre reported the fix deployed ([E8](https://github.com/orbit-labs/orbit/issues/1312#issuecomment-IC_fix_deployed)) after the last recorded failure ([E7](https://github.com/orbit-labs/orbit/issues/1312#issuecomment-9106)).',
    ]);
    // Next is a ranked (numbered) list.
    expect(nextSection(body)[0]).toBe(
      '1. Maintainers: run progressor validate on this issue: it probes the services and scans the logs written since the fix.',
    );
    expect(labels(afterReport)).toEqual(['bug', 'p1', 'staging', 'in-progress']);
    expect(afterReport.state).toBe('OPEN');
    // Not a status change people are notified of: the living comment is edited, nothing posted.
    expect(byBot(afterReport)).toHaveLength(1);
    expect(reported.stderr).toBe(
      'applied: updated the status comment local-7; added labels in-progress; removed label blocked; removed label escalated-platform; removed label infrastructure\n',
    );
  });

  // Item 1: validation with healthy probes (this machine's PostgreSQL) and clean logs since the fix.
  writeFileSync(join(dir, 'probes.yml'), 'checks:\n  - { id: db-tcp, kind: tcp, host: 127.0.0.1, port: 5432 }\n');
  const validated = cli(['validate', '.', '--apply', '--probes', 'probes.yml', '--since', '2026-11-20T18:00:00Z', '--now', '2026-11-21T09:00:00Z'], { cwd: dir });
  const afterValidate = read(dir);

  it('validate --apply closes the issue and rewrites the comment as resolved with the probe and log evidence', () => {
    expect(validated.code).toBe(0);
    expect(afterValidate.state).toBe('CLOSED');
    const body = byBot(afterValidate)[0]!.body;
    expect(body.split('\n').slice(0, 2)).toEqual([
      '**Status:** resolved · **Owner:** infrastructure · high confidence',
      'Resolved: validated after the fix of 2026-11-20T18:00:00Z: the probe is healthy (E15) and the logs show no failure signal since the fix (E14).',
    ]);
    expect(body).toContain('- status `resolved` decided by `validate-fixed`; runner-up in-progress');
    expect(body).toContain('| E14 | log | logs/\\*.log · 2026-11-20 | `no failure signal in logs/*.log since 2026-11-20T18:00:00.000Z` |');
    expect(body).toMatch(/\| E15 \| probe \| probe db-tcp · \d{4}-\d\d-\d\d \| `probe db-tcp \(tcp tcp:\/\/127\.0\.0\.1:5432\): ok in \d+ ms` \|/);
  });

  it('removes the blocked and escalation labels and posts one short notice linking the living comment', () => {
    expect(labels(afterValidate)).toEqual(['bug', 'p1', 'staging']);
    const bot = byBot(afterValidate);
    expect(bot).toHaveLength(2);
    expect(bot[1]!.body.split('\n')).toEqual([
      '**Status:** `in-progress` → `resolved`',
      'Resolved: validated after the fix of 2026-11-20T18:00:00Z: the probe is healthy and the logs show no failure signal since the fix.',
      'Evidence and next steps: [status comment](https://github.com/orbit-labs/orbit/issues/1312#issuecomment-local-7).',
    ]);
    expect(validated.stdout).toContain(
      'Applied: updated the status comment local-7; removed label in-progress; posted a status-change notice; closed the issue (completed)',
    );
  });
});
