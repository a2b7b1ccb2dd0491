import { Command, Option } from 'commander';
import { readEnv } from '../config/read-env.ts';
import { EXIT_CODES } from '../errors/errors.ts';
import { parseIssueRef } from '../forge/parse-ref.ts';
import { resolveLocalRef } from '../forge/local/local-forge.ts';
import { redact } from '../redact/redact.ts';
import { issueKey, STEPS } from '../runner/steps.ts';
import { openStore } from '../stores/open-store.ts';
import type { RunRow, StepRow } from '../stores/store.ts';
import { processIo, type CliIo } from './output.ts';
import { runCommand } from './run-command.ts';
import { EXIT_HELP } from './exit-codes.ts';

export interface RunsCliOptions {
  format?: 'json' | 'text';
  issue?: number;
  limit?: number;
}

const usd = (n: number): string => `$${n.toFixed(4)}`;
const secs = (ms: number | null | undefined): string => (ms === null || ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);

/** Text rendering of runs and their steps: one line per run, one indented line per step. */
export function renderRunsText(runs: { run: RunRow; steps: StepRow[] }[]): string {
  if (runs.length === 0) return 'no runs recorded';
  const lines: string[] = [];
  for (const { run, steps } of runs) {
    lines.push(`${run.id}  ${run.issueKey}  ${run.state}  started ${run.startedAt}  tokens ${run.tokens}  cost ${usd(run.costUsd)}${run.branch ? `  branch ${run.branch}` : ''}`);
    for (const s of steps) {
      const summary = typeof s.result?.summary === 'string' ? `  ${s.result.summary}` : '';
      lines.push(`  ${s.step} ${s.name.padEnd(16)} ${s.state.padEnd(8)} ${secs(s.durationMs).padStart(8)}  tokens ${s.tokens}  ${usd(s.costUsd)}  attempt ${s.attempt}${summary}`);
    }
  }
  return lines.join('\n');
}

/** `progressor runs [ref]`: the runs in the store (all, or one issue's) with their steps. */
export async function runsCommand(refText: string | undefined, opts: RunsCliOptions, io: CliIo = processIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let key: string | undefined;
  if (refText) {
    const parsed = parseIssueRef(refText);
    key = issueKey(parsed.forge === 'github' ? parsed : await resolveLocalRef(refText, opts.issue));
  }
  const store = await openStore(readEnv(env));
  try {
    const runs = await store.listRuns({ issueKey: key, limit: opts.limit ?? 50 });
    const withSteps = await Promise.all(runs.map(async (run) => ({ run, steps: await store.listSteps(run.id) })));
    if ((opts.format ?? 'text') === 'json') {
      io.out(
        redact(
          JSON.stringify(
            {
              store: { engine: store.engine, location: store.location },
              runs: withSteps.map(({ run, steps }) => ({
                ...run,
                steps: steps.map((s) => ({ ...s, name: s.name || STEPS[s.step] })),
              })),
            },
            null,
            2,
          ),
        ),
      );
    } else {
      io.out(redact(renderRunsText(withSteps)));
    }
    return EXIT_CODES.OK;
  } finally {
    await store.close();
  }
}

export function registerRuns(program: Command, io: CliIo = processIo): void {
  program
    .command('runs')
    .description('List the runs in the store (DATABASE_URL, PROGRESSOR_STORE or the state folder) and their steps.')
    .argument('[ref]', 'only this issue: owner/repo#N, an issue URL, a snapshot file or folder')
    .option('--issue <n>', 'issue number when the folder holds several', (v) => Number.parseInt(v, 10))
    .option('--limit <n>', 'most runs listed (newest first)', (v) => Number.parseInt(v, 10))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', EXIT_HELP)
    .action(async (ref: string | undefined, opts: RunsCliOptions) => runCommand(io, () => runsCommand(ref, opts, io)));
}
