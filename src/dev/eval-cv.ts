// `npm run eval -- --cv K`: K-fold cross-validation over the development threads, folds split
// by repository, with everything that is fitted (act model, keyword model, decision weights)
// refitted on the training folds only. Labelled public comments are folded by repository too,
// so per-act precision and recall come from the same folds.
import { predictActs, type LabelledStatement } from '../judgement/act-model.ts';
import { fitJudgement, foldOf, type FitOptions, type LabelledThread, type Priors } from '../judgement/fit.ts';
import { ACT_SAID, decideVerdict } from '../judgement/judge.ts';
import type { KeywordFamilies } from '../judgement/keywords.ts';

export interface CvResult {
  n: number;
  correct: { status: number; owner: number; category: number };
  wrongResolved: number;
  perAct: Map<string, { tp: number; fp: number; fn: number }>;
  misses: string[];
  /** Threads whose audit failed (counted as wrong in every field). */
  failed: string[];
  gate: Record<string, number>;
}

export function crossValidate(
  threads: LabelledThread[],
  labelled: LabelledStatement[],
  acts: readonly string[],
  families: KeywordFamilies,
  priors: Priors,
  k: number,
  opts: FitOptions = {},
): CvResult {
  const res: CvResult = { n: threads.length, correct: { status: 0, owner: 0, category: 0 }, wrongResolved: 0, perAct: new Map(), misses: [], failed: [], gate: {} };
  for (const a of acts) res.perAct.set(a, { tp: 0, fp: 0, fn: 0 });
  for (let f = 0; f < k; f++) {
    const test = threads.filter((t) => foldOf(t.repo, k) === f);
    const train = threads.filter((t) => foldOf(t.repo, k) !== f);
    const trainStatements = labelled.filter((s) => foldOf(s.repo, k) !== f);
    const j = fitJudgement(train, trainStatements, acts, families, priors, opts);
    for (const t of test) {
      try {
        const v = decideVerdict(t.view, j);
        const got = { status: v.status.value, owner: v.owner.value, category: v.category.value };
        for (const field of ['status', 'owner', 'category'] as const) {
          if ((t.accept[field] as string[]).includes(got[field])) res.correct[field]++;
          else res.misses.push(`${t.id} ${field}: expected ${t.accept[field][0]}, got ${got[field]} (${v[field].decidedBy.slice(0, 4).join(', ')})`);
        }
        if (got.status === 'resolved' && !t.accept.status.includes('resolved')) res.wrongResolved++;
        const proof = !v.gates.includes('resolved-needs-proof');
        const key = `${t.accept.status.includes('resolved') ? 'resolved' : 'other'}:${proof ? 'proof' : 'noproof'}`;
        res.gate[key] = (res.gate[key] ?? 0) + 1;
      } catch (e) {
        res.failed.push(`${t.id}: ${(e as Error).message}`);
      }
    }
    const held = labelled.filter((s) => foldOf(s.repo, k) === f);
    const preds = predictActs(j.acts, held.map((s) => s.input));
    held.forEach((s, i) => {
      const gold = new Set(s.acts.map((a) => a.act));
      for (const a of acts) {
        const said = (preds[i]![`act:${a}`] ?? 0) >= ACT_SAID;
        const c = res.perAct.get(a)!;
        if (said && gold.has(a)) c.tp++;
        else if (said) c.fp++;
        else if (gold.has(a)) c.fn++;
      }
    });
  }
  return res;
}
