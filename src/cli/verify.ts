import { type Command, Option } from 'commander';
import { executePlan } from '../actions/execute.ts';
import { loadConfig } from '../config/load-config.ts';
import { EXIT_CODES, ProgressorError } from '../errors/errors.ts';
import { sourceCollectors } from '../evidence/logs/audit-sources.ts';
import { openForge } from '../forge/open-forge.ts';
import { redact } from '../redact/redact.ts';
import { loadRules } from '../rules/load-rules.ts';
import { runAudit, type AuditRequest } from '../runner/run-audit.ts';
import { extractClaims } from '../verify/extract.ts';
import { loadClaimPatterns } from '../verify/load-claims.ts';
import { renderVerifyMarkdown, renderVerifyText } from '../verify/render-verify.ts';
import { buildReport, planClaimsComment, repoCollectors, resolveComments, sinceFixEvidence } from '../verify/run-verify.ts';
import { auditSettings } from './audit-settings.ts';
import { EXIT_HELP } from './exit-codes.ts';
import { type CliIo, processIo } from './output.ts';
import { runCommand } from './run-command.ts';

export interface VerifyCliOptions {
  comment?: string;
  issue?: number;
  format?: 'md' | 'json' | 'text';
  apply?: boolean;
  config?: string;
  rules: string[];
  claims: string[];
  now?: string;
  session?: string;
  probe?: boolean;
  logs?: string[];
  tests?: string[];
  repoDir?: string;
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * `progressor verify <ref>`: extracts the claims of a status comment and checks each against
 * the evidence an audit gathers. Reads only; `--apply` writes the "Claims checked" section of
 * the living status comment. Exit 1 when a claim is contradicted.
 */
export async function verifyCommand(refText: string, opts: VerifyCliOptions, io: CliIo = processIo, readStdin: () => Promise<string> = readProcessStdin): Promise<number> {
  const now = opts.now ? new Date(opts.now) : new Date();
  if (Number.isNaN(now.getTime())) throw new ProgressorError('USAGE', `--now: not an ISO time: ${String(opts.now)}`, { hint: 'Use e.g. --now 2026-11-21T09:00:00Z.' });
  const { forge, ref, configStart } = await openForge(refText, { issue: opts.issue, now: () => now, log: (m) => io.err(`warning: ${m}`) });
  const config = await loadConfig({ file: opts.config, startDir: configStart });
  const rules = await loadRules({ dirs: [...config.rules, ...opts.rules] });
  const patterns = await loadClaimPatterns({ dirs: opts.claims });
  const issue = await forge.getIssue(ref);
  const comments = await resolveComments(issue, await forge.botLogin(), opts.comment, readStdin);
  const extracted = comments.flatMap((c) => extractClaims(c.body, patterns));

  const logs = [...(opts.logs ?? []), ...config.sources.logs];
  const collectors: AuditRequest['collectors'] = [];
  if (opts.probe) {
    const { probesCollector } = await import('../evidence/probes.ts');
    const { normaliseProbes } = await import('../probes/load-probe-file.ts');
    collectors.push(probesCollector(normaliseProbes(config.probes, config.file ?? '.github/progressor.yml'), { rules, now: () => now }));
  }
  collectors.push(...sourceCollectors({ logs, tests: [...(opts.tests ?? []), ...config.sources.tests], rules, cwd: process.cwd() }));
  // Artefact claims are about the repository: --repo-dir, else sources.repoDir, whose default
  // is the folder holding .github/ (the repository root when the config lives in it).
  collectors.push(...repoCollectors({ dir: opts.repoDir ?? config.sources.repoDir, issue, claims: extracted, rules }));
  const settings = auditSettings(config, now, opts.session);
  const audit = await runAudit({ ...settings, collectors, ref, forge, rules });
  const extra = await sinceFixEvidence(audit.issue, audit.items, logs, rules, process.cwd());
  const report = buildReport(audit, comments, patterns, extra);

  if (opts.apply) {
    const plan = planClaimsComment(audit, report);
    report.applied = plan.noChange ? [] : (await executePlan(plan, forge, ref)).written;
    io.err(plan.noChange ? 'no change: the claims and the audit are unchanged since the status comment; nothing written' : `applied: ${report.applied.join('; ')}`);
  } else {
    const plan = planClaimsComment(audit, report);
    io.err(plan.noChange ? 'dry run: no change' : `dry run: would ${plan.summary.join('; ')} (run with --apply to write)`);
  }
  const format = opts.format ?? (io.isTTY ? 'text' : 'md');
  const out = format === 'json' ? JSON.stringify(report, null, 2) : format === 'md' ? renderVerifyMarkdown(report) : renderVerifyText(report);
  io.out(redact(out));
  return report.summary.contradicted > 0 ? EXIT_CODES.FINDINGS : EXIT_CODES.OK;
}

export function registerVerify(program: Command, io: CliIo = processIo): void {
  program
    .command('verify')
    .description('Check the claims of a status comment (test counts, PRs, settings, files, system state, causes, numbers) against the evidence: verified, contradicted or unverifiable.')
    .argument('<ref>', 'owner/repo#N, an issue URL, a snapshot file, or a folder holding issues/<number>.json')
    .option('--comment <id|url|file|->', 'the comment to check: a comment id or URL of the issue, a Markdown file, or - (default: every comment not by progressor)')
    .option('--issue <n>', 'issue number when the folder holds several', (v) => Number.parseInt(v, 10))
    .addOption(new Option('--format <format>', 'output format (default: text in a terminal, md when piped)').choices(['md', 'json', 'text']))
    .option('--apply', 'write the "Claims checked" section into the living status comment', false)
    .option('--config <file>', 'configuration file (default: .github/progressor.yml searched upward)')
    .option('--rules <dir>', 'extra rule folder (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--claims <dir>', 'extra claim-pattern folder (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--now <iso>', 'verify as of this time (reproducible output)')
    .option('--session <id>', 'session id for the status comment (default: from the configured session-label format)')
    .option('--probe', 'run the configured live probes and use them as evidence', false)
    .option('--logs <glob>', 'log files as evidence (repeatable)', (v: string, p: string[] = []) => [...p, v])
    .option('--tests <glob>', 'test reports as evidence (repeatable)', (v: string, p: string[] = []) => [...p, v])
    .option('--repo-dir <dir>', 'the repository the comment talks about (default: sources.repoDir)')
    .addHelpText('after', EXIT_HELP)
    .action(async (ref: string, opts: VerifyCliOptions) => {
      await runCommand(io, () => verifyCommand(ref, opts, io));
    });
}
