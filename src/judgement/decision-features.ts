// Named features of a thread for the decision layer, per field and per candidate class.
// Status uses class-indexed features (`<feature>@<status>`); owner and category add
// class-specific features shared across classes (`cf:<feature>`: how much the evidence points
// at this particular owner or category), which lets 169 threads fit 19 categories.
import { CATEGORIES, OWNERS, STATUSES, type Category, type Owner, type Status } from '../domain/vocabulary.ts';
import type { Fault } from './act-model.ts';
import type { KeywordFamilies } from './keywords.ts';
import { keywordScores } from './keywords.ts';
import type { ThreadView } from './thread-view.ts';

export type Features = Map<string, number>;
export type ClassFeatures = Map<string, Features>;

/** Whose fault a cause is → the owner vocabulary (rubric: owner = whose fault the cause is). */
export const FAULT_OWNER: Record<Fault, Owner> = {
  'project-code': 'application',
  'shipped-config': 'configuration',
  'reporter-config': 'configuration',
  'reporter-infra': 'infrastructure',
  'provider-infra': 'infrastructure',
  'third-party-version': 'dependency',
  'test-harness': 'test',
  unknown: 'unknown',
};

type ActProbs = Record<string, number>[];

function group(role: string | undefined): 'm' | 'r' | 'o' {
  return role === 'maintainer' ? 'm' : role === 'reporter' ? 'r' : 'o';
}

/** Max probability of each head per author group (maintainer, reporter, other, last two, any). */
export function actSummary(view: ThreadView, acts: ActProbs): Features {
  const out: Features = new Map();
  const n = view.statements.length;
  view.statements.forEach((s, i) => {
    const p = acts[i] ?? {};
    const gs: string[] = [group(s.role), 'any'];
    if (i >= n - 2 && i > 0) gs.push('last');
    for (const [head, v] of Object.entries(p)) {
      if (!head.startsWith('act:') && !head.startsWith('target:') && !head.startsWith('fault:')) continue;
      for (const g of gs) {
        const k = `${head}|${g}`;
        out.set(k, Math.max(out.get(k) ?? 0, v));
      }
    }
  });
  return out;
}

/** Shared thread-level features (before being indexed by class). */
function generic(view: ThreadView, summary: Features, fields: 'status' | 'owner'): Features {
  const g: Features = new Map([['bias', 1]]);
  g.set(view.open ? 'open' : 'closed', 1);
  for (const [k, v] of summary) {
    if (fields === 'owner' && !/^act:(?:request-details|request-reproduction|cannot-reproduce|not-a-defect|own-setup-fix|fix-shipped|waiting-third-party|cause-named|defect-acknowledged)\|/.test(k)) continue;
    if (k.startsWith('fault:') && fields === 'status') {
      if (k.endsWith('|any')) g.set(k, v);
      continue;
    }
    if (v > 0.05) g.set(k, v);
  }
  if (fields === 'status') {
    for (const r of view.threadRules) g.set(`rule:${r.id}`, 1);
    if (view.root) g.set(`root:${view.root.owner}`, 1);
    else g.set('root:none', 1);
    if (view.mergedPrs) g.set('pr:merged', 1);
    if (view.openPrs) g.set('pr:open', 1);
    if (view.probesFailing) g.set('probe:failing', 1);
    if (view.probesHealthy) g.set('probe:healthy', 1);
    if (view.recurrence) g.set('recurrence', 1);
    g.set('comments', Math.log1p(view.statements.length - 1) / 3);
  } else {
    const causeNamed = summary.get('act:cause-named|any') ?? 0;
    if (!view.root && causeNamed < 0.5 && !view.threadRules.some((r) => Object.values(r.owner).some((x) => x > 0))) g.set('nocause', 1);
  }
  return g;
}

function indexByClass(classes: readonly string[], g: Features, extra: (c: string) => Features = () => new Map()): ClassFeatures {
  const out: ClassFeatures = new Map();
  for (const c of classes) {
    const f: Features = new Map();
    for (const [k, v] of g) f.set(`${k}@${c}`, v);
    for (const [k, v] of extra(c)) if (v !== 0) f.set(k, v);
    out.set(c, f);
  }
  return out;
}

export function statusFeatures(view: ThreadView, summary: Features): ClassFeatures {
  return indexByClass(STATUSES, generic(view, summary, 'status'));
}

export function ownerFeatures(view: ThreadView, summary: Features): ClassFeatures {
  const g = generic(view, summary, 'owner');
  return indexByClass(OWNERS, g, (c) => {
    const o = c as Owner;
    const f: Features = new Map();
    if (view.root?.owner === o) f.set('cf:root', 1);
    f.set('cf:sig', Math.min(1, view.failures.filter((x) => x.owner === o).reduce((s, x) => s + x.strength, 0)));
    f.set('cf:rule', view.threadRules.reduce((s, r) => s + (r.owner[o] ?? 0), 0) / 3);
    // Where a merged fix landed says whose fault the cause was (a code fix → the application).
    f.set('cf:prfix', view.threadRules.filter((r) => r.detector === 'merged-pr').reduce((s, r) => s + (r.owner[o] ?? 0), 0) / 3);
    for (const grp of ['m', 'r', 'o'] as const) {
      let best = 0;
      for (const [fault, owner] of Object.entries(FAULT_OWNER)) {
        if (owner !== o) continue;
        best = Math.max(best, summary.get(`fault:${fault}|${grp}`) ?? 0);
      }
      f.set(`cf:fault|${grp}`, best);
    }
    return f;
  });
}

/**
 * The failure class the people naming the cause talk about: keyword families matched in the
 * statements the act model reads as naming a cause, weighted by that probability (a
 * maintainer's separately). A named cause outranks the loudest error string.
 */
function namedCategories(view: ThreadView, families: KeywordFamilies, acts: ActProbs): { m: Map<string, number>; any: Map<string, number> } {
  const m = new Map<string, number>();
  const any = new Map<string, number>();
  view.statements.forEach((s, i) => {
    if (i === 0) return;
    const p = Math.max(acts[i]?.['act:cause-named'] ?? 0, acts[i]?.['act:not-a-defect'] ?? 0);
    if (p < 0.3) return;
    for (const [cat] of keywordScores(families, '', s.text)) {
      any.set(cat, Math.max(any.get(cat) ?? 0, p));
      if (s.role === 'maintainer') m.set(cat, Math.max(m.get(cat) ?? 0, p));
    }
  });
  return { m, any };
}

export function categoryFeatures(view: ThreadView, families: KeywordFamilies, nb?: Map<string, number>, acts: ActProbs = []): ClassFeatures {
  const kw = keywordScores(families, view.title, view.text);
  const named = namedCategories(view, families, acts);
  const none = view.failures.length === 0 ? 1 : 0;
  return indexByClass(CATEGORIES, new Map([['bias', 1], ['nosignal', none]]), (c) => {
    const cat = c as Category;
    const mine = view.failures.filter((x) => x.category === cat);
    const max = (pick: (x: ThreadView['failures'][number]) => boolean) =>
      Math.max(0, ...mine.filter(pick).map((x) => x.strength * (1 + 0.25 * (x.depth - 1))));
    const f: Features = new Map();
    f.set('cf:title', max((x) => x.inTitle));
    f.set('cf:body', max((x) => x.inBody));
    f.set('cf:comments', max((x) => x.inComments));
    f.set('cf:collected', max((x) => x.inCollected));
    if (view.root?.category === cat) f.set(view.root.chainNodes >= 2 ? 'cf:root-chain' : 'cf:root', 1);
    if (view.start?.category === cat) f.set('cf:start', 1);
    f.set('cf:rule', view.threadRules.reduce((s, r) => s + (r.category[cat] ?? 0), 0) / 3);
    const k = kw.get(cat);
    if (k) {
      f.set('cf:kw-title', k.title);
      f.set('cf:kw-text', k.text);
    }
    if (nb) f.set('cf:nb', nb.get(cat) ?? 0);
    f.set('cf:named|m', named.m.get(cat) ?? 0);
    f.set('cf:named|any', named.any.get(cat) ?? 0);
    return f;
  });
}

/**
 * Owner features that follow from the other two decisions: the predicted status (class-indexed:
 * not-a-bug points at the reporter's side, resolved by the project at its code or config) and
 * how often each owner goes with the predicted category in the training threads.
 */
export function addDecisionContext(
  owner: ClassFeatures,
  statusProb: Map<string, number>,
  categoryProb: Map<string, number>,
  ownerGivenCategory: Map<string, Map<string, number>>,
): ClassFeatures {
  const out: ClassFeatures = new Map();
  for (const [o, f] of owner) {
    const g = new Map(f);
    for (const [st, p] of statusProb) if (p > 0.01) g.set(`st:${st}@${o}`, p);
    let prior = 0;
    for (const [c, p] of categoryProb) prior += p * (ownerGivenCategory.get(c)?.get(o) ?? 1 / 6);
    g.set('cf:catprior', Math.log(Math.max(prior, 1e-3)) + Math.log(6));
    out.set(o, g);
  }
  return out;
}

export const FIELD_CLASSES = { status: STATUSES, owner: OWNERS, category: CATEGORIES } as const;
export type { Status };
