// The store (SPEC §9): one interface, two engines (sqlite/, postgres/), selected by
// open-store.ts. Rows are plain JSON-able objects; times are ISO-8601 strings (UTC).

/** A worker session: one `progressor run` process working on one issue. */
export interface SessionRow {
  id: string;
  issueKey: string;
  startedAt: string;
  endedAt?: string | null;
  /** Host and pid of the worker, for the dashboard and for humans. */
  worker?: string | null;
}

/** A lease on a key (an issue): held by one holder until it expires or is released. */
export interface LeaseRow {
  key: string;
  holder: string;
  acquiredAt: string;
  expiresAt: string;
}

/** One audit's verdict, for history and for "unchanged since" decisions. */
export interface AuditRow {
  id: string;
  issueKey: string;
  session?: string | null;
  runId?: string | null;
  auditHash: string;
  status: string;
  owner: string;
  category: string;
  at: string;
  /** Small JSON summary (confidence, takeaway); never the whole evidence. */
  summary: Record<string, unknown>;
}

export const RUN_STATES = ['running', 'paused', 'done', 'stopped', 'failed', 'blocked'] as const;
export type RunState = (typeof RUN_STATES)[number];

/** One `progressor run` of one issue, across its resumes. */
export interface RunRow {
  id: string;
  issueKey: string;
  session: string;
  branch?: string | null;
  state: RunState;
  startedAt: string;
  updatedAt: string;
  endedAt?: string | null;
  /** Options the run started with (agent, until, from) — resumes reuse them. */
  options: Record<string, unknown>;
  /** Sums over the run's steps (computed). */
  tokens: number;
  costUsd: number;
}

export const STEP_STATES = ['running', 'done', 'skipped', 'failed', 'blocked'] as const;
export type StepState = (typeof STEP_STATES)[number];

/** Something a step produced: a commit, a branch, a PR, a comment, a test report. */
export interface Artefact {
  kind: string;
  ref: string;
  url?: string;
}

/** A step's checkpoint (SPEC §3: every step records result, duration, tokens and cost). */
export interface StepRow {
  runId: string;
  step: number;
  name: string;
  state: StepState;
  /** Hash of what the step read; a done step with the same input is not redone. */
  inputHash?: string | null;
  /** 1 on the first start, +1 on every restart after a crash or failure. */
  attempt: number;
  startedAt: string;
  endedAt?: string | null;
  durationMs?: number | null;
  tokens: number;
  costUsd: number;
  result?: Record<string, unknown> | null;
  artefacts: Artefact[];
}

export interface StepFinish {
  state: Exclude<StepState, 'running'>;
  endedAt: string;
  durationMs: number;
  tokens?: number;
  costUsd?: number;
  result?: Record<string, unknown>;
  artefacts?: Artefact[];
}

/** One probe result at one time (SPEC §8: probe history). */
export interface ProbeHistoryRow {
  probeId: string;
  target: string;
  status: string;
  latencyMs?: number | null;
  observed?: string | null;
  error?: string | null;
  at: string;
  runId?: string | null;
}

/**
 * Where progressor keeps its bookkeeping. Implementations: `sqlite` (default, one file, WAL)
 * and `postgres` (`DATABASE_URL`); both pass test/contract/store-contract.test.ts. Opening
 * a store applies pending migrations.
 */
export interface Store {
  readonly engine: 'sqlite' | 'postgres';
  /** The file path, or the database URL without its password. */
  readonly location: string;
  /** Highest applied migration version. */
  schemaVersion(): Promise<number>;

  /** Inserts or updates a session (by id). @throws ProgressorError STORE_FAILED */
  saveSession(session: SessionRow): Promise<void>;
  getSession(id: string): Promise<SessionRow | undefined>;

  /**
   * Takes the lease on `key` for `holder` unless another holder's lease is live at `now`
   * (compare-and-set in one statement). Re-acquiring one's own lease renews it.
   * @returns the lease held, or undefined when someone else holds it.
   */
  acquireLease(key: string, holder: string, now: Date, ttlMs: number): Promise<LeaseRow | undefined>;
  /** Extends a lease the holder still has; false when it was lost. */
  renewLease(key: string, holder: string, now: Date, ttlMs: number): Promise<boolean>;
  /** Gives a lease back; releasing a lease one does not hold does nothing. */
  releaseLease(key: string, holder: string): Promise<void>;
  getLease(key: string): Promise<LeaseRow | undefined>;

  saveAudit(audit: AuditRow): Promise<void>;
  /** Newest first. */
  listAudits(issueKey: string, limit?: number): Promise<AuditRow[]>;

  /** @throws ProgressorError STORE_FAILED when the id exists. */
  createRun(run: Omit<RunRow, 'tokens' | 'costUsd'>): Promise<RunRow>;
  getRun(id: string): Promise<RunRow | undefined>;
  updateRun(id: string, patch: Partial<Pick<RunRow, 'state' | 'branch' | 'updatedAt' | 'endedAt'>>): Promise<void>;
  /** Newest first; `issueKey` narrows to one issue. */
  listRuns(filter?: { issueKey?: string; limit?: number }): Promise<RunRow[]>;
  /** Token and cost totals over every run of an issue (the per-issue budget). */
  issueTotals(issueKey: string): Promise<{ tokens: number; costUsd: number }>;

  /**
   * Marks a step as started (state `running`): a first start inserts the checkpoint, a
   * restart bumps `attempt` and clears the previous result.
   */
  startStep(runId: string, step: number, name: string, inputHash: string | null, at: string): Promise<StepRow>;
  /** Records a step's outcome. @throws ProgressorError STORE_FAILED when the step was never started. */
  finishStep(runId: string, step: number, finish: StepFinish): Promise<void>;
  /**
   * Replaces a running step's artefacts before it finishes: a step records an effect it is
   * about to cause (a deploy) so a crash in the middle does not cause it twice.
   */
  recordArtefacts(runId: string, step: number, artefacts: Artefact[]): Promise<void>;
  /** In step order. */
  listSteps(runId: string): Promise<StepRow[]>;

  saveProbeResults(rows: ProbeHistoryRow[]): Promise<void>;
  /** Newest first. */
  listProbeHistory(probeId: string, limit?: number): Promise<ProbeHistoryRow[]>;

  close(): Promise<void>;
}
