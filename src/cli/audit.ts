import { basename, dirname, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { executePlan } from '../actions/execute.ts';
import { loadConfig } from '../config/load-config.ts';
import { EXIT_CODES, ProgressorError } from '../errors/errors.ts';
import { openForge } from '../forge/open-forge.ts';
import { withWriteBudget } from '../forge/write-budget.ts';
import { renderJson } from '../report/render-json.ts';
import { renderText } from '../report/render-text.ts';
import { loadRules } from '../rules/load-rules.ts';
import { runAudit, type AuditRequest } from '../runner/run-audit.ts';
import { processIo, type CliIo } from './output.ts';
import { auditSettings } from './audit-settings.ts';
import { runCommand } from './run-command.ts';
import { EXIT_HELP } from './exit-codes.ts';
import { repeatable, resolveTime, time, wholeNumber } from './options.ts';

export interface AuditCliOptions {
  issue?: number;
  format?: 'md' | 'json' | 'text';
  apply?: boolean;
  config?: string;
  rules: string[];
  now?: string;
  session?: string;
  maxWrites?: number;
  probe?: boolean;
  logs?: string[];
  tests?: string[];
  repoDir?: string[];
}

/** `progressor audit <ref>`: the main job. Prints what it would change; writes only with --apply. */
export async function auditCommand(refText: string, opts: AuditCliOptions, io: CliIo = processIo): Promise<number> {
  const now = opts.now === undefined ? new Date() : resolveTime(opts.now, new Date());
  const clock = opts.now ? () => now : () => new Date();
  const opened = await openForge(refText, { issue: opts.issue, now: clock, log: (m) => io.err(`warning: ${m}`) });
  const { ref, configStart } = opened;
  const forge = opts.maxWrites === undefined ? opened.forge : withWriteBudget(opened.forge, opts.maxWrites);
  const config = await loadConfig({ file: opts.config, startDir: configStart, cwd: process.cwd() });
  const rules = await loadRules({ dirs: [...config.rules, ...opts.rules] });

  const collectors: AuditRequest['collectors'] = [];
  if (opts.probe) {
    const { probesCollector } = await import('../evidence/probes.ts');
    const { normaliseProbes } = await import('../probes/load-probe-file.ts');
    collectors.push(probesCollector(normaliseProbes(config.probes, config.file ?? '.github/progressor.yml'), { rules, now: () => now }));
  }
  const { sourceCollectors } = await import('../evidence/logs/audit-sources.ts');
  // Sources from the command line and from `sources:` in the configuration (absolute globs).
  // The configured repoDir counts only when set to something other than its default (the
  // folder holding .github/), which is often not a clone of the issue's repository.
  const defaultRepoDir = config.file ? dirname(dirname(config.file)) : undefined;
  const configRepo = config.file && config.sources.repoDir !== defaultRepoDir ? [config.sources.repoDir] : [];
  collectors.push(
    ...sourceCollectors({
      logs: [...(opts.logs ?? []), ...config.sources.logs],
      tests: [...(opts.tests ?? []), ...config.sources.tests],
      repoDirs: [...(opts.repoDir ?? []), ...configRepo],
      rules,
      cwd: process.cwd(),
      base: displayBase(opts.repoDir?.[0], config.file, ref),
    }),
  );
  const settings = auditSettings(config, now, opts.session);
  const { session } = settings;
  // With --apply the whole read–plan–write holds the forge's lock (the local forge's file
  // lock, issue 10): a second run waits and then plans from what the first one wrote.
  const release = opts.apply ? await forge.lock?.(ref) : undefined;
  let result: Awaited<ReturnType<typeof runAudit>>;
  let applied: { written: string[]; notWritten: string[]; noChange: boolean } | undefined;
  let stopped: ProgressorError | undefined;
  try {
    result = await runAudit({ ...settings, collectors, ref, forge, rules });
    // Inputs that matched nothing are the user's local concern: warnings on stderr, never in
    // the comment; when none matched at all, stop before anything is written (exit 6).
    for (const w of result.warnings) io.err(`warning: ${w}`);
    if (result.inputs.given > 0 && result.inputs.matched === 0) {
      throw new ProgressorError('INPUT_INVALID', `no --logs/--tests input matched a file (${result.inputs.given} given, counting sources: in the configuration)`, {
        hint: 'Check the paths and globs; relative ones are read from the current directory (configured ones from the .github/ folder).',
      });
    }
    if (opts.apply) {
      if (result.plan.noChange) applied = { written: [], notWritten: [], noChange: true };
      else {
        const r = await executePlan(result.plan, forge, ref);
        applied = { written: r.written, notWritten: r.notWritten, noChange: false };
        stopped = r.budgetExhausted;
      }
    }
  } finally {
    await release?.();
  }
  const format = opts.format ?? (io.isTTY ? 'text' : 'md');
  if (format === 'json') {
    const json = renderJson({
      issue: { number: result.issue.number, title: result.issue.title, url: result.issue.url, state: result.issue.state },
      session,
      analysis: result.analysis,
      items: result.items,
      probes: result.probes,
      gaps: result.gaps,
      plan: result.plan,
      auditHash: result.auditHash,
      comment: result.comment,
      applied,
    });
    // Every value was redacted at the evidence boundary; the output is never redacted again
    // (that broke JSON escapes, issue 10).
    io.out(JSON.stringify(json, null, 2));
  } else if (format === 'md') {
    io.out(result.comment);
  } else {
    io.out(renderText(result.issue, result.analysis, result.plan, result.model));
  }
  // What happened to the forge goes to stderr so stdout stays the chosen format.
  if (!opts.apply) {
    io.err(
      result.plan.noChange
        ? 'dry run: no change (the audit is unchanged since the last status comment)'
        : `dry run: would ${result.plan.summary.join('; ')} (run with --apply to write)`,
    );
  } else if (applied?.noChange) {
    io.err('no change: the audit is unchanged since the last status comment; nothing written');
  } else if (stopped) {
    // The audit is printed above with what was and was not written; the error says why.
    throw new ProgressorError('BUDGET_EXHAUSTED', `write budget exhausted (--max-writes ${opts.maxWrites}): written: ${applied?.written.join('; ') || 'nothing'}; not written: ${applied?.notWritten.join('; ')}`, {
      hint: stopped.hint,
    });
  } else {
    io.err(`applied: ${applied?.written.join('; ')}`);
  }
  return EXIT_CODES.OK;
}

/**
 * The folder paths in the comment are relative to: the repository (the first --repo-dir), else
 * the folder holding .github/, else the snapshot folder. Never the current directory, so the
 * comment is the same wherever progressor runs.
 */
function displayBase(repoDir: string | undefined, configFile: string | undefined, ref: { forge: string; location: string }): string | undefined {
  if (repoDir) return resolve(repoDir);
  if (configFile) return dirname(dirname(configFile));
  if (ref.forge !== 'local') return undefined;
  const dir = dirname(resolve(ref.location));
  return basename(dir) === 'issues' ? dirname(dir) : dir;
}

export function registerAudit(program: Command, io: CliIo = processIo): void {
  program
    .command('audit')
    .description('Audit one issue: gather evidence, explain it as Five Whys, decide status and owner, plan the status comment and labels.')
    .argument('<ref>', 'owner/repo#N, an issue URL, a snapshot file, or a folder holding issues/<number>.json')
    .option('--issue <n>', 'issue number when the folder holds several', wholeNumber(1))
    .addOption(new Option('--format <format>', 'output format (default: text in a terminal, md when piped)').choices(['md', 'json', 'text']))
    .option('--apply', 'write the status comment, labels and state to the forge', false)
    .option('--config <file>', 'configuration file (default: .github/progressor.yml searched upward)')
    .option('--rules <dir>', 'extra rule folder (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--now <time>', 'audit as of this time (reproducible output)', time)
    .option('--session <id>', 'session id (default: from the configured session-label format)')
    .option('--probe', 'run the configured live probes (probes: in the config) and use them as evidence', false)
    .option('--max-writes <n>', 'stop loudly after this many forge writes, saying what was left undone', wholeNumber(0))
    .option('--logs <glob>', 'log files as evidence: rule counts, facts, examples (repeatable)', repeatable)
    .option('--tests <glob>', 'test reports as evidence: JUnit XML, TAP, node:test, jest/vitest JSON (repeatable)', repeatable)
    .option('--repo-dir <dir>', 'local clone: commits, mentioned files and documents about the issue (repeatable)', repeatable)
    .addHelpText('after', EXIT_HELP)
    .action(async (ref: string, opts: AuditCliOptions) => {
      await runCommand(io, () => auditCommand(ref, opts, io));
    });
}
