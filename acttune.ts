import { loadRules } from './src/rules/load-rules.ts';
import { caseThread, readCases, readLabelledStatements, DEFAULT_CASES } from './src/dev/judgement-data.ts';
import { loadActDefs } from './src/judgement/load-judgement.ts';
import { foldOf } from './src/judgement/fit.ts';
import { predictActs, trainActModel } from './src/judgement/act-model.ts';
const rules = await loadRules({ checkSafety: false });
const threads = readCases(DEFAULT_CASES).map(({ file, c }) => caseThread(c, file, rules));
const labelled = readLabelledStatements(threads, rules);
const acts = loadActDefs().map((d) => d.id);
const k = Number(process.env.K ?? 5);
const tp: Record<string, number> = {}, fp: Record<string, number> = {}, fn: Record<string, number> = {};
let ll = 0;
for (let f = 0; f < k; f++) {
  const m = trainActModel(labelled.filter((s) => foldOf(s.repo, k) !== f), acts);
  const held = labelled.filter((s) => foldOf(s.repo, k) === f);
  const p = predictActs(m, held.map((s) => s.input));
  held.forEach((s, i) => {
    const gold = new Set(s.acts.map((a) => a.act));
    for (const a of acts) {
      const q = p[i]![`act:${a}`]!;
      ll -= Math.log(gold.has(a) ? q : 1 - q);
      const said = q >= 0.5;
      if (said && gold.has(a)) tp[a] = (tp[a] ?? 0) + 1; else if (said) fp[a] = (fp[a] ?? 0) + 1; else if (gold.has(a)) fn[a] = (fn[a] ?? 0) + 1;
    }
  });
}
let f1s = 0;
for (const a of acts) { const t = tp[a] ?? 0, P = t / Math.max(1, t + (fp[a] ?? 0)), R = t / Math.max(1, t + (fn[a] ?? 0)); const F = P + R ? 2 * P * R / (P + R) : 0; f1s += F; console.log(a.padEnd(22), P.toFixed(2), R.toFixed(2), F.toFixed(2)); }
console.log('macroF1', (f1s / acts.length).toFixed(3), 'logloss', (ll / labelled.length).toFixed(3));
if (process.env.INSAMPLE) {
  const m = trainActModel(labelled, acts);
  const p = predictActs(m, labelled.map((s) => s.input));
  let right = 0, tot = 0;
  labelled.forEach((s, i) => { const gold = new Set(s.acts.map((a) => a.act)); for (const a of acts) { tot++; if ((p[i]![`act:${a}`]! >= 0.5) === gold.has(a)) right++; } });
  console.log('in-sample acc', right / tot, 'example', JSON.stringify(labelled[5]!.input).slice(0, 300), JSON.stringify(p[5]));
}
