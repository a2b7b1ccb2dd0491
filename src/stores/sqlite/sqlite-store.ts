import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { ProgressorError } from '../../errors/errors.ts';
import { migrate, SqlStore, type SqlDriver } from '../sql-store.ts';

type Param = string | number | null;

// node:sqlite (Node ≥ 22.13, stable in 24) instead of a native driver: nothing to compile
// or download, and its synchronous API suits one process holding one file.
class SqliteDriver implements SqlDriver {
  readonly engine = 'sqlite' as const;
  readonly location: string;
  private readonly db: DatabaseSync;
  constructor(file: string) {
    this.location = file;
    this.db = new DatabaseSync(file);
    // WAL: readers (`progressor runs`, a dashboard) never block the writer. busy_timeout:
    // two processes on one file wait for each other instead of failing with SQLITE_BUSY.
    // busy_timeout first: switching a new file to WAL takes a lock another process may hold.
    this.db.exec('PRAGMA busy_timeout = 10000');
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL');
  }
  // The shared SQL is written with PostgreSQL's $1 placeholders; SQLite reads ?1 the same way.
  private prepare(sql: string) {
    return this.db.prepare(sql.replace(/\$(\d+)/g, '?$1'));
  }
  async all(sql: string, params: Param[] = []): Promise<Record<string, unknown>[]> {
    return this.prepare(sql).all(...params) as Record<string, unknown>[];
  }
  async run(sql: string, params: Param[] = []): Promise<number> {
    return Number(this.prepare(sql).run(...params).changes);
  }
  async exclusive<T>(fn: (tx: Pick<SqlDriver, 'all' | 'run'>) => Promise<T>): Promise<T> {
    // BEGIN IMMEDIATE takes the write lock up front, so two processes migrating a new file
    // run one after the other.
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const out = await fn(this);
      this.db.exec('COMMIT');
      return out;
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    }
  }
  async close(): Promise<void> {
    if (this.db.isOpen) this.db.close();
  }
}

/**
 * Opens (creating it and its folder when missing) the SQLite store at `file` and applies
 * pending migrations.
 * @throws ProgressorError STORE_FAILED naming the file.
 */
export async function openSqliteStore(file: string): Promise<SqlStore> {
  let driver: SqliteDriver;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    driver = new SqliteDriver(file);
  } catch (e) {
    throw new ProgressorError('STORE_FAILED', `cannot open the SQLite store: ${(e as Error).message}`, {
      file,
      hint: 'Set PROGRESSOR_STORE to a writable file path, or DATABASE_URL to use PostgreSQL.',
      cause: e,
    });
  }
  try {
    await migrate(driver);
  } catch (e) {
    await driver.close();
    if (e instanceof ProgressorError) throw e;
    throw new ProgressorError('STORE_FAILED', `cannot migrate the SQLite store: ${(e as Error).message}`, {
      file,
      hint: 'Is it a progressor store? Point PROGRESSOR_STORE at a new file to start afresh.',
      cause: e,
    });
  }
  return new SqlStore(driver);
}
