import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { displayPath } from '../evidence/display-path.ts';
import { Worker } from 'node:worker_threads';
import { glob } from 'tinyglobby';
import type { Redacted } from '../domain/redacted.ts';
import { ProgressorError } from '../errors/errors.ts';
import { redactEvidence } from '../redact/redact.ts';
import type { CompiledRule } from '../rules/compile-rule.ts';
import { Drain, templateText } from './drain.ts';
import { GramSample } from './sample.ts';
import { buildScanPlan, logRules, type ScanPlan } from './scan-plan.ts';
import { looksBinary, runGzipTask, runRangeTask, runStreamTask, type ScanTask, type TaskOutcome } from './scan-task.ts';
import { CompiledPlan, EXAMPLES_PER_RULE, type RawExample, type TaskOptions, type TaskResult } from './task-scanner.ts';

/** Plain files larger than this are split into ranges scanned in parallel. */
const RANGE_BYTES = 32 << 20;
/** Below this much input, worker start-up costs more than it saves. */
const WORKER_THRESHOLD = 32 << 20;
const MAX_TEMPLATES = 20;

export interface ScanInputsOptions {
  /** Files, directories, globs, or `-` for stdin. */
  inputs: string[];
  rules: readonly CompiledRule[];
  cwd?: string;
  /** Names files relative to this folder (the repository root or snapshot folder) instead of the cwd; see displayPath. */
  displayBase?: string;
  /** Epoch ms bounds; matched lines with a timestamp outside are not counted. */
  since?: number;
  until?: number;
  /** Worker threads; default: available cores (1 = scan in-process). */
  workers?: number;
  stdin?: AsyncIterable<Buffer | string>;
  onProgress?: (done: number, total: number) => void;
  /** Year assumed for syslog timestamps, which carry none. */
  year?: number;
  /** Input size from which worker threads are used (default 32 MiB). */
  minWorkerBytes?: number;
  /** Size of the byte ranges large files are split into (default 32 MiB). */
  rangeBytes?: number;
}

export interface ScanFile {
  path: string;
  bytes: number;
  status: 'ok' | 'binary' | 'partial' | 'error';
  message?: string;
  /** The input matched no file (`path` is the input as given). */
  unmatched?: true;
}

export interface ScanExample {
  path: string;
  line: number;
  text: Redacted;
}

export interface RuleScan {
  rule: CompiledRule;
  count: number;
  firstSeen?: string;
  lastSeen?: string;
  /** Every distinct value of each named group, with its count (capped per group). */
  facts: Record<string, Record<string, number>>;
  examples: ScanExample[];
}

export interface TemplateScan {
  template: Redacted;
  count: number;
  example: ScanExample;
}

export interface ScanResult {
  files: ScanFile[];
  /** Rules with at least one match, most frequent first. */
  rules: RuleScan[];
  unrecognised: TemplateScan[];
  unrecognisedLines: number;
  outsideWindow: number;
  bytes: number;
  warnings: string[];
}

interface Input {
  path: string;
  shown: string;
  size: number;
  gzip: boolean;
  stdin?: boolean;
}


async function expandInputs(o: ScanInputsOptions, cwd: string, files: ScanFile[], warnings: string[]): Promise<Input[]> {
  const out: Input[] = [];
  const seen = new Set<string>();
  for (const input of o.inputs) {
    if (input === '-') {
      out.push({ path: '-', shown: '-', size: 0, gzip: false, stdin: true });
      continue;
    }
    const abs = resolve(cwd, input);
    let paths: string[];
    let st: ReturnType<typeof statSync> | undefined;
    try {
      st = statSync(abs);
    } catch {
      st = undefined;
    }
    if (st?.isFile()) paths = [abs];
    else if (st?.isDirectory()) paths = await glob(['**/*'], { cwd: abs, absolute: true, onlyFiles: true, dot: false });
    else paths = await glob([input], { cwd, absolute: true, onlyFiles: true });
    if (paths.length === 0) {
      warnings.push(`no files match: ${input}`);
      files.push({ path: input, bytes: 0, status: 'error', message: 'no files match', unmatched: true });
      continue;
    }
    for (const p of paths.sort()) {
      if (seen.has(p)) continue;
      seen.add(p);
      const shown = displayPath(p, { base: o.displayBase, cwd, input });
      try {
        const size = statSync(p).size;
        const fd = openSync(p, 'r');
        const head = Buffer.alloc(Math.min(size, 8_192));
        try {
          readSync(fd, head, 0, head.length, 0);
        } finally {
          closeSync(fd);
        }
        const gzip = head[0] === 0x1f && head[1] === 0x8b;
        if (!gzip && looksBinary(head)) {
          warnings.push(`binary file skipped: ${shown}`);
          files.push({ path: shown, bytes: size, status: 'binary', message: 'binary file skipped' });
          continue;
        }
        out.push({ path: p, shown, size, gzip });
      } catch (e) {
        warnings.push(`cannot read ${shown}: ${(e as Error).message}`);
        files.push({ path: shown, bytes: 0, status: 'error', message: (e as Error).message });
      }
    }
  }
  return out;
}

const SAMPLE_BYTES = 2 << 20;
/** Below this much input, tuning the literals costs more than it can save. */
const TUNE_BYTES = 16 << 20;

/** The first few MiB of the plain inputs: what literal choice is tuned on. */
function sampleInputs(inputs: Input[]): GramSample | undefined {
  if (inputs.reduce((s, i) => s + i.size, 0) < TUNE_BYTES) return undefined;
  const parts: Buffer[] = [];
  let left = SAMPLE_BYTES;
  for (const inp of inputs) {
    if (inp.stdin || inp.gzip || left <= 0) continue;
    const fd = openSync(inp.path, 'r');
    try {
      const b = Buffer.allocUnsafe(Math.min(left, inp.size));
      const n = readSync(fd, b, 0, b.length, 0);
      parts.push(b.subarray(0, n));
      left -= n;
    } finally {
      closeSync(fd);
    }
  }
  return parts.length > 0 ? new GramSample(Buffer.concat(parts)) : undefined;
}

interface PlannedTask {
  task: ScanTask;
  input: number;
  size: number;
}

function planTasks(inputs: Input[], rangeBytes: number): PlannedTask[] {
  const tasks: PlannedTask[] = [];
  inputs.forEach((inp, i) => {
    if (inp.stdin) return;
    if (inp.gzip) {
      tasks.push({ task: { id: tasks.length, kind: 'gzip', path: inp.path }, input: i, size: inp.size });
      return;
    }
    const parts = Math.max(1, Math.ceil(inp.size / rangeBytes));
    const step = Math.ceil(inp.size / parts);
    for (let p = 0; p < parts; p++) {
      const start = p * step;
      const end = Math.min(inp.size, start + step);
      tasks.push({ task: { id: tasks.length, kind: 'range', path: inp.path, start, end }, input: i, size: inp.size });
    }
  });
  return tasks;
}

function workerUrl(): URL {
  return new URL(import.meta.url.endsWith('.ts') ? './scan-worker.ts' : './scan-worker.js', import.meta.url);
}

/**
 * Runs tasks on `n` threads: n-1 workers plus the main thread itself (one isolate fewer
 * keeps peak memory down). Each worker holds two tasks so it never idles while the main
 * thread is busy with a task of its own.
 */
function spawnWorkers(count: number): Worker[] {
  return Array.from(
    { length: count },
    () => new Worker(workerUrl(), { resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 96 } }),
  );
}

async function runPool(
  tasks: PlannedTask[],
  plan: ScanPlan,
  cp: CompiledPlan,
  opts: TaskOptions,
  workers: Worker[],
  progress: (bytes: number) => void,
): Promise<Map<number, TaskOutcome | { failure: string }>> {
  const results = new Map<number, TaskOutcome | { failure: string }>();
  let next = 0;
  let outstanding = 0;
  let failed: Error | undefined;
  for (const w of workers) w.postMessage({ plan, ml: cp.ml, opts });
  let wake: (() => void) | undefined;
  const send = (w: Worker) => {
    if (next >= tasks.length) return;
    const t = tasks[next++]!;
    outstanding++;
    w.postMessage({ task: t.task, size: t.size });
  };
  for (const w of workers) {
    w.on('message', (msg: { progress?: number; id?: number; outcome?: TaskOutcome; failure?: string }) => {
      if (msg.progress !== undefined) {
        progress(msg.progress);
        return;
      }
      outstanding--;
      results.set(msg.id!, msg.outcome ?? { failure: msg.failure ?? 'unknown failure' });
      send(w);
      wake?.();
    });
    w.on('error', (e) => {
      failed = e;
      wake?.();
    });
    send(w);
    send(w);
  }
  const yieldToWorkers = () => new Promise<void>((r) => setImmediate(r));
  try {
    while (!failed) {
      if (next < tasks.length) {
        const t = tasks[next++]!;
        try {
          results.set(t.task.id, t.task.kind === 'range'
            ? runRangeTask(cp, t.task.path, t.task.start, t.task.end, t.size, opts, progress)
            : await runGzipTask(cp, t.task.path, opts, progress));
        } catch (e) {
          results.set(t.task.id, { failure: (e as Error).message });
        }
        await yieldToWorkers();
        continue;
      }
      if (outstanding === 0) break;
      await new Promise<void>((r) => {
        wake = r;
      });
      wake = undefined;
    }
    if (failed) throw failed;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}

/**
 * Scans log inputs (plain or gzip, plain or JSON lines) with the rules' text matchers.
 * Memory stays bounded whatever the input size; large plain files are split into ranges
 * scanned by worker threads. Per-rule counts are lines, as `rg -c` counts them.
 * @throws ProgressorError INPUT_INVALID when no input is given.
 */
export async function scanInputs(o: ScanInputsOptions): Promise<ScanResult> {
  if (o.inputs.length === 0) {
    throw new ProgressorError('INPUT_INVALID', 'no log input given', { hint: 'Pass files, globs or - (stdin).' });
  }
  const cwd = o.cwd ?? process.cwd();
  const files: ScanFile[] = [];
  const warnings: string[] = [];
  const inputs = await expandInputs(o, cwd, files, warnings);
  const total = inputs.reduce((s, i) => s + i.size, 0);
  const threads = Math.max(1, o.workers ?? availableParallelism());
  // Workers start now, so their start-up overlaps the planning below.
  const pool = threads > 1 && total >= (o.minWorkerBytes ?? WORKER_THRESHOLD) ? spawnWorkers(threads - 1) : [];
  try {
    const rules = logRules(o.rules);
    const plan = buildScanPlan(rules, sampleInputs(inputs));
    const opts: TaskOptions = { since: o.since, until: o.until, year: o.year, countLines: false };
    const tasks = planTasks(inputs, Math.max(1 << 16, o.rangeBytes ?? RANGE_BYTES));
    let done = 0;
    const progress = (b: number) => {
      done += b;
      o.onProgress?.(Math.min(done, total), total);
    };
    let outcomes: Map<number, TaskOutcome | { failure: string }>;
    const cp = new CompiledPlan(plan);
    if (pool.length > 0) {
      outcomes = await runPool(tasks, plan, cp, opts, pool, progress);
    } else {
      outcomes = new Map();
      for (const t of tasks) {
        try {
          outcomes.set(
            t.task.id,
            t.task.kind === 'range'
              ? runRangeTask(cp, t.task.path, t.task.start, t.task.end, t.size, opts, progress)
              : await runGzipTask(cp, t.task.path, opts, progress),
          );
        } catch (e) {
          outcomes.set(t.task.id, { failure: (e as Error).message });
        }
      }
    }
    // stdin is read last, in-process (it cannot be handed to a worker).
    let stdinOutcome: TaskOutcome | undefined;
    const stdinIndex = inputs.findIndex((i) => i.stdin);
    if (stdinIndex >= 0) {
      stdinOutcome = await runStreamTask(cp, o.stdin ?? (process.stdin as AsyncIterable<Buffer>), opts, progress);
    }
    return merge(inputs, tasks, outcomes, stdinIndex, stdinOutcome, rules, files, warnings);
  } catch (e) {
    await Promise.all(pool.map((w) => w.terminate()));
    throw e;
  }
}

interface Located {
  input: number;
  ex: RawExample;
}

function merge(
  inputs: Input[],
  tasks: PlannedTask[],
  outcomes: Map<number, TaskOutcome | { failure: string }>,
  stdinIndex: number,
  stdinOutcome: TaskOutcome | undefined,
  rules: CompiledRule[],
  files: ScanFile[],
  warnings: string[],
): ScanResult {
  // Results in input order: each input's tasks in range order, stdin at its position.
  const ordered: { input: number; outcome: TaskOutcome | { failure: string } }[] = [];
  inputs.forEach((inp, i) => {
    if (inp.stdin && stdinOutcome) ordered.push({ input: i, outcome: stdinOutcome });
    for (const t of tasks) if (t.input === i) ordered.push({ input: i, outcome: outcomes.get(t.task.id) ?? { failure: 'not scanned' } });
  });
  const fileStatus = new Map<number, ScanFile>();
  inputs.forEach((inp, i) => {
    const f: ScanFile = { path: inp.shown, bytes: inp.size, status: 'ok' };
    fileStatus.set(i, f);
  });
  const tallies = rules.map(() => ({ count: 0, first: undefined as number | undefined, last: undefined as number | undefined, facts: {} as Record<string, Record<string, number>>, examples: [] as Located[] }));
  const drain = new Drain<Located>();
  let unrecognisedLines = 0;
  let outsideWindow = 0;
  let bytes = 0;
  let longLines = 0;
  for (const { input, outcome } of ordered) {
    const f = fileStatus.get(input)!;
    if ('failure' in outcome) {
      f.status = 'error';
      f.message = outcome.failure;
      warnings.push(`cannot scan ${f.path}: ${outcome.failure}`);
      continue;
    }
    if (outcome.binary) {
      f.status = 'binary';
      f.message = 'binary file skipped';
      warnings.push(`binary file skipped: ${f.path}`);
      continue;
    }
    if (outcome.error) {
      f.status = 'partial';
      f.message = outcome.error;
      warnings.push(`${f.path}: ${outcome.error} (results up to that point are included)`);
    }
    const r: TaskResult = outcome.result;
    if (inputs[input]!.stdin) f.bytes = r.bytes;
    bytes += r.bytes;
    unrecognisedLines += r.unrecognised;
    outsideWindow += r.outsideWindow;
    longLines += r.longLines;
    r.rules.forEach((t, ri) => {
      if (!t) return;
      const acc = tallies[ri]!;
      acc.count += t.count;
      if (t.first !== undefined && (acc.first === undefined || t.first < acc.first)) acc.first = t.first;
      if (t.last !== undefined && (acc.last === undefined || t.last > acc.last)) acc.last = t.last;
      for (const [k, values] of Object.entries(t.facts)) {
        const into = (acc.facts[k] ??= {});
        for (const [v, c] of Object.entries(values)) into[v] = (into[v] ?? 0) + c;
      }
      for (const ex of t.examples) if (acc.examples.length < EXAMPLES_PER_RULE) acc.examples.push({ input, ex });
    });
    for (const tpl of r.templates) {
      drain.addTokens(tpl.tokens, tpl.count, { input, ex: tpl.example }, input * 2 ** 42 + tpl.example.offset);
    }
  }
  if (longLines > 0) warnings.push(`${longLines} line(s) longer than 16 KiB were matched in 16 KiB windows around their literals`);
  for (const [i, f] of fileStatus) if (!inputs[i]!.stdin || stdinOutcome) files.push(f);
  const templates = drain.clusters().slice(0, MAX_TEMPLATES);
  // Examples from range tasks carry byte offsets: resolve them to line numbers.
  const needed: Located[] = [...tallies.flatMap((t) => t.examples), ...templates.map((t) => t.example)];
  resolveLines(inputs, needed);
  const toExample = (l: Located): ScanExample => ({
    path: inputs[l.input]!.shown,
    line: l.ex.line ?? 0,
    // Redacted where it was read (task-scanner), before the length cap.
    text: l.ex.text as Redacted,
  });
  const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());
  const ruleScans: RuleScan[] = [];
  tallies.forEach((t, ri) => {
    if (t.count === 0) return;
    ruleScans.push({
      rule: rules[ri]!,
      count: t.count,
      firstSeen: iso(t.first),
      lastSeen: iso(t.last),
      facts: redactFacts(t.facts),
      examples: t.examples.map(toExample),
    });
  });
  ruleScans.sort((a, b) => b.count - a.count || a.rule.id.localeCompare(b.rule.id));
  return {
    files: files.sort((a, b) => a.path.localeCompare(b.path)),
    rules: ruleScans,
    unrecognised: templates.map((c) => ({ template: templateText(c.tokens) as Redacted, count: c.count, example: toExample(c.example) })),
    unrecognisedLines,
    outsideWindow,
    bytes,
    warnings,
  };
}

/** Fact values come from rule groups over raw lines: redacted here, before anyone renders them. */
function redactFacts(facts: Record<string, Record<string, number>>): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [k, values] of Object.entries(facts)) {
    const into: Record<string, number> = {};
    for (const [v, c] of Object.entries(values)) {
      const r = redactEvidence(v);
      into[r] = (into[r] ?? 0) + c;
    }
    out[k] = into;
  }
  return out;
}

/** Turns byte offsets into 1-based line numbers by counting newlines up to the furthest one. */
function resolveLines(inputs: Input[], examples: Located[]): void {
  const byInput = new Map<number, RawExample[]>();
  for (const l of examples) {
    if (l.ex.line !== undefined) continue;
    const list = byInput.get(l.input) ?? [];
    list.push(l.ex);
    byInput.set(l.input, list);
  }
  for (const [i, list] of byInput) {
    list.sort((a, b) => a.offset - b.offset);
    const fd = openSync(inputs[i]!.path, 'r');
    try {
      const buf = Buffer.allocUnsafe(1 << 20);
      let pos = 0;
      let lines = 0;
      let k = 0;
      while (k < list.length) {
        const n = readSync(fd, buf, 0, buf.length, pos);
        if (n <= 0) break;
        let cursor = 0;
        while (k < list.length && list[k]!.offset < pos + n) {
          const target = list[k]!.offset - pos;
          for (let nl = buf.indexOf(10, cursor); nl >= 0 && nl < target; nl = buf.indexOf(10, nl + 1)) {
            lines++;
            cursor = nl + 1;
          }
          if (cursor < target) cursor = target;
          list[k]!.line = lines + 1;
          k++;
        }
        for (let nl = buf.indexOf(10, cursor); nl >= 0 && nl < n; nl = buf.indexOf(10, nl + 1)) lines++;
        pos += n;
      }
    } finally {
      closeSync(fd);
    }
  }
}
