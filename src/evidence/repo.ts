import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { CollectorOutput, EvidenceDraft, Gap } from '../domain/types.ts';
import { clipRedacted, redactEvidence } from '../redact/redact.ts';
import { matchText, type CompiledRule } from '../rules/compile-rule.ts';
import { rulesFor, SignalTally } from './logs/tally.ts';

const run = promisify(execFile);
/** Documents needed before "many reports, no code change" is a signal. */
export const MANY_REPORTS = 3;
const MAX_COMMITS = 200;
const MAX_DOCUMENTS = 200;

export interface CollectRepoOptions {
  /** A local clone. */
  dir: string;
  issueNumber: number;
  /** ISO time the issue was opened: "changed since" is measured from it. */
  issueCreatedAt: string;
  /** Repository paths the thread mentions. */
  mentionedPaths: string[];
  rules?: readonly CompiledRule[];
}

async function git(dir: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-C', dir, ...args], { maxBuffer: 64 << 20, env: { ...process.env, GIT_PAGER: 'cat', LC_ALL: 'C' } });
  return stdout;
}

/**
 * Repository evidence from a local clone (SPEC §5): commits and merges on any branch whose
 * message mentions `#N`; for each path the thread mentions, whether it exists and how often
 * it changed since the issue opened; markdown documents mentioning the issue, counted and
 * listed. Many documents with no commit is itself a signal (`repeated-reports-no-code-change`).
 * A directory that is not a git clone is a gap, not an exception.
 */
export async function collectRepo(o: CollectRepoOptions): Promise<CollectorOutput> {
  const items: EvidenceDraft[] = [];
  const gaps: Gap[] = [];
  const tally = new SignalTally();
  const dir = resolve(o.dir);
  try {
    await git(dir, ['rev-parse', '--git-dir']);
  } catch (e) {
    gaps.push({ collector: 'repo', code: 'INPUT_INVALID', message: `${o.dir} is not a git clone: ${(e as Error).message.split('\n')[0]}` });
    return { collector: 'repo', items, signals: [], gaps };
  }
  const n = o.issueNumber;
  const mention = `(#|issues/)${n}([^0-9]|$)`;

  // 1. Commits and merges mentioning the issue.
  const log = await git(dir, ['log', '--all', '-E', '-i', `--grep=${mention}`, `--max-count=${MAX_COMMITS}`, '--format=%H%x1f%P%x1f%aI%x1f%an%x1f%s%x1f%b%x1e']);
  const commits = log.split('\x1e').map((r) => r.trim()).filter(Boolean);
  for (const rec of commits) {
    const [sha, parents, at, author, subject, body] = rec.split('\x1f') as [string, string, string, string, string, string];
    const merge = parents.trim().split(/\s+/).length > 1;
    items.push({
      key: `commit:${sha}`,
      kind: 'commit',
      source: { path: `commit ${sha.slice(0, 12)}` },
      at: new Date(at).toISOString(),
      author,
      excerpt: redactEvidence(`${merge ? 'merge' : 'commit'} ${sha.slice(0, 12)}: ${subject}`),
      text: redactEvidence(`${subject}\n${body ?? ''}`.trim()),
      meta: { sha, merge, subject },
    });
  }

  // 2. Files the thread mentions: exist? changed since the issue opened?
  for (const p of [...new Set(o.mentionedPaths)].sort()) {
    const rel = p.replace(/^\.?\//, '');
    const exists = await stat(resolve(dir, rel)).then(
      () => true,
      () => false,
    );
    let changes: string[];
    try {
      const out = await git(dir, ['log', '--all', `--since=${o.issueCreatedAt}`, '--format=%H %aI', '--', rel]);
      changes = out.split('\n').filter(Boolean);
    } catch {
      changes = [];
    }
    const last = changes[0]?.split(' ');
    const summary = exists
      ? `${rel}: exists; ${changes.length === 0 ? 'unchanged since the issue opened' : `changed in ${changes.length} commit(s) since the issue opened (last ${last![0]!.slice(0, 12)} at ${last![1]})`}`
      : `${rel}: does not exist in the clone${changes.length > 0 ? ` (touched by ${changes.length} commit(s) since the issue opened)` : ''}`;
    items.push({
      key: `file:${rel}`,
      kind: 'repo-file',
      source: { path: rel },
      excerpt: redactEvidence(summary),
      text: redactEvidence(summary),
      meta: { exists, changesSinceIssue: changes.length, lastChange: last?.[0] ?? null, prematched: true },
    });
  }

  // 3. Documents that mention the issue.
  let docs: string[] = [];
  try {
    const out = await git(dir, ['grep', '-n', '-i', '-E', mention, '--', '*.md', '*.markdown', '*.mdx', '*.rst', '*.adoc']);
    docs = out.split('\n').filter(Boolean);
  } catch (e) {
    // git grep exits 1 when nothing matches.
    if ((e as { code?: number }).code !== 1) gaps.push({ collector: 'repo', code: 'INTERNAL', message: `git grep failed: ${(e as Error).message.split('\n')[0]}` });
  }
  const firstHit = new Map<string, { line: number; text: string; hits: number }>();
  for (const d of docs) {
    const m = /^(.*?):(\d+):(.*)$/.exec(d);
    if (!m) continue;
    const cur = firstHit.get(m[1]!);
    if (cur) cur.hits++;
    else firstHit.set(m[1]!, { line: Number(m[2]), text: m[3]!.trim(), hits: 1 });
  }
  const documents = [...firstHit.keys()].sort();
  for (const path of documents.slice(0, MAX_DOCUMENTS)) {
    const h = firstHit.get(path)!;
    items.push({
      key: `doc:${path}`,
      kind: 'document',
      source: { path, line: h.line },
      excerpt: clipRedacted(redactEvidence(h.text), 300),
      text: redactEvidence(h.text),
      meta: { mentions: h.hits, prematched: true },
    });
  }

  // 4. The summary line the rules in rules/reports/ read.
  const summary =
    commits.length === 0 && documents.length >= MANY_REPORTS
      ? `repository: ${documents.length} documents mention #${n} and no commit references it`
      : `repository: ${commits.length} commits mention #${n}; ${documents.length} documents mention it`;
  items.push({
    key: 'repo:summary',
    kind: 'document',
    source: { path: '.' },
    excerpt: redactEvidence(summary),
    text: redactEvidence(summary),
    meta: { commits: commits.length, merges: items.filter((i) => i.meta?.merge === true).length, documents: documents.length, prematched: true },
  });
  for (const r of rulesFor(o.rules ?? [], 'document')) {
    for (const m of matchText(r, summary)) tally.add(r, m.groups, 'repo:summary', undefined, 1);
  }
  return { collector: 'repo', items, signals: tally.signals(), gaps };
}
