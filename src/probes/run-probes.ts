import type { ProbeResult } from '../domain/types.ts';
import { redactEvidence } from '../redact/redact.ts';
import type { CompiledRule } from '../rules/compile-rule.ts';
import { dnsProbe } from './dns.ts';
import { parseDuration } from './duration.ts';
import { httpProbe } from './http.ts';
import { matchProbeRule } from './match-probe-rules.ts';
import { postgresProbe } from './postgres.ts';
import type { Observed, Probe, ProbeContext, ProbeOutcome } from './probe.ts';
import { errorMessage, ProbeSetupError } from './probe.ts';
import type { ProbeCheck, ProbeKind } from './probe-schema.ts';
import { redisProbe } from './redis.ts';
import { scrubSecrets, secretsOf } from './secrets.ts';
import { tcpProbe } from './tcp.ts';
import { tlsProbe } from './tls.ts';

/** Default hard timeout per probe. */
export const DEFAULT_PROBE_TIMEOUT_MS = 5_000;

/** Every probe kind, sorted (STYLE §8.1). */
export const probes = {
  dns: dnsProbe,
  http: httpProbe,
  postgres: postgresProbe,
  redis: redisProbe,
  tcp: tcpProbe,
  tls: tlsProbe,
} as const satisfies { [K in ProbeKind]: Probe<Extract<ProbeCheck, { kind: K }>> };

export interface RunProbesOptions {
  env?: Readonly<Record<string, string | undefined>>;
  now?: () => Date;
  /** Timeout for checks that set none (default 5 s). */
  defaultTimeoutMs?: number;
  /** Probe rules (`kind: probe`) used to name the failure signature of each result. */
  rules?: readonly CompiledRule[];
}

function targetOf(check: ProbeCheck): string {
  try {
    return (probes[check.kind] as Probe).target(check);
  } catch {
    return check.kind;
  }
}

/**
 * Runs one check with its own hard timeout. When the timeout fires the probe is aborted,
 * every socket it registered is destroyed and the result is `failed`/ETIMEDOUT at once,
 * whatever the probe is still waiting for. Never throws.
 */
export async function runProbe(check: ProbeCheck, options: RunProbesOptions = {}): Promise<ProbeResult> {
  const env = options.env ?? process.env;
  const now = options.now ?? (() => new Date());
  const timeoutMs = (check.timeout === undefined ? undefined : parseDuration(check.timeout)) ?? options.defaultTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const secrets = secretsOf(check, env);
  const target = targetOf(check);
  const controller = new AbortController();
  const closers: (() => void)[] = [];
  const closeAll = () => {
    for (const c of closers.splice(0)) {
      try {
        c();
      } catch {
        // already closed
      }
    }
  };
  const ctx: ProbeContext = {
    signal: controller.signal,
    timeoutMs,
    env,
    now,
    track: (closer) => {
      if (controller.signal.aborted) closer();
      else closers.push(closer);
    },
  };
  const at = now().toISOString();
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<ProbeOutcome>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      closeAll();
      resolve({ status: 'failed', observed: {}, code: 'ETIMEDOUT', message: `${target}: no answer within ${timeoutMs} ms` });
    }, timeoutMs);
  });
  const probe = probes[check.kind] as Probe;
  const running = (async (): Promise<ProbeOutcome> => {
    try {
      return await probe.run(check, ctx);
    } catch (e) {
      if (e instanceof ProbeSetupError) return { status: 'probe_error', observed: {}, code: e.code, message: e.message };
      return { status: 'probe_error', observed: {}, code: 'PROBE_CRASHED', message: `probe crashed: ${errorMessage(e)}` };
    }
  })();
  const outcome = await Promise.race([running, timedOut]);
  clearTimeout(timer);
  closeAll();
  const latencyMs = Math.round(performance.now() - started);
  // The evidence boundary for probe answers (issue 10): each value once, before rendering.
  const clean = (s: string) => redactEvidence(scrubSecrets(s, secrets));
  const observed: Observed = {};
  for (const [k, v] of Object.entries(outcome.observed)) observed[k] = typeof v === 'string' ? clean(v) : v;
  const result: ProbeResult = {
    id: check.id,
    kind: check.kind,
    target: clean(target),
    status: outcome.status,
    latencyMs,
    observed,
    at,
  };
  if (outcome.code !== undefined) result.code = outcome.code;
  if (outcome.message !== undefined) result.error = clean(outcome.message);
  if (options.rules && result.status !== 'ok') {
    const rule = matchProbeRule(result, options.rules);
    if (rule) result.rule = rule.id;
  }
  return result;
}

/** Runs every check concurrently, each bounded by its own timeout; results keep the input order. */
export function runProbes(checks: readonly ProbeCheck[], options: RunProbesOptions = {}): Promise<ProbeResult[]> {
  return Promise.all(checks.map((c) => runProbe(c, options)));
}
