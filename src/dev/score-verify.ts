import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { verifyCommand } from '../cli/verify.ts';
import type { VerifyReport } from '../verify/render-verify.ts';

// Scores `progressor verify` on real status comments (test/fixtures/verify): each fixture
// holds a comment quoted from a public thread, a snapshot of what that thread shows, and the
// verdict a careful reader expects for each claim, written down before verify ran on it.

export interface VerifyFixture {
  source: string;
  writer: string;
  comment?: string;
  commentId?: string;
  snapshot: { number: number } & Record<string, unknown>;
  expected: { quote: string; kind?: string; verdict: string; why?: string }[];
}

export interface ClaimScore {
  fixture: string;
  quote: string;
  expected: { kind?: string; verdict: string };
  got?: { kind: string; verdict: string; reason: string; span: string };
  verdictAgrees: boolean;
  kindAgrees: boolean;
}

const norm = (t: string) => t.replace(/[*_`“”"]/g, '').replace(/\s+/g, ' ').trim().toLowerCase();

/** Runs verify on one fixture in a private folder and matches its claims to the expected ones. */
export async function scoreFixture(name: string, f: VerifyFixture): Promise<{ scores: ClaimScore[]; report: VerifyReport }> {
  const dir = await mkdtemp(join(tmpdir(), 'progressor-verify-fixture-'));
  try {
    await mkdir(join(dir, 'issues'));
    await writeFile(join(dir, 'issues', `${f.snapshot.number}.json`), JSON.stringify(f.snapshot));
    let which = f.commentId;
    if (f.comment !== undefined) {
      which = join(dir, 'comment.md');
      await writeFile(which, f.comment);
    }
    let out = '';
    await verifyCommand(dir, { comment: which, format: 'json', rules: [], claims: [], now: '2026-12-01T00:00:00Z', repoDir: dir }, { out: (t) => (out += t), err: () => {}, isTTY: false });
    const report = JSON.parse(out) as VerifyReport;
    const scores = f.expected.map((e): ClaimScore => {
      const q = norm(e.quote);
      const c = report.claims.find((x) => norm(x.span).includes(q) || q.includes(norm(x.span))) ?? report.claims.find((x) => norm(x.text).includes(q));
      return {
        fixture: name,
        quote: e.quote,
        expected: { kind: e.kind, verdict: e.verdict },
        got: c ? { kind: c.kind, verdict: c.verdict, reason: c.reason, span: c.span } : undefined,
        verdictAgrees: c?.verdict === e.verdict,
        kindAgrees: e.kind === undefined || c?.kind === e.kind,
      };
    });
    return { scores, report };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function loadFixtures(dir: string): Promise<[string, VerifyFixture][]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(files.map(async (f) => [f.replace(/\.json$/, ''), JSON.parse(await readFile(join(dir, f), 'utf8')) as VerifyFixture] as [string, VerifyFixture]));
}

// `node src/dev/score-verify.ts [DIR]`: prints every claim's outcome and the agreement.
if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = resolve(process.argv[2] ?? 'test/fixtures/verify');
  const all: ClaimScore[] = [];
  let extra = 0;
  for (const [name, f] of await loadFixtures(dir)) {
    const { scores, report } = await scoreFixture(name, f);
    all.push(...scores);
    const matched = new Set(scores.map((s) => s.got?.span));
    const unexpected = report.claims.filter((c) => !matched.has(c.span));
    extra += unexpected.length;
    for (const s of scores) {
      console.log(`${s.verdictAgrees && s.kindAgrees ? 'ok  ' : 'MISS'} ${name}: "${s.quote}" want ${s.expected.kind ?? '*'}/${s.expected.verdict} got ${s.got ? `${s.got.kind}/${s.got.verdict} (${s.got.reason})` : 'nothing'}`);
    }
    for (const u of unexpected) console.log(`     ${name}: also found ${u.kind}/${u.verdict} "${u.span.slice(0, 80)}"`);
  }
  const v = all.filter((s) => s.verdictAgrees).length;
  const k = all.filter((s) => s.verdictAgrees && s.kindAgrees).length;
  console.log(`verify-fixtures claims=${all.length} verdict=${(v / all.length).toFixed(2)} verdict+kind=${(k / all.length).toFixed(2)} found=${all.filter((s) => s.got).length} extra=${extra}`);
}
