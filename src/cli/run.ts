import { dirname } from 'node:path';
import { Command, Option } from 'commander';
import { openAgent } from '../agents/registry.ts';
import { loadConfig } from '../config/load-config.ts';
import { readEnv } from '../config/read-env.ts';
import { AGENT_BACKENDS, type AgentBackendName } from '../config/run-schema.ts';
import { ProgressorError } from '../errors/errors.ts';
import { openForge } from '../forge/open-forge.ts';
import { redact } from '../redact/redact.ts';
import { loadRules } from '../rules/load-rules.ts';
import { runIssue, type RunIssueRequest, type RunReport } from '../runner/run-issue.ts';
import { parseStep } from '../runner/steps.ts';
import { openStore, stateFolder } from '../stores/open-store.ts';
import { auditSettings } from './audit-settings.ts';
import { EXIT_HELP } from './exit-codes.ts';
import { processIo, type CliIo } from './output.ts';
import { runCommand } from './run-command.ts';

export interface RunCliOptions {
  issue?: number;
  format?: 'md' | 'json' | 'text';
  apply?: boolean;
  config?: string;
  rules: string[];
  agent?: AgentBackendName;
  until?: string;
  from?: string;
  repoDir?: string;
  repo?: string;
  focus?: string;
  workers?: number;
  maxIssues?: number;
  staggerMs?: number;
}

const secs = (ms: number | null | undefined): string => (ms === null || ms === undefined ? '' : ` ${(ms / 1000).toFixed(1)} s`);

/** Text rendering of a run report: the outcome, then one line per step. */
export function renderRunText(r: RunReport): string {
  const lines = [`Run ${r.runId ?? '(not started)'} · issue #${r.issue.number} ${r.issue.title}`, `${r.state}: ${r.message}`, `session ${r.session}${r.branch ? ` · branch ${r.branch}` : ''} · tokens ${r.totals.tokens} · cost $${r.totals.costUsd.toFixed(4)}`, ''];
  for (const s of r.steps) lines.push(`${s.step} ${s.name.padEnd(16)} ${s.state.padEnd(8)}${secs(s.durationMs)}  ${s.summary}`);
  return lines.join('\n');
}

interface Prepared {
  config: Awaited<ReturnType<typeof loadConfig>>;
  rules: Awaited<ReturnType<typeof loadRules>>;
  agent: ReturnType<typeof openAgent>;
  audit: RunIssueRequest['audit'];
  repoDir?: string;
  stateDir: string;
}

/** Configuration, rules, agent and audit settings for runs whose config search starts at `configStart`. */
async function prepare(opts: RunCliOptions, configStart: string, envVars: NodeJS.ProcessEnv): Promise<Prepared> {
  const env = readEnv(envVars);
  const config = await loadConfig({ file: opts.config, startDir: configStart });
  const rules = await loadRules({ dirs: [...config.rules, ...opts.rules] });
  const agent = openAgent(opts.agent ?? config.run.agent.backend, config.run.agent, envVars);
  const settings = auditSettings(config, new Date());
  const { sourceCollectors } = await import('../evidence/logs/audit-sources.ts');
  const defaultRepoDir = config.file ? dirname(dirname(config.file)) : undefined;
  const repoDir = opts.repoDir ?? (config.file && config.sources.repoDir !== defaultRepoDir ? config.sources.repoDir : undefined);
  const collectors = sourceCollectors({ logs: config.sources.logs, tests: config.sources.tests, repoDirs: repoDir ? [repoDir] : [], rules, cwd: process.cwd() });
  const stateDir = stateFolder(env);
  if (!stateDir) throw new ProgressorError('STORE_FAILED', 'no folder for worktrees: XDG_STATE_HOME and HOME are unset', { file: '(environment)', hint: 'Set XDG_STATE_HOME (or PROGRESSOR_STORE).' });
  return {
    config,
    rules,
    agent,
    repoDir,
    stateDir,
    audit: { policy: settings.policy, teams: settings.teams, mentionTeams: settings.mentionTeams, leaseMinutes: settings.leaseMinutes, ownLabels: settings.ownLabels, isSessionLabel: settings.isSessionLabel, collectors },
  };
}

function stepRange(opts: RunCliOptions): { from?: number; until?: number } {
  const until = opts.until === undefined ? undefined : parseStep(opts.until, '--until');
  const from = opts.from === undefined ? undefined : parseStep(opts.from, '--from');
  if (until !== undefined && from !== undefined && from > until) {
    throw new ProgressorError('USAGE', `--from ${from} is after --until ${until}`, { hint: 'Give --from a step at or before --until.' });
  }
  return { from, until };
}

/** `progressor run <ref>` (SPEC §3 for one issue) or `run --repo` (a fleet); writes only with --apply. */
export async function runIssueCommand(refText: string | undefined, opts: RunCliOptions, io: CliIo = processIo, envVars: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (opts.repo) {
    if (refText) throw new ProgressorError('USAGE', 'give either <ref> or --repo, not both', { hint: 'run <ref> drives one issue; run --repo owner/name --workers N drives a fleet.' });
    const { runFleet } = await import('./run-fleet.ts');
    return runFleet(opts, io, envVars, { prepare, stepRange });
  }
  if (!refText) throw new ProgressorError('USAGE', 'missing <ref> (or --repo for a fleet)', { hint: 'e.g. progressor run owner/repo#7 --apply' });
  const { from, until } = stepRange(opts);
  const opened = await openForge(refText, { issue: opts.issue, now: () => new Date(), log: (m) => io.err(`warning: ${m}`) });
  const p = await prepare(opts, opened.configStart, envVars);
  const store = await openStore(readEnv(envVars));
  let report: RunReport;
  try {
    report = await runIssue({
      ref: opened.ref,
      forge: opened.forge,
      store,
      config: p.config,
      rules: p.rules,
      audit: p.audit,
      agent: p.agent,
      repoDir: p.repoDir,
      stateDir: p.stateDir,
      apply: Boolean(opts.apply),
      from,
      until,
      now: () => new Date(),
      env: envVars,
      log: (line) => io.err(redact(line)),
    });
  } finally {
    await store.close();
  }
  const format = opts.format ?? (io.isTTY ? 'text' : 'md');
  if (format === 'json') io.out(redact(JSON.stringify(report, null, 2)));
  else if (format === 'md') io.out(redact(report.comment ?? renderRunText(report)));
  else io.out(redact(renderRunText(report)));
  io.err(redact(report.message));
  return report.exitCode;
}

export type PrepareRun = typeof prepare;
export type StepRangeOf = typeof stepRange;

export function registerRun(program: Command, io: CliIo = processIo): void {
  program
    .command('run')
    .description('Drive one issue through SPEC §3: claim, audit, decide, plan tests, run tests, plan and apply the fix (agent), prove, deploy to staging, draft PR. Checkpointed and resumable; writes only with --apply.')
    .argument('[ref]', 'owner/repo#N, an issue URL, a snapshot file, or a folder holding issues/<number>.json')
    .option('--issue <n>', 'issue number when the folder holds several', (v) => Number.parseInt(v, 10))
    .addOption(new Option('--format <format>', 'output format (default: text in a terminal, md when piped)').choices(['md', 'json', 'text']))
    .option('--apply', 'write: claim, comment, labels, commits, push, draft PR, store checkpoints', false)
    .addOption(new Option('--agent <backend>', 'agent backend (default: run.agent.backend, else none)').choices([...AGENT_BACKENDS]))
    .option('--until <step>', 'stop after this step (0–9 or its name); run again to continue')
    .option('--from <step>', 'redo from this step (the earlier ones must have finished)')
    .option('--repo-dir <dir>', 'local clone the worktree is made from (default: sources.repoDir)')
    .option('--repo <repo>', 'fleet: take issues from owner/name (or a snapshot folder) with `next`, and run them')
    .option('--focus <focus>', 'fleet: p0, a label, or recent')
    .option('--workers <n>', 'fleet: issues run at once (default 2)', (v) => Number.parseInt(v, 10))
    .option('--max-issues <n>', 'fleet: most issues taken (default 10)', (v) => Number.parseInt(v, 10))
    .option('--stagger-ms <n>', 'fleet: pause between two workers\' starts (default 1000)', (v) => Number.parseInt(v, 10))
    .option('--config <file>', 'configuration file (default: .github/progressor.yml searched upward)')
    .option('--rules <dir>', 'extra rule folder (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .addHelpText('after', EXIT_HELP)
    .action(async (ref: string | undefined, opts: RunCliOptions) => runCommand(io, () => runIssueCommand(ref, opts, io)));
}
