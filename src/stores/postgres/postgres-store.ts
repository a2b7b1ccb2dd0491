import pg from 'pg';
import { ProgressorError } from '../../errors/errors.ts';
import { migrate, SqlStore, type SqlDriver } from '../sql-store.ts';

type Param = string | number | null;

// Any constant works as long as every progressor uses the same one: it serialises
// concurrent migrations of one database (several workers starting at once).
const MIGRATION_LOCK = 0x70726f67;

/** The URL with its password replaced, for messages and `Store.location`. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable DATABASE_URL)';
  }
}

class PostgresDriver implements SqlDriver {
  readonly engine = 'postgres' as const;
  readonly location: string;
  private readonly pool: pg.Pool;
  private readonly schema: string;
  constructor(url: string, schema: string) {
    this.location = `${describeDatabaseUrl(url)}${schema === 'public' ? '' : ` (schema ${schema})`}`;
    this.schema = schema;
    // search_path set per connection: every statement below stays schema-agnostic.
    this.pool = new pg.Pool({ connectionString: url, max: 4, options: `-c search_path=${schema}` });
  }
  async ensureSchema(): Promise<void> {
    await this.pool.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
  }
  async all(sql: string, params: Param[] = []): Promise<Record<string, unknown>[]> {
    return (await this.pool.query(sql, params)).rows as Record<string, unknown>[];
  }
  async run(sql: string, params: Param[] = []): Promise<number> {
    return (await this.pool.query(sql, params)).rowCount ?? 0;
  }
  async exclusive<T>(fn: (tx: Pick<SqlDriver, 'all' | 'run'>) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const out = await fn({
        all: async (sql, params = []) => (await client.query(sql, params)).rows as Record<string, unknown>[],
        run: async (sql, params = []) => (await client.query(sql, params)).rowCount ?? 0,
      });
      await client.query('COMMIT');
      return out;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }
  async close(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * Opens the PostgreSQL store (`DATABASE_URL`) in `schema` (default `public`), creating the
 * schema and applying pending migrations.
 * @throws ProgressorError STORE_FAILED naming the database (never its password).
 */
export async function openPostgresStore(url: string, schema = 'public'): Promise<SqlStore> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new ProgressorError('STORE_FAILED', `not a usable schema name: ${schema}`, {
      file: '(environment)',
      path: 'PROGRESSOR_STORE_SCHEMA',
      hint: 'Use lower-case letters, digits and underscores, starting with a letter.',
    });
  }
  const driver = new PostgresDriver(url, schema);
  try {
    await driver.ensureSchema();
    await migrate(driver);
  } catch (e) {
    await driver.close().catch(() => undefined);
    if (e instanceof ProgressorError) throw e;
    throw new ProgressorError('STORE_FAILED', `cannot open the PostgreSQL store: ${(e as Error).message}`, {
      file: driver.location,
      hint: 'Check DATABASE_URL (host, port, database, user) and that the server is up; unset it to use SQLite.',
      cause: e,
    });
  }
  return new SqlStore(driver);
}
