// Issue 10, acceptance: every secret form of the corpus, planted in every place issue text
// can reach (title, body, comments, PR titles, labels, logs, JUnit reports, probe answers),
// appears in no output of audit (md, json, text, --apply), validate (json, text), probe
// (text, json, prometheus) or scan (text, json): not on stdout, stderr nor in written files.
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCommand } from '../../src/cli/audit.ts';
import type { CliIo } from '../../src/cli/output.ts';
import { probeCommand } from '../../src/cli/probe.ts';
import { scanCommand } from '../../src/cli/scan.ts';
import { validateCommand } from '../../src/cli/validate.ts';
import { ProgressorError } from '../../src/errors/errors.ts';
import { SECRET_FORMS, type SecretForm } from '../fixtures/secrets/corpus.ts';

const NOW = '2026-11-21T09:00:00Z';
const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ');
const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function capture(): CliIo & { text: () => string } {
  const parts: string[] = [];
  return { out: (t) => void parts.push(t), err: (t) => void parts.push(t), isTTY: false, text: () => parts.join('\n') };
}

async function run(io: ReturnType<typeof capture>, f: () => Promise<number>): Promise<string> {
  try {
    await f();
  } catch (e) {
    // What the CLI would print for an error goes to stderr: it must not leak either.
    io.err(e instanceof ProgressorError ? e.describe() : String(e));
  }
  return io.text();
}

function snapshot(n: number, f: SecretForm): unknown {
  const url = `https://github.com/orbit-labs/orbit/issues/${n}`;
  return {
    number: n,
    title: `Staging API fails to start: ${oneLine(f.text)}`,
    body: `The staging deploy fails with connection refused.\n\n${f.text}\n`,
    state: 'OPEN',
    url,
    createdAt: '2026-11-17T10:00:00Z',
    author: { login: 'mira-qa' },
    labels: [{ name: 'bug' }, { name: oneLine(f.text).slice(0, 200) }],
    comments: [
      { author: { login: 'drive-by' }, authorAssociation: 'NONE', body: `Same here:\n\n\`\`\`\n${f.text}\n\`\`\``, createdAt: '2026-11-17T11:00:00Z' },
      { author: { login: 'devon-backend' }, authorAssociation: 'MEMBER', body: `connection refused again, config was ${f.text}`, createdAt: '2026-11-17T12:00:00Z' },
    ],
    linkedPullRequests: [{ number: 900 + n, title: `Fix config: ${oneLine(f.text)}`, state: 'MERGED', mergedAt: '2026-11-18T10:00:00Z', url: `https://github.com/orbit-labs/orbit/pull/${900 + n}` }],
  };
}

describe('secret corpus × every input place × every output format', () => {
  let dir: string;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'progressor-secrets-'));
    mkdirSync(join(dir, 'issues'));
    mkdirSync(join(dir, 'logs'));
    mkdirSync(join(dir, 'reports'));
    // Probe answers carry the secret in the body of a failing health check.
    server = createServer((req, res) => {
      const n = Number(/\/form\/(\d+)/.exec(req.url ?? '')?.[1]);
      const f = SECRET_FORMS[n - 1];
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'down', error: f?.text ?? '', detail: `db ${f?.text ?? ''}` }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
    SECRET_FORMS.forEach((f, i) => {
      const n = i + 1;
      writeFileSync(join(dir, 'issues', `${n}.json`), JSON.stringify(snapshot(n, f)));
      writeFileSync(
        join(dir, 'logs', `${n}.log`),
        [
          `2026-11-19T10:00:00Z ERROR connection refused while starting: ${oneLine(f.text)}`,
          `2026-11-19T10:00:01Z ERROR unexpected failure in worker: ${oneLine(f.text)}`,
          JSON.stringify({ time: '2026-11-19T10:00:02Z', level: 'error', msg: `failed: ${f.text}` }),
          '',
        ].join('\n'),
      );
      writeFileSync(
        join(dir, 'reports', `${n}.xml`),
        `<?xml version="1.0"?><testsuites><testsuite name="api" tests="2" failures="1"><testcase classname="api" name="boots ${xml(oneLine(f.text))}"><failure message="${xml(f.text)}">${xml(f.text)}</failure></testcase><testcase classname="api" name="ok"/></testsuite></testsuites>`,
      );
      writeFileSync(
        join(dir, `probes-${n}.yml`),
        `checks:\n  - id: api-health\n    kind: http\n    url: http://127.0.0.1:${port}/form/${n}\n    timeout: 2s\n`,
      );
      writeFileSync(
        join(dir, `config-${n}.yml`),
        `probes:\n  checks:\n    - id: api-health\n      kind: http\n      url: http://127.0.0.1:${port}/form/${n}\n      timeout: 2s\n`,
      );
    });
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  it(`plants ${SECRET_FORMS.length} forms; none reaches any output`, async () => {
    const leaks: string[] = [];
    const check = (where: string, f: SecretForm, text: string) => {
      for (const s of f.secrets) if (text.includes(s)) leaks.push(`${f.name} → ${where}`);
    };
    for (const [i, f] of SECRET_FORMS.entries()) {
      const n = i + 1;
      const logs = [join(dir, 'logs', `${n}.log`)];
      const tests = [join(dir, 'reports', `${n}.xml`)];
      const common = { issue: n, now: NOW, rules: [], logs, tests, probe: true, config: join(dir, `config-${n}.yml`) };
      for (const format of ['md', 'json', 'text'] as const) {
        const io = capture();
        const out = await run(io, () => auditCommand(dir, { ...common, format }, io));
        if (format === 'json') expect(() => JSON.parse(out.slice(0, out.lastIndexOf('}') + 1))).not.toThrow();
        check(`audit --format ${format}`, f, out);
      }
      // --apply on a private copy of the snapshot: the written file holds no secret.
      const copy = mkdtempSync(join(tmpdir(), 'progressor-secrets-apply-'));
      mkdirSync(join(copy, 'issues'));
      cpSync(join(dir, 'issues', `${n}.json`), join(copy, 'issues', `${n}.json`));
      const before = readFileSync(join(copy, 'issues', `${n}.json`), 'utf8');
      const io = capture();
      const out = await run(io, () => auditCommand(copy, { ...common, format: 'md', apply: true }, io));
      check('audit --apply output', f, out);
      const written = JSON.parse(readFileSync(join(copy, 'issues', `${n}.json`), 'utf8')) as { comments: { body: string }[] };
      // The user's own text is theirs; what progressor wrote (the new comment) must be clean.
      const added = written.comments.slice((JSON.parse(before) as { comments: unknown[] }).comments.length);
      expect(added.length).toBeGreaterThan(0);
      check('audit --apply written comment', f, added.map((c) => c.body).join('\n'));

      for (const format of ['json', 'text'] as const) {
        const vio = capture();
        const vout = await run(vio, () => validateCommand(dir, { issue: n, since: '2026-11-18T00:00:00Z', probes: join(dir, `probes-${n}.yml`), logs, format, now: NOW }, vio));
        if (format === 'json') expect(() => JSON.parse(vout.slice(0, vout.lastIndexOf('}') + 1))).not.toThrow();
        check(`validate --format ${format}`, f, vout);
      }
      for (const format of ['text', 'json', 'prometheus'] as const) {
        const pio = capture();
        check(`probe --format ${format}`, f, await run(pio, () => probeCommand(join(dir, `probes-${n}.yml`), { format }, pio)));
      }
      for (const format of ['text', 'json'] as const) {
        const sio = capture();
        const sout = await run(sio, () => scanCommand(logs, { format, rules: [] }, sio));
        if (format === 'json') expect(() => JSON.parse(sout)).not.toThrow();
        check(`scan --format ${format}`, f, sout);
      }
    }
    expect(leaks).toEqual([]);
  }, 240_000);
});
