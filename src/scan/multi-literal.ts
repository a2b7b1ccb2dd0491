// A case-insensitive multi-literal byte scanner (Wu–Manber with 3-byte hashed blocks). It
// finds the lines that contain any of the rules' required literals without decoding the
// input, skipping several bytes per step on typical logs; that is what lets a JavaScript
// scan keep up with ripgrep. Literals are lower-case ASCII (see literals.ts). The tables are
// indexed by raw bytes with every case variant entered, so the hot loop does no folding.

const FOLD = new Uint8Array(256);
for (let i = 0; i < 256; i++) FOLD[i] = i >= 65 && i <= 90 ? i + 32 : i;

const TABLE_BITS = 18;
const TABLE_MASK = (1 << TABLE_BITS) - 1;
const hash3 = (a: number, b: number, c: number): number => ((a << 10) ^ (b << 5) ^ c) & TABLE_MASK;

export interface MultiLiteral {
  /** Window length: the shortest literal, capped at 8. */
  m: number;
  shift: Uint8Array;
  /** Head of the candidate chain of the window's last 3 bytes (entry index; 0 = none). */
  head: Int32Array;
  /** Entry e: next[2e] = next entry, next[2e+1] = literal index. */
  next: Int32Array;
  lits: Uint8Array[];
  /**
   * (last 3 bytes, first 2 bytes) of every literal's window, hashed: a cheap check that
   * rejects almost every false window before a chain is walked.
   */
  prefix: Uint8Array;
}

const PAIR_MASK = (1 << 20) - 1;
const pairKey = (h: number, a: number, b: number): number => (Math.imul(h, 31) + ((a << 8) | b)) & PAIR_MASK;

function variants(b: number): number[] {
  return b >= 97 && b <= 122 ? [b, b - 32] : [b];
}

/** Builds the scanner; every literal must be lower-case ASCII of at least 3 bytes. */
export function buildMultiLiteral(literals: string[]): MultiLiteral {
  const lits = literals.map((l) => Uint8Array.from(Buffer.from(l, 'latin1')));
  let m = 8;
  for (const l of lits) m = Math.min(m, l.length);
  if (m < 3) throw new Error('literal shorter than 3 bytes');
  const shift = new Uint8Array(1 << TABLE_BITS).fill(m - 2);
  const prefix = new Uint8Array(PAIR_MASK + 1);
  const head = new Int32Array(1 << TABLE_BITS);
  const nextList: number[] = [0];
  const litOf: number[] = [0];
  lits.forEach((l, idx) => {
    for (let j = 0; j <= m - 3; j++) {
      const s = m - 3 - j;
      for (const a of variants(l[j]!)) for (const b of variants(l[j + 1]!)) for (const c of variants(l[j + 2]!)) {
        const h = hash3(a, b, c);
        if (s < shift[h]!) shift[h] = s;
      }
    }
    const seen = new Set<number>();
    for (const a of variants(l[m - 3]!)) for (const b of variants(l[m - 2]!)) for (const c of variants(l[m - 1]!)) {
      const h = hash3(a, b, c);
      if (seen.has(h)) continue;
      seen.add(h);
      for (const p of variants(l[0]!)) for (const q of variants(l[1]!)) prefix[pairKey(h, p, q)] = 1;
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
  return { m, shift, head, next, lits, prefix };
}

/**
 * Finds lines in buf[from, to) holding at least one literal. Writes the start offset of the
 * first literal hit of each such line into `out` (one entry per line; the caller finds the
 * line bounds) and returns how many it wrote; stops early when `out` is full, returning
 * out.length, after which the caller resumes from the line following the last hit.
 */
export function findCandidateLines(ml: MultiLiteral, buf: Uint8Array, from: number, to: number, out: Int32Array): number {
  const { m, shift, head, next, lits, prefix } = ml;
  let n = 0;
  let pos = from + m - 1;
  while (pos < to) {
    const h = ((buf[pos - 2]! << 10) ^ (buf[pos - 1]! << 5) ^ buf[pos]!) & TABLE_MASK;
    const s = shift[h]!;
    if (s !== 0) {
      pos += s;
      continue;
    }
    const start = pos - m + 1;
    if (prefix[pairKey(h, buf[start]!, buf[start + 1]!)] === 0) {
      pos++;
      continue;
    }
    let hit = false;
    for (let e = head[h]!; e !== 0; e = next[e * 2]!) {
      const lit = lits[next[e * 2 + 1]!]!;
      const ll = lit.length;
      if (start + ll > to) continue;
      let j = 0;
      while (j < ll && FOLD[buf[start + j]!] === lit[j]) j++;
      if (j === ll) {
        hit = true;
        break;
      }
    }
    if (!hit) {
      pos++;
      continue;
    }
    out[n++] = start;
    if (n === out.length) return n;
    // Skip to the next line: the caller examines the whole line anyway.
    let nl = start;
    while (nl < to && buf[nl] !== 10) nl++;
    pos = nl + m;
  }
  return n;
}

/** Every literal index occurring in buf[from, to), with the position of its first occurrence. */
export function literalsInRange(ml: MultiLiteral, buf: Uint8Array, from: number, to: number, seen: Map<number, number>): void {
  const { m, head, next, lits } = ml;
  for (let pos = from + m - 1; pos < to; pos++) {
    const h = ((buf[pos - 2]! << 10) ^ (buf[pos - 1]! << 5) ^ buf[pos]!) & TABLE_MASK;
    for (let e = head[h]!; e !== 0; e = next[e * 2]!) {
      const li = next[e * 2 + 1]!;
      const lit = lits[li]!;
      const start = pos - m + 1;
      const ll = lit.length;
      if (start + ll > to || seen.has(li)) continue;
      let j = 0;
      while (j < ll && FOLD[buf[start + j]!] === lit[j]) j++;
      if (j === ll) seen.set(li, start);
    }
  }
}
