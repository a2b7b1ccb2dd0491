import type { CollectorOutput } from '../../domain/types.ts';
import type { Issue } from '../../forge/forge.ts';
import type { CompiledRule } from '../../rules/compile-rule.ts';
import { collectLogs } from '../logs.ts';
import { collectRepo } from '../repo.ts';
import { collectTestReports } from '../test-reports.ts';

export interface SourceOptions {
  logs?: string[];
  tests?: string[];
  repoDirs?: string[];
  rules: readonly CompiledRule[];
  cwd: string;
  /** Files are named relative to this folder (the repository root or snapshot folder), never the cwd. */
  base?: string;
}

// Repository-relative paths as threads write them: `src/db/pool.py`, `./config/app.yaml`,
// `Dockerfile`-like names are left out (too ambiguous without a slash).
const PATH = /(?<![\w/.:-])(?:\.\/)?((?:[\w.@-]+\/)+[\w.@-]+\.[A-Za-z0-9]{1,8})(?::\d+)?(?![\w/])/g;

/** Repository paths an issue thread mentions (body and comments), excluding URLs. */
export function mentionedPaths(issue: Pick<Issue, 'body' | 'comments'>): string[] {
  const out = new Set<string>();
  for (const text of [issue.body, ...issue.comments.map((c) => c.body)]) {
    for (const m of text.replace(/\bhttps?:\/\/\S+/g, ' ').matchAll(PATH)) out.add(m[1]!);
  }
  return [...out].sort();
}

/** The audit's file-based collectors (`--logs`, `--tests`, `--repo-dir`), given the issue. */
export function sourceCollectors(o: SourceOptions): ((issue: Issue) => Promise<CollectorOutput>)[] {
  const out: ((issue: Issue) => Promise<CollectorOutput>)[] = [];
  if (o.logs && o.logs.length > 0) out.push(() => collectLogs({ globs: o.logs!, rules: o.rules, cwd: o.cwd, base: o.base }));
  if (o.tests && o.tests.length > 0) out.push(() => collectTestReports({ globs: o.tests!, rules: o.rules, cwd: o.cwd, base: o.base }));
  for (const dir of o.repoDirs ?? []) {
    out.push((issue) =>
      collectRepo({ dir, issueNumber: issue.number, issueCreatedAt: issue.createdAt, mentionedPaths: mentionedPaths(issue), rules: o.rules }),
    );
  }
  return out;
}
