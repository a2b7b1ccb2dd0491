// Development data for the judgement: the labelled threads (../shared/eval/cases) as the
// decision layer sees them, and the labelled statements (data/acts/*.jsonl) as the act model
// sees them. Shared by `npm run train` and `npm run eval`. Reads ../shared: users never need it.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { assignIds } from '../analysis/assign-ids.ts';
import { buildAnalysisView } from '../analysis/build-analysis.ts';
import type { EvidenceItem } from '../domain/types.ts';
import type { Redacted } from '../domain/redacted.ts';
import { collectThread } from '../evidence/thread.ts';
import { LOCAL_BOT_LOGIN, snapshotToIssue } from '../forge/local/local-forge.ts';
import { snapshotSchema } from '../forge/local/snapshot-schema.ts';
import type { LabelledStatement } from '../judgement/act-model.ts';
import type { LabelledThread, Priors } from '../judgement/fit.ts';
import { DATA_DIR } from '../judgement/load-judgement.ts';
import type { CompiledRule } from '../rules/compile-rule.ts';
import { matchThreadRules } from '../rules/thread-detectors.ts';
import { STATUSES, type Category, type Owner, type Status } from '../domain/vocabulary.ts';
import { caseToSnapshot, type Case } from './score-case.ts';

/** The development cases: `shared/eval/cases` in the nearest folder above the project that has one. */
export const DEFAULT_CASES = findShared(resolve(import.meta.dirname, '../..'));

function findShared(from: string): string {
  for (let d = dirname(from); ; d = dirname(d)) {
    const c = join(d, 'shared/eval/cases');
    if (existsSync(c)) return c;
    if (dirname(d) === d) return join(dirname(from), 'shared/eval/cases');
  }
}

export function readCases(dir: string): { file: string; c: Case }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, c: JSON.parse(readFileSync(join(dir, file), 'utf8')) as Case }));
}

/** A case as the decision layer sees it, with its accepted labels. */
export function caseThread(c: Case, file: string, rules: CompiledRule[]): LabelledThread {
  const snap = snapshotSchema.parse(caseToSnapshot(c));
  const issue = snapshotToIssue({ forge: 'local', location: file, number: snap.number }, snap);
  const thread = collectThread(issue, LOCAL_BOT_LOGIN);
  const { items, signals } = assignIds([thread.output]);
  const view = buildAnalysisView({ issueTitle: issue.title, open: issue.state === 'OPEN', items, rules, collectedSignals: signals });
  const e = c.expected;
  return {
    id: c.id,
    repo: c.source.repo,
    view,
    accept: {
      status: [e.status, ...(e.acceptableStatuses ?? [])] as Status[],
      owner: [e.owner, ...(e.acceptableOwners ?? [])] as Owner[],
      category: [e.category, ...(e.acceptableCategories ?? [])] as Category[],
    },
  };
}

interface LabelLine {
  case?: string;
  url?: string;
  index: number;
  role?: string;
  prev?: string | null;
  text?: string;
  acts: { act: string; fault?: string; target?: string; hedged?: boolean }[];
}

function readJsonl(file: string): LabelLine[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as LabelLine);
}

const ROLE: Record<string, EvidenceItem['role']> = { maintainer: 'maintainer', reporter: 'reporter', other: 'participant', unknown: 'participant' };

function item(id: string, text: string, role: EvidenceItem['role'], position: number): EvidenceItem {
  return { id, kind: position === 0 ? 'issue-body' : 'comment', source: {}, role, position, excerpt: text as Redacted, text: text as Redacted };
}

/** Thread rules whose wording matches a statement (given the one before it). */
function rulesFor(text: string, prev: string | undefined, role: EvidenceItem['role'], index: number, rules: CompiledRule[]): string[] {
  const items = [...(prev !== undefined && index > 0 ? [item('P', prev, 'participant', index - 1)] : []), item('S', text, role, index)];
  return [...new Set(matchThreadRules(items, rules).filter((s) => s.hits.some((h) => h.evidence === 'S')).map((s) => s.rule))].sort();
}

function repoOf(url: string): string {
  const m = /github\.com\/([^/]+\/[^/]+)/.exec(url);
  return (m?.[1] ?? url).toLowerCase();
}

/** All labelled statements: development cases by reference, public comments verbatim. */
export function readLabelledStatements(threads: LabelledThread[], rules: CompiledRule[], dir = join(DATA_DIR, 'acts')): LabelledStatement[] {
  const byCase = new Map(threads.map((t) => [t.id, t]));
  const out: LabelledStatement[] = [];
  const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort();
  for (const f of files) {
    for (const l of readJsonl(join(dir, f))) {
      if (l.case) {
        const t = byCase.get(l.case);
        const s = t?.view.statements.find((x) => x.position === l.index);
        if (!t || !s) continue;
        out.push({ repo: t.repo.toLowerCase(), source: `${t.id}#${l.index}`, input: s, acts: l.acts });
      } else if (l.url && l.text !== undefined) {
        const role = ROLE[l.role ?? 'unknown'] ?? 'participant';
        const prev = l.prev ?? undefined;
        out.push({
          repo: repoOf(l.url),
          source: `${l.url}#${l.index}`,
          input: {
            text: l.text,
            ...(prev !== undefined && l.index > 0 ? { prev } : {}),
            role,
            kind: l.index === 0 ? 'body' : 'comment',
            rules: rulesFor(l.text, prev, role, l.index, rules),
          },
          acts: l.acts,
        });
      }
    }
  }
  return out;
}

/** The act definitions' own `match` examples, as labelled statements (written for this project). */
export function actDefinitionExamples(defs: { id: string; examples: { match: string[] } }[]): LabelledStatement[] {
  return defs.flatMap((d) =>
    d.examples.match.map((text, i) => ({
      repo: 'progressor/act-definitions',
      source: `data/acts/defs/${d.id}.yaml#${i}`,
      input: { text, kind: 'comment' as const, role: 'maintainer' as const },
      acts: [{ act: d.id }],
    })),
  );
}

/** Priors from data/judgement/priors.yaml plus each thread rule's status effects (scaled). */
export function withRulePriors(p: Priors, rules: CompiledRule[], scale = 0.3): Priors {
  const status = new Map(p.status);
  for (const r of rules) {
    if (r.kind !== 'thread') continue;
    for (const s of STATUSES) {
      const v = r.spec.effects?.status?.[s];
      if (v) status.set(`rule:${r.id}@${s}`, (status.get(`rule:${r.id}@${s}`) ?? 0) + v * scale);
    }
  }
  return { ...p, status };
}
