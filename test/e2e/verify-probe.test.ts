import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, copyExample, NOW } from './cli.ts';

interface Json {
  claims: { span: string; kind: string; verdict: string; evidence: string[]; reason: string }[];
  evidence: { id: string; kind: string; source: { probe?: string } }[];
}

// System-state claims are checked against live probes when --probe is given: the real
// PostgreSQL on 127.0.0.1:5432 answers; a unix socket folder that does not exist does not.
function verifyWithProbe(check: string, comment: string): Json {
  const dir = copyExample();
  writeFileSync(join(dir, '.github/progressor.yml'), `probes:\n  timeout: 3s\n  checks:\n    - ${check}\n`);
  writeFileSync(join(dir, 'claims.md'), comment);
  const r = cli(['verify', dir, '--comment', join(dir, 'claims.md'), '--probe', '--format', 'json', '--now', NOW]);
  return JSON.parse(r.stdout) as Json;
}

describe('progressor verify --probe', () => {
  it('verifies "reachable" and contradicts "down" with a healthy probe', () => {
    const json = verifyWithProbe('{ id: db, kind: postgres, host: 127.0.0.1, port: 5432, user: postgres, database: test }', 'The database is reachable now.\n\nThe database is down since Monday.\n');
    const probe = json.evidence.find((e) => e.kind === 'probe' && e.source.probe === 'db')!;
    expect(json.claims.map((c) => [c.span, c.kind, c.verdict, c.evidence])).toEqual([
      ['The database is reachable', 'system-state', 'verified', [probe.id]],
      ['The database is down', 'system-state', 'contradicted', [probe.id]],
    ]);
    expect(json.claims[0]!.reason).toBe('probes db ok');
  });

  it('contradicts "healthy" with a failing probe', () => {
    const json = verifyWithProbe('{ id: db-socket, kind: postgres, host: /tmp/progressor-no-such-socket-dir, user: postgres, database: test }', 'The database is healthy again.\n');
    const probe = json.evidence.find((e) => e.kind === 'probe' && e.source.probe === 'db-socket')!;
    expect(json.claims).toHaveLength(1);
    expect(json.claims[0]).toMatchObject({ kind: 'system-state', verdict: 'contradicted', evidence: [probe.id], reason: 'probes db-socket failed' });
  });
});
