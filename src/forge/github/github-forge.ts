import { ProgressorError } from '../../errors/errors.ts';
import type { AuthorAssociation } from '../../domain/vocabulary.ts';
import type { Forge, Issue, IssueComment, IssueRef, IssueSummary, LabelEvent, LinkedPullRequest, NewPullRequest, PullRequest } from '../forge.ts';
import type { GitHubAuth } from './auth.ts';
import type { ForgeLog, GitHubClient } from './client.ts';
import { toForgeError } from './errors.ts';
import { ISSUE_QUERY, LABEL_EVENTS_QUERY, OPEN_ISSUES_QUERY, PULLS_BY_HEAD_QUERY, RECENT_COMMENTS_QUERY, VIEWER_QUERY } from './queries.ts';

export interface GitHubForgeOptions {
  client: GitHubClient;
  auth: GitHubAuth;
  /** The login progressor writes as; looked up from the credentials when absent. */
  botLogin?: string;
  log?: ForgeLog;
  /** Minimum pause between two mutations (GitHub asks for ≥ 1 s). Default 1000. */
  minWriteIntervalMs?: number;
  /** Attempts of a comment creation whose outcome was lost (5xx, dropped connection). Default 6. */
  createAttempts?: number;
  /** Injectable sleep (tests). */
  sleep?: (ms: number) => Promise<void>;
}

interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}
interface GqlActor {
  __typename?: string;
  login: string;
}

/**
 * A login as REST and the local forge spell it: GraphQL drops the `[bot]` suffix of App
 * accounts (`progressor`), REST keeps it (`progressor[bot]`); normalised here, at the
 * boundary, so `comment.author === await forge.botLogin()` holds for the bot's comments.
 */
function loginOf(actor: GqlActor | null | undefined): string {
  if (!actor) return 'ghost';
  return actor.__typename === 'Bot' && !actor.login.endsWith('[bot]') ? `${actor.login}[bot]` : actor.login;
}
interface GqlPull {
  __typename: string;
  number?: number;
  title?: string;
  state?: 'OPEN' | 'CLOSED' | 'MERGED';
  mergedAt?: string | null;
  url?: string;
  statusCheckRollup?: { state: string } | null;
}
interface GqlTimelineNode {
  __typename: string;
  createdAt?: string;
  actor?: GqlActor | null;
  label?: { name: string };
  source?: GqlPull;
  subject?: GqlPull;
  closer?: GqlPull | null;
}
interface GqlComment {
  databaseId: number | null;
  author: GqlActor | null;
  authorAssociation: AuthorAssociation;
  body: string;
  createdAt: string;
  updatedAt: string;
  url: string;
}
interface GqlIssue {
  number: number;
  title?: string;
  body?: string;
  state?: 'OPEN' | 'CLOSED';
  stateReason?: string | null;
  url?: string;
  createdAt?: string;
  updatedAt?: string;
  closedAt?: string | null;
  author?: GqlActor | null;
  labels?: { nodes: { name: string }[] };
  comments?: { pageInfo: PageInfo; nodes: GqlComment[] };
  timelineItems?: { pageInfo: PageInfo; nodes: (GqlTimelineNode | null)[] };
}

/** Splits `owner/repo`. @throws ProgressorError USAGE */
export function splitRepo(location: string): { owner: string; name: string } {
  const m = /^([\w.-]+)\/([\w.-]+)$/.exec(location);
  if (!m) throw new ProgressorError('USAGE', `not a GitHub repository: "${location}"`, { hint: 'Write it as owner/repo.' });
  return { owner: m[1]!, name: m[2]! };
}

/**
 * Compares logins normalised by `loginOf` (Bots carry `[bot]`); a User named like the App is
 * another account (issue 10).
 */
export function sameLogin(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function toLabelEvent(n: GqlTimelineNode): LabelEvent | undefined {
  if ((n.__typename !== 'LabeledEvent' && n.__typename !== 'UnlabeledEvent') || !n.label || !n.createdAt) return undefined;
  return {
    label: n.label.name,
    action: n.__typename === 'LabeledEvent' ? 'labeled' : 'unlabeled',
    actor: loginOf(n.actor),
    at: n.createdAt,
  };
}

function isRetryableWriteFailure(e: unknown): boolean {
  const status = (e as { status?: unknown }).status;
  // No status, 5xx (Octokit reports a dropped connection as 500): the write may or may not
  // have happened. 4xx answers are definite.
  return typeof status !== 'number' || status >= 500;
}

/**
 * The GitHub forge: reads with GraphQL (one paginated query per issue), writes with REST,
 * one mutation at a time. Every failure leaves as a ProgressorError.
 */
export class GitHubForge implements Forge {
  readonly name = 'github' as const;
  private readonly client: GitHubClient;
  private readonly auth: GitHubAuth;
  private readonly log: ForgeLog;
  private readonly minWriteIntervalMs: number;
  private readonly createAttempts: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private login: string | undefined;
  private writeQueue: Promise<unknown> = Promise.resolve();
  private lastWriteAt = 0;

  constructor(options: GitHubForgeOptions) {
    this.client = options.client;
    this.auth = options.auth;
    this.login = options.botLogin;
    this.log = options.log ?? (() => undefined);
    this.minWriteIntervalMs = options.minWriteIntervalMs ?? 1000;
    this.createAttempts = options.createAttempts ?? 6;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw toForgeError(e, what, this.auth);
    }
  }

  /** Mutations run one at a time, paced (GitHub's secondary-rate-limit guidance). */
  private write<T>(fn: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      const wait = this.lastWriteAt + this.minWriteIntervalMs - Date.now();
      if (wait > 0) await this.sleep(wait);
      try {
        return await fn();
      } finally {
        this.lastWriteAt = Date.now();
      }
    };
    const next = this.writeQueue.then(run, run);
    this.writeQueue = next.catch(() => undefined);
    return next;
  }

  async botLogin(): Promise<string> {
    if (this.login) return this.login;
    this.login = await this.call('find the login progressor writes as', async () => {
      if (this.auth.kind === 'app') {
        const { data } = await this.client.rest.apps.getAuthenticated();
        return `${data?.slug ?? 'progressor'}[bot]`;
      }
      try {
        return (await this.client.rest.users.getAuthenticated()).data.login;
      } catch (e) {
        // Installation tokens (Actions' GITHUB_TOKEN) cannot read /user.
        if ((e as { status?: number }).status !== 403) throw e;
        const res = await this.client.graphql<{ viewer: { login: string } }>(VIEWER_QUERY);
        return res.viewer.login;
      }
    });
    return this.login;
  }

  async getIssue(ref: IssueRef): Promise<Issue> {
    const { owner, name } = splitRepo(ref.location);
    const what = `read ${ref.location}#${ref.number}`;
    let issue: GqlIssue | undefined;
    const comments: GqlComment[] = [];
    const timeline: GqlTimelineNode[] = [];
    let commentsAfter: string | null = null;
    let timelineAfter: string | null = null;
    let withComments = true;
    let withTimeline = true;
    for (let page = 0; withComments || withTimeline; page++) {
      const res = await this.call(what, () =>
        this.client.graphql<{ repository: { issue: GqlIssue } | null }>(ISSUE_QUERY, {
          owner,
          name,
          number: ref.number,
          withIssue: page === 0,
          withComments,
          commentsAfter,
          withTimeline,
          timelineAfter,
        }),
      );
      const got = res.repository?.issue;
      if (!got) throw new ProgressorError('FORGE_REQUEST', `${ref.location}#${ref.number} not found`, { hint: 'Check the repository and number.' });
      if (page === 0) issue = got;
      if (withComments && got.comments) {
        comments.push(...got.comments.nodes);
        withComments = got.comments.pageInfo.hasNextPage;
        commentsAfter = got.comments.pageInfo.endCursor;
      } else withComments = false;
      if (withTimeline && got.timelineItems) {
        for (const n of got.timelineItems.nodes) if (n) timeline.push(n);
        withTimeline = got.timelineItems.pageInfo.hasNextPage;
        timelineAfter = got.timelineItems.pageInfo.endCursor;
      } else withTimeline = false;
    }
    const i = issue!;
    const pulls = new Map<string, LinkedPullRequest>();
    for (const n of timeline) {
      const pr = n.__typename === 'CrossReferencedEvent' ? n.source : n.__typename === 'ConnectedEvent' ? n.subject : n.closer;
      if (!pr || pr.__typename !== 'PullRequest' || pr.number === undefined) continue;
      pulls.set(pr.url ?? String(pr.number), {
        number: pr.number,
        title: pr.title ?? '',
        state: pr.state ?? 'OPEN',
        mergedAt: pr.mergedAt ?? null,
        url: pr.url,
        checks: pr.statusCheckRollup?.state ?? null,
      });
    }
    return {
      ref,
      number: i.number,
      title: i.title ?? '',
      body: i.body ?? '',
      state: i.state ?? 'OPEN',
      stateReason: i.stateReason ?? null,
      url: i.url ?? '',
      createdAt: i.createdAt ?? '',
      updatedAt: i.updatedAt,
      closedAt: i.closedAt ?? null,
      author: loginOf(i.author),
      labels: (i.labels?.nodes ?? []).map((l) => l.name),
      comments: comments.map(
        (c): IssueComment => ({
          id: String(c.databaseId),
          author: loginOf(c.author),
          authorAssociation: c.authorAssociation,
          body: c.body,
          createdAt: c.createdAt,
          updatedAt: c.updatedAt,
          url: c.url,
        }),
      ),
      linkedPullRequests: [...pulls.values()].sort((a, b) => a.number - b.number),
      labelEvents: timeline.map(toLabelEvent).filter((e): e is LabelEvent => e !== undefined),
    };
  }

  async listLabelEvents(ref: IssueRef): Promise<LabelEvent[]> {
    const { owner, name } = splitRepo(ref.location);
    const events: LabelEvent[] = [];
    let after: string | null = null;
    for (;;) {
      type R = { repository: { issue: { timelineItems: { pageInfo: PageInfo; nodes: (GqlTimelineNode | null)[] } } | null } | null };
      const res: R = await this.call(`read label events of ${ref.location}#${ref.number}`, () =>
        this.client.graphql<R>(LABEL_EVENTS_QUERY, { owner, name, number: ref.number, after }),
      );
      const conn = res.repository?.issue?.timelineItems;
      if (!conn) throw new ProgressorError('FORGE_REQUEST', `${ref.location}#${ref.number} not found`);
      for (const n of conn.nodes) {
        const e = n && toLabelEvent(n);
        if (e) events.push(e);
      }
      if (!conn.pageInfo.hasNextPage) return events;
      after = conn.pageInfo.endCursor;
    }
  }

  async listIssues(location: string): Promise<IssueSummary[]> {
    const { owner, name } = splitRepo(location);
    const out: IssueSummary[] = [];
    let after: string | null = null;
    // Ten pages (1000 issues) is plenty for picking the next one; the newest come first.
    for (let page = 0; page < 10; page++) {
      type R = {
        repository: {
          issues: { pageInfo: PageInfo; nodes: { number: number; title: string; updatedAt: string; labels: { nodes: { name: string }[] } }[] };
        } | null;
      };
      const res: R = await this.call(`list open issues of ${location}`, () => this.client.graphql<R>(OPEN_ISSUES_QUERY, { owner, name, after }));
      const conn = res.repository?.issues;
      if (!conn) break;
      for (const n of conn.nodes) {
        out.push({
          ref: { forge: 'github', location, number: n.number },
          title: n.title,
          labels: n.labels.nodes.map((l) => l.name),
          updatedAt: n.updatedAt,
        });
      }
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    return out;
  }

  /**
   * Creates a comment exactly once. Automatic retries are off for this POST: when the answer
   * is lost (5xx, dropped connection) the comment may exist, so the recent comments are read
   * back and the create is repeated only if the bot's identical comment is absent.
   */
  async createComment(ref: IssueRef, body: string): Promise<string> {
    const { owner, name } = splitRepo(ref.location);
    const what = `comment on ${ref.location}#${ref.number}`;
    return this.write(async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          const { data } = await this.client.rest.issues.createComment({
            owner,
            repo: name,
            issue_number: ref.number,
            body,
            request: { retries: 0 },
          });
          return String(data.id);
        } catch (e) {
          if (!isRetryableWriteFailure(e) || attempt >= this.createAttempts) throw toForgeError(e, what, this.auth);
          this.log(`comment on ${ref.location}#${ref.number}: answer lost (${(e as Error).message}); checking before retrying`);
          await this.sleep(Math.min(50 * 2 ** attempt, 5000));
          const existing = await this.findOwnComment(ref, body);
          if (existing) return existing;
        }
      }
    });
  }

  private async findOwnComment(ref: IssueRef, body: string): Promise<string | undefined> {
    const { owner, name } = splitRepo(ref.location);
    const login = await this.botLogin();
    type R = { repository: { issue: { comments: { nodes: { databaseId: number; author: GqlActor | null; body: string }[] } } | null } | null };
    const res = await this.call(`re-read comments of ${ref.location}#${ref.number}`, () =>
      this.client.graphql<R>(RECENT_COMMENTS_QUERY, { owner, name, number: ref.number }),
    );
    const hit = (res.repository?.issue?.comments.nodes ?? []).find((c) => c.body === body && c.author && sameLogin(loginOf(c.author), login));
    return hit ? String(hit.databaseId) : undefined;
  }

  async updateComment(ref: IssueRef, commentId: string, body: string): Promise<void> {
    const { owner, name } = splitRepo(ref.location);
    await this.write(() =>
      this.call(`edit comment ${commentId} on ${ref.location}#${ref.number}`, () =>
        this.client.rest.issues.updateComment({ owner, repo: name, comment_id: Number(commentId), body }),
      ),
    );
  }

  async addLabels(ref: IssueRef, labels: string[]): Promise<void> {
    if (labels.length === 0) return;
    const { owner, name } = splitRepo(ref.location);
    await this.write(() =>
      this.call(`add labels ${labels.join(', ')} to ${ref.location}#${ref.number}`, () =>
        this.client.rest.issues.addLabels({ owner, repo: name, issue_number: ref.number, labels }),
      ),
    );
  }

  async removeLabel(ref: IssueRef, label: string): Promise<void> {
    const { owner, name } = splitRepo(ref.location);
    await this.write(() =>
      this.call(`remove label ${label} from ${ref.location}#${ref.number}`, async () => {
        try {
          await this.client.rest.issues.removeLabel({ owner, repo: name, issue_number: ref.number, name: label });
        } catch (e) {
          // Absent already (or removed by a retried request whose answer was lost): done.
          if (!((e as { status?: number }).status === 404 && /label does not exist/i.test((e as Error).message))) throw e;
        }
      }),
    );
  }

  async findPullRequest(ref: IssueRef, head: string): Promise<PullRequest | undefined> {
    const { owner, name } = splitRepo(ref.location);
    type Node = { number: number; url: string; state: PullRequest['state']; isDraft: boolean; headRefName: string; baseRefName: string; title: string; body: string; statusCheckRollup: { state: string } | null };
    type R = { repository: { pullRequests: { nodes: Node[] } } | null };
    const res = await this.call(`find the pull request from ${head} in ${ref.location}`, () =>
      this.client.graphql<R>(PULLS_BY_HEAD_QUERY, { owner, name, head }),
    );
    const n = res.repository?.pullRequests.nodes[0];
    return n && { number: n.number, url: n.url, state: n.state, draft: n.isDraft, head: n.headRefName, base: n.baseRefName, title: n.title, body: n.body, checks: n.statusCheckRollup?.state ?? null };
  }

  /**
   * Opens a draft PR exactly once: like createComment, a create whose answer was lost is
   * repeated only when no PR from the head branch exists.
   */
  async createPullRequest(ref: IssueRef, pr: NewPullRequest): Promise<PullRequest> {
    const { owner, name } = splitRepo(ref.location);
    const what = `open a pull request from ${pr.head} in ${ref.location}`;
    return this.write(async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          const { data } = await this.client.rest.pulls.create({
            owner,
            repo: name,
            head: pr.head,
            base: pr.base,
            title: pr.title,
            body: pr.body,
            draft: pr.draft,
            request: { retries: 0 },
          });
          return {
            number: data.number,
            url: data.html_url,
            state: data.merged_at ? 'MERGED' : data.state === 'closed' ? 'CLOSED' : 'OPEN',
            draft: Boolean(data.draft),
            head: data.head.ref,
            base: data.base.ref,
            title: data.title,
            body: data.body ?? '',
            checks: null,
          };
        } catch (e) {
          if (!isRetryableWriteFailure(e) || attempt >= this.createAttempts) throw toForgeError(e, what, this.auth);
          this.log(`${what}: answer lost (${(e as Error).message}); checking before retrying`);
          await this.sleep(Math.min(50 * 2 ** attempt, 5000));
          const existing = await this.findPullRequest(ref, pr.head);
          if (existing) return existing;
        }
      }
    });
  }

  async setState(ref: IssueRef, state: 'OPEN' | 'CLOSED', reason?: 'completed' | 'not_planned'): Promise<void> {
    const { owner, name } = splitRepo(ref.location);
    await this.write(() =>
      this.call(`${state === 'CLOSED' ? 'close' : 'reopen'} ${ref.location}#${ref.number}`, () =>
        this.client.rest.issues.update({
          owner,
          repo: name,
          issue_number: ref.number,
          state: state === 'CLOSED' ? 'closed' : 'open',
          ...(state === 'CLOSED' ? { state_reason: reason ?? 'completed' } : {}),
        }),
      ),
    );
  }
}
