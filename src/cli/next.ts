import { resolve } from 'node:path';
import type { Command } from 'commander';
import { pickNextIssue } from '../actions/claim.ts';
import { EXIT_CODES } from '../errors/errors.ts';
import { openGitHubForge } from '../forge/github/open-github-forge.ts';
import { parseRepoLocation } from '../forge/parse-ref.ts';
import { addClaimOptions, claimPolicy, type ClaimCliOptions } from './claim.ts';
import { processIo, type CliIo } from './output.ts';
import { runCommand } from './run-command.ts';

/** `progressor next <repo> [--focus p0|LABEL|recent]`: prints the issue a worker would take next. */
export async function nextCommand(repoText: string, opts: ClaimCliOptions & { focus?: string }, io: CliIo = processIo): Promise<number> {
  const target = parseRepoLocation(repoText);
  const policy = await claimPolicy(opts, target.forge === 'github' ? process.cwd() : resolve(target.location));
  const forge =
    target.forge === 'github'
      ? openGitHubForge({ log: (m) => io.err(`warning: ${m}`) })
      : new (await import('../forge/local/local-forge.ts')).LocalForge();
  const next = await pickNextIssue(forge, target.location, { ...policy, focus: opts.focus });
  if (opts.format === 'json') {
    io.out(JSON.stringify(next ? { issue: next.issue.ref, title: next.issue.title, labels: next.issue.labels, reclaimable: next.reclaimable } : { issue: null }));
  } else if (next) {
    const r = next.issue.ref;
    io.out(`${r.forge === 'github' ? `${r.location}#${r.number}` : r.location}\t${next.issue.title}${next.reclaimable ? '\t(expired claim: reclaimable)' : ''}`);
  } else {
    io.err(`no open issue to take in ${target.location}${opts.focus ? ` with focus ${opts.focus}` : ''} (all claimed or none match)`);
  }
  return next ? EXIT_CODES.OK : EXIT_CODES.FINDINGS;
}

export function registerNext(program: Command): void {
  addClaimOptions(
    program
      .command('next')
      .description('print the next issue a worker would take, skipping live claims')
      .argument('<repo>', 'owner/repo, or a snapshot folder')
      .option('--focus <focus>', 'p0, a label, or recent (most recently updated)'),
  ).action(async (repo: string, opts: ClaimCliOptions & { focus?: string }) => runCommand(processIo, () => nextCommand(repo, opts)));
}
