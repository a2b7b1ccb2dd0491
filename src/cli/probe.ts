import { type Command, Option } from 'commander';
import { createLogUpdate } from 'log-update';
import type { ProbeResult } from '../domain/types.ts';
import type { ProbeStatus } from '../domain/vocabulary.ts';
import { loadConfig } from '../config/load-config.ts';
import { EXIT_CODES, ProgressorError } from '../errors/errors.ts';
import { loadProbeFile, normaliseProbes } from '../probes/load-probe-file.ts';
import type { ProbesConfig } from '../probes/probe-schema.ts';
import {
  hasFindings,
  type ProbeFormat,
  renderJsonResults,
  renderLines,
  renderProbeResults,
  renderTable,
} from '../probes/render-probe-results.ts';
import { runProbes } from '../probes/run-probes.ts';
import { loadRules } from '../rules/load-rules.ts';
import { formatDuration } from '../probes/duration.ts';
import { EXIT_HELP } from './exit-codes.ts';
import { duration, repeatable, wholeNumber } from './options.ts';
import { type CliIo, processIo } from './output.ts';
import { runCommand } from './run-command.ts';

export interface ProbeCliOptions {
  format?: ProbeFormat;
  watch?: boolean;
  /** Milliseconds (parsed by `duration`). */
  interval?: number;
  count?: number;
  /** Milliseconds. */
  duration?: number;
  config?: string;
  rules?: string[];
}

/** Injected so tests need no terminal, clock or real sleep. */
export interface ProbeCliDeps {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Aborted on SIGINT/SIGTERM in the real CLI: watch mode stops after the current round. */
  stop: AbortSignal;
  /** Live-table writer for a TTY (log-update). */
  live?: { render(text: string): void; done(): void };
}

const DEFAULT_INTERVAL = '10s';
const DEFAULT_INTERVAL_MS = 10_000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Loads the probes from a probe file, or from `probes:` of .github/progressor.yml. */
export async function loadProbesForCli(file: string | undefined, configFile: string | undefined, cwd: string): Promise<ProbesConfig> {
  if (file !== undefined) return loadProbeFile(file);
  const config = await loadConfig({ file: configFile, startDir: cwd, cwd });
  return normaliseProbes(config.probes, config.file ?? '.github/progressor.yml');
}

/**
 * `progressor probe [file]`: runs the probes once (exit 1 when any failed or could not run)
 * or, with --watch, every --interval until --count rounds or --duration have passed.
 */
export async function probeCommand(file: string | undefined, opts: ProbeCliOptions, io: CliIo = processIo, deps?: Partial<ProbeCliDeps>): Promise<number> {
  const d: ProbeCliDeps = { env: process.env, cwd: process.cwd(), sleep, stop: new AbortController().signal, ...deps };
  const format: ProbeFormat = opts.format ?? 'text';
  const intervalMs = opts.interval ?? DEFAULT_INTERVAL_MS;
  const durationMs = opts.duration;
  if (!opts.watch && (opts.count !== undefined || opts.duration !== undefined || opts.interval !== undefined)) {
    throw new ProgressorError('USAGE', '--interval, --count and --duration need --watch', { hint: 'Add --watch, or drop them for a one-shot run.' });
  }
  const config = await loadProbesForCli(file, opts.config, d.cwd);
  if (config.checks.length === 0) {
    throw new ProgressorError('CONFIG_INVALID', 'no probes configured', {
      file: file ?? opts.config,
      hint: 'Add checks under `probes:` in .github/progressor.yml, or pass a probe file.',
    });
  }
  const rules = (await loadRules({ dirs: opts.rules ?? [] })).filter((r) => r.kind === 'probe');
  const round = () => runProbes(config.checks, { env: d.env, defaultTimeoutMs: config.timeoutMs, rules });

  if (!opts.watch) {
    const results = await round();
    io.out(renderProbeResults(results, format));
    return hasFindings(results) ? EXIT_CODES.FINDINGS : EXIT_CODES.OK;
  }

  const started = Date.now();
  const previous = new Map<string, ProbeStatus>();
  const live = format === 'text' && io.isTTY ? (d.live ?? terminalLive()) : undefined;
  let last: ProbeResult[];
  let rounds = 0;
  try {
    for (;;) {
      const at = new Date().toISOString();
      last = await round();
      rounds++;
      if (format === 'json') io.out(JSON.stringify({ at, round: rounds, ...(JSON.parse(renderJsonResults(last)) as object) }));
      else if (format === 'prometheus') io.out(renderProbeResults(last, 'prometheus'));
      else if (live) live.render(`${renderTable(last, { previous })}\nround ${rounds} at ${at}; every ${formatDuration(intervalMs)}; * = changed`);
      else io.out(renderLines(last, at, previous));
      for (const r of last) previous.set(r.id, r.status);
      if (opts.count !== undefined && rounds >= opts.count) break;
      if (durationMs !== undefined && Date.now() - started + intervalMs > durationMs) break;
      if (d.stop.aborted) break;
      await d.sleep(intervalMs, d.stop);
      if (d.stop.aborted) break;
    }
  } finally {
    live?.done();
  }
  return hasFindings(last) ? EXIT_CODES.FINDINGS : EXIT_CODES.OK;
}

function terminalLive(): { render(text: string): void; done(): void } {
  const log = createLogUpdate(process.stdout);
  return { render: (t) => log(t), done: () => log.done() };
}

export function registerProbe(program: Command, io: CliIo = processIo): void {
  program
    .command('probe')
    .description('Check the live system (HTTP, PostgreSQL, Redis, DNS, TCP, TLS) once, or watch it during an incident.')
    .argument('[file]', 'probe file (default: probes: in .github/progressor.yml)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'prometheus']).default('text'))
    .option('--watch', 'run again every --interval; a live table in a terminal, plain lines when piped', false)
    .option('--interval <duration>', `time between rounds in watch mode (default ${DEFAULT_INTERVAL})`, duration)
    .option('--count <n>', 'watch mode: stop after n rounds', wholeNumber(1))
    .option('--duration <duration>', 'watch mode: stop after this long (e.g. 5m)', duration)
    .option('--config <file>', 'configuration file (default: .github/progressor.yml searched upward)')
    .option('--rules <dir>', 'extra rule folder (repeatable)', repeatable, [] as string[])
    .addHelpText('after', EXIT_HELP)
    .action(async (file: string | undefined, opts: ProbeCliOptions) => {
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        await runCommand(io, () => probeCommand(file, opts, io, { stop: stop.signal }));
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
