import type { ProbeResult } from '../domain/types.ts';
import type { ProbeStatus } from '../domain/vocabulary.ts';
import { PROBE_STATUSES } from '../domain/vocabulary.ts';

// Renders probe results for `progressor probe`: a text table, JSON, or Prometheus text
// exposition. Pure. Every string in a result was redacted once, on its value, when the
// probe ran (run-probes.ts); rendered text is never redacted again (issue 10).

export type ProbeFormat = 'text' | 'json' | 'prometheus';

const STATUS_WORD: Record<ProbeStatus, string> = { ok: 'ok', failed: 'FAILED', no_data: 'no data', probe_error: 'NOT RUN' };

export interface ProbeSummary {
  total: number;
  ok: number;
  failed: number;
  no_data: number;
  probe_error: number;
}

export function summarise(results: readonly ProbeResult[]): ProbeSummary {
  const s: ProbeSummary = { total: results.length, ok: 0, failed: 0, no_data: 0, probe_error: 0 };
  for (const r of results) s[r.status] += 1;
  return s;
}

/** Whether a round needs attention: something failed or could not run. */
export function hasFindings(results: readonly ProbeResult[]): boolean {
  return results.some((r) => r.status === 'failed' || r.status === 'probe_error');
}

/** One short phrase of what a healthy probe saw (headroom first). */
export function describeObserved(r: ProbeResult): string {
  const o = r.observed;
  switch (r.kind) {
    case 'postgres':
      if (o.maxConnections === undefined) return '';
      return `${String(o.inUse)}/${String(o.maxConnections)} connections (${String(o.usedPct)}%)${typeof o.roleConnLimit === 'number' && o.roleConnLimit >= 0 ? `, role ${String(o.role)} ${String(o.roleInUse)}/${o.roleConnLimit}` : ''}`;
    case 'redis':
      if (o.connectedClients === undefined || o.connectedClients === null) return o.ping ? `PING ${String(o.ping)}` : '';
      return `${String(o.connectedClients)}/${String(o.maxClients ?? '?')} clients, memory ${String(o.usedMemoryHuman ?? o.usedMemory)}${o.maxMemory ? ` of ${String(o.maxMemory)}` : ''}`;
    case 'http':
      return o.httpStatus === undefined ? '' : `HTTP ${String(o.httpStatus)}${o['tls.daysLeft'] !== undefined ? `, cert ${String(o['tls.daysLeft'])} days left` : ''}`;
    case 'tls':
      return o.daysLeft === undefined ? '' : `cert ${String(o.subject)} expires in ${String(o.daysLeft)} days`;
    case 'dns':
      return o.addresses ? String(o.addresses) : '';
    default:
      return '';
  }
}

function detail(r: ProbeResult): string {
  if (r.status === 'ok') return describeObserved(r);
  const head = [r.code, r.rule ? `[${r.rule}]` : undefined].filter(Boolean).join(' ');
  return `${head}${r.error ? ` ${r.error}` : ''}`;
}

function pad(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
}

export function renderSummaryLine(results: readonly ProbeResult[]): string {
  const s = summarise(results);
  const parts = [`${s.ok} ok`, `${s.failed} failed`];
  if (s.no_data) parts.push(`${s.no_data} no data`);
  if (s.probe_error) parts.push(`${s.probe_error} could not run`);
  return `${s.total} probe${s.total === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

export interface TableOptions {
  /** Previous status per probe id: changed rows are marked. */
  previous?: ReadonlyMap<string, ProbeStatus>;
}

/** The text table (also the live table of watch mode). */
export function renderTable(results: readonly ProbeResult[], options: TableOptions = {}): string {
  const marks = options.previous !== undefined;
  const rows = [[...(marks ? [''] : []), 'STATUS', 'PROBE', 'KIND', 'TARGET', 'LATENCY', 'DETAIL']];
  for (const r of results) {
    const prev = options.previous?.get(r.id);
    const changed = prev !== undefined && prev !== r.status;
    rows.push([
      ...(marks ? [changed ? '*' : ''] : []),
      STATUS_WORD[r.status],
      r.id,
      r.kind,
      r.target,
      `${r.latencyMs}ms`,
      `${changed ? `(was ${STATUS_WORD[prev]}) ` : ''}${detail(r)}`,
    ]);
  }
  return [...pad(rows), '', renderSummaryLine(results)].join('\n');
}

/** One plain line per probe, for piped watch output: changes are marked. */
export function renderLines(results: readonly ProbeResult[], at: string, previous?: ReadonlyMap<string, ProbeStatus>): string {
  return results
    .map((r) => {
      const prev = previous?.get(r.id);
      const mark = prev !== undefined && prev !== r.status ? ` CHANGED ${prev}->${r.status}` : '';
      return `${at} ${r.id} ${r.status}${mark} ${r.latencyMs}ms ${detail(r)}`.trimEnd();
    })
    .join('\n');
}

export function renderJsonResults(results: readonly ProbeResult[]): string {
  const body = { ok: !hasFindings(results), summary: summarise(results), results: [...results] };
  return JSON.stringify(body, null, 2);
}

function label(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Prometheus text exposition (format 0.0.4). */
export function renderPrometheus(results: readonly ProbeResult[]): string {
  const out: string[] = [];
  const metric = (name: string, help: string, lines: string[]) => {
    if (lines.length === 0) return;
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, ...lines);
  };
  const base = (r: ProbeResult) => `probe="${label(r.id)}",kind="${label(r.kind)}"`;
  metric('progressor_probe_up', '1 when the probe is healthy, 0 when it failed or could not run.', results.map((r) => `progressor_probe_up{${base(r)}} ${r.status === 'ok' ? 1 : 0}`));
  metric(
    'progressor_probe_status',
    'The probe status (ok, failed, no_data, probe_error) as a one-hot gauge.',
    results.flatMap((r) => PROBE_STATUSES.map((s) => `progressor_probe_status{${base(r)},status="${s}"} ${r.status === s ? 1 : 0}`)),
  );
  metric('progressor_probe_latency_seconds', 'Time the probe took.', results.map((r) => `progressor_probe_latency_seconds{${base(r)}} ${(r.latencyMs / 1000).toFixed(3)}`));
  metric(
    'progressor_probe_failure_info',
    'The code and rule of a failing probe.',
    results.filter((r) => r.status !== 'ok').map((r) => `progressor_probe_failure_info{${base(r)},code="${label(r.code ?? '')}",rule="${label(r.rule ?? '')}"} 1`),
  );
  metric(
    'progressor_probe_observed',
    'Numbers the probe observed (connections, clients, memory, days of certificate validity, HTTP status).',
    results.flatMap((r) =>
      Object.entries(r.observed)
        .filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1]))
        .map(([k, v]) => `progressor_probe_observed{${base(r)},key="${label(k)}"} ${v}`),
    ),
  );
  return `${out.join('\n')}\n`;
}

export function renderProbeResults(results: readonly ProbeResult[], format: ProbeFormat): string {
  if (format === 'json') return renderJsonResults(results);
  if (format === 'prometheus') return renderPrometheus(results);
  return renderTable(results);
}
