// A case-insensitive multi-literal byte scanner (Wu–Manber with 3-byte hashed blocks). It
// finds the lines that contain any of the rules' required literals without decoding the
// input, skipping several bytes per step; that is what lets a JavaScript scan keep up with
// ripgrep. Literals are lower-case ASCII (see literals.ts). Tables are indexed by raw bytes
// with every case variant entered, so the hot loop does no folding.
//
// Every literal gets an m-byte window (m = 8): literals longer than m use their rarest
// window (chosen from a sample of the input, see sample.ts); shorter ones are padded in
// front with "any byte", so one short literal no longer shrinks the skip distance of all.

const FOLD = new Uint8Array(256);
for (let i = 0; i < 256; i++) FOLD[i] = i >= 65 && i <= 90 ? i + 32 : i;

export const WINDOW = 8;
const TABLE_BITS = 18;
const TABLE_MASK = (1 << TABLE_BITS) - 1;
const hash3 = (a: number, b: number, c: number): number => ((a << 10) ^ (b << 5) ^ c) & TABLE_MASK;
const CHECK_MASK = (1 << 20) - 1;
const checkKey = (h: number, d: number): number => (Math.imul(h, 257) + d) & CHECK_MASK;

export interface MultiLiteral {
  m: number;
  /** Bytes into a range where the first window can end: where scanning starts (and, after a hit line, restarts). */
  minLen: number;
  shift: Uint8Array;
  /** Head of the candidate chain of the window's last 3 bytes (entry index; 0 = none). */
  head: Int32Array;
  /** Entry e: next[2e] = next entry, next[2e+1] = literal index. */
  next: Int32Array;
  lits: Uint8Array[];
  /** Window start relative to the literal start (negative: padded in front). */
  offs: Int32Array;
  /** (last 3 bytes, the byte before them) of every window: rejects false windows cheaply. */
  check: Uint8Array;
}

const ALL = Array.from({ length: 256 }, (_, i) => i);
function variants(b: number): number[] {
  if (b < 0) return ALL;
  return b >= 97 && b <= 122 ? [b, b - 32] : [b];
}

let anyTwoParts: Int32Array | undefined;
/** The distinct values of hash3(a, b, 0) over all bytes a, b. */
function anyTwo(): Int32Array {
  if (!anyTwoParts) {
    const seen = new Uint8Array(1 << TABLE_BITS);
    const out: number[] = [];
    for (let a = 0; a < 256; a++) for (let b = 0; b < 256; b++) {
      const h = hash3(a, b, 0);
      if (seen[h] === 0) {
        seen[h] = 1;
        out.push(h);
      }
    }
    anyTwoParts = Int32Array.from(out);
  }
  return anyTwoParts;
}

/** The window offset for a literal shorter than the window: pad in front. */
export function defaultOffset(len: number): number {
  return len < WINDOW ? len - WINDOW : 0;
}

/**
 * Builds the scanner; every literal must be lower-case ASCII of at least 4 bytes.
 * @param windowOffsets for literals longer than the window, where their window starts.
 */
export function buildMultiLiteral(literals: string[], windowOffsets?: number[]): MultiLiteral {
  const m = WINDOW;
  const lits = literals.map((l) => Uint8Array.from(Buffer.from(l, 'latin1')));
  let minLen = Infinity;
  for (const l of lits) minLen = Math.min(minLen, l.length);
  if (minLen < 4) throw new Error('literal shorter than 4 bytes');
  const offs = Int32Array.from(
    lits.map((l, i) => (l.length < m ? l.length - m : Math.max(0, Math.min(l.length - m, windowOffsets?.[i] ?? 0)))),
  );
  // Scanning starts where the earliest window can end: a literal's window ends at its
  // offset + m (short literals: at their end), not at the shortest literal's length.
  minLen = Infinity;
  lits.forEach((l, i) => {
    minLen = Math.min(minLen, l.length < m ? l.length : offs[i]! + m);
  });
  const windows = lits.map((l, idx) =>
    Array.from({ length: m }, (_, j) => {
      const p = offs[idx]! + j;
      return p < 0 ? -1 : l[p]!;
    }),
  );
  // A trigram of three padding bytes matches anything: it caps every shift.
  let cap = m - 2;
  for (const w of windows) for (let j = 0; j <= m - 3; j++) if (w[j]! < 0 && w[j + 1]! < 0 && w[j + 2]! < 0) cap = Math.min(cap, m - 3 - j);
  const shift = new Uint8Array(1 << TABLE_BITS).fill(cap);
  const check = new Uint8Array(CHECK_MASK + 1);
  const head = new Int32Array(1 << TABLE_BITS);
  const nextList: number[] = [0];
  const litOf: number[] = [0];
  windows.forEach((w, idx) => {
    for (let j = 0; j <= m - 3; j++) {
      const s = m - 3 - j;
      if (s >= cap) continue;
      if (w[j]! < 0 && w[j + 1]! < 0) {
        // Two padding bytes: the 65,536 (a, b) pairs give only 8,192 distinct hash parts.
        const any = anyTwo();
        for (const c of variants(w[j + 2]!)) for (let k = 0; k < any.length; k++) {
          const h = (any[k]! ^ c) & TABLE_MASK;
          if (s < shift[h]!) shift[h] = s;
        }
        continue;
      }
      for (const a of variants(w[j]!)) for (const b of variants(w[j + 1]!)) for (const c of variants(w[j + 2]!)) {
        const h = hash3(a, b, c);
        if (s < shift[h]!) shift[h] = s;
      }
    }
    const seen = new Set<number>();
    for (const a of variants(w[m - 3]!)) for (const b of variants(w[m - 2]!)) for (const c of variants(w[m - 1]!)) {
      const h = hash3(a, b, c);
      for (const d of variants(w[m - 4]!)) check[checkKey(h, d)] = 1;
      if (seen.has(h)) continue;
      seen.add(h);
      litOf.push(idx);
      nextList.push(head[h]!);
      head[h] = litOf.length - 1;
    }
  });
  const next = new Int32Array(nextList.length * 2);
  for (let e = 1; e < nextList.length; e++) {
    next[e * 2] = nextList[e]!;
    next[e * 2 + 1] = litOf[e]!;
  }
  return { m, minLen, shift, head, next, lits, offs, check };
}

/** A growable list of byte offsets (candidate hits), reused across calls. */
export class Offsets {
  data = new Int32Array(1024);
  n = 0;
  push(v: number): void {
    if (this.n === this.data.length) {
      const d = new Int32Array(this.n * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.n++] = v;
  }
}

/** Regions shorter than this are scanned as one stream. */
const SPLIT_BYTES = 1 << 14;
const second = new Offsets();

/**
 * Finds lines in buf[from, to) holding at least one literal and appends the start offset
 * of the first literal hit of each such line to `out`, in order (the caller finds the line
 * bounds). The region is cut at a line start near its middle and both halves are scanned in
 * one loop: each step's table look-up depends on the one before, so one stream leaves the
 * CPU waiting on memory; two independent streams overlap those waits.
 */
export function findCandidateLines(ml: MultiLiteral, buf: Uint8Array, from: number, to: number, out: Offsets): void {
  let mid = -1;
  if (to - from >= SPLIT_BYTES) {
    const nl = buf.indexOf(10, from + ((to - from) >> 1));
    if (nl >= 0 && nl + 1 < to) mid = nl + 1;
  }
  if (mid < 0) {
    scanStream(ml, buf, from + ml.minLen - 1, from, to, out);
    return;
  }
  const { shift, minLen } = ml;
  const b = second;
  b.n = 0;
  let pa = from + minLen - 1;
  let pb = mid + minLen - 1;
  while (pa < mid && pb < to) {
    const sa = shift[((buf[pa - 2]! << 10) ^ (buf[pa - 1]! << 5) ^ buf[pa]!) & TABLE_MASK]!;
    const sb = shift[((buf[pb - 2]! << 10) ^ (buf[pb - 1]! << 5) ^ buf[pb]!) & TABLE_MASK]!;
    if (sa !== 0 && sb !== 0) {
      pa += sa;
      pb += sb;
      continue;
    }
    if (sa !== 0) pa += sa;
    else {
      const hit = literalAt(ml, buf, pa, from, mid);
      if (hit < 0) pa++;
      else {
        out.push(hit);
        pa = lineEnd(buf, pa, mid) + minLen;
      }
    }
    if (sb !== 0) pb += sb;
    else {
      const hit = literalAt(ml, buf, pb, mid, to);
      if (hit < 0) pb++;
      else {
        b.push(hit);
        pb = lineEnd(buf, pb, to) + minLen;
      }
    }
  }
  // One stream ended first: finish the other alone.
  if (pa < mid) scanStream(ml, buf, pa, from, mid, out);
  if (pb < to) scanStream(ml, buf, pb, mid, to, b);
  for (let k = 0; k < b.n; k++) out.push(b.data[k]!);
}

function lineEnd(buf: Uint8Array, pos: number, to: number): number {
  let nl = pos;
  while (nl < to && buf[nl] !== 10) nl++;
  return nl;
}

/** One stream of findCandidateLines: window ends at `pos`, literals lie within [from, to). */
function scanStream(ml: MultiLiteral, buf: Uint8Array, pos: number, from: number, to: number, out: Offsets): void {
  const { shift, minLen } = ml;
  while (pos < to) {
    const s = shift[((buf[pos - 2]! << 10) ^ (buf[pos - 1]! << 5) ^ buf[pos]!) & TABLE_MASK]!;
    if (s !== 0) {
      pos += s;
      continue;
    }
    const hit = literalAt(ml, buf, pos, from, to);
    if (hit < 0) {
      pos++;
      continue;
    }
    out.push(hit);
    // Skip to the next line: the caller examines the whole line anyway.
    pos = lineEnd(buf, pos, to) + minLen;
  }
}

/** Start of a literal whose window ends at `pos` and that lies within [from, to), or -1. */
function literalAt(ml: MultiLiteral, buf: Uint8Array, pos: number, from: number, to: number): number {
  const { m, head, next, lits, offs, check } = ml;
  const h = ((buf[pos - 2]! << 10) ^ (buf[pos - 1]! << 5) ^ buf[pos]!) & TABLE_MASK;
  if (check[(Math.imul(h, 257) + buf[pos - 3]!) & CHECK_MASK] === 0) return -1;
  const wstart = pos - m + 1;
  for (let e = head[h]!; e !== 0; e = next[e * 2]!) {
    const li = next[e * 2 + 1]!;
    const lit = lits[li]!;
    const ll = lit.length;
    const ls = wstart - offs[li]!;
    if (ls < from || ls + ll > to) continue;
    let j = 0;
    while (j < ll && FOLD[buf[ls + j]!] === lit[j]) j++;
    if (j === ll) return ls;
  }
  return -1;
}

/** The literals found in a range: each one's first position, and the list of those found. */
export class FoundLiterals {
  /** Position of each literal's first occurrence, -1 when absent. */
  readonly first: Int32Array;
  /** Indexes of the literals found, in order of discovery. */
  readonly list = new Offsets();
  constructor(literals: number) {
    this.first = new Int32Array(literals).fill(-1);
  }
  clear(): void {
    for (let k = 0; k < this.list.n; k++) this.first[this.list.data[k]!] = -1;
    this.list.n = 0;
  }
}

/** Every literal occurring in buf[from, to), with the position of its first occurrence (no allocation). */
export function literalsInRange(ml: MultiLiteral, buf: Uint8Array, from: number, to: number, found: FoundLiterals): void {
  const { m, minLen, shift, head, next, lits, offs, check } = ml;
  const first = found.first;
  let pos = from + minLen - 1;
  while (pos < to) {
    const h = ((buf[pos - 2]! << 10) ^ (buf[pos - 1]! << 5) ^ buf[pos]!) & TABLE_MASK;
    const s = shift[h]!;
    if (s !== 0) {
      pos += s;
      continue;
    }
    if (check[(Math.imul(h, 257) + buf[pos - 3]!) & CHECK_MASK] === 0) {
      pos++;
      continue;
    }
    for (let e = head[h]!; e !== 0; e = next[e * 2]!) {
      const li = next[e * 2 + 1]!;
      const lit = lits[li]!;
      const start = pos - m + 1 - offs[li]!;
      const ll = lit.length;
      if (start < from || start + ll > to || first[li] !== -1) continue;
      let j = 0;
      while (j < ll && FOLD[buf[start + j]!] === lit[j]) j++;
      if (j === ll) {
        first[li] = start;
        found.list.push(li);
      }
    }
    pos++;
  }
}
