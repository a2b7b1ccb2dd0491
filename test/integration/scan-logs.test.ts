import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { collectLogs } from '../../src/evidence/logs.ts';
import { collectTestReports } from '../../src/evidence/test-reports.ts';
import { exportRulesForRg } from '../../src/rules/export-rg.ts';
import type { CompiledRule } from '../../src/rules/compile-rule.ts';
import { loadRules } from '../../src/rules/load-rules.ts';
import { scanInputs } from '../../src/scan/scan-inputs.ts';

const RULES: Record<string, string> = {
  'pg-refused': `id: pg-refused
title: PostgreSQL refused the connection
category: db-connection-refused
layer: database
owner: infrastructure
match:
  - regex: 'connect ECONNREFUSED (?<host>[\\d.]+):(?<port>\\d+)'
  - regex: 'Connection refused'
notMatch:
  - regex: 'retry succeeded'
examples:
  match: ['Error: connect ECONNREFUSED 127.0.0.1:5432']
  noMatch: ['connected to 127.0.0.1:5432']
`,
  'redis-eai-again': `id: redis-eai-again
title: Redis host name did not resolve
category: dns-resolution
layer: cache
owner: infrastructure
match:
  - regex: 'Error -3 connecting to (?<host>[\\w.-]+):(?<port>\\d+)'
examples:
  match: ['Error -3 connecting to redis:6379. Temporary failure in name resolution.']
  noMatch: ['Error 111 connecting to redis:6379']
`,
};

let dir: string;
let rules: CompiledRule[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scan-'));
  mkdirSync(join(dir, 'rules'));
  for (const [id, y] of Object.entries(RULES)) writeFileSync(join(dir, 'rules', `${id}.yaml`), y);
  const reportRules = join(import.meta.dirname, '../../rules/reports');
  rules = await loadRules({ noBuiltin: true, dirs: [join(dir, 'rules'), reportRules] });
});

const LOG = [
  '2026-11-20T10:00:00Z INFO api started',
  '2026-11-20T10:00:01Z ERROR api Error: connect ECONNREFUSED 10.0.0.5:5432',
  '{"timestamp":"2026-11-20T10:00:02Z","severity":"ERROR","textPayload":"Redis connection failed: Error -3 connecting to redis-staging:6379. Temporary failure in name resolution."}',
  `{"time":${Date.parse('2026-11-20T10:00:03Z')},"level":50,"msg":"connect ECONNREFUSED 10.0.0.6:5432"}`,
  '2026-11-20T10:00:04Z WARN api Connection refused, retry succeeded',
  '2026-11-20T10:00:05Z ERROR worker job 4411 failed: disk quota exceeded on /var/data/jobs/4411',
  '2026-11-20T10:00:06Z ERROR worker job 4412 failed: disk quota exceeded on /var/data/jobs/4412',
  '2026-11-20T10:00:06Z ERROR login failed for api_token=ghp_abcdefghijklmnopqrstuvwxyz0123456789',
  'Nov 20 10:00:07 host app[12]: FATAL password=hunter2 Connection refused',
].join('\n');

describe('progressor scan', () => {
  it('counts lines per rule with facts, first/last seen, redacted examples and Drain templates', async () => {
    writeFileSync(join(dir, 'app.log'), `${LOG}\n`);
    const r = await scanInputs({ inputs: ['app.log'], rules, cwd: dir, year: 2026 });
    const pg = r.rules.find((x) => x.rule.id === 'pg-refused')!;
    expect(pg.count).toBe(3);
    expect(pg.facts).toEqual({ host: { '10.0.0.5': 1, '10.0.0.6': 1 }, port: { '5432': 2 } });
    expect(pg.firstSeen).toBe('2026-11-20T10:00:01.000Z');
    expect(pg.lastSeen).toBe('2026-11-20T10:00:07.000Z');
    expect(pg.examples.map((e) => `${e.path}:${e.line}`)).toEqual(['app.log:2', 'app.log:4']);
    const redis = r.rules.find((x) => x.rule.id === 'redis-eai-again')!;
    expect(redis).toMatchObject({ count: 1, firstSeen: '2026-11-20T10:00:02.000Z', facts: { host: { 'redis-staging': 1 } } });
    expect(r.unrecognisedLines).toBe(3);
    expect(r.unrecognised[0]).toMatchObject({ count: 2, template: '<TS> ERROR worker job <NUM> failed: disk quota exceeded on <PATH>' });
    expect(r.unrecognised[0]!.example).toMatchObject({ path: 'app.log', line: 6 });
    const all = JSON.stringify(r);
    expect(all).not.toContain('hunter2');
    expect(all).not.toContain('ghp_abcdef');
  });

  it('applies --since/--until to matched lines', async () => {
    writeFileSync(join(dir, 'app.log'), `${LOG}\n`);
    const r = await scanInputs({ inputs: ['app.log'], rules, cwd: dir, since: Date.parse('2026-11-20T10:00:03Z'), year: 2026 });
    expect(r.rules.find((x) => x.rule.id === 'pg-refused')!.count).toBe(2);
    expect(r.outsideWindow).toBeGreaterThan(0);
  });

  it('reads gzip, reports a truncated gzip with partial results, skips binary files, survives invalid UTF-8', async () => {
    const gz = gzipSync(Buffer.from(`${LOG}\n`.repeat(200)));
    writeFileSync(join(dir, 'ok.log.gz'), gz);
    writeFileSync(join(dir, 'cut.log.gz'), gz.subarray(0, Math.floor(gz.length / 2)));
    writeFileSync(join(dir, 'junk.bin'), Buffer.alloc(4096, 0));
    writeFileSync(join(dir, 'bad-utf8.log'), Buffer.concat([Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x0a]), Buffer.from('connect ECONNREFUSED 1.2.3.4:5432 \xe2\x82\n', 'latin1')]));
    const r = await scanInputs({ inputs: ['ok.log.gz', 'cut.log.gz', 'junk.bin', 'bad-utf8.log'], rules, cwd: dir, year: 2026 });
    const status = Object.fromEntries(r.files.map((f) => [f.path, f.status]));
    expect(status).toEqual({ 'bad-utf8.log': 'ok', 'cut.log.gz': 'partial', 'junk.bin': 'binary', 'ok.log.gz': 'ok' });
    expect(r.warnings).toContain('binary file skipped: junk.bin');
    expect(r.warnings.some((w) => w.startsWith('cut.log.gz: gzip: unexpected end of file'))).toBe(true);
    const pg = r.rules.find((x) => x.rule.id === 'pg-refused')!;
    expect(pg.count).toBeGreaterThan(600);
    expect(pg.examples[0]).toMatchObject({ path: 'ok.log.gz', line: 2 });
  });

  it('scans a single line longer than the read buffer in bounded pieces', async () => {
    const long = `${'x'.repeat(20 << 20)} connect ECONNREFUSED 9.9.9.9:5432 ${'y'.repeat(1 << 20)}\nError -3 connecting to r:6379\n`;
    writeFileSync(join(dir, 'long.log'), long);
    const r = await scanInputs({ inputs: ['long.log'], rules, cwd: dir });
    expect(r.rules.map((x) => [x.rule.id, x.count, x.examples[0]!.line])).toEqual([
      ['pg-refused', 1, 1],
      ['redis-eai-again', 1, 2],
    ]);
  });

  it('splits big files across workers and still counts like ripgrep', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 400_000; i++) {
      lines.push(i % 97 === 0 ? `2026-11-20T10:00:00Z ERROR Error -3 connecting to host-${i % 5}:6379` : i % 89 === 0 ? `x Connection refused ${i}` : `2026-11-20T10:00:00Z INFO request ${i} ok status=200 path=/api/v1/items`);
    }
    writeFileSync(join(dir, 'big.log'), `${lines.join('\n')}\n`);
    const r = await scanInputs({ inputs: ['big.log'], rules, cwd: dir, workers: 2, minWorkerBytes: 0, rangeBytes: 1 << 20 });
    const ours = Object.fromEntries(r.rules.map((x) => [x.rule.id, x.count]));
    // The same scan in one thread gives the same result, examples and line numbers included.
    const single = await scanInputs({ inputs: ['big.log'], rules, cwd: dir, workers: 1, rangeBytes: 1 << 20 });
    expect(JSON.stringify(r.rules.map((x) => [x.rule.id, x.count, x.examples, x.facts]))).toBe(
      JSON.stringify(single.rules.map((x) => [x.rule.id, x.count, x.examples, x.facts])),
    );
    expect(r.rules.find((x) => x.rule.id === 'redis-eai-again')!.examples[0]!.line).toBe(1);
    let rgAvailable = true;
    try {
      execFileSync('rg', ['--version']);
    } catch {
      rgAvailable = false;
    }
    if (!rgAvailable) return;
    for (const p of exportRulesForRg(rules).patterns.filter((p) => p.rule in ours)) {
      const cmd = p.suppress ? `rg -e "$P" "$F" | rg -c -v -e "$S" || true` : `rg -c -e "$P" "$F" || true`;
      const theirs = Number(execFileSync('sh', ['-c', cmd], { env: { ...process.env, P: p.pattern, S: p.suppress ?? '', F: join(dir, 'big.log') } }).toString().trim());
      expect([p.rule, ours[p.rule]]).toEqual([p.rule, theirs]);
    }
  });

  it('collectLogs hands the audit pre-counted signals and example evidence', async () => {
    mkdirSync(join(dir, 'svc'), { recursive: true });
    writeFileSync(join(dir, 'svc', 'app.log'), `${LOG}\n`);
    const out = await collectLogs({ globs: ['svc/*.log'], rules, cwd: dir });
    const s = out.signals.find((x) => x.rule === 'pg-refused')!;
    expect(s).toMatchObject({ count: 3, owner: 'infrastructure', facts: { host: '10.0.0.5', port: '5432' } });
    const item = out.items.find((i) => i.key === s.evidenceKeys[0])!;
    expect(item).toMatchObject({ kind: 'log', source: { path: 'svc/app.log', line: 2 }, meta: { prematched: true } });
  });
});

describe('test reports as evidence', () => {
  const fx = join(import.meta.dirname, '../fixtures/reports');
  it('failures that are all "connection refused" are infrastructure signals', async () => {
    const out = await collectTestReports({ globs: ['pytest-junit-infra.xml'], rules, cwd: fx });
    expect(out.signals.map((s) => [s.rule, s.count, s.owner])).toEqual([
      ['pg-refused', 3, 'infrastructure'],
      ['test-failures-all-infrastructure', 1, 'infrastructure'],
    ]);
    const report = out.items.find((i) => i.key === 'test-report:pytest-junit-infra.xml')!;
    expect(report.meta).toMatchObject({ total: 3, failed: 3, infrastructureFailures: 3, evidenceOfPassing: false });
  });

  it('a run that executed zero tests is flagged and never evidence of passing', async () => {
    const out = await collectTestReports({ globs: ['pytest-junit-zero.xml', 'node-test-tap-zero.tap'], rules, cwd: fx });
    expect(out.signals).toMatchObject([{ rule: 'zero-tests-executed', count: 2, factValues: { format: { pytest: 1, 'node-test': 1 } } }]);
    expect(out.items.every((i) => i.meta?.evidenceOfPassing === false)).toBe(true);
  });

  it('an unreadable report is a gap naming the file', async () => {
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    const out = await collectTestReports({ globs: ['notes.txt'], rules, cwd: dir });
    expect(out.gaps[0]!.message).toBe('notes.txt: not a recognised test report');
  });
});
