// Versioned migrations, shared by both engines: the SQL below uses only types and syntax
// SQLite and PostgreSQL read alike (TEXT, INTEGER, DOUBLE PRECISION, ON CONFLICT,
// RETURNING), so one list keeps the two schemas identical. Append only: an applied
// migration is never edited; a change is a new version.

export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'sessions, leases, audits, runs, steps, probe history',
    statements: [
      `CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        issue_key TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        worker TEXT
      )`,
      `CREATE TABLE leases (
        key TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        acquired_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      )`,
      `CREATE TABLE audits (
        id TEXT PRIMARY KEY,
        issue_key TEXT NOT NULL,
        session TEXT,
        run_id TEXT,
        audit_hash TEXT NOT NULL,
        status TEXT NOT NULL,
        owner TEXT NOT NULL,
        category TEXT NOT NULL,
        at TEXT NOT NULL,
        summary TEXT NOT NULL
      )`,
      `CREATE INDEX audits_by_issue ON audits (issue_key, at)`,
      `CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        issue_key TEXT NOT NULL,
        session TEXT NOT NULL,
        branch TEXT,
        state TEXT NOT NULL,
        started_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        ended_at TEXT,
        options TEXT NOT NULL
      )`,
      `CREATE INDEX runs_by_issue ON runs (issue_key, started_at)`,
      `CREATE TABLE steps (
        run_id TEXT NOT NULL REFERENCES runs (id),
        step INTEGER NOT NULL,
        name TEXT NOT NULL,
        state TEXT NOT NULL,
        input_hash TEXT,
        attempt INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        duration_ms INTEGER,
        tokens INTEGER NOT NULL DEFAULT 0,
        cost_usd DOUBLE PRECISION NOT NULL DEFAULT 0,
        result TEXT,
        artefacts TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (run_id, step)
      )`,
      `CREATE TABLE probe_history (
        id TEXT PRIMARY KEY,
        probe_id TEXT NOT NULL,
        target TEXT NOT NULL,
        status TEXT NOT NULL,
        latency_ms DOUBLE PRECISION,
        observed TEXT,
        error TEXT,
        at TEXT NOT NULL,
        run_id TEXT
      )`,
      `CREATE INDEX probe_history_by_probe ON probe_history (probe_id, at)`,
    ],
  },
];

/** The newest schema version this build knows. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
