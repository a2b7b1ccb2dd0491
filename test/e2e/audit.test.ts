import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, copyExample, EXAMPLE, NOW } from './cli.ts';

interface AuditJson {
  status: string;
  owner: string;
  category: string;
  whys: { question: string; answer: string; evidence: string[]; certainty: string; supported: boolean }[];
  evidence: { id: string; kind: string }[];
  nextSteps: { owner: string; action: string }[];
  diagnostics: { command: string }[];
  patterns: { name: string; text: string }[];
  actions: { comment: string; labels: { add: string[]; remove: string[] }; noChange: boolean };
  comment: string;
  decisions: { status: { decidedBy: string[] } };
}

describe('progressor audit on the bundled example', () => {
  const run = cli(['audit', EXAMPLE, '--format', 'json', '--now', NOW]);
  const json = JSON.parse(run.stdout) as AuditJson;

  it('exits 0 and prints the verdict the thread supports', () => {
    expect(run.code).toBe(0);
    expect(json.status).toBe('blocked-on-infrastructure');
    expect(json.owner).toBe('infrastructure');
    expect(json.decisions.status.decidedBy.length).toBeGreaterThan(0);
  });

  it('has at least 4 supported whys, each citing evidence that exists', () => {
    const ids = new Set(json.evidence.map((e) => e.id));
    const supported = json.whys.filter((w) => w.supported);
    expect(supported.length).toBeGreaterThanOrEqual(4);
    for (const w of supported) {
      expect(w.evidence.length).toBeGreaterThan(0);
      for (const id of w.evidence) expect(ids.has(id)).toBe(true);
    }
  });

  it('names the timeout-tuning pattern as a side finding, not a why', () => {
    expect(json.patterns.map((p) => p.name)).toContain('symptom tuning');
    expect(json.comment).toMatch(/^\*\*Pattern:\*\* The timeout was raised repeatedly \(8 → 20 → 75 s\)/m);
    expect(json.whys.map((w) => w.answer).join('\n')).not.toMatch(/timeout was raised repeatedly/);
  });

  it('extracts instance, project and region from the socket path into a gcloud diagnostic', () => {
    const cmd = json.diagnostics.map((d) => d.command).find((c) => c.startsWith('gcloud sql instances describe'));
    expect(cmd).toBeDefined();
    expect(cmd).toContain('orbit-pg-staging');
    expect(cmd).toContain('--project=orbit-staging');
    expect(cmd).toContain('europe-west1');
  });

  it('counts the configured logs and test reports itself, citing file:line', () => {
    // Paths are relative to the snapshot folder, not to the directory progressor ran from.
    expect(json.comment).toContain('Cloud SQL unix socket does not exist: 57 matches (54 lines in logs/orbit-api.log, 3 in the thread and reports)');
    expect(json.comment).toMatch(/E\d+ `logs\/orbit-api\.log:6`/);
    expect(json.comment).toMatch(
      /\*\*Tests\*\*: pytest: 16 tests executed; 12 passed, 3 failed, 1 skipped; every failure is infrastructure \(E\d+ `reports\/pytest-staging\.xml`\)/,
    );
    expect(json.comment).toContain('Every failing test failed on infrastructure, not on an assertion');
  });

  it('prints the dry-run plan on stderr and writes nothing', () => {
    expect(run.stderr).toMatch(/^dry run: would create the status comment/m);
    expect(json.actions.comment).toBe('create');
  });
});

describe('progressor audit --apply', () => {
  it('adds one status comment and the planned labels, then changes nothing on a re-run', () => {
    const dir = copyExample();
    const file = join(dir, 'issues/1312.json');
    const before = JSON.parse(readFileSync(file, 'utf8'));
    const first = cli(['audit', dir, '--apply', '--format', 'json', '--now', NOW]);
    expect(first.code).toBe(0);
    const planned = JSON.parse(first.stdout) as AuditJson;
    const after = JSON.parse(readFileSync(file, 'utf8'));
    expect(after.comments.length).toBe(before.comments.length + 1);
    const mine = after.comments.filter((c: { body: string }) => c.body.includes('<!-- progressor:status'));
    expect(mine).toHaveLength(1);
    expect(mine[0].author.login).toBe('progressor[bot]');
    const labels = after.labels.map((l: { name: string }) => l.name);
    for (const l of planned.actions.labels.add) expect(labels).toContain(l);
    expect(planned.actions.labels.add.length).toBeGreaterThan(0);
    expect(first.stderr).toMatch(/^applied: created the status comment/m);

    const bytes = readFileSync(file);
    const second = cli(['audit', dir, '--apply', '--now', '2026-11-21T09:30:00Z', '--session', 'another-session']);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/^no change: /m);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(readdirSync(join(dir, 'issues'))).toEqual(['1312.json']);
  });
});

describe('bad input', () => {
  it('a malformed snapshot exits 4 naming the file and JSON path, writing nothing', () => {
    const dir = copyExample();
    const file = join(dir, 'issues/1312.json');
    const snap = JSON.parse(readFileSync(file, 'utf8'));
    snap.comments[2].createdAt = 'yesterday';
    writeFileSync(file, JSON.stringify(snap));
    const bytes = readFileSync(file);
    const r = cli(['audit', dir, '--apply', '--format', 'json', '--now', NOW]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toContain('$.comments[2].createdAt');
    expect(r.stdout).toBe('');
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('a snapshot that is not JSON exits 4', () => {
    const dir = copyExample();
    const file = join(dir, 'issues/1312.json');
    writeFileSync(file, '{"number": 1312,');
    const r = cli(['audit', dir, '--now', NOW]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/SNAPSHOT_INVALID.*1312\.json.*not valid JSON/);
  });

  it('a bad config exits 3 naming the file and the key path, writing nothing', () => {
    const dir = copyExample();
    const cfg = join(dir, '.github/progressor.yml');
    writeFileSync(cfg, 'labels:\n  status:\n    blocked-on-infra: [blocked]\n');
    const file = join(dir, 'issues/1312.json');
    const bytes = readFileSync(file);
    const r = cli(['audit', dir, '--apply', '--now', NOW]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(cfg);
    expect(r.stderr).toContain('labels.status');
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });
});

describe('secrets', () => {
  it('a DSN password and a GitHub token planted in a comment appear in no output format', () => {
    const dir = copyExample();
    const file = join(dir, 'issues/1312.json');
    const snap = JSON.parse(readFileSync(file, 'utf8'));
    const token = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
    snap.comments.push({
      author: { login: 'devon-backend' },
      authorAssociation: 'MEMBER',
      createdAt: '2026-11-20T18:00:00Z',
      body: `Tried from my laptop with postgres://orbit_app:Sup3rS3cret!@127.0.0.1:5432/orbit and GITHUB_TOKEN=${token}: could not connect to server: Connection refused`,
    });
    writeFileSync(file, JSON.stringify(snap, null, 2));
    for (const format of ['json', 'md', 'text']) {
      const r = cli(['audit', dir, '--format', format, '--now', NOW]);
      expect(r.code).toBe(0);
      expect(r.stdout + r.stderr).not.toContain('Sup3rS3cret');
      expect(r.stdout + r.stderr).not.toContain(token);
    }
  });
});

describe('progressor lint', () => {
  it('passes on the comment progressor writes for the example', () => {
    const dir = copyExample();
    const comment = cli(['audit', dir, '--format', 'md', '--now', NOW]).stdout;
    const file = join(dir, 'comment.md');
    writeFileSync(file, comment);
    const r = cli(['lint', file]);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('fails on a comment in the seed hype-heavy style, naming the rule', () => {
    const r = cli(['lint', join(EXAMPLE, '../../test/fixtures/lint/seed-style.md')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/no-hype/);
    expect(r.stdout).toMatch(/takeaway-first/);
  });
});
