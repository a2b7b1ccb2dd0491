// An in-repo GitHub API emulator for tests and benchmarks (SPEC §10). GraphQL is parsed,
// validated and executed by graphql-js against GitHub's published schema
// (@octokit/graphql-schema), so a misspelt field fails as it does on GitHub; REST payloads
// are built from @octokit/fixtures recordings. Loopback only.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { buildSchema, execute, parse, validate, GraphQLError, type GraphQLSchema } from 'graphql';

export type FaultKind = '500' | '502' | 'secondary-rate-limit' | '429' | 'drop-before' | 'drop-after';
export const FAULT_KINDS: readonly FaultKind[] = ['500', '502', 'secondary-rate-limit', '429', 'drop-before', 'drop-after'];

export interface RequestLogEntry {
  method: string;
  path: string;
  kind: 'graphql' | 'rest';
  /** True for REST mutations (POST/PATCH/PUT/DELETE outside /graphql). */
  write: boolean;
  status: number;
  fault?: FaultKind;
  /** The authenticated login, never the token. */
  login?: string;
}

export interface SeedComment {
  author: string;
  body: string;
  authorAssociation?: string;
  createdAt?: string;
}
export interface SeedPull {
  number: number;
  title?: string;
  state?: 'OPEN' | 'CLOSED' | 'MERGED';
  mergedAt?: string | null;
  checks?: 'SUCCESS' | 'FAILURE' | 'PENDING' | 'ERROR' | 'EXPECTED' | null;
  /** How the PR is linked to the issue's timeline. */
  link?: 'cross-reference' | 'connected' | 'closer';
}
export interface SeedIssue {
  number: number;
  title?: string;
  body?: string;
  author?: string;
  state?: 'OPEN' | 'CLOSED';
  labels?: string[];
  comments?: SeedComment[];
  pulls?: SeedPull[];
  createdAt?: string;
  updatedAt?: string;
}

interface EmComment {
  id: number;
  author: string;
  body: string;
  authorAssociation: string;
  createdAt: string;
  updatedAt: string;
}
type EmEvent =
  | { type: 'LabeledEvent' | 'UnlabeledEvent'; label: string; actor: string; createdAt: string }
  | { type: 'CrossReferencedEvent'; pull: number; willCloseTarget: boolean; createdAt: string }
  | { type: 'ConnectedEvent'; pull: number; createdAt: string }
  | { type: 'ClosedEvent'; pull: number | null; actor: string; stateReason: string | null; createdAt: string }
  | { type: 'ReopenedEvent'; actor: string; createdAt: string };
export interface EmIssue {
  number: number;
  title: string;
  body: string;
  author: string;
  state: 'OPEN' | 'CLOSED';
  stateReason: string | null;
  labels: string[];
  comments: EmComment[];
  timeline: EmEvent[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}
export interface EmPull {
  number: number;
  title: string;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  mergedAt: string | null;
  checks: string | null;
  /** Set for PRs opened through the API. */
  head?: string;
  base?: string;
  body?: string;
  draft?: boolean;
  author?: string;
  createdAt?: string;
}
interface EmRepo {
  owner: string;
  name: string;
  issues: Map<number, EmIssue>;
  pulls: Map<number, EmPull>;
  /** A real bare git repository standing in for the repository's branches, if linked. */
  gitDir?: string;
}

export interface FaultConfig {
  /** Probability (0–1) that a request gets a fault. */
  rate: number;
  kinds?: readonly FaultKind[];
  /** Seed of the deterministic fault sequence. */
  seed?: number;
  /** Seconds sent in `retry-after` (secondary rate limit, 429). */
  retryAfterSeconds?: number;
}

const FIXTURES = new URL('../../node_modules/@octokit/fixtures/scenarios/api.github.com/', import.meta.url);
const SCHEMA_FILE = new URL('../../node_modules/@octokit/graphql-schema/schema.graphql', import.meta.url);

let cachedSchema: GraphQLSchema | undefined;
/** GitHub's schema. It defines a few fields twice and breaks interface-deprecation rules, so SDL and
 * schema validation are skipped (FACTS.md); documents are still validated against it. */
export function githubSchema(): GraphQLSchema {
  cachedSchema ??= buildSchema(readFileSync(SCHEMA_FILE, 'utf8'), { assumeValidSDL: true, assumeValid: true });
  return cachedSchema;
}

interface Templates {
  issue: Record<string, unknown>;
  label: Record<string, unknown>;
  user: Record<string, unknown>;
  validationFailed: Record<string, unknown>;
}
let cachedTemplates: Templates | undefined;
function templates(): Templates {
  if (cachedTemplates) return cachedTemplates;
  const addLabels = JSON.parse(readFileSync(new URL('add-labels-to-issue/normalized-fixture.json', FIXTURES), 'utf8')) as {
    response: unknown;
  }[];
  const errors = JSON.parse(readFileSync(new URL('errors/normalized-fixture.json', FIXTURES), 'utf8')) as { response: unknown }[];
  const issue = addLabels[0]!.response as Record<string, unknown>;
  const labels = addLabels[1]!.response as Record<string, unknown>[];
  cachedTemplates = {
    issue,
    label: labels[0]!,
    user: issue.user as Record<string, unknown>,
    validationFailed: errors[0]!.response as Record<string, unknown>,
  };
  return cachedTemplates;
}

/** Small deterministic PRNG (mulberry32) so fault sequences repeat. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function encodeCursor(i: number): string {
  return Buffer.from(`cursor:v2:${i}`).toString('base64');
}
function decodeCursor(c: string): number {
  const m = /^cursor:v2:(\d+)$/.exec(Buffer.from(c, 'base64').toString('utf8'));
  if (!m) throw new GraphQLError(`\`${c}\` does not appear to be a valid cursor.`);
  return Number(m[1]);
}
interface ConnArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}
function connection<T>(all: T[], args: ConnArgs): unknown {
  if (args.first == null && args.last == null) {
    throw new GraphQLError('You must provide a `first` or `last` value to properly paginate the connection.');
  }
  for (const [k, v] of [['first', args.first], ['last', args.last]] as const) {
    if (v != null && (v < 0 || v > 100)) {
      throw new GraphQLError(`Requesting ${v} records on the connection exceeds the \`${k}\` limit of 100 records.`);
    }
  }
  let start = args.after ? decodeCursor(args.after) + 1 : 0;
  let end = args.before ? decodeCursor(args.before) : all.length;
  if (args.first != null) end = Math.min(end, start + args.first);
  if (args.last != null) start = Math.max(start, end - args.last);
  const slice = all.slice(start, end);
  return {
    totalCount: all.length,
    nodes: slice,
    edges: slice.map((node, i) => ({ node, cursor: encodeCursor(start + i) })),
    pageInfo: {
      hasNextPage: end < all.length,
      hasPreviousPage: start > 0,
      startCursor: slice.length ? encodeCursor(start) : null,
      endCursor: slice.length ? encodeCursor(end - 1) : null,
    },
  };
}

const TIMELINE_TYPE_NAMES: Record<string, string> = {
  LabeledEvent: 'LABELED_EVENT',
  UnlabeledEvent: 'UNLABELED_EVENT',
  CrossReferencedEvent: 'CROSS_REFERENCED_EVENT',
  ConnectedEvent: 'CONNECTED_EVENT',
  ClosedEvent: 'CLOSED_EVENT',
  ReopenedEvent: 'REOPENED_EVENT',
};

/** A running emulator. */
export class GitHubEmulator {
  readonly requests: RequestLogEntry[] = [];
  faults: FaultConfig = { rate: 0 };
  private readonly repos = new Map<string, EmRepo>();
  private readonly tokens = new Map<string, string>();
  private readonly forced: FaultKind[] = [];
  private readonly forcedWhere: { match: (method: string, path: string) => boolean; kind: FaultKind }[] = [];
  private random = prng(1);
  private nextCommentId = 1_000_000;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  url = '';
  /** The clock the emulator stamps events with; tests may replace it. */
  now: () => Date = () => new Date();

  constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  async listen(): Promise<this> {
    githubSchema();
    templates();
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Accepts `token` as the credentials of `login`. */
  addToken(token: string, login: string): void {
    this.tokens.set(token, login);
  }

  private app: { id: number; slug: string; installationId: number } | undefined;
  private installationTokens = 0;

  /** Registers a GitHub App; its installation tokens act as `<slug>[bot]`. */
  addApp(app: { id: number; slug: string; installationId: number }): void {
    this.app = app;
  }

  private appRest(method: string, url: URL): [number, unknown] {
    const app = this.app!;
    if (method === 'GET' && url.pathname === '/app') {
      return [200, { id: app.id, slug: app.slug, name: app.slug, owner: this.restUser('acme'), permissions: { issues: 'write' }, events: [] }];
    }
    const m = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(url.pathname);
    if (method === 'POST' && m && Number(m[1]) === app.installationId) {
      const token = `ghs_emulator${++this.installationTokens}`;
      this.tokens.set(token, `${app.slug}[bot]`);
      return [201, { token, expires_at: new Date(this.now().getTime() + 3_600_000).toISOString(), permissions: { issues: 'write' }, repository_selection: 'all' }];
    }
    return [404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' }];
  }

  /** Injects faults at random with `rate`; deterministic for a given seed. */
  setFaults(config: FaultConfig): void {
    this.faults = config;
    this.random = prng(config.seed ?? 1);
  }

  /** Forces the next requests to fail with these faults, in order. */
  failNext(...kinds: FaultKind[]): void {
    this.forced.push(...kinds);
  }

  /**
   * Forces a fault on the next request that `match` accepts (e.g. the next label POST), once
   * per kind given, in order; other requests are not affected.
   */
  failNextWhere(match: (method: string, path: string) => boolean, ...kinds: FaultKind[]): void {
    for (const kind of kinds) this.forcedWhere.push({ match, kind });
  }

  clearLog(): void {
    this.requests.length = 0;
  }

  seedIssue(repo: string, seed: SeedIssue): EmIssue {
    const r = this.repo(repo, true)!;
    const at = seed.createdAt ?? this.now().toISOString();
    const issue: EmIssue = {
      number: seed.number,
      title: seed.title ?? `Issue ${seed.number}`,
      body: seed.body ?? '',
      author: seed.author ?? 'reporter',
      state: seed.state ?? 'OPEN',
      stateReason: seed.state === 'CLOSED' ? 'COMPLETED' : null,
      labels: [...(seed.labels ?? [])],
      comments: (seed.comments ?? []).map((c) => ({
        id: this.nextCommentId++,
        author: c.author,
        body: c.body,
        authorAssociation: c.authorAssociation ?? 'NONE',
        createdAt: c.createdAt ?? at,
        updatedAt: c.createdAt ?? at,
      })),
      timeline: (seed.labels ?? []).map((label) => ({ type: 'LabeledEvent' as const, label, actor: seed.author ?? 'reporter', createdAt: at })),
      createdAt: at,
      updatedAt: seed.updatedAt ?? at,
      closedAt: seed.state === 'CLOSED' ? at : null,
    };
    for (const p of seed.pulls ?? []) {
      r.pulls.set(p.number, {
        number: p.number,
        title: p.title ?? `PR ${p.number}`,
        state: p.state ?? 'OPEN',
        mergedAt: p.mergedAt ?? (p.state === 'MERGED' ? at : null),
        checks: p.checks ?? null,
      });
      const link = p.link ?? 'cross-reference';
      if (link === 'connected') issue.timeline.push({ type: 'ConnectedEvent', pull: p.number, createdAt: at });
      else issue.timeline.push({ type: 'CrossReferencedEvent', pull: p.number, willCloseTarget: link === 'closer', createdAt: at });
      if (link === 'closer' && p.state === 'MERGED') {
        issue.timeline.push({ type: 'ClosedEvent', pull: p.number, actor: 'reporter', stateReason: 'COMPLETED', createdAt: at });
      }
    }
    r.issues.set(seed.number, issue);
    return issue;
  }

  /** Links a repository to a real bare git repository: its branches are what `git push` put there. */
  linkGitRemote(repo: string, gitDir: string): void {
    this.repo(repo, true)!.gitDir = gitDir;
  }

  /** Sets a PR's status-check rollup (what CI reported on its head commit). */
  setPullChecks(repo: string, number: number, checks: EmPull['checks']): void {
    const p = this.repo(repo)?.pulls.get(number);
    if (p) p.checks = checks;
  }

  /** The pull requests of a repository, for assertions. */
  pulls(repo: string): EmPull[] {
    return [...(this.repo(repo)?.pulls.values() ?? [])];
  }

  /** The live state of an issue, for assertions. */
  issue(repo: string, number: number): EmIssue | undefined {
    return this.repo(repo)?.issues.get(number);
  }

  private repo(full: string, create = false): EmRepo | undefined {
    const key = full.toLowerCase();
    let r = this.repos.get(key);
    if (!r && create) {
      const [owner = '', name = ''] = full.split('/');
      r = { owner, name, issues: new Map(), pulls: new Map() };
      this.repos.set(key, r);
    }
    return r;
  }

  private pickFault(method: string, path: string): FaultKind | undefined {
    const at = this.forcedWhere.findIndex((f) => f.match(method, path));
    if (at >= 0) return this.forcedWhere.splice(at, 1)[0]!.kind;
    const forced = this.forced.shift();
    if (forced) return forced;
    if (this.faults.rate > 0 && this.random() < this.faults.rate) {
      const kinds = this.faults.kinds ?? FAULT_KINDS;
      return kinds[Math.floor(this.random() * kinds.length)];
    }
    return undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const kind = url.pathname === '/graphql' ? 'graphql' : 'rest';
    const entry: RequestLogEntry = {
      method,
      path: url.pathname + url.search,
      kind,
      write: kind === 'rest' && method !== 'GET' && method !== 'HEAD',
      status: 0,
    };
    this.requests.push(entry);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      entry.status = status;
      const text = body === undefined ? '' : JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'x-github-request-id': `EMU:${this.requests.length}`,
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '4999',
        'x-ratelimit-reset': String(Math.floor(this.now().getTime() / 1000) + 3600),
        ...headers,
      });
      res.end(text);
    };

    const auth = /^(?:token|bearer)\s+(.+)$/i.exec(req.headers.authorization ?? '');
    const credential = auth?.[1]?.trim() ?? '';
    // GitHub App endpoints take the App's JWT (signature not checked: loopback tests only).
    if (url.pathname.startsWith('/app') && this.app && credential.split('.').length === 3) {
      entry.login = `app:${this.app.slug}`;
      const [status, body] = this.appRest(method, url);
      send(status, body);
      return;
    }
    const login = this.tokens.get(credential);
    if (!login) {
      send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });
      return;
    }
    entry.login = login;

    const fault = this.pickFault(method, url.pathname);
    if (fault) entry.fault = fault;
    const retryAfter = String(this.faults.retryAfterSeconds ?? 1);
    switch (fault) {
      case '500':
      case '502':
        send(Number(fault), { message: 'Server Error' });
        return;
      case 'secondary-rate-limit':
        send(
          403,
          {
            message:
              'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID EMU.',
            documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
            status: '403',
          },
          { 'retry-after': retryAfter },
        );
        return;
      case '429':
        send(
          429,
          { message: 'API rate limit exceeded', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api' },
          {
            'retry-after': retryAfter,
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(Math.floor(this.now().getTime() / 1000) + Number(retryAfter)),
          },
        );
        return;
      case 'drop-before':
        entry.status = -1;
        req.socket.destroy();
        return;
      default:
        break;
    }

    let status = 200;
    let body: unknown;
    try {
      if (kind === 'graphql') {
        body = await this.graphql(raw, login);
      } else {
        [status, body] = this.rest(method, url, raw ? (JSON.parse(raw) as Record<string, unknown>) : {}, login);
      }
    } catch (e) {
      status = 500;
      body = { message: `emulator error: ${(e as Error).message}` };
    }
    if (fault === 'drop-after') {
      // The request took effect, but the client never hears about it.
      entry.status = -1;
      req.socket.destroy();
      return;
    }
    send(status, body);
  }

  // ---------------------------------------------------------------- GraphQL

  private async graphql(raw: string, login: string): Promise<unknown> {
    const { query, variables } = JSON.parse(raw) as { query: string; variables?: Record<string, unknown> };
    let document;
    try {
      document = parse(query);
    } catch (e) {
      return { errors: [{ message: (e as GraphQLError).message, locations: (e as GraphQLError).locations }] };
    }
    const errors = validate(githubSchema(), document);
    if (errors.length) return { errors: errors.map((e) => e.toJSON()) };
    const result = await execute({
      schema: githubSchema(),
      document,
      variableValues: variables ?? {},
      rootValue: this.rootValue(login),
    });
    return {
      data: result.data ?? null,
      ...(result.errors
        ? {
            errors: result.errors.map((e) => ({
              ...e.toJSON(),
              ...(e.extensions?.type ? { type: e.extensions.type } : {}),
            })),
          }
        : {}),
    };
  }

  private actor(login: string): Record<string, unknown> {
    const isBot = login.endsWith('[bot]');
    return { __typename: isBot ? 'Bot' : 'User', login: isBot ? login.slice(0, -5) : login, url: `https://github.com/${login}` };
  }

  private pullObject(r: EmRepo, n: number): Record<string, unknown> | null {
    const p = r.pulls.get(n);
    if (!p) return null;
    return {
      __typename: 'PullRequest',
      number: p.number,
      title: p.title,
      state: p.state,
      merged: p.state === 'MERGED',
      mergedAt: p.mergedAt,
      url: `https://github.com/${r.owner}/${r.name}/pull/${p.number}`,
      repository: { nameWithOwner: `${r.owner}/${r.name}` },
      statusCheckRollup: p.checks ? { state: p.checks } : null,
    };
  }

  private issueObject(r: EmRepo, i: EmIssue): Record<string, unknown> {
    const url = `https://github.com/${r.owner}/${r.name}/issues/${i.number}`;
    return {
      __typename: 'Issue',
      id: Buffer.from(`Issue:${r.owner}/${r.name}#${i.number}`).toString('base64'),
      number: i.number,
      title: i.title,
      body: i.body,
      state: i.state,
      stateReason: i.stateReason,
      url,
      createdAt: i.createdAt,
      updatedAt: i.updatedAt,
      closedAt: i.closedAt,
      author: this.actor(i.author),
      labels: (args: ConnArgs) => connection(i.labels.map((name) => ({ name })), args),
      comments: (args: ConnArgs) =>
        connection(
          i.comments.map((c) => ({
            __typename: 'IssueComment',
            id: Buffer.from(`IssueComment:${c.id}`).toString('base64'),
            databaseId: c.id,
            fullDatabaseId: String(c.id),
            author: this.actor(c.author),
            authorAssociation: c.authorAssociation,
            body: c.body,
            createdAt: c.createdAt,
            updatedAt: c.updatedAt,
            url: `${url}#issuecomment-${c.id}`,
          })),
          args,
        ),
      timelineItems: (args: ConnArgs & { itemTypes?: string[] | null }) => {
        const wanted = args.itemTypes ? new Set(args.itemTypes) : undefined;
        const events = i.timeline.filter((e) => !wanted || wanted.has(TIMELINE_TYPE_NAMES[e.type]!));
        return connection(
          events.map((e) => this.eventObject(r, e)),
          args,
        );
      },
    };
  }

  private eventObject(r: EmRepo, e: EmEvent): Record<string, unknown> {
    switch (e.type) {
      case 'LabeledEvent':
      case 'UnlabeledEvent':
        return { __typename: e.type, label: { name: e.label }, actor: this.actor(e.actor), createdAt: e.createdAt };
      case 'CrossReferencedEvent':
        return {
          __typename: e.type,
          source: this.pullObject(r, e.pull),
          willCloseTarget: e.willCloseTarget,
          createdAt: e.createdAt,
          referencedAt: e.createdAt,
        };
      case 'ConnectedEvent':
        return { __typename: e.type, subject: this.pullObject(r, e.pull), createdAt: e.createdAt };
      case 'ClosedEvent':
        return {
          __typename: e.type,
          closer: e.pull === null ? null : this.pullObject(r, e.pull),
          actor: this.actor(e.actor),
          stateReason: e.stateReason,
          createdAt: e.createdAt,
        };
      case 'ReopenedEvent':
        return { __typename: e.type, actor: this.actor(e.actor), createdAt: e.createdAt };
    }
  }

  private rootValue(login: string): Record<string, unknown> {
    return {
      viewer: this.actor(login),
      rateLimit: { cost: 1, remaining: 4999, limit: 5000, resetAt: new Date(this.now().getTime() + 3_600_000).toISOString() },
      repository: ({ owner, name }: { owner: string; name: string }) => {
        const r = this.repo(`${owner}/${name}`);
        if (!r) {
          throw new GraphQLError(`Could not resolve to a Repository with the name '${owner}/${name}'.`, {
            extensions: { type: 'NOT_FOUND' },
          });
        }
        return {
          nameWithOwner: `${r.owner}/${r.name}`,
          url: `https://github.com/${r.owner}/${r.name}`,
          issue: ({ number }: { number: number }) => {
            const i = r.issues.get(number);
            if (!i) {
              throw new GraphQLError(`Could not resolve to an Issue with the number of ${number}.`, {
                extensions: { type: 'NOT_FOUND' },
              });
            }
            return this.issueObject(r, i);
          },
          pullRequests: (args: ConnArgs & { headRefName?: string | null; states?: string[] | null }) => {
            const list = [...r.pulls.values()]
              .filter((p) => !args.headRefName || p.head === args.headRefName)
              .filter((p) => !args.states || args.states.includes(p.state))
              .sort((a, b) => b.number - a.number);
            return connection(
              list.map((p) => ({
                ...this.pullObject(r, p.number),
                isDraft: p.draft ?? false,
                headRefName: p.head ?? `pr-${p.number}`,
                baseRefName: p.base ?? 'main',
                body: p.body ?? '',
              })),
              args,
            );
          },
          issues: (args: ConnArgs & { states?: string[] | null; labels?: string[] | null }) => {
            const list = [...r.issues.values()]
              .filter((i) => !args.states || args.states.includes(i.state))
              .filter((i) => !args.labels || args.labels.some((l) => i.labels.includes(l)))
              .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.number - a.number);
            return connection(
              list.map((i) => this.issueObject(r, i)),
              args,
            );
          },
        };
      },
    };
  }

  // ---------------------------------------------------------------- REST

  private restIssue(r: EmRepo, i: EmIssue): Record<string, unknown> {
    const t = templates();
    const api = `${this.url}/repos/${r.owner}/${r.name}/issues/${i.number}`;
    return {
      ...t.issue,
      url: api,
      repository_url: `${this.url}/repos/${r.owner}/${r.name}`,
      labels_url: `${api}/labels{/name}`,
      comments_url: `${api}/comments`,
      events_url: `${api}/events`,
      html_url: `https://github.com/${r.owner}/${r.name}/issues/${i.number}`,
      number: i.number,
      title: i.title,
      body: i.body,
      user: this.restUser(i.author),
      labels: i.labels.map((l) => this.restLabel(r, l)),
      state: i.state.toLowerCase(),
      state_reason: i.stateReason?.toLowerCase() ?? null,
      comments: i.comments.length,
      created_at: i.createdAt,
      updated_at: i.updatedAt,
      closed_at: i.closedAt,
    };
  }

  private restUser(login: string): Record<string, unknown> {
    const t = templates();
    return { ...t.user, login, url: `${this.url}/users/${login}`, html_url: `https://github.com/${login}`, type: login.endsWith('[bot]') ? 'Bot' : 'User' };
  }

  private restLabel(r: EmRepo, name: string): Record<string, unknown> {
    return { ...templates().label, name, url: `${this.url}/repos/${r.owner}/${r.name}/labels/${encodeURIComponent(name)}` };
  }

  private restComment(r: EmRepo, i: EmIssue, c: EmComment): Record<string, unknown> {
    return {
      url: `${this.url}/repos/${r.owner}/${r.name}/issues/comments/${c.id}`,
      html_url: `https://github.com/${r.owner}/${r.name}/issues/${i.number}#issuecomment-${c.id}`,
      issue_url: `${this.url}/repos/${r.owner}/${r.name}/issues/${i.number}`,
      id: c.id,
      node_id: Buffer.from(`IssueComment:${c.id}`).toString('base64'),
      user: this.restUser(c.author),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      author_association: c.authorAssociation,
      body: c.body,
    };
  }

  private rest(method: string, url: URL, body: Record<string, unknown>, login: string): [number, unknown] {
    const notFound: [number, unknown] = [404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' }];
    if (method === 'GET' && url.pathname === '/user') return [200, this.restUser(login)];
    const pm = /^\/repos\/([^/]+)\/([^/]+)\/(pulls|branches\/.+)$/.exec(url.pathname);
    if (pm) {
      const r = this.repo(`${decodeURIComponent(pm[1]!)}/${decodeURIComponent(pm[2]!)}`);
      if (!r) return notFound;
      if (pm[3] === 'pulls' && method === 'POST') return this.createPull(r, body, login);
      if (pm[3]!.startsWith('branches/') && method === 'GET') {
        const branch = decodeURIComponent(pm[3]!.slice('branches/'.length));
        const sha = this.branchSha(r, branch);
        if (!sha) return [404, { message: 'Branch not found', documentation_url: 'https://docs.github.com/rest/branches/branches#get-a-branch', status: '404' }];
        return [200, { name: branch, commit: { sha, url: `${this.url}/repos/${r.owner}/${r.name}/commits/${sha}` }, protected: false }];
      }
      return notFound;
    }
    const m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(.+)$/.exec(url.pathname);
    if (!m) return notFound;
    const r = this.repo(`${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}`);
    if (!r) return notFound;
    const rest = m[3]!;
    // GitHub stamps events to the second, so racing writes often share a timestamp.
    const now = (): string => this.now().toISOString().replace(/\.\d{3}Z$/, 'Z');

    const commentMatch = /^comments\/(\d+)$/.exec(rest);
    if (commentMatch && method === 'PATCH') {
      const id = Number(commentMatch[1]);
      for (const i of r.issues.values()) {
        const c = i.comments.find((x) => x.id === id);
        if (c) {
          if (typeof body.body !== 'string') return [422, templates().validationFailed];
          c.body = body.body;
          c.updatedAt = now();
          return [200, this.restComment(r, i, c)];
        }
      }
      return notFound;
    }

    const im = /^(\d+)(?:\/(comments|labels)(?:\/(.+))?)?$/.exec(rest);
    if (!im) return notFound;
    const issue = r.issues.get(Number(im[1]));
    if (!issue) return notFound;
    const sub = im[2];
    const touch = (): void => {
      issue.updatedAt = now();
    };

    if (!sub && method === 'GET') return [200, this.restIssue(r, issue)];
    if (!sub && method === 'PATCH') {
      if (body.state === 'closed' && issue.state !== 'CLOSED') {
        issue.state = 'CLOSED';
        issue.stateReason = typeof body.state_reason === 'string' ? body.state_reason.toUpperCase() : 'COMPLETED';
        issue.closedAt = now();
        issue.timeline.push({ type: 'ClosedEvent', pull: null, actor: login, stateReason: issue.stateReason, createdAt: now() });
      } else if (body.state === 'open' && issue.state !== 'OPEN') {
        issue.state = 'OPEN';
        issue.stateReason = 'REOPENED';
        issue.closedAt = null;
        issue.timeline.push({ type: 'ReopenedEvent', actor: login, createdAt: now() });
      }
      touch();
      return [200, this.restIssue(r, issue)];
    }
    if (sub === 'comments' && method === 'POST' && !im[3]) {
      if (typeof body.body !== 'string' || body.body === '') return [422, templates().validationFailed];
      const c: EmComment = { id: this.nextCommentId++, author: login, body: body.body, authorAssociation: 'NONE', createdAt: now(), updatedAt: now() };
      issue.comments.push(c);
      touch();
      return [201, this.restComment(r, issue, c)];
    }
    if (sub === 'labels' && method === 'POST' && !im[3]) {
      const labels = Array.isArray(body.labels) ? (body.labels as unknown[]) : [];
      if (!labels.every((l) => typeof l === 'string' && l.length > 0)) return [422, templates().validationFailed];
      for (const l of labels as string[]) {
        if (!issue.labels.includes(l)) {
          issue.labels.push(l);
          issue.timeline.push({ type: 'LabeledEvent', label: l, actor: login, createdAt: now() });
        }
      }
      touch();
      return [200, issue.labels.map((l) => this.restLabel(r, l))];
    }
    if (sub === 'labels' && method === 'DELETE' && im[3]) {
      const name = decodeURIComponent(im[3]);
      if (!issue.labels.includes(name)) {
        return [404, { message: 'Label does not exist', documentation_url: 'https://docs.github.com/rest/issues/labels#remove-a-label-from-an-issue', status: '404' }];
      }
      issue.labels = issue.labels.filter((l) => l !== name);
      issue.timeline.push({ type: 'UnlabeledEvent', label: name, actor: login, createdAt: now() });
      touch();
      return [200, issue.labels.map((l) => this.restLabel(r, l))];
    }
    return notFound;
  }

  /** A branch's head commit in the linked git repository (any branch exists when none is linked). */
  private branchSha(r: EmRepo, branch: string): string | undefined {
    if (!r.gitDir) return '0000000000000000000000000000000000000000';
    const out = spawnSync('git', ['--git-dir', r.gitDir, 'rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], { encoding: 'utf8' });
    return out.status === 0 ? out.stdout.trim() : undefined;
  }

  // POST /repos/{owner}/{repo}/pulls, answering as GitHub does: 422 for a missing field, a head
  // branch that is not pushed, or a second open PR from the same head.
  private createPull(r: EmRepo, body: Record<string, unknown>, login: string): [number, unknown] {
    const invalid = (message: string): [number, unknown] => [
      422,
      { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message }], documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request', status: '422' },
    ];
    const { head, base, title } = body;
    if (typeof head !== 'string' || typeof base !== 'string' || typeof title !== 'string' || !head || !base) return [422, templates().validationFailed];
    if (!this.branchSha(r, head)) return invalid(`head sha can't be blank, no commits between ${base} and ${head}`);
    if ([...r.pulls.values()].some((p) => p.head === head && p.state === 'OPEN')) return invalid(`A pull request already exists for ${r.owner}:${head}.`);
    const number = Math.max(0, ...r.issues.keys(), ...r.pulls.keys()) + 1;
    const at = this.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const p: EmPull = { number, title, state: 'OPEN', mergedAt: null, checks: null, head, base, body: typeof body.body === 'string' ? body.body : '', draft: body.draft === true, author: login, createdAt: at };
    r.pulls.set(number, p);
    return [201, this.restPull(r, p)];
  }

  private restPull(r: EmRepo, p: EmPull): Record<string, unknown> {
    const api = `${this.url}/repos/${r.owner}/${r.name}`;
    const ref = (name: string) => ({ label: `${r.owner}:${name}`, ref: name, sha: this.branchSha(r, name) ?? '', repo: { full_name: `${r.owner}/${r.name}` }, user: this.restUser(r.owner) });
    return {
      url: `${api}/pulls/${p.number}`,
      id: 500_000 + p.number,
      node_id: Buffer.from(`PullRequest:${r.owner}/${r.name}#${p.number}`).toString('base64'),
      html_url: `https://github.com/${r.owner}/${r.name}/pull/${p.number}`,
      issue_url: `${api}/issues/${p.number}`,
      number: p.number,
      state: p.state === 'OPEN' ? 'open' : 'closed',
      locked: false,
      title: p.title,
      user: this.restUser(p.author ?? 'ghost'),
      body: p.body ?? null,
      labels: [],
      created_at: p.createdAt,
      updated_at: p.createdAt,
      closed_at: null,
      merged_at: p.mergedAt,
      draft: p.draft ?? false,
      head: ref(p.head ?? ''),
      base: ref(p.base ?? ''),
      author_association: 'NONE',
    };
  }

}

/** Starts an emulator on an ephemeral loopback port. */
export async function startGitHubEmulator(): Promise<GitHubEmulator> {
  return new GitHubEmulator().listen();
}
