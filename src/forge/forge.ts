import type { AuthorAssociation } from '../domain/vocabulary.ts';

/** A reference to one issue on a forge. */
export interface IssueRef {
  /** `local` for a snapshot folder/file; `github` for a GitHub repository. */
  forge: 'local' | 'github';
  /** Snapshot file path (local) or `owner/repo` (github). */
  location: string;
  number: number;
}

export interface IssueComment {
  /** Forge id of the comment (GitHub database id or local index-based id). */
  id: string;
  author: string;
  authorAssociation?: AuthorAssociation;
  body: string;
  createdAt: string;
  updatedAt?: string;
  url?: string;
}

export interface LinkedPullRequest {
  number: number;
  title: string;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  mergedAt: string | null;
  url?: string;
  /** Latest status-check rollup: SUCCESS, FAILURE, PENDING, ERROR, EXPECTED, or null. */
  checks?: string | null;
}

export interface LabelEvent {
  label: string;
  action: 'labeled' | 'unlabeled';
  actor: string;
  at: string;
}

/** Everything progressor reads about one issue. */
export interface Issue {
  ref: IssueRef;
  number: number;
  title: string;
  body: string;
  state: 'OPEN' | 'CLOSED';
  stateReason?: string | null;
  url: string;
  createdAt: string;
  updatedAt?: string;
  closedAt?: string | null;
  author: string;
  labels: string[];
  comments: IssueComment[];
  linkedPullRequests: LinkedPullRequest[];
  labelEvents?: LabelEvent[];
}

/** An open issue as listed for selection (`progressor next`). */
export interface IssueSummary {
  ref: IssueRef;
  title: string;
  labels: string[];
  updatedAt: string;
}

/** A pull request progressor opened or found (SPEC §3 step 9). */
export interface PullRequest {
  number: number;
  url: string;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  draft: boolean;
  /** Branch the changes are on. */
  head: string;
  /** Branch the PR merges into. */
  base: string;
  title: string;
  body: string;
  /** The head commit's status-check rollup (SUCCESS, FAILURE, PENDING, …), null when none ran. */
  checks?: string | null;
}

export interface NewPullRequest {
  head: string;
  base: string;
  title: string;
  body: string;
  /** progressor opens drafts only; a human marks them ready. */
  draft: true;
}

/**
 * A forge: where issues live. Implementations: `local` (snapshot folder), `github`.
 * Reads never write; every write is a single, idempotent-by-design mutation.
 */
export interface Forge {
  readonly name: 'local' | 'github';
  /** The login progressor writes as (used to find its own status comment). */
  botLogin(): Promise<string>;
  /**
   * Reads an issue with its comments, labels and linked PRs.
   * @throws ProgressorError SNAPSHOT_INVALID / FORGE_REQUEST / FORGE_AUTH
   */
  getIssue(ref: IssueRef): Promise<Issue>;
  /** Creates a comment; returns its id. @throws ProgressorError */
  createComment(ref: IssueRef, body: string): Promise<string>;
  /** Replaces a comment's body. @throws ProgressorError */
  updateComment(ref: IssueRef, commentId: string, body: string): Promise<void>;
  /** @throws ProgressorError */
  addLabels(ref: IssueRef, labels: string[]): Promise<void>;
  /** Removing a label the issue does not carry is not an error. @throws ProgressorError */
  removeLabel(ref: IssueRef, label: string): Promise<void>;
  /**
   * Open issues at a location (`owner/repo`, or a snapshot folder), most recently updated first.
   * @throws ProgressorError
   */
  listIssues(location: string): Promise<IssueSummary[]>;
  /**
   * The issue's label events, oldest first, in the forge's own order (the claim protocol's
   * "earliest claim wins" relies on this order). @throws ProgressorError
   */
  listLabelEvents(ref: IssueRef): Promise<LabelEvent[]>;
  /**
   * Optional exclusive lock on one issue for a read–plan–write (the local forge's file lock;
   * GitHub relies on the claim instead). Returns the release function.
   * @throws ProgressorError
   */
  lock?(ref: IssueRef): Promise<() => Promise<void>>;
  /**
   * The pull request from branch `head` in the issue's repository, open or not, if any: how a
   * resumed run finds the PR it opened before a crash. @throws ProgressorError
   */
  findPullRequest(ref: IssueRef, head: string): Promise<PullRequest | undefined>;
  /** Opens a pull request in the issue's repository. @throws ProgressorError */
  createPullRequest(ref: IssueRef, pr: NewPullRequest): Promise<PullRequest>;
  /** @throws ProgressorError */
  setState(ref: IssueRef, state: 'OPEN' | 'CLOSED', reason?: 'completed' | 'not_planned'): Promise<void>;
}
