// Fitting everything the decision layer uses, from labelled statements and labelled threads:
// the act model, the keyword naive Bayes and the three conditional logits. The decision
// weights are fitted on act and keyword predictions made out of fold (inner cross-fitting), so
// that they learn how much to trust predictions on threads the act model never saw. Pure.
import { CATEGORIES, OWNERS, type Category, type Owner, type Status } from '../domain/vocabulary.ts';
import { predictActs, trainActModel, type LabelledStatement } from './act-model.ts';
import type { KeywordFamilies } from './keywords.ts';
import { scoreChoices, softmax, trainChoice, type ChoiceExample } from './logistic.ts';
import { addDecisionContext } from './decision-features.ts';
import { predictNb, trainNb } from './naive-bayes.ts';
import { fieldFeatures, type Judgement } from './judge.ts';
import type { ThreadView } from './thread-view.ts';

/** A labelled thread: its view and the accepted values per field. */
export interface LabelledThread {
  id: string;
  repo: string;
  view: ThreadView;
  accept: { status: Status[]; owner: Owner[]; category: Category[] };
}

export interface Priors {
  status: Map<string, number>;
  owner: Map<string, number>;
  category: Map<string, number>;
}

export interface FitOptions {
  innerFolds?: number;
  /** L2 pull towards the priors, per field (status, owner, category). */
  l2?: number;
  l2Status?: number;
  l2Owner?: number;
  l2Category?: number;
}

/** P(owner | category) over the threads' expected labels, Laplace-smoothed. */
export function ownerTable(threads: LabelledThread[]): Map<string, Map<string, number>> {
  const counts = new Map<string, Map<string, number>>();
  for (const t of threads) {
    const c = t.accept.category[0]!;
    const o = t.accept.owner[0]!;
    const m = counts.get(c) ?? new Map<string, number>();
    m.set(o, (m.get(o) ?? 0) + 1);
    counts.set(c, m);
  }
  const out = new Map<string, Map<string, number>>();
  for (const c of [...counts.keys()].sort()) {
    const m = counts.get(c)!;
    const total = [...m.values()].reduce((a, b) => a + b, 0);
    out.set(c, new Map(OWNERS.map((o) => [o, Number((((m.get(o) ?? 0) + 0.5) / (total + 3)).toPrecision(4))])));
  }
  return out;
}

/** Fold of a repository (stable across runs and machines): FNV-1a of the name. */
export function foldOf(repo: string, folds: number): number {
  let h = 0x811c9dc5;
  for (const ch of repo.toLowerCase()) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // Final avalanche (murmur3 fmix32): FNV's low bits barely move for short names.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return (h >>> 0) % folds;
}

/** Training statements, minus those of the given threads. */
function statementsExcept(labelled: LabelledStatement[], threads: Set<string>): LabelledStatement[] {
  return labelled.filter((s) => !threads.has(s.source.split('#')[0]!));
}

// Act models fitted within one process, by the statements they were trained on: a grid over
// decision settings (`eval --cv` with several settings) refits only the decision layer.
const actMemo = new Map<string, ReturnType<typeof trainActModel>>();
function memoActModel(data: LabelledStatement[], acts: readonly string[]): ReturnType<typeof trainActModel> {
  const key = `${acts.join(',')}|${data.length}|${data[0]?.source}|${data.at(-1)?.source}|${data.map((d) => d.source.length).reduce((a, b) => (a * 31 + b) % 1e9, 7)}`;
  let m = actMemo.get(key);
  if (!m) {
    m = trainActModel(data, acts);
    actMemo.set(key, m);
  }
  return m;
}

export function fitJudgement(
  threads: LabelledThread[],
  labelled: LabelledStatement[],
  acts: readonly string[],
  families: KeywordFamilies,
  priors: Priors,
  opts: FitOptions = {},
): Judgement {
  const k = opts.innerFolds ?? 3;
  const outOfFold = new Map<string, { acts: Record<string, number>[]; nb: Map<string, number> }>();
  for (let f = 0; f < k; f++) {
    const held = threads.filter((t) => foldOf(t.repo, k) === f);
    if (held.length === 0) continue;
    const heldIds = new Set(held.map((t) => t.id));
    const actModel = memoActModel(statementsExcept(labelled, heldIds), acts);
    const nb = trainNb(
      threads.filter((t) => !heldIds.has(t.id)).map((t) => ({ text: `${t.view.title}\n${t.view.text}`, classes: t.accept.category })),
      CATEGORIES,
    );
    for (const t of held) outOfFold.set(t.id, { acts: predictActs(actModel, t.view.statements), nb: predictNb(nb, `${t.view.title}\n${t.view.text}`) });
  }
  const examples = { status: [] as ChoiceExample[], owner: [] as ChoiceExample[], category: [] as ChoiceExample[] };
  for (const t of threads) {
    const o = outOfFold.get(t.id);
    if (!o) continue;
    const ff = fieldFeatures(t.view, o.acts, families, o.nb);
    examples.status.push({ classes: ff.status, accept: new Set(t.accept.status) });
    examples.owner.push({ classes: ff.owner, accept: new Set(t.accept.owner) });
    examples.category.push({ classes: ff.category, accept: new Set(t.accept.category) });
  }
  const l2 = opts.l2 ?? 0.01;
  void trainActModel;
  const status = trainChoice(examples.status, { priors: priors.status, l2: opts.l2Status ?? l2 });
  const category = trainChoice(examples.category, { priors: priors.category, l2: opts.l2Category ?? l2 });
  const ownerGivenCategory = ownerTable(threads);
  const ownerExamples = examples.owner.map((ex, i) => ({
    ...ex,
    classes: addDecisionContext(
      ex.classes,
      softmax(scoreChoices(examples.status[i]!.classes, status)),
      softmax(scoreChoices(examples.category[i]!.classes, category)),
      ownerGivenCategory,
    ),
  }));
  const weights = { status, owner: trainChoice(ownerExamples, { priors: priors.owner, l2: opts.l2Owner ?? l2 }), category };
  return {
    acts: memoActModel(labelled, acts),
    nb: trainNb(threads.map((t) => ({ text: `${t.view.title}\n${t.view.text}`, classes: t.accept.category })), CATEGORIES),
    families,
    weights,
    ownerGivenCategory,
  };
}

