import { Command, Option } from 'commander';
import { claimIssue, heartbeatClaim, type ClaimPolicy } from '../actions/claim.ts';
import { DEFAULT_CLAIM_LABEL, DEFAULT_LEASE_MINUTES, DEFAULT_SESSION_LABEL_FORMAT } from '../domain/constants.ts';
import { EXIT_CODES, ProgressorError } from '../errors/errors.ts';
import type { Forge, IssueRef } from '../forge/forge.ts';
import { openGitHubForge } from '../forge/github/open-github-forge.ts';
import { parseIssueRef } from '../forge/parse-ref.ts';
import { processIo, type CliIo } from './output.ts';
import { loadConfig } from '../config/load-config.ts';
import { positiveNumber } from './options.ts';
import { runCommand } from './run-command.ts';

export interface ClaimCliOptions {
  claimLabel?: string;
  sessionFormat?: string;
  leaseMinutes?: number;
  config?: string;
  session?: string;
  heartbeat?: boolean;
  format: 'text' | 'json';
}

/** Opens the forge an issue reference names: GitHub for `owner/repo#N` and URLs, else local. */
export async function openForgeForRef(refText: string, io: CliIo = processIo): Promise<{ forge: Forge; ref: IssueRef; configStart: string }> {
  const parsed = parseIssueRef(refText);
  if (parsed.forge === 'github') return { forge: openGitHubForge({ log: (m) => io.err(`warning: ${m}`) }), ref: parsed, configStart: process.cwd() };
  // Loaded lazily: claim processes on GitHub should not pay for the local forge's imports.
  const { openForge } = await import('../forge/open-forge.ts');
  return openForge(parsed.location, { issue: parsed.number || undefined, now: () => new Date() });
}

/** The claim options every claim command shares; unset ones come from `claim:` in the configuration. */
export function addClaimOptions(cmd: Command): Command {
  return cmd
    .option('--claim-label <label>', `label that marks an issue as claimed (default: claim.label, else ${DEFAULT_CLAIM_LABEL})`)
    .option('--session-format <format>', `session label format, placeholders {YYYYMMDD} {HHmmss} {rand} … (default: claim.sessionLabelFormat, else ${DEFAULT_SESSION_LABEL_FORMAT})`)
    .option('--lease-minutes <n>', `minutes a claim lives without a heartbeat (default: claim.leaseMinutes, else ${DEFAULT_LEASE_MINUTES})`, positiveNumber)
    .option('--config <file>', 'configuration file (default: .github/progressor.yml searched upward)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'));
}

/**
 * The claim policy: command-line options over `claim:` in .github/progressor.yml (found from
 * `startDir` upward, or --config) over the defaults.
 * @throws ConfigError for an invalid configuration
 */
export async function claimPolicy(opts: Pick<ClaimCliOptions, 'claimLabel' | 'sessionFormat' | 'leaseMinutes' | 'config'>, startDir: string): Promise<ClaimPolicy> {
  const config = await loadConfig({ file: opts.config, startDir, cwd: process.cwd() });
  return {
    claimLabel: opts.claimLabel ?? config.claim.label,
    sessionFormat: opts.sessionFormat ?? config.claim.sessionLabelFormat,
    leaseMinutes: opts.leaseMinutes ?? config.claim.leaseMinutes,
  };
}

/** `progressor claim <ref>`: claims an issue (exit 0) or reports who holds it (exit 9). */
export async function claimCommand(refText: string, opts: ClaimCliOptions, io: CliIo = processIo): Promise<number> {
  const { forge, ref, configStart } = await openForgeForRef(refText, io);
  const policy = await claimPolicy(opts, configStart);
  const where = `${ref.location}#${ref.number}`;
  if (opts.heartbeat) {
    if (!opts.session) throw new ProgressorError('USAGE', '--heartbeat needs --session', { hint: 'Pass the session label the claim printed.' });
    const hb = await heartbeatClaim(forge, ref, opts.session, policy);
    io.out(opts.format === 'json' ? JSON.stringify({ issue: where, session: opts.session, heartbeat: true, expiresAt: hb.expiresAt }) : `${where}: lease of ${opts.session} extended to ${hb.expiresAt}`);
    return EXIT_CODES.OK;
  }
  const result = await claimIssue(forge, ref, { ...policy, session: opts.session });
  if (opts.format === 'json') io.out(JSON.stringify({ issue: where, ...result }));
  else if (result.won) io.out(`${where}: claimed by ${result.session} until ${result.expiresAt}${result.pruned.length ? ` (pruned expired ${result.pruned.join(', ')})` : ''}`);
  else io.out(`${where}: not claimed: ${result.reason === 'held' ? 'held' : 'claimed first'} by ${result.holder}`);
  return result.won ? EXIT_CODES.OK : EXIT_CODES.CLAIM_LOST;
}

export function registerClaim(program: Command): void {
  addClaimOptions(
    program
      .command('claim')
      .description('claim an issue for this worker (claim label + session label; earliest claim wins)')
      .argument('<ref>', 'owner/repo#N, an issue URL, or a snapshot path')
      .option('--session <label>', 'session label to claim with (default: a new one)')
      .option('--heartbeat', 'extend the lease of --session instead of claiming'),
  ).action(async (ref: string, opts: ClaimCliOptions) => runCommand(processIo, () => claimCommand(ref, opts)));
}
