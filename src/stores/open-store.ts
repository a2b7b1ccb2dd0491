import { dirname, join, resolve } from 'node:path';
import type { EnvConfig } from '../config/read-env.ts';
import { ProgressorError } from '../errors/errors.ts';
import type { Store } from './store.ts';

/** The file name of the default SQLite store inside the state folder. */
export const DEFAULT_STORE_FILE = 'progressor.db';

/** Where the store lives, in the order SPEC §9 gives: DATABASE_URL, PROGRESSOR_STORE, the state folder. */
export type StoreTarget = { engine: 'postgres'; url: string; schema: string } | { engine: 'sqlite'; file: string };

/**
 * Picks the store from the environment (pure).
 * @throws ProgressorError STORE_FAILED when neither a location nor a home folder is known.
 */
export function storeTarget(env: Pick<EnvConfig, 'databaseUrl' | 'storeFile' | 'storeSchema' | 'stateHome'>): StoreTarget {
  if (env.databaseUrl) return { engine: 'postgres', url: env.databaseUrl, schema: env.storeSchema ?? 'public' };
  if (env.storeFile) return { engine: 'sqlite', file: resolve(env.storeFile) };
  if (env.stateHome) return { engine: 'sqlite', file: join(env.stateHome, 'progressor', DEFAULT_STORE_FILE) };
  throw new ProgressorError('STORE_FAILED', 'no place for the store: DATABASE_URL, PROGRESSOR_STORE, XDG_STATE_HOME and HOME are all unset', {
    file: '(environment)',
    hint: 'Set PROGRESSOR_STORE to a file path (SQLite) or DATABASE_URL to a PostgreSQL database.',
  });
}

/** Opens the store the environment names; engines are loaded only when used. */
export async function openStore(env: Pick<EnvConfig, 'databaseUrl' | 'storeFile' | 'storeSchema' | 'stateHome'>): Promise<Store> {
  const t = storeTarget(env);
  if (t.engine === 'postgres') return (await import('./postgres/postgres-store.ts')).openPostgresStore(t.url, t.schema);
  return (await import('./sqlite/sqlite-store.ts')).openSqliteStore(t.file);
}

/** The folder for files beside the store (worktrees): the SQLite file's folder, else the state home's. */
export function stateFolder(env: Pick<EnvConfig, 'databaseUrl' | 'storeFile' | 'stateHome'>): string | undefined {
  if (!env.databaseUrl && env.storeFile) return dirname(resolve(env.storeFile));
  return env.stateHome ? join(env.stateHome, 'progressor') : undefined;
}
