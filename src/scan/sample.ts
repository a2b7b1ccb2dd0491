// Literal choice from the data itself: trigram counts over a sample of the input (its first
// few MiB). A literal's expected frequency is at most that of its rarest trigram; the
// scanner prefers rare, long literals and, within each literal, its rarest window.

// 2^20 saturating 16-bit counters (2 MiB): enough to rank literals, small for peak RSS.
const BITS = 20;
const MASK = (1 << BITS) - 1;
/** Sample hits a 4-byte literal is worth (see setCost). */
const SHORT_LITERAL_COST = 300;
const fold = (b: number) => (b >= 65 && b <= 90 ? b + 32 : b);

export class GramSample {
  private readonly counts = new Uint16Array(1 << BITS);
  readonly bytes: number;

  constructor(sample: Uint8Array) {
    this.bytes = sample.length;
    let a = 0;
    let b = 0;
    for (let i = 0; i < sample.length; i++) {
      const c = fold(sample[i]!);
      if (i >= 2) {
        const k = ((a << 13) ^ (b << 7) ^ c) & MASK;
        if (this.counts[k]! < 65535) this.counts[k]!++;
      }
      a = b;
      b = c;
    }
  }

  tri(s: string, i: number): number {
    return this.counts[((s.charCodeAt(i) << 13) ^ (s.charCodeAt(i + 1) << 7) ^ s.charCodeAt(i + 2)) & MASK]!;
  }

  /** Upper bound of the literal's occurrences in the sample. */
  freq(s: string): number {
    let min = Infinity;
    for (let i = 0; i + 3 <= s.length; i++) min = Math.min(min, this.tri(s, i));
    return min === Infinity ? this.bytes : min;
  }

  /**
   * Cost of scanning for a set: expected hits, with short literals weighed up. A 4-byte
   * literal caps the scanner's skip distance for every literal (5-byte error words are
   * always scanned for, so 5 bytes cost no more than 6): one costs about as much scan time
   * over the sample as a few hundred candidate lines, so it wins only over a far more
   * frequent alternative.
   */
  setCost(set: string[]): number {
    let cost = 0;
    for (const s of set) cost += (this.freq(s) + 1) * (s.length < 6 ? 8 : 1) + 0.5 + (s.length < 5 ? SHORT_LITERAL_COST : 0);
    return cost;
  }

  /**
   * Offset of the m-byte window of `s` that is cheapest to scan for: the scanner stops at
   * every occurrence of a window's last bytes, so those weigh most; the other trigrams
   * only shorten skips.
   */
  windowOffset(s: string, m: number): number {
    let bestOff = 0;
    let bestCost = Infinity;
    for (let o = 0; o + m <= s.length; o++) {
      let c = 64 * Math.min(this.tri(s, o + m - 3), this.tri(s, o + m - 4));
      for (let i = o; i + 3 <= o + m; i++) c += this.tri(s, i);
      if (c < bestCost) {
        bestCost = c;
        bestOff = o;
      }
    }
    return bestOff;
  }
}
