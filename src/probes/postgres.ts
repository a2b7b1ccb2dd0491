import pg from 'pg';
import type { PostgresProbeCheck } from './probe-schema.ts';
import { errorCode, errorMessage, type Observed, type Probe, type ProbeContext, ProbeSetupError, requireEnv } from './probe.ts';

interface PgTarget {
  host: string;
  port: number;
  user: string;
  database: string;
  password?: string;
  ssl: boolean;
}

/** Parses a postgres:// DSN (the password is kept only in memory). @throws ProbeSetupError DSN_INVALID */
export function parsePostgresDsn(dsn: string, envName: string): Partial<PgTarget> {
  let u: URL;
  try {
    u = new URL(dsn);
  } catch {
    throw new ProbeSetupError('DSN_INVALID', `dsnEnv: ${envName} does not hold a postgres:// URL`);
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new ProbeSetupError('DSN_INVALID', `dsnEnv: ${envName} is a ${u.protocol}// URL, expected postgres://`);
  }
  const out: Partial<PgTarget> = {};
  const socketHost = u.searchParams.get('host');
  if (socketHost) out.host = socketHost;
  else if (u.hostname) out.host = decodeURIComponent(u.hostname).replace(/^\[|\]$/g, '');
  if (u.port) out.port = Number(u.port);
  if (u.username) out.user = decodeURIComponent(u.username);
  if (u.password) out.password = decodeURIComponent(u.password);
  const db = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (db) out.database = db;
  const sslmode = u.searchParams.get('sslmode');
  if (sslmode && sslmode !== 'disable' && sslmode !== 'allow' && sslmode !== 'prefer') out.ssl = true;
  return out;
}

function resolveTarget(check: PostgresProbeCheck, ctx: ProbeContext): PgTarget {
  const fromDsn = check.dsnEnv ? parsePostgresDsn(requireEnv(ctx, check.dsnEnv, 'dsnEnv'), check.dsnEnv) : {};
  const password = check.passwordEnv ? requireEnv(ctx, check.passwordEnv, 'passwordEnv') : fromDsn.password;
  return {
    host: check.host ?? fromDsn.host ?? '127.0.0.1',
    port: check.host !== undefined || fromDsn.port === undefined ? check.port : fromDsn.port,
    user: check.user ?? fromDsn.user ?? 'postgres',
    database: check.database ?? fromDsn.database ?? 'postgres',
    password,
    ssl: check.ssl || fromDsn.ssl === true,
  };
}

function describeTarget(t: Pick<PgTarget, 'host' | 'port' | 'user' | 'database'>): string {
  if (t.host.startsWith('/')) return `postgres://${t.user}@/${t.database}?host=${t.host}&port=${t.port}`;
  const host = t.host.includes(':') ? `[${t.host}]` : t.host;
  return `postgres://${t.user}@${host}:${t.port}/${t.database}`;
}

/** Maps a pg / socket error to a stable probe code. */
export function postgresErrorCode(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  if (/^[0-9A-Z]{5}$/.test(code) && !code.startsWith('E')) {
    if (code === '53300') return /too many connections for role/i.test(message) ? 'PG_ROLE_CONNECTION_LIMIT' : 'PG_TOO_MANY_CLIENTS';
    if (code === '28P01' || code === '28000') return 'PG_AUTH_FAILED';
    if (code === '3D000') return 'PG_DATABASE_MISSING';
    if (code === '57P03') return 'PG_STARTING';
    return `PG_${code}`;
  }
  if (/connection terminated/i.test(message)) return 'PG_CONNECTION_TERMINATED';
  return errorCode(err, 'PG_ERROR');
}

const HEADROOM_SQL = `select current_setting('max_connections')::int as max_connections,
  current_setting('superuser_reserved_connections')::int as reserved,
  (select count(*) from pg_stat_activity where backend_type = 'client backend')::int as in_use,
  current_user as role,
  (select rolconnlimit from pg_roles where rolname = current_user)::int as role_limit,
  (select count(*) from pg_stat_activity where usename = current_user and backend_type = 'client backend')::int as role_in_use,
  current_setting('server_version') as server_version`;

const ROLES_SQL = `select r.rolname as name, r.rolconnlimit::int as limit, count(a.pid)::int as in_use
  from pg_roles r left join pg_stat_activity a on a.usename = r.rolname and a.backend_type = 'client backend'
  where r.rolconnlimit >= 0 and r.rolcanlogin group by 1, 2 order by 1 limit 20`;

export const postgresProbe: Probe<PostgresProbeCheck> = {
  kind: 'postgres',
  target(check) {
    // Without the environment: DSN parts show as "(dsnEnv NAME)" when not overridden.
    const fallback = check.dsnEnv ? `$${check.dsnEnv}` : undefined;
    if (check.host === undefined && fallback) return `postgres (${fallback})`;
    return describeTarget({ host: check.host ?? '127.0.0.1', port: check.port, user: check.user ?? 'postgres', database: check.database ?? 'postgres' });
  },
  async run(check, ctx) {
    const t = resolveTarget(check, ctx);
    const where = describeTarget(t);
    const observed: Observed = { target: where };
    if (t.host.startsWith('/')) observed.socketPath = `${t.host}/.s.PGSQL.${t.port}`;
    const client = new pg.Client({
      host: t.host,
      port: t.port,
      user: t.user,
      database: t.database,
      // A function, so pg never falls back to the process's PGPASSWORD or ~/.pgpass (issue 10):
      // a probe sends only the credential its check names (passwordEnv / dsnEnv), else none.
      password: () => t.password ?? '',
      ssl: t.ssl ? { rejectUnauthorized: false } : undefined,
      application_name: 'progressor-probe',
      statement_timeout: ctx.timeoutMs,
    });
    client.on('error', () => {}); // late socket errors after a timeout are expected; the result is already decided
    const destroy = () => {
      (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
      client.end().catch(() => {});
    };
    ctx.track(destroy);
    try {
      await client.connect();
    } catch (e) {
      const code = postgresErrorCode(e);
      const detail = code === 'ENOENT' ? `socket ${String(observed.socketPath)} does not exist` : errorMessage(e);
      return { status: 'failed', observed, code, message: `connect ${where}: ${detail}` };
    }
    try {
      await client.query('select 1');
      const head = (await client.query(HEADROOM_SQL)).rows[0] as Record<string, number | string>;
      const maxConnections = Number(head.max_connections);
      const inUse = Number(head.in_use);
      const usedPct = Math.round((inUse / maxConnections) * 1000) / 10;
      Object.assign(observed, {
        maxConnections,
        reserved: Number(head.reserved),
        inUse,
        usedPct,
        role: String(head.role),
        roleConnLimit: Number(head.role_limit),
        roleInUse: Number(head.role_in_use),
        serverVersion: String(head.server_version),
      });
      for (const r of (await client.query(ROLES_SQL)).rows as { name: string; limit: number; in_use: number }[]) {
        observed[`roles.${r.name}.limit`] = r.limit;
        observed[`roles.${r.name}.inUse`] = r.in_use;
      }
      if (usedPct >= check.maxUsedPct) {
        return { status: 'failed', observed, code: 'PG_CONNECTIONS_NEAR_LIMIT', message: `${inUse} of max_connections ${maxConnections} in use (${usedPct}%)` };
      }
      const roleLimit = Number(head.role_limit);
      if (roleLimit >= 0 && Number(head.role_in_use) >= roleLimit) {
        return {
          status: 'failed',
          observed,
          code: 'PG_ROLE_AT_LIMIT',
          message: `role ${String(head.role)} uses ${String(head.role_in_use)} of its CONNECTION LIMIT ${roleLimit} (this probe included)`,
        };
      }
      return { status: 'ok', observed };
    } catch (e) {
      if (ctx.signal.aborted) throw e;
      return { status: 'failed', observed, code: postgresErrorCode(e), message: `${where}: ${errorMessage(e)}` };
    } finally {
      client.end().catch(() => {});
    }
  },
};
