import type { ProbeStatus } from '../domain/vocabulary.ts';
import type { ProbeCheck } from './probe-schema.ts';

/** Flat facts a probe observed (numbers stay numbers so Prometheus can export them). */
export type Observed = Record<string, string | number | boolean | null>;

/** What one probe hands back before run-probes adds id, latency, redaction and the rule. */
export interface ProbeOutcome {
  status: ProbeStatus;
  observed: Observed;
  /** Stable code: ECONNREFUSED, ENOENT, EAI_AGAIN, ETIMEDOUT, HTTP_503, CERT_EXPIRED, PG_ROLE_CONNECTION_LIMIT … */
  code?: string;
  /** Human message; redacted by run-probes before anyone sees it. */
  message?: string;
}

/** Everything a probe may use; time, environment and cancellation are injected. */
export interface ProbeContext {
  /** Aborted when the probe's hard timeout fires; probes stop work and release sockets. */
  signal: AbortSignal;
  timeoutMs: number;
  env: Readonly<Record<string, string | undefined>>;
  now: () => Date;
  /**
   * Registers a closer (usually `socket.destroy()`) that run-probes calls when the hard
   * timeout fires or the probe settles, so no socket outlives its probe.
   */
  track(closer: () => void): void;
}

/**
 * One probe kind (http, postgres, redis, dns, tcp, tls).
 *
 * A probe never throws for the system being down: refused, reset, timed out, bad status
 * are `failed` outcomes with a code. It throws {@link ProbeSetupError} only when it could
 * not run at all (bad config, a missing environment variable); run-probes reports that as
 * `probe_error`, never as `failed`.
 */
export interface Probe<C extends ProbeCheck = ProbeCheck> {
  readonly kind: C['kind'];
  /** Where the probe points, without credentials (`postgres://app@db:5432/app`). */
  target(check: C): string;
  /**
   * Runs the check once.
   * @throws ProbeSetupError when the probe cannot run (config or environment).
   */
  run(check: C, ctx: ProbeContext): Promise<ProbeOutcome>;
}

/** The probe could not run (not a statement about the system). */
export class ProbeSetupError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ProbeSetupError';
    this.code = code;
  }
}

/** Reads a required environment variable named in the config. @throws ProbeSetupError ENV_MISSING */
export function requireEnv(ctx: ProbeContext, name: string, key: string): string {
  const v = ctx.env[name];
  if (v === undefined || v === '') {
    throw new ProbeSetupError('ENV_MISSING', `${key}: environment variable ${name} is not set`);
  }
  return v;
}

// Network error codes worth keeping as they are; anything else becomes its own code if it
// looks like one (E…), otherwise a generic one.
const NET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOENT',
  'EACCES',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ESERVFAIL',
  'EREFUSED',
  'ENODATA',
]);

/** Maps a Node/OS/c-ares error to a stable code. */
export function errorCode(err: unknown, fallback = 'ERROR'): string {
  const e = err as { code?: unknown; errno?: unknown } | undefined;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (code === 'ETIMEOUT') return 'ETIMEDOUT'; // c-ares spelling
  if (code === 'ECONNREFUSED' && /dns|query/i.test(String((err as Error)?.message))) return 'EREFUSED';
  if (code && NET_CODES.has(code)) return code;
  if (code && /^E[A-Z_]+$/.test(code)) return code;
  return fallback;
}

export function errorMessage(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return errorMessage(err.errors[0]);
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

/** Unwraps AggregateError (Node's happy-eyeballs connect) to its first error, which carries the code. */
export function firstError(err: unknown): unknown {
  if (err instanceof AggregateError && err.errors.length > 0) return err.errors[0];
  return err;
}

/** Splits "host:port" / "[::1]:53". */
export function splitHostPort(text: string, defaultPort: number): { host: string; port: number } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (v6) return { host: v6[1] as string, port: v6[2] ? Number(v6[2]) : defaultPort };
  const i = text.lastIndexOf(':');
  if (i > 0 && text.indexOf(':') === i) return { host: text.slice(0, i), port: Number(text.slice(i + 1)) };
  return { host: text, port: defaultPort };
}
