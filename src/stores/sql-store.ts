import { randomUUID } from 'node:crypto';
import { ProgressorError } from '../errors/errors.ts';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations/migrations.ts';
import type { Artefact, AuditRow, LeaseRow, ProbeHistoryRow, RunRow, RunState, SessionRow, StepFinish, StepRow, StepState, Store } from './store.ts';

type Param = string | number | null;
type Row = Record<string, unknown>;

/**
 * What an engine provides: parameterised statements (`$1` placeholders), and a migration
 * lock. Both engines' stores are this class over their driver, so they cannot drift.
 */
export interface SqlDriver {
  readonly engine: 'sqlite' | 'postgres';
  readonly location: string;
  all(sql: string, params?: Param[]): Promise<Row[]>;
  /** @returns the number of rows changed. */
  run(sql: string, params?: Param[]): Promise<number>;
  /** Runs `fn` in one transaction holding the engine's migration lock. */
  exclusive<T>(fn: (tx: Pick<SqlDriver, 'all' | 'run'>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;

/** Applies pending migrations in order, each with its version row, under the engine's lock. */
export async function migrate(driver: SqlDriver, now: () => Date = () => new Date()): Promise<number[]> {
  return driver.exclusive(async (tx) => {
    await tx.run(MIGRATIONS_TABLE);
    const applied = new Set((await tx.all('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
    const newest = Math.max(0, ...applied);
    if (newest > LATEST_SCHEMA_VERSION) {
      throw new ProgressorError('STORE_FAILED', `the store is at schema version ${newest}, newer than this progressor (${LATEST_SCHEMA_VERSION})`, {
        file: driver.location,
        hint: 'Upgrade progressor, or point PROGRESSOR_STORE / DATABASE_URL at another store.',
      });
    }
    const done: number[] = [];
    for (const m of MIGRATIONS) {
      if (applied.has(m.version)) continue;
      for (const s of m.statements) await tx.run(s);
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, now().toISOString()]);
      done.push(m.version);
    }
    return done;
  });
}

const json = (v: unknown): string => JSON.stringify(v ?? null);
const parse = <T>(v: unknown, fallback: T): T => (typeof v === 'string' ? (JSON.parse(v) as T) : fallback);
const str = (v: unknown): string => String(v);
const optStr = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

function toStep(r: Row): StepRow {
  return {
    runId: str(r.run_id),
    step: num(r.step),
    name: str(r.name),
    state: str(r.state) as StepState,
    inputHash: optStr(r.input_hash),
    attempt: num(r.attempt),
    startedAt: str(r.started_at),
    endedAt: optStr(r.ended_at),
    durationMs: r.duration_ms === null || r.duration_ms === undefined ? null : num(r.duration_ms),
    tokens: num(r.tokens),
    costUsd: num(r.cost_usd),
    result: parse<Record<string, unknown> | null>(r.result, null),
    artefacts: parse<Artefact[]>(r.artefacts, []),
  };
}

function toRun(r: Row): RunRow {
  return {
    id: str(r.id),
    issueKey: str(r.issue_key),
    session: str(r.session),
    branch: optStr(r.branch),
    state: str(r.state) as RunState,
    startedAt: str(r.started_at),
    updatedAt: str(r.updated_at),
    endedAt: optStr(r.ended_at),
    options: parse<Record<string, unknown>>(r.options, {}),
    tokens: num(r.tokens),
    costUsd: num(r.cost_usd),
  };
}

const RUN_COLUMNS = `r.id, r.issue_key, r.session, r.branch, r.state, r.started_at, r.updated_at, r.ended_at, r.options,
  CAST(COALESCE((SELECT SUM(s.tokens) FROM steps s WHERE s.run_id = r.id), 0) AS INTEGER) AS tokens,
  COALESCE((SELECT SUM(s.cost_usd) FROM steps s WHERE s.run_id = r.id), 0) AS cost_usd`;

/** The store over one SQL engine. Construct through `openSqliteStore` / `openPostgresStore`. */
export class SqlStore implements Store {
  readonly engine: 'sqlite' | 'postgres';
  readonly location: string;
  private readonly db: SqlDriver;
  constructor(driver: SqlDriver) {
    this.db = driver;
    this.engine = driver.engine;
    this.location = driver.location;
  }

  private async guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof ProgressorError) throw e;
      throw new ProgressorError('STORE_FAILED', `${what}: ${(e as Error).message}`, {
        file: this.location,
        hint: 'Check that the store is reachable and writable (DATABASE_URL, PROGRESSOR_STORE, or $XDG_STATE_HOME/progressor/).',
        cause: e,
      });
    }
  }

  async schemaVersion(): Promise<number> {
    const rows = await this.db.all('SELECT MAX(version) AS v FROM schema_migrations');
    return num(rows[0]?.v);
  }

  saveSession(s: SessionRow): Promise<void> {
    return this.guard('saving a session', async () => {
      await this.db.run(
        `INSERT INTO sessions (id, issue_key, started_at, ended_at, worker) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET ended_at = excluded.ended_at, worker = excluded.worker`,
        [s.id, s.issueKey, s.startedAt, s.endedAt ?? null, s.worker ?? null],
      );
    });
  }

  async getSession(id: string): Promise<SessionRow | undefined> {
    const r = (await this.db.all('SELECT * FROM sessions WHERE id = $1', [id]))[0];
    return r && { id: str(r.id), issueKey: str(r.issue_key), startedAt: str(r.started_at), endedAt: optStr(r.ended_at), worker: optStr(r.worker) };
  }

  acquireLease(key: string, holder: string, now: Date, ttlMs: number): Promise<LeaseRow | undefined> {
    return this.guard('taking a lease', async () => {
      const at = now.toISOString();
      const expires = new Date(now.getTime() + ttlMs).toISOString();
      // One statement: insert, or take over an expired lease, or renew our own. ISO strings
      // of one format compare in time order.
      const rows = await this.db.all(
        `INSERT INTO leases (key, holder, acquired_at, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (key) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,
           acquired_at = CASE WHEN leases.holder = excluded.holder THEN leases.acquired_at ELSE excluded.acquired_at END
         WHERE leases.holder = excluded.holder OR leases.expires_at <= excluded.acquired_at
         RETURNING key, holder, acquired_at, expires_at`,
        [key, holder, at, expires],
      );
      const r = rows[0];
      return r && { key: str(r.key), holder: str(r.holder), acquiredAt: str(r.acquired_at), expiresAt: str(r.expires_at) };
    });
  }

  renewLease(key: string, holder: string, now: Date, ttlMs: number): Promise<boolean> {
    return this.guard('renewing a lease', async () => {
      const n = await this.db.run('UPDATE leases SET expires_at = $1 WHERE key = $2 AND holder = $3 AND expires_at > $4', [
        new Date(now.getTime() + ttlMs).toISOString(),
        key,
        holder,
        now.toISOString(),
      ]);
      return n === 1;
    });
  }

  releaseLease(key: string, holder: string): Promise<void> {
    return this.guard('releasing a lease', async () => {
      await this.db.run('DELETE FROM leases WHERE key = $1 AND holder = $2', [key, holder]);
    });
  }

  async getLease(key: string): Promise<LeaseRow | undefined> {
    const r = (await this.db.all('SELECT * FROM leases WHERE key = $1', [key]))[0];
    return r && { key: str(r.key), holder: str(r.holder), acquiredAt: str(r.acquired_at), expiresAt: str(r.expires_at) };
  }

  saveAudit(a: AuditRow): Promise<void> {
    return this.guard('saving an audit', async () => {
      await this.db.run(
        `INSERT INTO audits (id, issue_key, session, run_id, audit_hash, status, owner, category, at, summary)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [a.id, a.issueKey, a.session ?? null, a.runId ?? null, a.auditHash, a.status, a.owner, a.category, a.at, json(a.summary)],
      );
    });
  }

  async listAudits(issueKey: string, limit = 50): Promise<AuditRow[]> {
    const rows = await this.db.all('SELECT * FROM audits WHERE issue_key = $1 ORDER BY at DESC, id DESC LIMIT $2', [issueKey, limit]);
    return rows.map((r) => ({
      id: str(r.id),
      issueKey: str(r.issue_key),
      session: optStr(r.session),
      runId: optStr(r.run_id),
      auditHash: str(r.audit_hash),
      status: str(r.status),
      owner: str(r.owner),
      category: str(r.category),
      at: str(r.at),
      summary: parse<Record<string, unknown>>(r.summary, {}),
    }));
  }

  createRun(run: Omit<RunRow, 'tokens' | 'costUsd'>): Promise<RunRow> {
    return this.guard('creating a run', async () => {
      await this.db.run(
        `INSERT INTO runs (id, issue_key, session, branch, state, started_at, updated_at, ended_at, options)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [run.id, run.issueKey, run.session, run.branch ?? null, run.state, run.startedAt, run.updatedAt, run.endedAt ?? null, json(run.options)],
      );
      return { ...run, tokens: 0, costUsd: 0 };
    });
  }

  async getRun(id: string): Promise<RunRow | undefined> {
    const r = (await this.db.all(`SELECT ${RUN_COLUMNS} FROM runs r WHERE r.id = $1`, [id]))[0];
    return r && toRun(r);
  }

  updateRun(id: string, patch: Partial<Pick<RunRow, 'state' | 'branch' | 'updatedAt' | 'endedAt'>>): Promise<void> {
    return this.guard('updating a run', async () => {
      const cols: [string, Param][] = [];
      if (patch.state !== undefined) cols.push(['state', patch.state]);
      if (patch.branch !== undefined) cols.push(['branch', patch.branch]);
      if (patch.updatedAt !== undefined) cols.push(['updated_at', patch.updatedAt]);
      if (patch.endedAt !== undefined) cols.push(['ended_at', patch.endedAt]);
      if (cols.length === 0) return;
      const set = cols.map(([c], i) => `${c} = $${i + 1}`).join(', ');
      await this.db.run(`UPDATE runs SET ${set} WHERE id = $${cols.length + 1}`, [...cols.map(([, v]) => v), id]);
    });
  }

  async listRuns(filter: { issueKey?: string; limit?: number } = {}): Promise<RunRow[]> {
    const limit = filter.limit ?? 100;
    const rows = filter.issueKey
      ? await this.db.all(`SELECT ${RUN_COLUMNS} FROM runs r WHERE r.issue_key = $1 ORDER BY r.started_at DESC, r.id DESC LIMIT $2`, [filter.issueKey, limit])
      : await this.db.all(`SELECT ${RUN_COLUMNS} FROM runs r ORDER BY r.started_at DESC, r.id DESC LIMIT $1`, [limit]);
    return rows.map(toRun);
  }

  async issueTotals(issueKey: string): Promise<{ tokens: number; costUsd: number }> {
    const r = (
      await this.db.all(
        `SELECT CAST(COALESCE(SUM(s.tokens), 0) AS INTEGER) AS tokens, COALESCE(SUM(s.cost_usd), 0) AS cost_usd
         FROM steps s JOIN runs r ON r.id = s.run_id WHERE r.issue_key = $1`,
        [issueKey],
      )
    )[0];
    return { tokens: num(r?.tokens), costUsd: num(r?.cost_usd) };
  }

  startStep(runId: string, step: number, name: string, inputHash: string | null, at: string): Promise<StepRow> {
    return this.guard('starting a step', async () => {
      const rows = await this.db.all(
        `INSERT INTO steps (run_id, step, name, state, input_hash, attempt, started_at) VALUES ($1, $2, $3, 'running', $4, 1, $5)
         ON CONFLICT (run_id, step) DO UPDATE SET state = 'running', input_hash = excluded.input_hash, attempt = steps.attempt + 1,
           started_at = excluded.started_at, ended_at = NULL, duration_ms = NULL, result = NULL
         RETURNING *`,
        [runId, step, name, inputHash, at],
      );
      return toStep(rows[0]!);
    });
  }

  finishStep(runId: string, step: number, f: StepFinish): Promise<void> {
    return this.guard('recording a step', async () => {
      // Tokens and cost accumulate over attempts: a crashed attempt's agent call was paid for.
      const n = await this.db.run(
        `UPDATE steps SET state = $1, ended_at = $2, duration_ms = $3, tokens = tokens + $4, cost_usd = cost_usd + $5, result = $6, artefacts = $7
         WHERE run_id = $8 AND step = $9`,
        [f.state, f.endedAt, Math.round(f.durationMs), Math.round(f.tokens ?? 0), f.costUsd ?? 0, json(f.result ?? null), json(f.artefacts ?? []), runId, step],
      );
      if (n !== 1) {
        throw new ProgressorError('STORE_FAILED', `step ${step} of run ${runId} was never started`, { file: this.location, hint: 'Call startStep first (a bug in progressor).' });
      }
    });
  }

  recordArtefacts(runId: string, step: number, artefacts: Artefact[]): Promise<void> {
    return this.guard('recording artefacts', async () => {
      await this.db.run('UPDATE steps SET artefacts = $1 WHERE run_id = $2 AND step = $3', [json(artefacts), runId, step]);
    });
  }

  async listSteps(runId: string): Promise<StepRow[]> {
    return (await this.db.all('SELECT * FROM steps WHERE run_id = $1 ORDER BY step', [runId])).map(toStep);
  }

  saveProbeResults(rows: ProbeHistoryRow[]): Promise<void> {
    return this.guard('saving probe history', async () => {
      for (const p of rows) {
        await this.db.run(
          `INSERT INTO probe_history (id, probe_id, target, status, latency_ms, observed, error, at, run_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [randomUUID(), p.probeId, p.target, p.status, p.latencyMs ?? null, p.observed ?? null, p.error ?? null, p.at, p.runId ?? null],
        );
      }
    });
  }

  async listProbeHistory(probeId: string, limit = 100): Promise<ProbeHistoryRow[]> {
    const rows = await this.db.all('SELECT * FROM probe_history WHERE probe_id = $1 ORDER BY at DESC, id DESC LIMIT $2', [probeId, limit]);
    return rows.map((r) => ({
      probeId: str(r.probe_id),
      target: str(r.target),
      status: str(r.status),
      latencyMs: r.latency_ms === null || r.latency_ms === undefined ? null : num(r.latency_ms),
      observed: optStr(r.observed),
      error: optStr(r.error),
      at: str(r.at),
      runId: optStr(r.run_id),
    }));
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
