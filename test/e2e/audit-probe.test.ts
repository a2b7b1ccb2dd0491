import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, copyExample, NOW } from './cli.ts';

interface Json {
  status: string;
  whys: { answer: string; evidence: string[]; certainty: string; rule: string | null }[];
  evidence: { id: string; kind: string; source: { probe?: string } }[];
  probes: { id: string; status: string; code?: string }[];
}

function auditWithProbes(checks: string): Json {
  const dir = copyExample();
  const cfg = join(dir, '.github/progressor.yml');
  writeFileSync(cfg, `probes:\n  timeout: 3s\n  checks:\n${checks}`);
  const r = cli(['audit', dir, '--probe', '--format', 'json', '--now', NOW]);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Json;
}

describe('progressor audit --probe', () => {
  it('a failing probe becomes evidence and confirms the why of the same failure class', () => {
    const json = auditWithProbes('    - { id: db-socket, kind: postgres, host: /tmp/progressor-no-such-socket-dir, user: postgres, database: test }\n');
    expect(json.probes.map((p) => [p.id, p.status, p.code])).toEqual([['db-socket', 'failed', 'ENOENT']]);
    const probeItem = json.evidence.find((e) => e.kind === 'probe' && e.source.probe === 'db-socket');
    expect(probeItem).toBeDefined();
    const why = json.whys.find((w) => w.evidence.includes(probeItem!.id));
    expect(why?.certainty).toBe('confirmed');
    expect(why?.answer).toMatch(/A live probe fails the same way now\.$/);
  });

  it('a healthy probe of the same layer marks the database whys as refuted now', () => {
    const json = auditWithProbes('    - { id: db, kind: postgres, host: 127.0.0.1, port: 5432, user: postgres, database: test }\n');
    expect(json.probes.map((p) => [p.id, p.status])).toEqual([['db', 'ok']]);
    const dbWhy = json.whys.find((w) => w.rule === 'cloudsql-socket-missing');
    expect(dbWhy?.certainty).toBe('likely');
    expect(dbWhy?.answer).toMatch(/\(a probe of the database layer is healthy now\)$/);
  });
});
