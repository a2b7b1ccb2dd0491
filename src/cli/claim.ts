import { Command, Option } from 'commander';
import { claimIssue, heartbeatClaim, type ClaimPolicy } from '../actions/claim.ts';
import { DEFAULT_CLAIM_LABEL, DEFAULT_LEASE_MINUTES, DEFAULT_SESSION_LABEL_FORMAT } from '../domain/constants.ts';
import { EXIT_CODES, ProgressorError } from '../errors/errors.ts';
import type { Forge, IssueRef } from '../forge/forge.ts';
import { openGitHubForge } from '../forge/github/open-github-forge.ts';
import { parseIssueRef } from '../forge/parse-ref.ts';
import { processIo, type CliIo } from './output.ts';
import { runCommand } from './run-command.ts';

export interface ClaimCliOptions {
  claimLabel: string;
  sessionFormat: string;
  leaseMinutes: string;
  session?: string;
  heartbeat?: boolean;
  format: 'text' | 'json';
}

/** Opens the forge an issue reference names: GitHub for `owner/repo#N` and URLs, else local. */
export async function openForgeForRef(refText: string, io: CliIo = processIo): Promise<{ forge: Forge; ref: IssueRef }> {
  const parsed = parseIssueRef(refText);
  if (parsed.forge === 'github') return { forge: openGitHubForge({ log: (m) => io.err(`warning: ${m}`) }), ref: parsed };
  // Loaded lazily: claim processes on GitHub should not pay for the local forge's imports.
  const { openForge } = await import('../forge/open-forge.ts');
  const { forge, ref } = await openForge(parsed.location, { issue: parsed.number || undefined, now: () => new Date() });
  return { forge, ref };
}

/** The claim options every claim command shares. */
export function addClaimOptions(cmd: Command): Command {
  return cmd
    .option('--claim-label <label>', 'label that marks an issue as claimed', DEFAULT_CLAIM_LABEL)
    .option('--session-format <format>', 'session label format ({YYYYMMDD} {HHmmss} {rand})', DEFAULT_SESSION_LABEL_FORMAT)
    .option('--lease-minutes <n>', 'minutes a claim lives without a heartbeat', String(DEFAULT_LEASE_MINUTES))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'));
}

export function claimPolicy(opts: Pick<ClaimCliOptions, 'claimLabel' | 'sessionFormat' | 'leaseMinutes'>): ClaimPolicy {
  const lease = Number(opts.leaseMinutes);
  if (!Number.isFinite(lease) || lease <= 0) {
    throw new ProgressorError('USAGE', `--lease-minutes: not a positive number: ${opts.leaseMinutes}`, { hint: 'e.g. --lease-minutes 20' });
  }
  return { claimLabel: opts.claimLabel, sessionFormat: opts.sessionFormat, leaseMinutes: lease };
}

/** `progressor claim <ref>`: claims an issue (exit 0) or reports who holds it (exit 9). */
export async function claimCommand(refText: string, opts: ClaimCliOptions, io: CliIo = processIo): Promise<number> {
  const policy = claimPolicy(opts);
  const { forge, ref } = await openForgeForRef(refText, io);
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
