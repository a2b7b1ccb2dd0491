import net from 'node:net';
import tls from 'node:tls';
import type { RedisProbeCheck } from './probe-schema.ts';
import { errorCode, errorMessage, firstError, type Observed, type Probe, type ProbeContext, ProbeSetupError, requireEnv } from './probe.ts';

// A tiny RESP client instead of ioredis: a probe needs three commands, a socket it can
// destroy at its deadline, and no reconnect/offline-queue machinery that could outlive it.

type Reply = string | number | null | RedisReplyError | Reply[];

export class RedisReplyError extends Error {
  override readonly name = 'RedisReplyError';
}

/** Parses one RESP reply from `buf` at `pos`; returns undefined when more bytes are needed. */
export function parseReply(buf: Buffer, pos = 0): { value: Reply; next: number } | undefined {
  const eol = buf.indexOf('\r\n', pos);
  if (eol < 0) return undefined;
  const type = String.fromCharCode(buf[pos] as number);
  const line = buf.toString('utf8', pos + 1, eol);
  const after = eol + 2;
  switch (type) {
    case '+':
      return { value: line, next: after };
    case '-':
      return { value: new RedisReplyError(line), next: after };
    case ':':
      return { value: Number(line), next: after };
    case '$': {
      const len = Number(line);
      if (len < 0) return { value: null, next: after };
      if (buf.length < after + len + 2) return undefined;
      return { value: buf.toString('utf8', after, after + len), next: after + len + 2 };
    }
    case '*': {
      const n = Number(line);
      if (n < 0) return { value: null, next: after };
      const items: Reply[] = [];
      let p = after;
      for (let i = 0; i < n; i++) {
        const r = parseReply(buf, p);
        if (!r) return undefined;
        items.push(r.value);
        p = r.next;
      }
      return { value: items, next: p };
    }
    default:
      return { value: new RedisReplyError(`protocol error: unexpected ${JSON.stringify(type)}`), next: buf.length };
  }
}

function encode(args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}

class RespConnection {
  private buf: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (r: Reply) => void; reject: (e: unknown) => void }[] = [];
  private failure: unknown;
  private readonly socket: net.Socket;
  constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (d: Buffer) => {
      this.buf = this.buf.length === 0 ? d : Buffer.concat([this.buf, d]);
      for (;;) {
        const r = parseReply(this.buf);
        if (!r) break;
        this.buf = this.buf.subarray(r.next);
        this.waiting.shift()?.resolve(r.value);
      }
    });
    const fail = (e: unknown) => {
      this.failure ??= e;
      for (const w of this.waiting.splice(0)) w.reject(this.failure);
    };
    socket.on('error', (e) => fail(firstError(e)));
    socket.on('close', () => fail(Object.assign(new Error('connection closed by the server'), { code: 'ECONNRESET' })));
  }
  command(...args: string[]): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.socket.write(encode(args));
    });
  }
}

interface RedisTarget {
  host: string;
  port: number;
  path?: string;
  username?: string;
  password?: string;
  db?: number;
  tls: boolean;
}

/** @throws ProbeSetupError DSN_INVALID */
export function parseRedisUrl(url: string, envName: string): Partial<RedisTarget> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ProbeSetupError('DSN_INVALID', `dsnEnv: ${envName} does not hold a redis:// URL`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new ProbeSetupError('DSN_INVALID', `dsnEnv: ${envName} is a ${u.protocol}// URL, expected redis:// or rediss://`);
  }
  const out: Partial<RedisTarget> = { tls: u.protocol === 'rediss:' };
  if (u.hostname) out.host = u.hostname.replace(/^\[|\]$/g, '');
  if (u.port) out.port = Number(u.port);
  if (u.username) out.username = decodeURIComponent(u.username);
  if (u.password) out.password = decodeURIComponent(u.password);
  const db = u.pathname.replace(/^\//, '');
  if (/^\d+$/.test(db)) out.db = Number(db);
  return out;
}

/** Maps a Redis error reply or socket error to a stable code. */
export function redisErrorCode(err: unknown): string {
  if (err instanceof RedisReplyError) {
    const m = err.message;
    if (/max number of clients reached/i.test(m)) return 'REDIS_MAX_CLIENTS';
    if (/^(WRONGPASS|NOAUTH)|invalid password|invalid username-password|called without any password configured/i.test(m)) return 'REDIS_AUTH_FAILED';
    if (/^LOADING/.test(m)) return 'REDIS_LOADING';
    if (/^OOM/.test(m)) return 'REDIS_OOM';
    if (/^READONLY/.test(m)) return 'REDIS_READONLY';
    if (/^MASTERDOWN/.test(m)) return 'REDIS_MASTERDOWN';
    return 'REDIS_ERROR';
  }
  return errorCode(err, 'REDIS_ERROR');
}

/** INFO text → key/value map. */
export function parseInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (!line || line.startsWith('#')) continue;
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

function connect(t: RedisTarget, ctx: ProbeContext): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = t.path
      ? net.connect({ path: t.path })
      : t.tls
        ? tls.connect({ host: t.host, port: t.port, servername: net.isIP(t.host) ? undefined : t.host })
        : net.connect({ host: t.host, port: t.port });
    ctx.track(() => socket.destroy());
    const ready = t.tls && !t.path ? 'secureConnect' : 'connect';
    socket.once(ready, () => resolve(socket));
    socket.once('error', (e) => reject(firstError(e)));
  });
}

function resolveTarget(check: RedisProbeCheck, ctx: ProbeContext): RedisTarget {
  const fromUrl = check.dsnEnv ? parseRedisUrl(requireEnv(ctx, check.dsnEnv, 'dsnEnv'), check.dsnEnv) : {};
  return {
    host: fromUrl.host ?? check.host,
    port: fromUrl.port ?? check.port,
    path: check.path,
    username: check.username ?? fromUrl.username,
    password: check.passwordEnv ? requireEnv(ctx, check.passwordEnv, 'passwordEnv') : fromUrl.password,
    db: fromUrl.db,
    tls: check.tls || fromUrl.tls === true,
  };
}

function describe(t: Pick<RedisTarget, 'host' | 'port' | 'path' | 'tls'>): string {
  if (t.path) return `redis+unix://${t.path}`;
  return `${t.tls ? 'rediss' : 'redis'}://${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}`;
}

const num = (v: string | undefined): number | null => (v === undefined || v === '' || Number.isNaN(Number(v)) ? null : Number(v));

export const redisProbe: Probe<RedisProbeCheck> = {
  kind: 'redis',
  target: (c) => (c.dsnEnv ? `redis ($${c.dsnEnv})` : describe(c)),
  async run(check, ctx) {
    const t = resolveTarget(check, ctx);
    const where = describe(t);
    const observed: Observed = { target: where };
    let socket: net.Socket;
    try {
      socket = await connect(t, ctx);
    } catch (e) {
      return { status: 'failed', observed, code: redisErrorCode(e), message: `connect ${where}: ${errorMessage(e)}` };
    }
    const conn = new RespConnection(socket);
    const call = async (...args: string[]): Promise<Reply> => {
      const r = await conn.command(...args);
      if (r instanceof RedisReplyError) throw r;
      return r;
    };
    try {
      if (t.password !== undefined) await (t.username ? call('AUTH', t.username, t.password) : call('AUTH', t.password));
      const pong = await call('PING');
      if (t.db !== undefined) await call('SELECT', String(t.db));
      observed.ping = String(pong);
      let info: Record<string, string> = {};
      try {
        info = parseInfo(String(await call('INFO')));
      } catch (e) {
        if (!(e instanceof RedisReplyError)) throw e;
        observed.info = `unavailable: ${e.message}`; // INFO renamed or denied by ACL: PING still answered
      }
      const clients = num(info.connected_clients);
      let maxClients = num(info.maxclients);
      if (maxClients === null && clients !== null) {
        try {
          const r = await call('CONFIG', 'GET', 'maxclients');
          if (Array.isArray(r)) maxClients = num(String(r[1]));
        } catch {
          // CONFIG denied: headroom unknown, not a failure
        }
      }
      const usedMemory = num(info.used_memory);
      const maxMemory = num(info.maxmemory);
      Object.assign(observed, {
        redisVersion: info.redis_version ?? null,
        role: info.role ?? null,
        connectedClients: clients,
        maxClients,
        blockedClients: num(info.blocked_clients),
        rejectedConnections: num(info.rejected_connections),
        usedMemory,
        usedMemoryHuman: info.used_memory_human ?? null,
        maxMemory,
        maxMemoryPolicy: info.maxmemory_policy ?? null,
      });
      if (clients !== null && maxClients) {
        const pct = Math.round((clients / maxClients) * 1000) / 10;
        observed.clientsUsedPct = pct;
        if (pct >= check.maxClientsPct) {
          return { status: 'failed', observed, code: 'REDIS_CLIENTS_NEAR_LIMIT', message: `${clients} of maxclients ${maxClients} connected (${pct}%)` };
        }
      }
      if (usedMemory !== null && maxMemory) {
        const pct = Math.round((usedMemory / maxMemory) * 1000) / 10;
        observed.memoryUsedPct = pct;
        if (pct >= check.maxMemoryPct) {
          return { status: 'failed', observed, code: 'REDIS_MEMORY_NEAR_LIMIT', message: `used_memory ${usedMemory} of maxmemory ${maxMemory} (${pct}%)` };
        }
      }
      return { status: 'ok', observed };
    } catch (e) {
      if (ctx.signal.aborted) throw e;
      return { status: 'failed', observed, code: redisErrorCode(e), message: `${where}: ${errorMessage(e)}` };
    } finally {
      socket.end();
      socket.destroy();
    }
  },
};
