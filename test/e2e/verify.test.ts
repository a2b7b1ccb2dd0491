import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, copyExample, EXAMPLE, NOW } from './cli.ts';

interface VerifyJson {
  summary: { claims: number; verified: number; contradicted: number; unverifiable: number };
  claims: { id: string; text: string; span: string; kind: string; pattern?: string; verdict: string; evidence: string[]; reason: string; comment: string }[];
  evidence: { id: string; kind: string; source: { url?: string; path?: string; line?: number } }[];
}

const REPORT = join(EXAMPLE, 'agent-report.md');

describe('progressor verify on the bundled example', () => {
  const run = cli(['verify', EXAMPLE, '--comment', REPORT, '--format', 'json', '--now', NOW]);
  const json = JSON.parse(run.stdout) as VerifyJson;
  const claim = (span: string) => {
    const c = json.claims.find((x) => x.span === span);
    expect(c, `a claim with span ${span}`).toBeDefined();
    return c!;
  };
  const ev = (id: string) => json.evidence.find((e) => e.id === id)!;
  const prId = (n: number) => json.evidence.find((e) => e.kind === 'linked-pr' && e.source.url?.endsWith(`/pull/${n}`))!.id;

  it('exits 1 (a claim is contradicted) and cites evidence for every decided claim', () => {
    expect(run.code).toBe(1);
    const ids = new Set(json.evidence.map((e) => e.id));
    for (const c of json.claims.filter((x) => x.verdict !== 'unverifiable')) {
      expect(c.evidence.length, c.span).toBeGreaterThan(0);
      for (const id of c.evidence) expect(ids.has(id), `${c.id} cites ${id}`).toBe(true);
    }
    expect(json.summary).toEqual({ claims: 32, verified: 9, contradicted: 5, unverifiable: 18 });
  });

  it('contradicts the test count with the JUnit report (3 failed, all infrastructure)', () => {
    const c = claim('15/16 tests PASSING');
    expect(c).toMatchObject({ kind: 'test-outcome', pattern: 'tests-passed-fraction', verdict: 'contradicted' });
    expect(c.reason).toBe(
      'the test report says 16 tests, 12 passed, 3 failed, 1 skipped; 3 of 3 failures are infrastructure; the comment says 15 of 16 passed',
    );
    expect(ev(c.evidence[0]!)).toMatchObject({ kind: 'test-report', source: { path: 'examples/staging-outage/reports/pytest-staging.xml' } });
  });

  it('verifies the PR claims against the linked PRs', () => {
    expect(claim('#1319 merged')).toMatchObject({ kind: 'pr-commit', verdict: 'verified', evidence: [prId(1319)], reason: 'PR #1319 merged at 2026-11-18T17:20:00Z' });
    const deployed = claim('#1315 is merged and deployed');
    expect(deployed.verdict).toBe('verified');
    expect(deployed.evidence[0]).toBe(prId(1315));
  });

  it('contradicts "resolved": the failure signals continue after the fix', () => {
    const c = claim('startup failure is resolved');
    expect(c).toMatchObject({ kind: 'resolution', verdict: 'contradicted' });
    expect(c.reason).toMatch(/^failure signals continue after PR #1319 merged at 2026-11-18T17:20:00Z: /);
    expect(c.evidence[0]).toBe(prId(1319));
    const after = c.evidence.map(ev).filter((e) => e.kind === 'log');
    expect(after.length).toBeGreaterThan(0);
    for (const e of after) expect(e.source.path).toBe('examples/staging-outage/logs/orbit-api.log');
    expect(claim('working as designed').verdict).toBe('contradicted');
  });

  it('checks artefact claims against the repository: present files verified, missing ones contradicted', () => {
    const present = claim('`scripts/monitor_infrastructure_health.py`');
    expect(present).toMatchObject({ kind: 'artefact', verdict: 'verified', reason: 'scripts/monitor_infrastructure_health.py exists in the repository' });
    expect(ev(present.evidence[0]!)).toMatchObject({ kind: 'repo-file', source: { path: 'scripts/monitor_infrastructure_health.py' } });
    expect(claim('`scripts/validate_infrastructure_fix.py`')).toMatchObject({ verdict: 'contradicted', reason: 'scripts/validate_infrastructure_fix.py does not exist in the repository' });
  });

  it('verifies the timeout setting against the PR and the configuration file', () => {
    const c = claim('startup timeout fixes properly applied (8.0s → 75.0s');
    expect(c).toMatchObject({ kind: 'configuration', verdict: 'verified' });
    expect(c.evidence.map(ev).map((e) => e.source.path ?? e.source.url)).toContain('orbit_api/config/staging.yaml');
  });

  it('verifies a count against the signal that counted it, and says what was counted for one it cannot find', () => {
    expect(claim('57 Cloud SQL socket failures')).toMatchObject({ kind: 'number', verdict: 'verified', reason: 'counted: cloudsql-socket-missing (57 matches)' });
    expect(claim('649+ documented startup failures').verdict).toBe('unverifiable');
    expect(claim('649+ documented startup failures').reason).toMatch(/^the evidence counts cloudsql-socket-missing \(57 matches\), db-init-timeout \(22 matches\)/);
  });

  it('marks hype, money and unproven causes unverifiable, and lists unrecognised checkable sentences', () => {
    expect(claim('100% COMPLETE')).toMatchObject({ kind: 'completeness', verdict: 'unverifiable', evidence: [] });
    expect(claim('exemplary')).toMatchObject({ kind: 'completeness', verdict: 'unverifiable' });
    expect(claim('$500K+ ARR')).toMatchObject({ kind: 'number', verdict: 'unverifiable', reason: 'no counted source for money, rates or business figures' });
    expect(claim('Root cause confirmed as GCP infrastructure capacity limits in europe-west1')).toMatchObject({
      kind: 'cause',
      verdict: 'unverifiable',
      reason: 'hypothesis: no evidence states "GCP infrastructure capacity limits in europe-west1"',
    });
    expect(claim('Database configuration optimized and deployed')).toMatchObject({ kind: 'unrecognised', verdict: 'unverifiable' });
  });

  it('prints the short markdown reply', () => {
    const md = cli(['verify', EXAMPLE, '--comment', REPORT, '--format', 'md', '--now', NOW]);
    expect(md.stdout.split('\n')[0]).toBe('9 of 32 claims verified, 5 contradicted, 18 unverifiable: “startup failure is resolved”; “working as designed”; “15/16 tests PASSING”');
    expect(md.stderr).toContain('dry run: would create the status comment with its Claims checked section');
  });
});

describe('progressor verify --apply', () => {
  it('writes the Claims checked section into the one living status comment, then changes nothing', () => {
    const dir = copyExample();
    const file = join(dir, 'issues/1312.json');
    const before = JSON.parse(readFileSync(file, 'utf8')) as { comments: { body: string }[] };
    const args = ['verify', dir, '--comment', join(dir, 'agent-report.md'), '--apply', '--format', 'json', '--now', NOW];
    const first = cli(args);
    expect(first.stderr).toContain('applied: created the status comment');
    const after = JSON.parse(readFileSync(file, 'utf8')) as { comments: { body: string }[] };
    expect(after.comments.length).toBe(before.comments.length + 1);
    const status = after.comments.at(-1)!.body;
    expect(status).toContain('<!-- progressor:status');
    expect(status).toMatch(/^### Claims checked$/m);
    // Next stays last in the visible part.
    expect(status.indexOf('### Claims checked')).toBeLessThan(status.indexOf('### Next'));
    expect(status).toContain('- “15/16 tests PASSING”: the test report says 16 tests, 12 passed, 3 failed');

    const second = cli(args);
    expect(second.stderr).toContain('no change');
    expect((JSON.parse(readFileSync(file, 'utf8')) as { comments: unknown[] }).comments.length).toBe(after.comments.length);

    // The comment with its section still follows the comment style.
    const lint = cli(['lint', '-'], { input: status });
    expect(lint.stdout).toBe('');
    expect(lint.code).toBe(0);

    // A new comment changes the audit: its re-rendered comment keeps the section, in place.
    const snapshot = JSON.parse(readFileSync(file, 'utf8')) as { comments: unknown[] };
    snapshot.comments.push({
      id: 'IC_kwDOorbit0099',
      author: { login: 'sam-sre' },
      authorAssociation: 'CONTRIBUTOR',
      body: 'Platform team ticket opened for the connector.',
      createdAt: '2026-11-21T10:00:00Z',
      url: 'https://github.com/orbit-labs/orbit/issues/1312#issuecomment-9199',
    });
    writeFileSync(file, JSON.stringify(snapshot, null, 2));
    const audit = cli(['audit', dir, '--apply', '--format', 'json', '--now', '2026-11-22T09:00:00Z']);
    expect(audit.code).toBe(0);
    expect(audit.stderr).toMatch(/^applied: updated the status comment/m);
    const final = JSON.parse(readFileSync(file, 'utf8')) as { comments: { body: string }[] };
    expect(final.comments.length).toBe(after.comments.length + 1);
    expect(final.comments.filter((c) => c.body.includes('<!-- progressor:status'))).toHaveLength(1);
    expect(final.comments.find((c) => c.body.includes('<!-- progressor:status'))!.body).toMatch(/^### Claims checked$/m);
  });
});
