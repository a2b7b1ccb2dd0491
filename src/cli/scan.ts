import { Command, Option } from 'commander';
import { SingleBar } from 'cli-progress';
import { ProgressorError } from '../errors/errors.ts';
import { loadRules } from '../rules/load-rules.ts';
import { scanInputs, type ScanResult } from '../scan/scan-inputs.ts';
import { processIo, type CliIo } from './output.ts';
import { repeatable, resolveTime, time, TIME_SYNTAX, wholeNumber } from './options.ts';
import { runCommand } from './run-command.ts';

export interface ScanCliOptions {
  format?: 'text' | 'json';
  rules: string[];
  since?: string;
  until?: string;
  workers?: number;
  top?: number;
}

function bound(v: string | undefined, now: Date): number | undefined {
  return v === undefined ? undefined : resolveTime(v, now).getTime();
}

/** The JSON document `progressor scan --format json` prints (stable field names). */
export function scanToJson(r: ScanResult) {
  return {
    bytes: r.bytes,
    files: r.files,
    rules: r.rules.map((s) => ({
      rule: s.rule.id,
      title: s.rule.title,
      category: s.rule.category,
      layer: s.rule.layer,
      owner: s.rule.owner,
      count: s.count,
      firstSeen: s.firstSeen ?? null,
      lastSeen: s.lastSeen ?? null,
      facts: s.facts,
      examples: s.examples,
    })),
    unrecognised: { lines: r.unrecognisedLines, templates: r.unrecognised },
    outsideWindow: r.outsideWindow,
    warnings: r.warnings,
  };
}

function topValues(values: Record<string, number>, n: number): string {
  const e = Object.entries(values).sort((a, b) => b[1] - a[1]);
  const shown = e.slice(0, n).map(([v, c]) => `${v} (${c})`);
  return e.length > n ? `${shown.join(', ')}, … ${e.length - n} more` : shown.join(', ');
}

export function scanToText(r: ScanResult, top: number): string {
  const lines: string[] = [];
  const total = r.rules.reduce((s, x) => s + x.count, 0);
  lines.push(`Scanned ${r.files.length} file(s), ${r.bytes} bytes: ${total} matched line(s) across ${r.rules.length} rule(s), ${r.unrecognisedLines} unrecognised error line(s).`);
  for (const s of r.rules) {
    lines.push('');
    lines.push(`${s.rule.id} · ${s.count} line(s) · ${s.rule.category} · owner ${s.rule.owner}`);
    if (s.firstSeen || s.lastSeen) lines.push(`  seen: ${s.firstSeen ?? '?'} … ${s.lastSeen ?? '?'}`);
    for (const [k, v] of Object.entries(s.facts)) lines.push(`  ${k}: ${topValues(v, top)}`);
    for (const ex of s.examples) lines.push(`  ${ex.path}:${ex.line}: ${ex.text.length > 300 ? `${ex.text.slice(0, 300)}…` : ex.text}`);
  }
  if (r.unrecognised.length > 0) {
    lines.push('');
    lines.push('Unrecognised error lines (no rule knows them), grouped into templates:');
    for (const t of r.unrecognised.slice(0, top)) {
      lines.push(`  ${t.count} × ${t.template}`);
      lines.push(`      e.g. ${t.example.path}:${t.example.line}`);
    }
  }
  if (r.outsideWindow > 0) lines.push('', `${r.outsideWindow} matched line(s) outside --since/--until were not counted.`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}

/** `progressor scan <file|glob|->...`: rule matches in logs, at ripgrep speed. */
export async function scanCommand(inputs: string[], opts: ScanCliOptions, io: CliIo = processIo): Promise<number> {
  const now = new Date();
  const rules = await loadRules({ dirs: opts.rules });
  const workers = opts.workers;
  let bar: SingleBar | undefined;
  if (process.stderr.isTTY) {
    bar = new SingleBar({ format: 'scan [{bar}] {percentage}% {value}/{total} MiB', stream: process.stderr, hideCursor: true });
  }
  let started = false;
  try {
    const result = await scanInputs({
      inputs,
      rules,
      since: bound(opts.since, now),
      until: bound(opts.until, now),
      workers,
      onProgress: bar
        ? (done, total) => {
            if (!started) {
              bar!.start(Math.ceil(total / 2 ** 20), 0);
              started = true;
            }
            bar!.update(Math.floor(done / 2 ** 20));
          }
        : undefined,
    });
    if (started) bar!.stop();
    const top = opts.top ?? 5;
    io.out(opts.format === 'json' ? JSON.stringify(scanToJson(result), null, 2) : scanToText(result, top));
    const readable = result.files.some((f) => f.status === 'ok' || f.status === 'partial');
    if (!readable && result.files.length > 0) {
      throw new ProgressorError('INPUT_INVALID', `no readable log input: ${result.warnings.join('; ')}`, {
        hint: 'Check the paths and globs; binary files are skipped.',
      });
    }
    return 0;
  } finally {
    if (started) bar!.stop();
  }
}

export function registerScan(program: Command): void {
  program
    .command('scan')
    .description('Count rule matches in log files (plain, gzip, JSON lines): facts, first/last seen, examples, unrecognised errors.')
    .argument('<inputs...>', 'files, directories, globs, or - for stdin')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--rules <dir>', 'extra rules folder (repeatable)', repeatable, [] as string[])
    .option('--since <time>', `count only lines at or after this time: ${TIME_SYNTAX}`, time)
    .option('--until <time>', 'count only lines at or before this time (same syntax as --since)', time)
    .option('--workers <n>', 'worker threads (default: CPU cores)', wholeNumber(1))
    .option('--top <n>', 'fact values and templates shown in text output (default 5)', wholeNumber(1))
    .action(async (inputs: string[], opts: ScanCliOptions) => {
      await runCommand(processIo, () => scanCommand(inputs, opts));
    });
}
