// The decision layer: status, owner and category chosen by the fitted conditional logit over
// named features, within the rubric's hard rules as named gates. Pure.
import type { Decision } from '../domain/types.ts';
import { CATEGORIES, OWNERS, STATUSES, type Category, type Owner, type Status } from '../domain/vocabulary.ts';
import { predictActs, type ActModel } from './act-model.ts';
import {
  actSummary,
  addDecisionContext,
  categoryFeatures,
  ownerFeatures,
  statusFeatures,
  type ClassFeatures,
  type Features,
} from './decision-features.ts';
import type { KeywordFamilies } from './keywords.ts';
import { predictNb, type NbModel } from './naive-bayes.ts';
import { scoreChoices, softmax } from './logistic.ts';
import type { ThreadView } from './thread-view.ts';

/** Everything fitted, as loaded from data/models/judgement.json. */
export interface Judgement {
  acts: ActModel;
  nb?: NbModel;
  families: KeywordFamilies;
  weights: { status: Map<string, number>; owner: Map<string, number>; category: Map<string, number> };
  /** P(owner | category) in the training threads (Laplace-smoothed). */
  ownerGivenCategory: Map<string, Map<string, number>>;
}

/** A named gate from the rubric that removed a class from the choice. */
export const GATES = {
  'resolved-needs-proof': 'resolved needs proof: a merged fix, a project member saying it is fixed, a confirmation, or healthy probes',
  'in-progress-needs-open-issue': 'in-progress needs an open issue',
  'recurrence-blocks-resolved': 'the failure was reported again after the latest fix',
  'waiting-on-infrastructure-is-blocked':
    'the issue is open, the established cause is infrastructure, nothing proves a fix, and the thread says it waits on an infrastructure team or provider',
} as const;

/** Probability an act must reach to count as said. */
export const ACT_SAID = 0.5;
/** Probability a fix or confirmation act must reach to count as proof for the `resolved` gate. */
export const PROOF_ACT = 0.6;

/** What the statements do, the features and gates behind each field. */
export interface Verdict {
  status: Decision<Status>;
  owner: Decision<Owner>;
  category: Decision<Category>;
  /** Calibrated probability of each chosen value. */
  probability: { status: number; owner: number; category: number };
  gates: (keyof typeof GATES)[];
  /** Per statement (thread order), the acts said with their probability. */
  acts: { id: string; acts: { act: string; p: number }[] }[];
}

/** Whether the thread holds proof of a fix (the rubric's gate for `resolved`). */
export function hasProof(view: ThreadView, summary: Features): boolean {
  const fix = summary.get('act:fix-shipped|any') ?? 0;
  const confirm = Math.max(summary.get('act:confirms-works|r') ?? 0, summary.get('act:confirms-works|m') ?? 0);
  const probeProof = view.probesHealthy > 0 && view.probesFailing === 0 && !view.recurrence;
  return view.ruleProof || fix >= PROOF_ACT || confirm >= PROOF_ACT || probeProof;
}

/** The classes each gate allows. */
export function allowedStatuses(view: ThreadView, summary: Features): { allowed: Status[]; gates: (keyof typeof GATES)[] } {
  const gates: (keyof typeof GATES)[] = [];
  let allowed: Status[] = [...STATUSES];
  if (!hasProof(view, summary)) {
    allowed = allowed.filter((s) => s !== 'resolved');
    gates.push('resolved-needs-proof');
  }
  if (view.recurrence && allowed.includes('resolved')) {
    allowed = allowed.filter((s) => s !== 'resolved');
    gates.push('recurrence-blocks-resolved');
  }
  // The rubric's definition of blocked-on-infrastructure, as a rule: the cause is infrastructure
  // the code cannot fix and the problem waits on an infrastructure team or provider.
  const waiting = view.threadRules.some((r) => (r.status['blocked-on-infrastructure'] ?? 0) > 0 && (r.owner.infrastructure ?? 0) > 0);
  if (view.open && view.root?.owner === 'infrastructure' && waiting && !allowed.includes('resolved')) {
    allowed = ['blocked-on-infrastructure'];
    gates.push('waiting-on-infrastructure-is-blocked');
  }
  if (!view.open) {
    allowed = allowed.filter((s) => s !== 'in-progress');
    gates.push('in-progress-needs-open-issue');
  }
  return { allowed, gates };
}

/** Features of every field for one thread, given the act predictions. */
export function fieldFeatures(view: ThreadView, acts: Record<string, number>[], families: KeywordFamilies, nb?: Map<string, number>) {
  const summary = actSummary(view, acts);
  const { allowed, gates } = allowedStatuses(view, summary);
  const status = restrict(statusFeatures(view, summary), allowed);
  return { summary, gates, status, owner: ownerFeatures(view, summary), category: categoryFeatures(view, families, nb, acts) };
}

function restrict(cf: ClassFeatures, allowed: readonly string[]): ClassFeatures {
  return new Map([...cf].filter(([c]) => allowed.includes(c)));
}

function choose<T extends string>(order: readonly T[], cf: ClassFeatures, w: Map<string, number>): { d: Decision<T>; p: number } {
  const scores = scoreChoices(cf, w);
  const p = softmax(scores);
  const ranked = [...p.entries()].sort((a, b) => b[1] - a[1] || order.indexOf(a[0] as T) - order.indexOf(b[0] as T));
  const [top, pTop] = ranked[0]!;
  const second = ranked[1];
  const contributions = (c: string) =>
    [...(cf.get(c) ?? new Map<string, number>())]
      .map(([f, v]) => ({ feature: f.replace(/@[\w-]+$/, ''), contribution: round((w.get(f) ?? 0) * v) }))
      .filter((x) => x.contribution !== 0)
      .sort((a, b) => b.contribution - a.contribution || a.feature.localeCompare(b.feature));
  const carried = contributions(top).filter((x) => x.contribution > 0).slice(0, 6);
  return {
    d: {
      value: top as T,
      decidedBy: carried.map((x) => x.feature),
      contributions: carried,
      score: round(pTop),
      ...(second ? { runnerUp: { value: second[0] as T, score: round(second[1]), decidedBy: contributions(second[0]).filter((x) => x.contribution > 0).slice(0, 3).map((x) => x.feature) } } : {}),
      margin: round(pTop - (second?.[1] ?? 0)),
    },
    p: pTop,
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/** Decides status, owner and category for a thread. */
export function decideVerdict(view: ThreadView, j: Judgement): Verdict {
  const acts = predictActs(j.acts, view.statements);
  const f = fieldFeatures(view, acts, j.families, j.nb ? predictNb(j.nb, `${view.title}\n${view.text}`) : undefined);
  const status = choose(STATUSES, f.status, j.weights.status);
  const category = choose(CATEGORIES, f.category, j.weights.category);
  const ownerCf = addDecisionContext(f.owner, softmax(scoreChoices(f.status, j.weights.status)), softmax(scoreChoices(f.category, j.weights.category)), j.ownerGivenCategory);
  const owner = choose(OWNERS, ownerCf, j.weights.owner);
  return {
    status: status.d,
    owner: owner.d,
    category: category.d,
    probability: { status: status.p, owner: owner.p, category: category.p },
    gates: f.gates,
    acts: view.statements.map((s, i) => ({
      id: s.id,
      acts: Object.entries(acts[i] ?? {})
        .filter(([h, p]) => h.startsWith('act:') && h !== 'act:none' && p >= ACT_SAID)
        .map(([h, p]) => ({ act: h.slice(4), p: round(p) }))
        .sort((a, b) => b.p - a.p),
    })),
  };
}
