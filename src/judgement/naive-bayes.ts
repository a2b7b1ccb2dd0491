// A multinomial naive Bayes over the words of a thread, per category: the learned keyword
// fallback for threads whose failure class no signature names. Fitted on training threads only.
import { tokens } from './text-features.ts';

export interface NbModel {
  classes: string[];
  prior: number[];
  /** word → log P(word | class) per class */
  logp: Map<string, number[]>;
  unseen: number[];
}

export interface NbModelData {
  classes: string[];
  prior: number[];
  unseen: number[];
  words: string[];
  /** per word, its log-probabilities per class (4 significant digits) */
  logp: number[][];
}

function bag(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const w of tokens(text)) if (w.length > 2 && w !== 'codeblock') m.set(w, (m.get(w) ?? 0) + 1);
  return m;
}

export function trainNb(docs: { text: string; classes: string[] }[], classes: readonly string[], alpha = 0.5): NbModel {
  const bags = docs.map((d) => bag(d.text));
  const df = new Map<string, number>();
  for (const b of bags) for (const w of b.keys()) df.set(w, (df.get(w) ?? 0) + 1);
  const words = [...df.entries()].filter(([, n]) => n >= 2).map(([w]) => w).sort();
  const counts = classes.map(() => new Map<string, number>());
  const totals = classes.map(() => 0);
  const docsPer = classes.map(() => 0);
  docs.forEach((d, i) => {
    for (const c of d.classes) {
      const k = classes.indexOf(c);
      if (k < 0) continue;
      docsPer[k]! += 1 / d.classes.length;
      for (const [w, n] of bags[i]!) {
        if (!df.has(w) || df.get(w)! < 2) continue;
        // One document speaks once per word: long pasted logs must not dominate.
        const v = Math.min(n, 3) / d.classes.length;
        counts[k]!.set(w, (counts[k]!.get(w) ?? 0) + v);
        totals[k]! += v;
      }
    }
  });
  const V = words.length;
  const logp = new Map<string, number[]>();
  for (const w of words) logp.set(w, classes.map((_, k) => Math.log(((counts[k]!.get(w) ?? 0) + alpha) / (totals[k]! + alpha * V))));
  const nDocs = docs.length;
  return {
    classes: [...classes],
    prior: docsPer.map((n) => Math.log((n + 1) / (nDocs + classes.length))),
    logp,
    unseen: classes.map((_, k) => Math.log(alpha / (totals[k]! + alpha * V))),
  };
}

/** Posterior probability per class (words the model never saw are ignored). */
export function predictNb(m: NbModel, text: string): Map<string, number> {
  const b = bag(text);
  const z = [...m.prior];
  let n = 0;
  for (const [w, c] of b) {
    const lp = m.logp.get(w);
    if (!lp) continue;
    const k = Math.min(c, 3);
    n += k;
    for (let i = 0; i < z.length; i++) z[i]! += k * lp[i]!;
  }
  // Tempered by length so a long thread does not make the posterior a certainty.
  const t = 1 / Math.max(1, Math.sqrt(n));
  const max = Math.max(...z.map((v) => v * t));
  const e = z.map((v) => Math.exp(v * t - max));
  const s = e.reduce((a, b2) => a + b2, 0);
  return new Map(m.classes.map((c, i) => [c, e[i]! / s]));
}

export function encodeNb(m: NbModel): NbModelData {
  const words = [...m.logp.keys()].sort();
  const r = (x: number) => Number(x.toPrecision(4));
  return { classes: m.classes, prior: m.prior.map(r), unseen: m.unseen.map(r), words, logp: words.map((w) => m.logp.get(w)!.map(r)) };
}

export function decodeNb(d: NbModelData): NbModel {
  return { classes: d.classes, prior: d.prior, unseen: d.unseen, logp: new Map(d.words.map((w, i) => [w, d.logp[i]!])) };
}
