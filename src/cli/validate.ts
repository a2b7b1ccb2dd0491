import { relative, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { executePlanOrThrow } from '../actions/execute.ts';
import { applyValidatedFix } from '../analysis/decide-after-fix.ts';
import { loadConfig } from '../config/load-config.ts';
import type { CollectorOutput, Gap, ProbeResult } from '../domain/types.ts';
import { EXIT_CODES, ProgressorError } from '../errors/errors.ts';
import { collectLogs } from '../evidence/logs.ts';
import { collectProbes } from '../evidence/probes.ts';
import type { Issue } from '../forge/forge.ts';
import { openForge } from '../forge/open-forge.ts';
import { decideFixed, type FixDecision, type LogSignalSince } from '../probes/decide-fixed.ts';
import { loadProbeFile, normaliseProbes } from '../probes/load-probe-file.ts';
import { renderTable } from '../probes/render-probe-results.ts';
import { redactEvidence } from '../redact/redact.ts';
import { redactIssue } from '../redact/redact-issue.ts';
import type { CompiledRule } from '../rules/compile-rule.ts';
import { loadRules } from '../rules/load-rules.ts';
import { runAudit } from '../runner/run-audit.ts';
import { EXIT_HELP } from './exit-codes.ts';
import { repeatable, resolveTime, time, wholeNumber } from './options.ts';
import { type CliIo, processIo } from './output.ts';
import { auditSettings } from './audit-settings.ts';
import { runCommand } from './run-command.ts';

export interface ValidateCliOptions {
  issue?: number;
  since?: string;
  probes?: string;
  logs?: string[];
  config?: string;
  rules?: string[];
  format?: 'text' | 'json';
  apply?: boolean;
  now?: string;
}

export interface ValidateDeps {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

/** When the fix landed: --since, else the latest merge time of a linked PR. */
export function fixTime(issue: Issue, since: string | undefined, now: Date = new Date()): { at: Date; source: string } {
  if (since !== undefined) return { at: resolveTime(since, now), source: '--since' };
  const merged = issue.linkedPullRequests
    .filter((p) => p.state === 'MERGED' && p.mergedAt)
    .sort((a, b) => String(a.mergedAt).localeCompare(String(b.mergedAt)))
    .at(-1);
  if (!merged?.mergedAt) {
    throw new ProgressorError('USAGE', `issue #${issue.number} has no merged linked pull request, so the fix time is unknown`, {
      hint: 'Pass --since <ISO time> (when the fix was deployed).',
    });
  }
  return { at: new Date(merged.mergedAt), source: `PR #${merged.number} merged` };
}

export interface LogScan {
  /** Absolute globs scanned. */
  patterns: string[];
  signals: LogSignalSince[];
}

function issueText(issue: Issue): string {
  return [issue.body, ...issue.comments.map((c) => c.body)].join('\n');
}

const VERDICT_LINE: Record<FixDecision['verdict'], string> = {
  fixed: 'fixed',
  'not-fixed': 'NOT fixed',
  unknown: 'cannot confirm the fix',
};

function renderText(r: ValidateReport): string {
  const lines = [
    `Validate: ${VERDICT_LINE[r.decision.verdict]} · issue #${r.issue.number} ${r.issue.title}`,
    `Fix time: ${r.since} (${r.sinceSource})`,
    '',
    ...r.decision.reasons.map((x) => `- ${x}`),
    '',
  ];
  if (r.probes.length > 0) lines.push('Probes:', renderTable(r.probes), '');
  if (r.logs) {
    lines.push(`Logs since the fix: ${r.logs.signals.length === 0 ? 'no failure signal' : r.logs.signals.map((x) => `${x.rule} ×${x.count}`).join(', ')}`);
  }
  else lines.push('Logs: none configured (sources.logs or --logs)');
  for (const g of r.gaps) lines.push(`Gap: ${g.message}`);
  if (r.applied) lines.push('', `Applied: ${r.applied.join('; ') || 'nothing to change'}`);
  return lines.join('\n');
}

export interface ValidateReport {
  issue: { number: number; title: string; url: string; state: string };
  since: string;
  sinceSource: string;
  verdict: FixDecision['verdict'];
  decision: FixDecision;
  probes: ProbeResult[];
  logs?: LogScan;
  gaps: Gap[];
  applied?: string[];
}

/**
 * `progressor validate <ref>`: after a fix, run the issue's probes and scan the logs written
 * since the fix. Exit 0 only for "fixed". With --apply the status comment is updated from a
 * fresh audit including the probe evidence, and the issue is closed when fixed and policy allows.
 */
export async function validateCommand(refText: string, opts: ValidateCliOptions, io: CliIo = processIo, deps?: Partial<ValidateDeps>): Promise<number> {
  const d: ValidateDeps = { env: process.env, cwd: process.cwd(), ...deps };
  const now = opts.now ? resolveTime(opts.now, new Date()) : new Date();
  const clock = () => now;
  const { forge, ref, configStart } = await openForge(refText, { issue: opts.issue, now: clock });
  const config = await loadConfig({ file: opts.config, startDir: configStart, cwd: d.cwd });
  const raw = await forge.getIssue(ref);
  // Untrusted text is redacted once, here, on values; the output is never redacted again.
  const issue = redactIssue(raw);
  const since = fixTime(issue, opts.since, now);
  const rules = await loadRules({ dirs: [...config.rules, ...(opts.rules ?? [])] });
  const probesConfig = opts.probes ? await loadProbeFile(opts.probes) : normaliseProbes(config.probes, config.file ?? '.github/progressor.yml');
  const probeOutput = await collectProbes(probesConfig, { rules, env: d.env, issueText: issueText(issue) });
  const logPatterns = opts.logs && opts.logs.length > 0 ? opts.logs.map((p) => resolve(d.cwd, p)) : config.sources.logs;
  // Logs are scanned from the fix time on: a failure signal there means the fix did not hold.
  const logOutput = logPatterns.length > 0 ? await collectLogs({ globs: logPatterns, rules, since: since.at.toISOString(), cwd: d.cwd }) : undefined;
  const logs: LogScan | undefined = logOutput
    ? { patterns: logPatterns, signals: logOutput.signals.map(({ rule, title, category, count, firstSeen, lastSeen }) => ({ rule, title, category, count, firstSeen, lastSeen })) }
    : undefined;
  const decision = decideFixed(probeOutput.probes ?? [], logs?.signals);

  let applied: string[] | undefined;
  if (opts.apply) {
    const outputs = [probeOutput, ...(logOutput ? [logOutput] : [])];
    if (decision.fixed && logs) outputs.push(cleanLogsOutput(logs.patterns, since.at.toISOString(), d.cwd));
    applied = await applyValidation(decision, { forge, ref, issue, config, rules, outputs, now, since: since.at.toISOString() });
  }

  const report: ValidateReport = {
    issue: { number: issue.number, title: issue.title, url: issue.url, state: issue.state },
    since: since.at.toISOString(),
    sinceSource: since.source,
    verdict: decision.verdict,
    decision,
    probes: probeOutput.probes ?? [],
    logs,
    gaps: [...probeOutput.gaps, ...(logOutput?.gaps ?? [])].map((g) => ({ ...g, message: redactEvidence(g.message) })),
    applied,
  };
  io.out(opts.format === 'json' ? JSON.stringify(report, null, 2) : renderText(report));
  return decision.fixed ? EXIT_CODES.OK : EXIT_CODES.FINDINGS;
}

/** The logs scanned clean since the fix, as evidence the resolved comment cites. */
function cleanLogsOutput(patterns: string[], since: string, cwd: string): CollectorOutput {
  return {
    collector: 'validate',
    signals: [],
    gaps: [],
    items: patterns.map((p) => {
      const shown = relative(cwd, p) || p;
      const text = redactEvidence(`no failure signal in ${shown} since ${since}`);
      return { key: `validate:${p}`, kind: 'log' as const, source: { path: shown }, at: since, excerpt: text, text, meta: { prematched: true, validated: true } };
    }),
  };
}

async function applyValidation(
  decision: FixDecision,
  ctx: {
    forge: Awaited<ReturnType<typeof openForge>>['forge'];
    ref: Awaited<ReturnType<typeof openForge>>['ref'];
    issue: Issue;
    config: Awaited<ReturnType<typeof loadConfig>>;
    rules: CompiledRule[];
    outputs: CollectorOutput[];
    now: Date;
    since: string;
  },
): Promise<string[]> {
  const { forge, ref, config, rules, outputs, now, since } = ctx;
  const settings = auditSettings(config, now);
  // The read–plan–write holds the forge's lock (issue 10), as `audit --apply` does.
  const release = await forge.lock?.(ref);
  try {
    return await validateAndWrite();
  } finally {
    await release?.();
  }
  async function validateAndWrite(): Promise<string[]> {
    const audit = await runAudit({
      ...settings,
      policy: { ...settings.policy, closeOnResolved: config.policy.closeOnResolved && decision.fixed },
      ref,
      forge,
      rules,
      collectors: outputs.map((o) => async () => o),
      // A confirmed fix decides the status: the comment says resolved, with the probes and logs.
      afterDecision: decision.fixed
        ? [
            (analysis, items) =>
              applyValidatedFix(analysis, {
                since,
                healthyProbes: items.filter((i) => i.kind === 'probe' && i.meta?.status === 'ok').map((i) => i.id),
                cleanLogs: items.filter((i) => i.meta?.validated === true).map((i) => i.id),
              }),
          ]
        : [],
    });
    const written: string[] = [];
    if (!audit.plan.noChange) written.push(...(await executePlanOrThrow(audit.plan, forge, ref)).written);
    if (!decision.fixed) written.push(`left open: ${decision.verdict}`);
    return written;
  }
}

export function registerValidate(program: Command, io: CliIo = processIo): void {
  program
    .command('validate')
    .description('After a fix: run the issue\'s probes and scan logs since the fix; "fixed" only when every probe is healthy and the failure signals stopped.')
    .argument('<ref>', 'a snapshot file, or a folder holding issues/<number>.json')
    .option('--issue <n>', 'issue number when the folder holds several', wholeNumber(1))
    .option('--since <time>', 'fix time: ISO time, date, or 30m/2h back (default: merge time of the latest merged linked PR)', time)
    .option('--probes <file>', 'probe file (default: probes: in .github/progressor.yml)')
    .option('--logs <glob>', 'log files to scan (repeatable; default: sources.logs)', repeatable, [] as string[])
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--apply', 'update the status comment; close the issue when fixed and policy allows', false)
    .option('--config <file>', 'configuration file (default: .github/progressor.yml searched upward)')
    .option('--rules <dir>', 'extra rule folder (repeatable)', repeatable, [] as string[])
    .option('--now <time>', 'validate as of this time (reproducible output)', time)
    .addHelpText('after', EXIT_HELP)
    .action(async (ref: string, opts: ValidateCliOptions) => {
      await runCommand(io, () => validateCommand(ref, opts, io));
    });
}
