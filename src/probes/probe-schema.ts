import { z } from 'zod';
import { MAX_PROBE_DURATION_MS } from '../domain/constants.ts';
import { DURATION_PATTERN, parseDuration } from './duration.ts';

// The `probes:` section of .github/progressor.yml, and the shape of a probe file (SPEC §8).
// Credentials are never written here: only the NAMES of environment variables holding them
// (`passwordEnv`, `dsnEnv`, `headersEnv`). The schema has no transforms so the config
// engineer can generate JSON Schema from it; `normaliseProbes()` in load-probe-file.ts turns
// durations into milliseconds and the list shorthand into the object form.

const duration = z
  .union([
    z.number().int().positive().max(MAX_PROBE_DURATION_MS, `at most ${MAX_PROBE_DURATION_MS} ms (10m)`),
    z
      .string()
      .regex(DURATION_PATTERN, 'a duration like 500ms, 2s, 1m')
      .refine((v) => (parseDuration(v) ?? 0) <= MAX_PROBE_DURATION_MS, 'at most 10m'),
  ])
  .describe('Milliseconds, or a duration such as "500ms", "2s", "1m"; at most 10 minutes.');

const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable NAME (the value is read at run time)')
  .describe('Name of an environment variable; its value is read when the probe runs and redacted everywhere.');

const common = {
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'id: letters, digits, ".", "_", "-"')
    .describe('Stable probe id; evidence cites it as the source.'),
  timeout: duration.optional().describe('Hard timeout for this probe; the socket is destroyed when it fires. Default: probes.timeout (5s).'),
  description: z.string().optional().describe('What this probe watches, for readers.'),
};

const host = z.string().min(1).describe('Host name, IPv4/IPv6 address (or, for postgres, a unix socket directory).');
const port = z.number().int().min(1).max(65_535);

export const httpProbeSchema = z
  .strictObject({
    ...common,
    kind: z.literal('http'),
    url: z.url({ protocol: /^https?$/ }).describe('http:// or https:// URL of a health endpoint.'),
    method: z.enum(['GET', 'HEAD']).default('GET'),
    expectStatus: z
      .array(z.number().int().min(100).max(599))
      .optional()
      .describe('Statuses counted healthy. Default: any status below 400.'),
    slow: duration.optional().describe('An answer slower than this is a failure (HTTP_SLOW) even when its status is fine.'),
    headers: z.record(z.string(), z.string()).default({}).describe('Literal request headers (no secrets: use headersEnv).'),
    headersEnv: z.record(z.string(), envName).default({}).describe('Header name → environment variable holding its value.'),
    json: z
      .array(
        z.strictObject({
          path: z.string().min(1).describe('JSONPath into the response body, e.g. $.status.'),
          equals: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
          matches: z.string().optional().describe('Regex the (first) value must match.'),
          exists: z.boolean().optional().describe('Whether the path must exist (default true).'),
        }),
      )
      .default([])
      .describe('Checks on the JSON body; any failing check fails the probe (HTTP_BODY_CHECK).'),
    ca: z.string().optional().describe('PEM file of an extra CA to trust (https).'),
    insecure: z.boolean().default(false).describe('Do not fail on an untrusted chain (expiry and hostname are still checked).'),
  })
  .describe('HTTP(S) health endpoint: status, latency, JSON body checks, TLS details.');

export const postgresProbeSchema = z
  .strictObject({
    ...common,
    kind: z.literal('postgres'),
    host: host.optional().describe('Host, or a unix socket DIRECTORY such as /var/run/postgresql or /cloudsql/project:region:instance.'),
    port: port.default(5432),
    database: z.string().optional().describe('Default: postgres.'),
    user: z.string().optional().describe('Default: postgres.'),
    passwordEnv: envName.optional(),
    dsnEnv: envName.optional().describe('Environment variable holding a postgres:// DSN; host/port/user/database given here override it.'),
    ssl: z.boolean().default(false),
    maxUsedPct: z.number().min(1).max(100).default(90).describe('Connections in use at or above this share of max_connections fail the probe.'),
  })
  .describe('PostgreSQL: connect, select 1, connection headroom and per-role limits.');

export const redisProbeSchema = z
  .strictObject({
    ...common,
    kind: z.literal('redis'),
    host: host.default('127.0.0.1'),
    port: port.default(6379),
    path: z.string().optional().describe('Unix socket path (instead of host/port).'),
    username: z.string().optional(),
    passwordEnv: envName.optional(),
    dsnEnv: envName.optional().describe('Environment variable holding a redis:// URL.'),
    tls: z.boolean().default(false),
    maxClientsPct: z.number().min(1).max(100).default(90).describe('connected_clients at or above this share of maxclients fail the probe.'),
    maxMemoryPct: z.number().min(1).max(100).default(95).describe('used_memory at or above this share of maxmemory fails the probe.'),
  })
  .describe('Redis: PING and INFO (clients vs maxclients, memory).');

export const dnsProbeSchema = z
  .strictObject({
    ...common,
    kind: z.literal('dns'),
    name: z.string().min(1).describe('Name to resolve.'),
    type: z.enum(['A', 'AAAA', 'ANY_ADDRESS']).default('ANY_ADDRESS').describe('ANY_ADDRESS uses the system resolver (getaddrinfo) as applications do.'),
    server: z
      .string()
      .optional()
      .describe('Ask this DNS server ("127.0.0.1:5353") instead of the system resolver.'),
    expect: z.array(z.string()).optional().describe('Addresses the name must resolve to (any one).'),
  })
  .describe('DNS resolution (EAI_AGAIN, ENOTFOUND, SERVFAIL).');

export const tcpProbeSchema = z
  .strictObject({
    ...common,
    kind: z.literal('tcp'),
    host,
    port,
    expect: z.string().optional().describe('Regex the server banner must match (read after connecting).'),
  })
  .describe('TCP connect (optionally a banner).');

export const tlsProbeSchema = z
  .strictObject({
    ...common,
    kind: z.literal('tls'),
    host,
    port: port.default(443),
    servername: z.string().optional().describe('SNI and the name the certificate must match. Default: host.'),
    ca: z.string().optional().describe('PEM file of an extra CA to trust.'),
    minValidDays: z.number().min(0).default(7).describe('A certificate expiring sooner fails (CERT_EXPIRING_SOON).'),
  })
  .describe('TLS certificate: expiry, hostname match, chain.');

export const probeCheckSchema = z.discriminatedUnion('kind', [
  dnsProbeSchema,
  httpProbeSchema,
  postgresProbeSchema,
  redisProbeSchema,
  tcpProbeSchema,
  tlsProbeSchema,
]);

export const probesObjectSchema = z
  .strictObject({
    timeout: duration.optional().describe('Default hard timeout per probe (5s).'),
    allow: z
      .array(
        z
          .string()
          .regex(
            /^(?:\*|\*\.[A-Za-z0-9.-]+|[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):(?:[1-9]\d{0,4})$/,
            'host:port (a host, *.suffix glob or [IPv6] address, and one port), e.g. db.staging.internal:5432',
          ),
      )
      .default([])
      .describe(
        'host:port pairs (the host may be a glob such as *.staging.internal) that may be probed when read from issue text. Configured checks are always allowed; an address from an issue never is unless listed here, host and port.',
      ),
    checks: z.array(probeCheckSchema).default([]).describe('The probes.'),
  })
  .describe('Probe settings and checks.');

/** `probes:` — either a list of checks or `{ timeout, allow, checks }`. Keep this export name: the config schema imports it. */
export const probesConfigSchema = z
  .union([z.array(probeCheckSchema), probesObjectSchema])
  .default([])
  .describe('Live probes (SPEC §8): a list of checks, or { timeout, allow, checks }.');

export type HttpProbeCheck = z.output<typeof httpProbeSchema>;
export type PostgresProbeCheck = z.output<typeof postgresProbeSchema>;
export type RedisProbeCheck = z.output<typeof redisProbeSchema>;
export type DnsProbeCheck = z.output<typeof dnsProbeSchema>;
export type TcpProbeCheck = z.output<typeof tcpProbeSchema>;
export type TlsProbeCheck = z.output<typeof tlsProbeSchema>;
export type ProbeCheck = z.output<typeof probeCheckSchema>;
export type ProbeKind = ProbeCheck['kind'];
export type ProbesConfigInput = z.input<typeof probesConfigSchema>;
export type ProbesConfigOutput = z.output<typeof probesConfigSchema>;

/** The normalised probe configuration every probe consumer uses. */
export interface ProbesConfig {
  timeoutMs: number;
  allow: string[];
  checks: ProbeCheck[];
}
