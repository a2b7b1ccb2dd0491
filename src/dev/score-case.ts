// Scoring one evaluation case: converts it to the snapshot the tool reads (field by field as
// the eval README says), runs the audit and compares status, owner and category with the
// expected labels. Pure apart from the rules passed in; shared by `npm run eval` and tests.
import { assignIds } from '../analysis/assign-ids.ts';
import { buildAnalysis } from '../analysis/build-analysis.ts';
import { collectThread } from '../evidence/thread.ts';
import { LOCAL_BOT_LOGIN, snapshotToIssue } from '../forge/local/local-forge.ts';
import { snapshotSchema } from '../forge/local/snapshot-schema.ts';
import type { loadRules } from '../rules/load-rules.ts';
import type { Judgement } from '../judgement/judge.ts';
import { loadJudgement } from '../judgement/load-judgement.ts';

export interface Case {
  id: string;
  source: { repo: string; number: number; url: string };
  thread: {
    title: string;
    body: string;
    labels: string[];
    state: string;
    author: string | null;
    createdAt: string | null;
    comments: { author: string; authorAssociation: string | null; createdAt: string | null; body: string }[];
    linkedPullRequests: { number: number; title: string; state: string; mergedAt: string | null }[];
  };
  expected: {
    status: string;
    owner: string;
    category: string;
    evidence: string;
    acceptableStatuses?: string[];
    acceptableOwners?: string[];
    acceptableCategories?: string[];
  };
}

export const FIELDS = ['status', 'owner', 'category'] as const;
export type Field = (typeof FIELDS)[number];

/** Converts a case to the snapshot the tool reads, field by field as the eval README says. */
export function caseToSnapshot(c: Case): unknown {
  const t = c.thread;
  const fallback = t.comments.find((x) => x.createdAt)?.createdAt ?? '2000-01-01T00:00:00Z';
  return {
    number: c.source.number,
    title: t.title,
    body: t.body ?? '',
    state: t.state.toUpperCase(),
    url: c.source.url,
    createdAt: t.createdAt ?? fallback,
    author: { login: t.author ?? 'ghost' },
    labels: t.labels.map((name) => ({ name })),
    comments: t.comments.map((x) => ({
      author: { login: x.author },
      body: x.body,
      createdAt: x.createdAt ?? t.createdAt ?? fallback,
      ...(x.authorAssociation ? { authorAssociation: x.authorAssociation } : {}),
    })),
    linkedPullRequests: t.linkedPullRequests.map((p) => ({
      number: p.number,
      title: p.title,
      state: p.state.toUpperCase(),
      mergedAt: p.mergedAt,
    })),
  };
}

/** One case's audit compared with its expected labels. */
export interface CaseScore {
  got: Record<Field, string>;
  expected: Record<Field, string>;
  strict: Record<Field, boolean>;
  lenient: Record<Field, boolean>;
  /** The audit says resolved and the case does not accept it: the worst error. */
  wrongResolved: boolean;
  /** Supported whys, and those whose evidence ids all exist. */
  supportedWhys: number;
  citedWhys: number;
  /** Id of the item holding `expected.evidence`, if found. */
  holderId?: string;
  /** The audit cites the item holding `expected.evidence`. */
  evidenceCited: boolean;
  analysis: ReturnType<typeof buildAnalysis>;
  items: ReturnType<typeof assignIds>['items'];
}

/** Audits one case with the given rules and scores it. */
export function scoreCase(c: Case, file: string, rules: Awaited<ReturnType<typeof loadRules>>, judgement: Judgement = loadJudgement()): CaseScore {
  const snap = snapshotSchema.parse(caseToSnapshot(c));
  const issue = snapshotToIssue({ forge: 'local', location: file, number: snap.number }, snap);
  const thread = collectThread(issue, LOCAL_BOT_LOGIN);
  const { items, signals } = assignIds([thread.output]);
  const a = buildAnalysis({ issueTitle: issue.title, open: issue.state === 'OPEN', items, rules, collectedSignals: signals, judgement });
  const got: Record<Field, string> = { status: a.status.value, owner: a.owner.value, category: a.category.value };
  const expected: Record<Field, string> = { status: c.expected.status, owner: c.expected.owner, category: c.expected.category };
  const acceptable: Record<Field, string[]> = {
    status: [c.expected.status, ...(c.expected.acceptableStatuses ?? [])],
    owner: [c.expected.owner, ...(c.expected.acceptableOwners ?? [])],
    category: [c.expected.category, ...(c.expected.acceptableCategories ?? [])],
  };
  const strict = {} as Record<Field, boolean>;
  const lenient = {} as Record<Field, boolean>;
  for (const field of FIELDS) {
    strict[field] = got[field] === expected[field];
    lenient[field] = acceptable[field].includes(got[field]);
  }
  let supportedWhys = 0;
  let citedWhys = 0;
  for (const w of a.whys) {
    if (!w.supported) continue;
    supportedWhys++;
    if (w.evidence.length > 0 && w.evidence.every((id) => items.some((i) => i.id === id))) citedWhys++;
  }
  const holder = items.find((i) => String(i.text).includes(c.expected.evidence.slice(0, 60)));
  const evidenceCited = Boolean(
    holder && (a.whys.some((w) => w.evidence.includes(holder.id)) || [...a.signals, ...a.threadSignals].some((s) => s.evidence.includes(holder.id))),
  );
  return {
    got,
    expected,
    strict,
    lenient,
    wrongResolved: got.status === 'resolved' && !acceptable.status.includes('resolved'),
    supportedWhys,
    citedWhys,
    ...(holder ? { holderId: holder.id } : {}),
    evidenceCited,
    analysis: a,
    items,
  };
}
