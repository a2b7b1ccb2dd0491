import { MAX_DERIVED_PROBES } from '../domain/constants.ts';
import type { ProbeCheck } from './probe-schema.ts';

// Addresses read from issue text are untrusted (SPEC §10): a host named in an issue is
// probed only when it matches `probes.allow`. Anything else is reported as skipped.

export interface DerivedProbes {
  checks: ProbeCheck[];
  skipped: { host: string; port: number; reason: string }[];
}

/**
 * Whether host:port matches an allow entry, which names a host (exact, `*.suffix` glob or
 * `[IPv6]`) AND a port (issue 10): a host alone never opens every port of it.
 */
export function isHostAllowed(host: string, port: number | undefined, allow: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (port === undefined) return false;
  return allow.some((entry) => {
    const m = /^(.*):(\d{1,5})$/.exec(entry.toLowerCase().trim());
    if (!m || Number(m[2]) !== port) return false;
    const pattern = m[1]!.replace(/^\[|\]$/g, '');
    if (pattern === '*') return true;
    if (pattern.startsWith('*.')) return h.endsWith(pattern.slice(1)) && h.length > pattern.length - 1;
    return h === pattern;
  });
}

const SIGNATURES: { kind: 'postgres' | 'redis' | 'tcp'; regex: RegExp }[] = [
  // Redis clients: "Error -3 connecting to redis-staging:6379", "connect ECONNREFUSED 10.0.0.5:6379"
  { kind: 'redis', regex: /connecting to (?<host>[\w.-]+):(?<port>\d{2,5})/gi },
  // libpq: connection to server at "db.internal" (10.0.0.3), port 5432 failed
  { kind: 'postgres', regex: /connection to server at "(?<host>[\w.-]+)"[^,\n]{0,60}, port (?<port>\d{2,5})/gi },
  { kind: 'postgres', regex: /could not connect to server[^\n]{0,40}?host "(?<host>[\w.-]+)"[^\n]{0,80}?port (?<port>\d{2,5})/gi },
  // Node: connect ECONNREFUSED 127.0.0.1:5432 / getaddrinfo EAI_AGAIN host
  { kind: 'tcp', regex: /connect (?:ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH) (?<host>[\w.-]+):(?<port>\d{2,5})/gi },
];

/**
 * Finds host:port pairs in issue text (known error signatures only) and turns the allowed ones
 * into probe checks. Hosts not in `allow` are never probed; they come back in `skipped`.
 */
export function deriveProbesFromText(text: string, allow: readonly string[], timeoutMs?: number): DerivedProbes {
  const seen = new Set<string>();
  const out: DerivedProbes = { checks: [], skipped: [] };
  for (const sig of SIGNATURES) {
    for (const m of text.matchAll(sig.regex)) {
      const host = m.groups?.host ?? '';
      const port = Number(m.groups?.port);
      if (!host || !Number.isInteger(port) || port < 1 || port > 65_535) continue;
      const key = `${host.toLowerCase()}:${port}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (!isHostAllowed(host, port, allow)) {
        out.skipped.push({ host, port, reason: 'not in probes.allow' });
        continue;
      }
      if (out.checks.length >= MAX_DERIVED_PROBES) {
        out.skipped.push({ host, port, reason: `more than ${MAX_DERIVED_PROBES} addresses in the issue` });
        continue;
      }
      const id = `issue-${sig.kind}-${host.replace(/[^A-Za-z0-9.-]/g, '-')}-${port}`;
      const base = { id, timeout: timeoutMs, description: 'address read from the issue (allowed by probes.allow)' };
      // No credentials: a derived postgres probe sends an empty password, never PGPASSWORD or
      // ~/.pgpass (postgres.ts), and redis sends AUTH only when a check configures it.
      if (sig.kind === 'postgres') out.checks.push({ ...base, kind: 'postgres', host, port, ssl: false, maxUsedPct: 90 });
      else if (sig.kind === 'redis') out.checks.push({ ...base, kind: 'redis', host, port, tls: false, maxClientsPct: 90, maxMemoryPct: 95 });
      else out.checks.push({ ...base, kind: 'tcp', host, port });
    }
  }
  return out;
}
