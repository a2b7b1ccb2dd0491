// The act model: reads what each statement of a thread does (fix shipped, own-setup fix,
// request for details …) as probabilities per head. Heads are the acts, the fault values
// (whose fault a named cause is), the target values (whose change a fix was) and `hedged`.
// Trained by `npm run train` from labelled real comments (data/acts/); shipped as data.
import { predictHeads, trainBinaryHeads, type SparseRow } from './logistic.ts';
import { statementFeatures, type StatementInput } from './text-features.ts';

export const FAULTS = [
  'project-code',
  'shipped-config',
  'reporter-config',
  'reporter-infra',
  'provider-infra',
  'third-party-version',
  'test-harness',
  'unknown',
] as const;
export type Fault = (typeof FAULTS)[number];
export const TARGETS = ['project', 'reporter', 'third-party', 'unknown'] as const;

/** One labelled statement: its input and its acts. */
export interface LabelledStatement {
  /** Where it comes from: a URL or a development case id (for folds by repository). */
  repo: string;
  source: string;
  input: StatementInput;
  acts: { act: string; fault?: string; target?: string; hedged?: boolean }[];
}

/** The trained model as shipped (weights quantised to int8 per head). */
export interface ActModelData {
  heads: string[];
  vocab: string[];
  bias: number[];
  scale: number[];
  /** Per head, base64 of an Int8Array of vocab.length weights (× scale). */
  weights: string[];
}

/** A loaded act model, ready to predict. */
export interface ActModel {
  heads: string[];
  index: Map<string, number>;
  bias: number[];
  scale: number[];
  weights: ArrayLike<number>[];
}

/** Head names for a set of acts: `act:<id>`, `fault:<f>`, `target:<t>`, `hedged`. */
export function headsFor(acts: readonly string[]): string[] {
  return [...acts.map((a) => `act:${a}`), ...FAULTS.map((f) => `fault:${f}`), ...TARGETS.map((t) => `target:${t}`), 'hedged'];
}

function labelVector(heads: string[], s: LabelledStatement): Uint8Array {
  const y = new Uint8Array(heads.length);
  const on = new Set<string>();
  for (const a of s.acts) {
    on.add(`act:${a.act}`);
    if (a.fault) on.add(`fault:${a.fault}`);
    if (a.target) on.add(`target:${a.target}`);
    if (a.hedged) on.add('hedged');
  }
  heads.forEach((h, i) => (y[i] = on.has(h) ? 1 : 0));
  return y;
}

/** Trains the act model (deterministic: same data, same bytes). */
export interface ActTrainOptions {
  minDf?: number;
  rate?: number;
  l2?: number;
  maxPositiveWeight?: number;
  positivePower?: number;
  iterations?: number;
  positiveDiv?: number;
}

export function trainActModel(data: LabelledStatement[], acts: readonly string[], o: ActTrainOptions = {}): ActModel {
  const minDf = o.minDf ?? 3;
  const heads = headsFor(acts);
  const featureLists = data.map((s) => statementFeatures(s.input));
  const df = new Map<string, number>();
  for (const fl of featureLists) for (const f of fl) df.set(f, (df.get(f) ?? 0) + 1);
  const vocab = [...df.entries()].filter(([, n]) => n >= minDf).map(([f]) => f).sort();
  const index = new Map(vocab.map((f, i) => [f, i]));
  const rows = featureLists.map(toRow(index));
  const labels = data.map((s) => labelVector(heads, s));
  // Rare heads get their positives weighted up (capped), so they are not drowned by negatives.
  const positiveWeight = heads.map((_, h) => {
    const pos = labels.filter((y) => y[h]).length;
    return pos === 0 ? 1 : Math.min(o.maxPositiveWeight ?? 10, Math.max(1, Math.pow((labels.length - pos) / pos, o.positivePower ?? 0.5) / (o.positiveDiv ?? 1)));
  });
  const { weights, bias } = trainBinaryHeads(rows, labels, { dim: vocab.length, positiveWeight, l2: o.l2 ?? 1e-4, rate: o.rate ?? 1, iterations: o.iterations ?? 150 });
  return { heads, index, bias, scale: heads.map(() => 1), weights };
}

/**
 * A statement's row: its words weigh 1/sqrt(number of words) together (a long comment does not
 * outvote a short one), while the rule, role, kind, place and length features weigh 1 each (a
 * thread rule's match must not be diluted by a long comment).
 */
const META = /^(?:rule|role|kind|pos|len):/;
const toRow = (index: Map<string, number>) => (fl: string[]): SparseRow => {
  const known = fl.map((f) => [f, index.get(f)] as const).filter((x): x is readonly [string, number] => x[1] !== undefined);
  known.sort((a, b) => a[1] - b[1]);
  const words = known.filter(([f]) => !META.test(f)).length;
  const norm = 1 / Math.sqrt(Math.max(1, words));
  return { idx: Int32Array.from(known.map((x) => x[1])), val: Float64Array.from(known.map(([f]) => (META.test(f) ? 1 : norm))) };
};

/** Probabilities per head for each statement. */
export function predictActs(model: ActModel, inputs: StatementInput[]): Record<string, number>[] {
  const row = toRow(model.index);
  return inputs.map((inp) => {
    const p = predictHeads(row(statementFeatures(inp)), model.weights, model.bias, model.scale);
    const out: Record<string, number> = {};
    model.heads.forEach((h, i) => (out[h] = p[i]!));
    return out;
  });
}

/** Quantises a trained model for shipping (int8 per head with its own scale). */
export function encodeActModel(m: ActModel): ActModelData {
  const vocab = [...m.index.entries()].sort((a, b) => a[1] - b[1]).map(([f]) => f);
  const scale: number[] = [];
  const weights: string[] = [];
  m.weights.forEach((w, h) => {
    let max = 0;
    for (let i = 0; i < vocab.length; i++) max = Math.max(max, Math.abs(w[i]! * m.scale[h]!));
    const s = max > 0 ? max / 127 : 1;
    const q = new Int8Array(vocab.length);
    for (let i = 0; i < vocab.length; i++) q[i] = Math.round((w[i]! * m.scale[h]!) / s);
    scale.push(Number(s.toPrecision(8)));
    weights.push(Buffer.from(q.buffer).toString('base64'));
  });
  return { heads: m.heads, vocab, bias: m.bias.map((b) => Number(b.toPrecision(8))), scale, weights };
}

export function decodeActModel(d: ActModelData): ActModel {
  return {
    heads: d.heads,
    index: new Map(d.vocab.map((f, i) => [f, i])),
    bias: d.bias,
    scale: d.scale,
    weights: d.weights.map((b64) => {
      const buf = Buffer.from(b64, 'base64');
      return new Int8Array(buf.buffer, buf.byteOffset, buf.length);
    }),
  };
}
