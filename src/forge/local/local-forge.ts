import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile, readdir, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import lockfile from 'proper-lockfile';
import { STATUS_MARKER_PREFIX } from '../../domain/constants.ts';
import { ProgressorError } from '../../errors/errors.ts';
import type { Forge, Issue, IssueRef, IssueSummary, LabelEvent, NewPullRequest, PullRequest } from '../forge.ts';
import { pullSnapshotSchema, snapshotSchema, type Snapshot } from './snapshot-schema.ts';

export const LOCAL_BOT_LOGIN = 'progressor[bot]';
const LOCAL_COMMENT_PREFIX = 'local-';

/**
 * Resolves a local reference: a snapshot file, or a folder holding `issues/<n>.json`
 * (its only issue, or `issue`).
 * @throws ProgressorError SNAPSHOT_INVALID when nothing matches.
 */
export async function resolveLocalRef(path: string, issue?: number): Promise<IssueRef> {
  let st;
  try {
    st = await stat(path);
  } catch {
    throw new ProgressorError('SNAPSHOT_INVALID', `no such file or folder: ${path}`, {
      file: path,
      hint: 'Pass a snapshot file (gh issue view N --json …) or a folder holding issues/<number>.json.',
    });
  }
  if (st.isFile()) {
    const n = Number(basename(path).replace(/\.json$/, ''));
    return { forge: 'local', location: path, number: Number.isInteger(n) && n > 0 ? n : (issue ?? 0) };
  }
  const dir = join(path, 'issues');
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => /^\d+\.json$/.test(f)).sort();
  } catch {
    throw new ProgressorError('SNAPSHOT_INVALID', `folder has no issues/ subfolder: ${path}`, {
      file: path,
      hint: 'Put snapshots at <folder>/issues/<number>.json.',
    });
  }
  if (issue !== undefined) {
    const f = `${issue}.json`;
    if (!files.includes(f)) {
      throw new ProgressorError('SNAPSHOT_INVALID', `issue #${issue} not found in ${dir}`, {
        file: join(dir, f),
        hint: `Available: ${files.join(', ') || 'none'}.`,
      });
    }
    return { forge: 'local', location: join(dir, f), number: issue };
  }
  if (files.length !== 1) {
    throw new ProgressorError('SNAPSHOT_INVALID', `${dir} holds ${files.length} issues; say which one`, {
      file: dir,
      hint: `Add --issue N (available: ${files.join(', ') || 'none'}).`,
    });
  }
  return { forge: 'local', location: join(dir, files[0]!), number: Number(files[0]!.replace('.json', '')) };
}

/** Deepest nesting a snapshot may have (real ones stay under 10); deeper data overflows the stack. */
const MAX_SNAPSHOT_DEPTH = 64;

function depthOf(value: unknown): number {
  // Iterative: a 200k-level document must not overflow the stack while being measured.
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > max) max = d;
    if (max > MAX_SNAPSHOT_DEPTH) return max;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

/** Reads a snapshot's JSON (a UTF-8 byte-order mark is accepted). @throws ProgressorError SNAPSHOT_INVALID */
async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new ProgressorError('SNAPSHOT_INVALID', `cannot read snapshot: ${(e as Error).message}`, { file });
  }
  // Editors on Windows write a byte-order mark; it is not part of the JSON.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const json: unknown = JSON.parse(text);
  if (depthOf(json) > MAX_SNAPSHOT_DEPTH) {
    throw new ProgressorError('SNAPSHOT_INVALID', `nested more than ${MAX_SNAPSHOT_DEPTH} levels deep`, {
      file,
      path: '$',
      hint: 'A snapshot is the flat JSON `gh issue view --json …` prints; remove the deeply nested value.',
    });
  }
  return json;
}

/**
 * Reads and validates a snapshot file.
 * @throws ProgressorError SNAPSHOT_INVALID naming the file and the JSON path.
 */
export async function readSnapshot(file: string): Promise<Snapshot> {
  return (await readSnapshotWithRaw(file)).snapshot;
}

/** The validated snapshot and the parsed JSON it came from (written back with unknown keys kept). */
async function readSnapshotWithRaw(file: string): Promise<{ snapshot: Snapshot; raw: Record<string, unknown> & Snapshot }> {
  let json: unknown;
  try {
    json = await readJson(file);
  } catch (e) {
    if (e instanceof ProgressorError) throw e;
    throw new ProgressorError('SNAPSHOT_INVALID', `not valid JSON: ${(e as Error).message}`, {
      file,
      path: '$',
      hint: 'Write the file with `gh issue view N --json number,title,body,state,url,createdAt,author,labels,comments > FILE`.',
    });
  }
  const parsed = snapshotSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = '$' + issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    throw new ProgressorError('SNAPSHOT_INVALID', `${path}: ${issue.message}`, {
      file,
      path,
      hint: 'The snapshot must be the JSON `gh issue view --json number,title,body,state,url,createdAt,author,labels,comments` prints (plus optional linkedPullRequests).',
    });
  }
  return { snapshot: parsed.data, raw: json as Record<string, unknown> & Snapshot };
}

export function snapshotToIssue(ref: IssueRef, s: Snapshot): Issue {
  return {
    ref,
    number: s.number,
    title: s.title,
    body: s.body,
    state: s.state,
    stateReason: s.stateReason ?? null,
    url: s.url,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    closedAt: s.closedAt ?? null,
    author: s.author?.login ?? 'ghost',
    labels: s.labels.map((l) => l.name),
    comments: s.comments.map((c, i) => ({
      id: c.id ?? `${LOCAL_COMMENT_PREFIX}${i + 1}`,
      author: c.author?.login ?? 'ghost',
      authorAssociation: c.authorAssociation ?? undefined,
      body: c.body,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
      url: c.url ?? `${s.url}#issuecomment-${c.id ?? `${LOCAL_COMMENT_PREFIX}${i + 1}`}`,
    })),
    linkedPullRequests: (s.linkedPullRequests ?? []).map((p) => ({
      number: p.number,
      title: p.title,
      state: p.state,
      mergedAt: p.mergedAt ?? null,
      url: p.url ?? s.url.replace(/\/issues\/\d+$/, `/pull/${p.number}`),
      checks: p.checks ?? null,
    })),
  };
}

const tempPrefix = (file: string) => `.${basename(file)}.`;

/** Writes via a temp file in the same folder and a rename, so a reader never sees half a file. */
async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = join(dirname(file), `${tempPrefix(file)}${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, file);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

/** Removes temp files of `file` that a killed writer left (called with the lock held). */
async function removeOrphanTemps(file: string): Promise<void> {
  const dir = dirname(file);
  const prefix = tempPrefix(file);
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.startsWith(prefix) && n.endsWith('.tmp')).map((n) => unlink(join(dir, n)).catch(() => undefined)));
}

/**
 * The local forge (SPEC §9): a folder of `gh issue view --json` snapshots, written back
 * on `--apply`. Each mutation re-reads the file and replaces it atomically.
 */
export class LocalForge implements Forge {
  readonly name = 'local' as const;
  private readonly clock: () => Date;
  private readonly login: string;
  constructor(clock: () => Date = () => new Date(), login: string = LOCAL_BOT_LOGIN) {
    this.clock = clock;
    this.login = login;
  }

  async botLogin(): Promise<string> {
    return this.login;
  }

  async getIssue(ref: IssueRef): Promise<Issue> {
    return snapshotToIssue(ref, await readSnapshot(ref.location));
  }

  // Snapshot files this instance holds the lock of (so its own writes inside `lock()` do not
  // wait for themselves).
  private readonly held = new Set<string>();

  /**
   * Takes the exclusive lock of the issue's snapshot (issue 10) for a read–plan–write: other
   * processes wait (up to 60 s); a lock left by a killed process is stale after 5 s. Temp
   * files a killed writer left behind are removed. Returns the release function.
   * @throws ProgressorError FORGE_REQUEST when the lock cannot be taken
   */
  async lock(ref: IssueRef): Promise<() => Promise<void>> {
    const file = ref.location;
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(file, {
        stale: 5_000,
        update: 1_000,
        realpath: false,
        retries: { retries: 600, factor: 1, minTimeout: 50, maxTimeout: 150, randomize: true },
      });
    } catch (e) {
      throw new ProgressorError('FORGE_REQUEST', `cannot lock ${file}: ${(e as Error).message}`, {
        file,
        hint: `Another progressor run holds ${file}.lock; wait for it, or remove the folder if no run is active.`,
      });
    }
    this.held.add(file);
    await removeOrphanTemps(file);
    return async () => {
      this.held.delete(file);
      await release().catch(() => undefined);
    };
  }

  private async mutate(ref: IssueRef, fn: (s: Record<string, unknown> & Snapshot) => void): Promise<void> {
    const release = this.held.has(ref.location) ? undefined : await this.lock(ref);
    try {
      // Validated first (never write over a bad file); parsed once.
      const { raw } = await readSnapshotWithRaw(ref.location);
      fn(raw);
      if ('updatedAt' in raw) raw.updatedAt = this.clock().toISOString();
      await writeAtomic(ref.location, JSON.stringify(raw, null, 2) + '\n');
    } finally {
      await release?.();
    }
  }

  async createComment(ref: IssueRef, body: string): Promise<string> {
    let id = '';
    await this.mutate(ref, (s) => {
      // Re-checked under the lock: a status comment another run created meanwhile is
      // edited, never duplicated (issue 10).
      if (body.includes(STATUS_MARKER_PREFIX)) {
        const idx = s.comments.findIndex((c) => c.author?.login.toLowerCase() === this.login.toLowerCase() && c.body.includes(STATUS_MARKER_PREFIX));
        const existing = s.comments[idx];
        if (existing) {
          id = existing.id ?? `${LOCAL_COMMENT_PREFIX}${idx + 1}`;
          existing.body = body;
          existing.updatedAt = this.clock().toISOString();
          return;
        }
      }
      const taken = new Set(s.comments.map((c, i) => c.id ?? `${LOCAL_COMMENT_PREFIX}${i + 1}`));
      let n = s.comments.length + 1;
      while (taken.has(`${LOCAL_COMMENT_PREFIX}${n}`)) n++;
      id = `${LOCAL_COMMENT_PREFIX}${n}`;
      const now = this.clock().toISOString();
      s.comments.push({
        id,
        author: { login: this.login },
        authorAssociation: 'NONE',
        body,
        createdAt: now,
        updatedAt: now,
        url: `${s.url}#issuecomment-${id}`,
      });
    });
    return id;
  }

  async updateComment(ref: IssueRef, commentId: string, body: string): Promise<void> {
    await this.mutate(ref, (s) => {
      const idx = s.comments.findIndex((c, i) => (c.id ?? `${LOCAL_COMMENT_PREFIX}${i + 1}`) === commentId);
      const c = s.comments[idx];
      if (!c) throw new ProgressorError('FORGE_REQUEST', `comment ${commentId} not found`, { file: ref.location });
      c.body = body;
      c.updatedAt = this.clock().toISOString();
    });
  }

  // Label events are kept in the snapshot's `labelEvents` (our extension, like
  // `linkedPullRequests`), so the claim protocol can read who labelled first.
  private event(s: Record<string, unknown>, label: string, action: LabelEvent['action']): void {
    const events = (Array.isArray(s.labelEvents) ? s.labelEvents : []) as LabelEvent[];
    events.push({ label, action, actor: this.login, at: this.clock().toISOString() });
    s.labelEvents = events;
  }

  async addLabels(ref: IssueRef, labels: string[]): Promise<void> {
    const missing = (await readSnapshot(ref.location)).labels;
    if (labels.every((l) => missing.some((m) => m.name === l))) return;
    await this.mutate(ref, (s) => {
      for (const name of labels) {
        if (s.labels.some((l) => l.name === name)) continue;
        s.labels.push({ name });
        this.event(s, name, 'labeled');
      }
    });
  }

  async removeLabel(ref: IssueRef, label: string): Promise<void> {
    if (!(await readSnapshot(ref.location)).labels.some((l) => l.name === label)) return;
    await this.mutate(ref, (s) => {
      s.labels = s.labels.filter((l) => l.name !== label);
      this.event(s, label, 'unlabeled');
    });
  }

  async listIssues(location: string): Promise<IssueSummary[]> {
    const dir = join(location, 'issues');
    let files: string[];
    try {
      files = (await readdir(dir)).filter((f) => /^\d+\.json$/.test(f));
    } catch {
      throw new ProgressorError('SNAPSHOT_INVALID', `folder has no issues/ subfolder: ${location}`, {
        file: location,
        hint: 'Put snapshots at <folder>/issues/<number>.json.',
      });
    }
    const out: IssueSummary[] = [];
    for (const f of files) {
      const file = join(dir, f);
      const s = await readSnapshot(file);
      if (s.state !== 'OPEN') continue;
      out.push({
        ref: { forge: 'local', location: file, number: s.number },
        title: s.title,
        labels: s.labels.map((l) => l.name),
        updatedAt: s.updatedAt ?? s.createdAt,
      });
    }
    return out.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || a.ref.number - b.ref.number);
  }

  async listLabelEvents(ref: IssueRef): Promise<LabelEvent[]> {
    await readSnapshot(ref.location);
    const raw = (await readJson(ref.location)) as { labelEvents?: LabelEvent[] };
    return Array.isArray(raw.labelEvents) ? raw.labelEvents : [];
  }

  // Pull requests live beside issues/, as pulls/<n>.json (the JSON `gh pr view --json` prints,
  // reduced to the fields below), numbered after every issue and PR in the folder like GitHub's
  // shared numbering.
  private pullsDir(ref: IssueRef): string {
    const dir = dirname(ref.location);
    return basename(dir) === 'issues' ? join(dirname(dir), 'pulls') : join(dir, 'pulls');
  }

  private async readPulls(ref: IssueRef): Promise<PullRequest[]> {
    const dir = this.pullsDir(ref);
    const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => /^\d+\.json$/.test(f)).sort();
    const out: PullRequest[] = [];
    for (const f of files) {
      const file = join(dir, f);
      let json: unknown;
      try {
        json = JSON.parse(await readFile(file, 'utf8'));
      } catch (e) {
        throw new ProgressorError('SNAPSHOT_INVALID', `not valid JSON: ${(e as Error).message}`, { file, hint: 'Fix or remove the pull request file.' });
      }
      const p = pullSnapshotSchema.safeParse(json);
      if (!p.success) {
        const issue = p.error.issues[0]!;
        throw new ProgressorError('SNAPSHOT_INVALID', `$.${issue.path.join('.')}: ${issue.message}`, { file, hint: 'Fix or remove the pull request file.' });
      }
      const d = p.data;
      out.push({ number: d.number, url: d.url, state: d.state, draft: d.isDraft, head: d.headRefName, base: d.baseRefName, title: d.title, body: d.body, checks: null });
    }
    return out;
  }

  async findPullRequest(ref: IssueRef, head: string): Promise<PullRequest | undefined> {
    return (await this.readPulls(ref)).find((p) => p.head === head);
  }

  async createPullRequest(ref: IssueRef, pr: NewPullRequest): Promise<PullRequest> {
    const issue = await readSnapshot(ref.location);
    const dir = this.pullsDir(ref);
    await mkdir(dir, { recursive: true });
    const issueNumbers = (await readdir(dirname(ref.location)).catch(() => [] as string[]))
      .map((f) => /^(\d+)\.json$/.exec(f)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number);
    for (;;) {
      const taken = [...issueNumbers, issue.number, ...(await this.readPulls(ref)).map((p) => p.number)];
      const number = Math.max(0, ...taken) + 1;
      const url = issue.url.replace(/\/issues\/\d+$/, `/pull/${number}`);
      const now = this.clock().toISOString();
      const json = {
        number,
        url,
        state: 'OPEN',
        isDraft: pr.draft,
        headRefName: pr.head,
        baseRefName: pr.base,
        title: pr.title,
        body: pr.body,
        author: { login: this.login },
        createdAt: now,
        updatedAt: now,
      };
      try {
        // `wx`: two writers picking the same number cannot both succeed; the loser renumbers.
        await writeFile(join(dir, `${number}.json`), JSON.stringify(json, null, 2) + '\n', { encoding: 'utf8', flag: 'wx' });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw e;
      }
      return { number, url, state: 'OPEN', draft: pr.draft, head: pr.head, base: pr.base, title: pr.title, body: pr.body, checks: null };
    }
  }

  async setState(ref: IssueRef, state: 'OPEN' | 'CLOSED', reason?: 'completed' | 'not_planned'): Promise<void> {
    await this.mutate(ref, (s) => {
      s.state = state;
      s.stateReason = state === 'CLOSED' ? (reason ?? 'completed').toUpperCase() : null;
      s.closedAt = state === 'CLOSED' ? this.clock().toISOString() : null;
    });
  }
}
