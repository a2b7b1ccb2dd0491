import type { Command } from 'commander';
import { releaseClaim } from '../actions/claim.ts';
import { EXIT_CODES, ProgressorError } from '../errors/errors.ts';
import { addClaimOptions, claimPolicy, openForgeForRef, type ClaimCliOptions } from './claim.ts';
import { processIo, type CliIo } from './output.ts';
import { runCommand } from './run-command.ts';

/** `progressor release <ref> --session L`: removes the session's label and, if no one else holds it, the claim label. */
export async function releaseCommand(refText: string, opts: ClaimCliOptions & { all?: boolean }, io: CliIo = processIo): Promise<number> {
  if (!opts.session && !opts.all) {
    throw new ProgressorError('USAGE', 'say which claim to release', { hint: 'Pass --session <label> (printed by `progressor claim`), or --all.' });
  }
  const { forge, ref, configStart } = await openForgeForRef(refText, io);
  const policy = await claimPolicy(opts, configStart);
  const { removed } = await releaseClaim(forge, ref, opts.all ? undefined : opts.session, policy);
  const where = `${ref.location}#${ref.number}`;
  io.out(opts.format === 'json' ? JSON.stringify({ issue: where, removed }) : `${where}: ${removed.length ? `removed ${removed.join(', ')}` : 'nothing to release'}`);
  return EXIT_CODES.OK;
}

export function registerRelease(program: Command): void {
  addClaimOptions(
    program
      .command('release')
      .description("release a claim: remove the session label and the claim label")
      .argument('<ref>', 'owner/repo#N, an issue URL, or a snapshot path')
      .option('--session <label>', 'session label to release')
      .option('--all', 'release every session label on the issue'),
  ).action(async (ref: string, opts: ClaimCliOptions & { all?: boolean }) => runCommand(processIo, () => releaseCommand(ref, opts)));
}
