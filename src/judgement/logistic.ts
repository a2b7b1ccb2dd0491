// Logistic regression, written here because the models are tiny, sparse and must train
// deterministically (byte-identical output for `npm run train`): the JS libraries we found
// work on dense matrices (a 1,700 × 20,000 design matrix) or train with unseeded randomness.
// Two forms: one-vs-rest binary heads over sparse indices (the act model), and a
// conditional logit whose classes carry their own feature maps (the decision layer), with an
// L2 penalty that pulls weights towards priors written down as data.

/** A sparse row: feature indices (sorted, unique) and their values. */
export interface SparseRow {
  idx: Int32Array;
  val: Float64Array;
}

export interface BinaryHeadsOptions {
  dim: number;
  l2?: number;
  rate?: number;
  /** Weight of positive examples relative to negatives, per head (rare acts). */
  positiveWeight?: number[];
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/**
 * Trains one binary head per label column: every head's gradient over all rows per iteration, AdaGrad steps and a
 * true L2 penalty (every weight, every step).
 */
export function trainBinaryHeads(
  rows: SparseRow[],
  labels: Uint8Array[],
  opts: BinaryHeadsOptions & { iterations?: number },
): { weights: Float64Array[]; bias: number[] } {
  const heads = labels[0]?.length ?? 0;
  const iterations = opts.iterations ?? 80;
  const l2 = opts.l2 ?? 1e-3;
  const rate = opts.rate ?? 0.5;
  const dim = opts.dim;
  const n = Math.max(1, rows.length);
  const weights = Array.from({ length: heads }, () => new Float64Array(dim));
  const bias = new Array<number>(heads).fill(0);
  for (let h = 0; h < heads; h++) {
    const w = weights[h]!;
    const g2 = new Float64Array(dim).fill(1e-8);
    let bg2 = 1e-8;
    const grad = new Float64Array(dim);
    const pw = opts.positiveWeight?.[h] ?? 1;
    for (let it = 0; it < iterations; it++) {
      grad.fill(0);
      let gb = 0;
      for (let i = 0; i < rows.length; i++) {
        const { idx, val } = rows[i]!;
        let z = bias[h]!;
        for (let k = 0; k < idx.length; k++) z += w[idx[k]!]! * val[k]!;
        const y = labels[i]![h]!;
        const g = (sigmoid(z) - y) * (y ? pw : 1);
        gb += g;
        for (let k = 0; k < idx.length; k++) grad[idx[k]!]! += g * val[k]!;
      }
      for (let f = 0; f < dim; f++) {
        const gf = grad[f]! / n + l2 * w[f]!;
        if (gf === 0) continue;
        g2[f]! += gf * gf;
        w[f]! -= (rate * gf) / Math.sqrt(g2[f]!);
      }
      const gbn = gb / n;
      bg2 += gbn * gbn;
      bias[h]! -= (rate * gbn) / Math.sqrt(bg2);
    }
  }
  return { weights, bias };
}

/** Probability of each head for one row. */
export function predictHeads(row: SparseRow, weights: ArrayLike<number>[], bias: number[], scale: number[] = []): number[] {
  return weights.map((w, h) => {
    let z = 0;
    for (let k = 0; k < row.idx.length; k++) z += w[row.idx[k]!]! * row.val[k]!;
    return sigmoid(bias[h]! + z * (scale[h] ?? 1));
  });
}

/** One training example of the conditional logit: per class, its feature values. */
export interface ChoiceExample {
  /** Feature values per class (only the classes allowed by the gates). */
  classes: Map<string, Map<string, number>>;
  /** The acceptable classes (the expected one and its accepted alternates). */
  accept: Set<string>;
}

export interface ChoiceOptions {
  priors?: Map<string, number>;
  l2?: number;
  iterations?: number;
  rate?: number;
}

/** Scores every class: the weighted sum of its features. */
export function scoreChoices(classes: Map<string, Map<string, number>>, w: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [c, feats] of classes) {
    let z = 0;
    for (const [f, v] of feats) z += (w.get(f) ?? 0) * v;
    out.set(c, z);
  }
  return out;
}

export function softmax(scores: Map<string, number>): Map<string, number> {
  const max = Math.max(...scores.values());
  let sum = 0;
  const out = new Map<string, number>();
  for (const [c, z] of scores) {
    const e = Math.exp(z - max);
    out.set(c, e);
    sum += e;
  }
  for (const [c, e] of out) out.set(c, e / sum);
  return out;
}

/**
 * Fits the conditional logit by full-batch AdaGrad: maximises the log-probability of the
 * acceptable set (so accepted alternates count as right) minus an L2 pull towards the priors.
 */
export function trainChoice(examples: ChoiceExample[], opts: ChoiceOptions = {}): Map<string, number> {
  const priors = opts.priors ?? new Map<string, number>();
  const l2 = opts.l2 ?? 0.05;
  const iterations = opts.iterations ?? 400;
  const rate = opts.rate ?? 0.2;
  const names = new Set<string>(priors.keys());
  for (const ex of examples) for (const feats of ex.classes.values()) for (const f of feats.keys()) names.add(f);
  const sorted = [...names].sort();
  const w = new Map<string, number>(sorted.map((f) => [f, priors.get(f) ?? 0]));
  const g2 = new Map<string, number>(sorted.map((f) => [f, 1e-8]));
  const usable = examples.filter((ex) => [...ex.accept].some((c) => ex.classes.has(c)) && ex.classes.size > 1);
  const n = Math.max(1, usable.length);
  for (let it = 0; it < iterations; it++) {
    const grad = new Map<string, number>(sorted.map((f) => [f, l2 * ((w.get(f) ?? 0) - (priors.get(f) ?? 0))]));
    for (const ex of usable) {
      const p = softmax(scoreChoices(ex.classes, w));
      let pa = 0;
      for (const c of ex.accept) pa += p.get(c) ?? 0;
      for (const [c, feats] of ex.classes) {
        const pc = p.get(c)!;
        // d(-log P(accept))/dz_c = p_c - [c in accept] * p_c / P(accept)
        const dz = pc - (ex.accept.has(c) ? pc / Math.max(pa, 1e-12) : 0);
        if (dz === 0) continue;
        for (const [f, v] of feats) grad.set(f, grad.get(f)! + (dz * v) / n);
      }
    }
    for (const f of sorted) {
      const g = grad.get(f)!;
      const acc = g2.get(f)! + g * g;
      g2.set(f, acc);
      w.set(f, w.get(f)! - (rate * g) / Math.sqrt(acc));
    }
  }
  return w;
}
