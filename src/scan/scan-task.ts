import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { TaskScanner, type CompiledPlan, type TaskOptions, type TaskResult } from './task-scanner.ts';

/** Read size: large enough that per-chunk overhead vanishes, small enough for constant memory. */
export const CHUNK_BYTES = 4 << 20;
const BINARY_SAMPLE = 8_192;

// One read buffer per thread, reused by every task: allocating 8 MiB per task lets freed
// buffers pile up until a GC and inflates peak RSS.
let shared: Buffer | undefined;
function chunkBuffer(): Buffer {
  shared ??= Buffer.allocUnsafe(CHUNK_BYTES);
  return shared;
}

/** One unit of scan work: a byte range of a plain file, or a whole sequential stream. */
export type ScanTask =
  | { id: number; kind: 'range'; path: string; start: number; end: number }
  | { id: number; kind: 'gzip'; path: string };

export interface TaskOutcome {
  result: TaskResult;
  /** Set when the input could not be read completely (partial results are kept). */
  error?: string;
  binary?: boolean;
}

/** True when a sample looks binary: many NUL bytes (the grep/git heuristic, made tolerant). */
export function looksBinary(sample: Uint8Array): boolean {
  let nul = 0;
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) nul++;
  return nul >= 32 || (sample.length > 0 && nul / sample.length > 0.01);
}

function lineBoundary(fd: number, at: number, size: number): number {
  // First line start at or after `at`: 0, EOF, or just after a newline at ≥ at-1.
  if (at <= 0) return 0;
  if (at >= size) return size;
  const probe = Buffer.allocUnsafe(64 * 1024);
  let pos = at - 1;
  while (pos < size) {
    const n = readSync(fd, probe, 0, probe.length, pos);
    if (n <= 0) return size;
    const nl = probe.subarray(0, n).indexOf(10);
    if (nl >= 0) return pos + nl + 1;
    pos += n;
  }
  return size;
}

/** Scans the lines that start in [start, end) of a plain file, reading bounded chunks. */
export function runRangeTask(
  cp: CompiledPlan,
  path: string,
  start: number,
  end: number,
  size: number,
  opts: TaskOptions,
  onProgress?: (bytes: number) => void,
): TaskOutcome {
  const scanner = new TaskScanner(cp, opts);
  const fd = openSync(path, 'r');
  try {
    const s = lineBoundary(fd, start, size);
    const e = lineBoundary(fd, end, size);
    const buf = chunkBuffer();
    let pos = s;
    let carry = 0;
    let lineStart = s;
    while (pos < e || carry > 0) {
      const want = Math.min(buf.length - carry, e - pos);
      const n = want > 0 ? readSync(fd, buf, carry, want, pos) : 0;
      pos += n;
      const total = carry + n;
      const base = pos - total;
      const atEnd = pos >= e || n === 0;
      let cut = atEnd ? total : buf.lastIndexOf(10, total - 1) + 1;
      if (cut === 0) cut = total; // a line longer than the buffer: scan it as a piece
      scanner.feed(buf, 0, cut, base, lineStart);
      onProgress?.(cut);
      lineStart = buf[cut - 1] === 10 || atEnd ? base + cut : lineStart;
      buf.copy(buf, 0, cut, total);
      carry = total - cut;
      if (atEnd && carry === 0) break;
    }
  } finally {
    closeSync(fd);
  }
  return { result: scanner.result() };
}

/**
 * Scans a sequential stream (gzip-decoded file, stdin). Lines are counted as they pass.
 * A stream error (truncated gzip) ends the scan with partial results and an error.
 */
export async function runStreamTask(
  cp: CompiledPlan,
  source: AsyncIterable<Buffer | string>,
  opts: TaskOptions,
  onProgress?: (bytes: number) => void,
): Promise<TaskOutcome> {
  const scanner = new TaskScanner(cp, { ...opts, countLines: true });
  const buf = chunkBuffer();
  let fill = 0;
  let base = 0;
  let lineStart = 0;
  let checked = false;
  const flush = (final: boolean) => {
    let cut = final ? fill : buf.lastIndexOf(10, fill - 1) + 1;
    if (cut === 0) cut = fill;
    if (cut === 0) return;
    scanner.feed(buf, 0, cut, base, lineStart);
    onProgress?.(cut);
    lineStart = buf[cut - 1] === 10 ? base + cut : lineStart;
    buf.copy(buf, 0, cut, fill);
    fill -= cut;
    base += cut;
  };
  try {
    for await (const piece of source) {
      let data = typeof piece === 'string' ? Buffer.from(piece) : piece;
      if (!checked && fill + data.length >= BINARY_SAMPLE) {
        checked = true;
        const head = Buffer.concat([buf.subarray(0, fill), data]).subarray(0, BINARY_SAMPLE);
        if (looksBinary(head)) return { result: scanner.result(), binary: true };
      }
      while (data.length > 0) {
        const n = Math.min(data.length, buf.length - fill);
        data.copy(buf, fill, 0, n);
        fill += n;
        data = data.subarray(n);
        if (fill === buf.length) flush(false);
      }
    }
    if (!checked && looksBinary(buf.subarray(0, fill))) return { result: scanner.result(), binary: true };
    flush(true);
    return { result: scanner.result() };
  } catch (e) {
    flush(true);
    return { result: scanner.result(), error: (e as Error).message };
  }
}

/** Scans a gzip file as a stream; a truncated or corrupt file yields partial results and an error. */
export async function runGzipTask(
  cp: CompiledPlan,
  path: string,
  opts: TaskOptions,
  onProgress?: (bytes: number) => void,
): Promise<TaskOutcome> {
  const file = createReadStream(path);
  const gunzip = createGunzip();
  file.on('error', (e) => gunzip.destroy(e));
  const stream = file.pipe(gunzip);
  try {
    const out = await runStreamTask(cp, stream, opts, onProgress);
    if (out.error) out.error = `gzip: ${out.error}`;
    return out;
  } finally {
    file.destroy();
    gunzip.destroy();
  }
}
