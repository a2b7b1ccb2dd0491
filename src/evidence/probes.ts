import { EXCERPT_CHARS } from '../domain/constants.ts';
import type { CollectorOutput, EvidenceDraft, Facts, ProbeResult, SignalDraft } from '../domain/types.ts';
import type { Redacted } from '../domain/redacted.ts';
import { clipRedacted, redactEvidence } from '../redact/redact.ts';
import type { CompiledRule } from '../rules/compile-rule.ts';
import { deriveProbesFromText } from '../probes/derive-probes.ts';
import { matchProbeRule } from '../probes/match-probe-rules.ts';
import type { ProbeCheck, ProbesConfig } from '../probes/probe-schema.ts';
import { runProbes } from '../probes/run-probes.ts';

export interface CollectProbesOptions {
  /** Probe rules (`kind: probe`); other rules are ignored. */
  rules: readonly CompiledRule[];
  env?: Readonly<Record<string, string | undefined>>;
  now?: () => Date;
  /**
   * Issue text to read extra targets from (untrusted): only hosts matching
   * `probes.allow` are probed; the others are reported as gaps.
   */
  issueText?: string;
}

/** Facts a probe rule's templates can use: the check's address parts plus everything observed. */
export function probeFacts(result: ProbeResult, check: ProbeCheck | undefined): Facts {
  const facts: Facts = { probe: result.id, kind: result.kind, target: result.target, status: result.status };
  if (result.code) facts.code = result.code;
  if (check) {
    const c = check as Record<string, unknown>;
    for (const key of ['host', 'port', 'name', 'user', 'database', 'servername', 'path']) {
      if (typeof c[key] === 'string' || typeof c[key] === 'number') facts[key] = String(c[key]);
    }
    if (check.kind === 'http') {
      const u = new URL(check.url);
      facts.url = `${u.protocol}//${u.host}${u.pathname}${u.search}`;
      facts.host = u.hostname;
      facts.port = u.port || (u.protocol === 'https:' ? '443' : '80');
      facts.servername = u.hostname;
    }
    if (check.kind === 'tls') facts.servername = check.servername ?? check.host;
  }
  for (const [k, v] of Object.entries(result.observed)) if (v !== null) facts[k] = String(v);
  if (facts.role && !facts.user) facts.user = facts.role;
  if (facts.socketPath) facts.socketDir = facts.socketPath.replace(/\/[^/]*$/, '');
  return facts;
}

function line(r: ProbeResult): string {
  const head = `probe ${r.id} (${r.kind} ${r.target}): ${r.status}${r.code ? ` ${r.code}` : ''} in ${r.latencyMs} ms`;
  return r.error ? `${head}: ${r.error}` : head;
}

/**
 * Pure: turns probe results into collector output. Every result is an evidence item
 * (`kind: probe`, `source: { probe: id }`), healthy ones included — a healthy probe can
 * refute a why. Failed results explained by a probe rule become signals (one per rule,
 * counting its probes). A probe that could not run is a gap, never a failure signal.
 */
export function probeResultsToOutput(
  results: readonly ProbeResult[],
  rules: readonly CompiledRule[],
  checks: readonly ProbeCheck[] = [],
): CollectorOutput {
  const byId = new Map(checks.map((c) => [c.id, c]));
  const items: EvidenceDraft[] = [];
  const signals = new Map<string, SignalDraft>();
  const gaps: CollectorOutput['gaps'] = [];
  const ruleById = new Map(rules.map((r) => [r.id, r]));
  for (const r of results) {
    const key = `probe:${r.id}`;
    const text = line(r);
    items.push({
      key,
      kind: 'probe',
      source: { probe: r.id },
      at: r.at,
      // Every part of the line was redacted when the probe ran (run-probes.ts).
      excerpt: clipRedacted(text as Redacted, EXCERPT_CHARS),
      text: text as Redacted,
      meta: { prematched: true, probeKind: r.kind, status: r.status, code: r.code ?? null, latencyMs: r.latencyMs, rule: r.rule ?? null, target: r.target },
    });
    if (r.status === 'probe_error') {
      gaps.push({ collector: 'probes', code: r.code ?? 'PROBE_ERROR', message: `probe ${r.id} could not run: ${r.error ?? 'unknown reason'}` });
      continue;
    }
    if (r.status !== 'failed') continue;
    const rule = (r.rule ? ruleById.get(r.rule) : undefined) ?? matchProbeRule(r, rules);
    if (!rule) continue;
    const facts = probeFacts(r, byId.get(r.id));
    const prior = signals.get(rule.id);
    if (prior) {
      prior.count += 1;
      prior.evidenceKeys.push(key);
      if (r.at < (prior.firstSeen ?? r.at)) prior.firstSeen = r.at;
      if (r.at > (prior.lastSeen ?? r.at)) prior.lastSeen = r.at;
      for (const [k, v] of Object.entries(facts)) {
        if (prior.facts[k] === undefined) prior.facts[k] = v;
        const values = (prior.factValues[k] ??= {});
        values[v] = (values[v] ?? 0) + 1;
      }
      continue;
    }
    const factValues: SignalDraft['factValues'] = {};
    for (const [k, v] of Object.entries(facts)) factValues[k] = { [v]: 1 };
    signals.set(rule.id, {
      rule: rule.id,
      title: rule.title,
      category: rule.category,
      layer: rule.layer,
      owner: rule.owner,
      count: 1,
      firstSeen: r.at,
      lastSeen: r.at,
      facts,
      factValues,
      evidenceKeys: [key],
    });
  }
  return { collector: 'probes', items, signals: [...signals.values()].sort((a, b) => a.rule.localeCompare(b.rule)), gaps, probes: [...results] };
}

/**
 * The probes collector the audit calls for `--probe`: runs the configured checks (plus
 * allowed targets read from the issue text) concurrently, each with its own hard timeout,
 * and returns probe evidence, signals from probe rules, and gaps. Never throws for a
 * failing or unrunnable probe.
 */
export async function collectProbes(config: ProbesConfig, options: CollectProbesOptions): Promise<CollectorOutput> {
  const checks: ProbeCheck[] = [...config.checks];
  const gaps: CollectorOutput['gaps'] = [];
  if (options.issueText) {
    const derived = deriveProbesFromText(options.issueText, config.allow, config.timeoutMs);
    const known = new Set(checks.map((c) => c.id));
    for (const c of derived.checks) if (!known.has(c.id)) checks.push(c);
    for (const s of derived.skipped) {
      const why = s.reason === 'not in probes.allow' ? 'is not in probes.allow' : `was left out: ${s.reason}`;
      gaps.push({ collector: 'probes', code: 'NOT_ALLOWED', message: redactEvidence(`not probed: ${s.host}:${s.port} is named in the issue but ${why}`) });
    }
  }
  const probeRules = options.rules.filter((r) => r.kind === 'probe');
  const results = await runProbes(checks, { env: options.env, now: options.now, defaultTimeoutMs: config.timeoutMs, rules: probeRules });
  const out = probeResultsToOutput(results, probeRules, checks);
  out.gaps.push(...gaps);
  return out;
}

/**
 * The audit's `--probe` source in one call: `runAudit({ …, collectors: [probesCollector(cfg, { rules })] })`.
 * Targets named in the issue (body and comments) are probed only when `probes.allow` lists them.
 */
export function probesCollector(
  config: ProbesConfig,
  options: Omit<CollectProbesOptions, 'issueText'>,
): (issue: { body: string; comments: { body: string }[] }) => Promise<CollectorOutput> {
  return (issue) => collectProbes(config, { ...options, issueText: [issue.body, ...issue.comments.map((c) => c.body)].join('\n') });
}
