import { readFile, stat } from 'node:fs/promises';
import type { ActionPlan } from '../actions/plan.ts';
import type { Config } from '../config/load-config.ts';
import type { CollectorOutput, EvidenceItem } from '../domain/types.ts';
import { ProgressorError } from '../errors/errors.ts';
import { collectLogs } from '../evidence/logs.ts';
import { mentionedPaths } from '../evidence/logs/audit-sources.ts';
import { collectRepo } from '../evidence/repo.ts';
import { isBotLogin } from '../evidence/thread.ts';
import type { Issue } from '../forge/forge.ts';
import { isSameLogin } from '../forge/status-comment.ts';
import { StatusMarker } from '../report/status-marker.ts';
import type { CompiledRule } from '../rules/compile-rule.ts';
import type { AuditResult } from '../runner/run-audit.ts';
import { checkClaims, type SinceFix } from './check-claims.ts';
import { extractClaims, type ExtractedClaim } from './extract.ts';
import type { ClaimPattern } from './load-claims.ts';
import { claimsHashOf, renderClaimsSection, summarise, withClaimsSection, type VerifyReport } from './render-verify.ts';

/** Largest comment accepted (GitHub allows 65,536 characters; files may be a little larger). */
export const MAX_COMMENT_BYTES = 1 << 20;

/** A comment to check: its text, and where it came from. */
export interface CommentSource {
  ref: string;
  body: string;
  author?: string;
  url?: string;
  /** The thread comment's evidence URL, so its own evidence item never supports it. */
  evidenceUrl?: string;
}

async function readCommentFile(file: string, readStdin?: () => Promise<string>): Promise<string> {
  if (file === '-') {
    if (!readStdin) throw new ProgressorError('INPUT_INVALID', 'cannot read standard input', { file, hint: 'Pass a file path instead of -.' });
    return readStdin();
  }
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) throw new ProgressorError('INPUT_INVALID', 'is neither a comment of the issue nor a readable file', { file, hint: 'Pass a comment id or URL of this issue, a Markdown file, or - for standard input.' });
  if (info.size > MAX_COMMENT_BYTES) throw new ProgressorError('INPUT_INVALID', `is ${info.size} bytes; a comment is at most 65,536 characters`, { file, hint: 'Pass the comment body only.' });
  const buf = await readFile(file);
  if (buf.includes(0)) throw new ProgressorError('INPUT_INVALID', 'is binary, not Markdown', { file, hint: 'Pass the Markdown text of a comment.' });
  return buf.toString('utf8');
}

const commentUrl = (issue: Issue, c: Issue['comments'][number]) => c.url ?? `${issue.url}#issuecomment-${c.id}`;

/**
 * Which comments to check: `--comment` as a comment id or URL of the issue, a file, or `-`;
 * by default every comment on the issue not written by progressor (nor by another bot).
 * @throws ProgressorError INPUT_INVALID when `--comment` names nothing readable.
 */
export async function resolveComments(issue: Issue, botLogin: string, which: string | undefined, readStdin?: () => Promise<string>): Promise<CommentSource[]> {
  const fromThread = (c: Issue['comments'][number]): CommentSource => ({ ref: c.id, body: c.body, author: c.author, url: commentUrl(issue, c), evidenceUrl: commentUrl(issue, c) });
  if (which === undefined) {
    return issue.comments.filter((c) => !isSameLogin(c.author, botLogin) && !isBotLogin(c.author) && !StatusMarker.isStatusComment(c.body)).map(fromThread);
  }
  if (which !== '-') {
    const id = /#issuecomment-(\w+)$/.exec(which)?.[1] ?? which;
    const hit = issue.comments.find((c) => c.id === which || c.id === id || commentUrl(issue, c) === which || c.url === which);
    if (hit) return [fromThread(hit)];
    if (/^https?:\/\//.test(which)) throw new ProgressorError('INPUT_INVALID', `no comment of issue #${issue.number} has this URL`, { file: which, hint: 'Copy the comment link from the issue page, or pass a file.' });
  }
  return [{ ref: which, body: await readCommentFile(which, readStdin) }];
}

/** Artefact paths and configuration setting words the claims name (what to look up in the repository). */
export function lookups(claims: readonly ExtractedClaim[]): { paths: string[]; settingKeys: string[] } {
  const paths = claims.filter((c) => c.kind === 'artefact' && c.facts.path).map((c) => c.facts.path!.replace(/^\.?\//, ''));
  const settingKeys = claims
    .filter((c) => c.kind === 'configuration' && c.facts.setting)
    .map((c) => c.facts.setting!.toLowerCase().split(/\s+/).at(-1)!.replace(/s$/, ''));
  return { paths: [...new Set(paths)].sort(), settingKeys: [...new Set(settingKeys)].sort() };
}

export interface RepoLookupOptions {
  dir: string;
  issue: Issue;
  claims: readonly ExtractedClaim[];
  rules: readonly CompiledRule[];
}

/** The repository collectors for a verify: files the thread and the claims mention, and config lines. */
export function repoCollectors(o: RepoLookupOptions): ((issue: Issue) => Promise<CollectorOutput>)[] {
  const { paths, settingKeys } = lookups(o.claims);
  const out: ((issue: Issue) => Promise<CollectorOutput>)[] = [
    (issue) => collectRepo({ dir: o.dir, issueNumber: issue.number, issueCreatedAt: issue.createdAt, mentionedPaths: [...new Set([...mentionedPaths(issue), ...paths])], rules: o.rules }),
  ];
  // A local snapshot is data about the issue, not the repository's configuration.
  const skip = o.issue.ref.forge === 'local' ? [o.issue.ref.location] : [];
  if (settingKeys.length > 0) out.push(async () => (await import('./config-lines.ts')).collectConfigLines(o.dir, settingKeys, skip));
  return out;
}

/**
 * Log lines since the fix (the latest merged linked PR): failure signals there show that a
 * "resolved" claim does not hold. Appended to the audit's evidence with the next free ids.
 */
export async function sinceFixEvidence(
  issue: Issue,
  items: readonly EvidenceItem[],
  logs: readonly string[],
  rules: readonly CompiledRule[],
  cwd: string,
): Promise<{ items: EvidenceItem[]; sinceFix?: SinceFix }> {
  const merged = issue.linkedPullRequests.filter((p) => p.state === 'MERGED' && p.mergedAt).sort((a, b) => String(a.mergedAt).localeCompare(String(b.mergedAt))).at(-1);
  if (!merged?.mergedAt || logs.length === 0) return { items: [] };
  const out = await collectLogs({ globs: [...logs], rules, since: merged.mergedAt, cwd });
  let next = items.length + 1;
  const idOf = new Map<string, string>();
  const extra: EvidenceItem[] = [];
  for (const d of out.items) {
    if (d.meta?.unrecognised) continue;
    const { key, ...rest } = d;
    const same = items.find((i) => i.kind === 'log' && i.source.path === d.source.path && i.source.line === d.source.line);
    if (same) {
      idOf.set(key, same.id);
      continue;
    }
    const id = `E${next++}`;
    idOf.set(key, id);
    extra.push({ id, ...rest, meta: { ...rest.meta, sinceFix: merged.mergedAt } });
  }
  return {
    items: extra,
    sinceFix: {
      since: merged.mergedAt,
      pr: merged.number,
      signals: out.signals.map((s) => ({ rule: s.rule, title: s.title, count: s.count, lastSeen: s.lastSeen, evidence: s.evidenceKeys.map((k) => idOf.get(k)).filter((x): x is string => !!x) })),
    },
  };
}

/** Builds the report from the audit and the claims of each comment. */
export function buildReport(
  audit: Pick<AuditResult, 'issue' | 'items' | 'analysis' | 'probes' | 'gaps'>,
  comments: readonly CommentSource[],
  patterns: readonly ClaimPattern[],
  extra: { items: EvidenceItem[]; sinceFix?: SinceFix },
): VerifyReport {
  const items = [...audit.items, ...extra.items];
  const claims = comments.flatMap((c) => extractClaims(c.body, patterns).map((x) => ({ ...x, comment: c.ref })));
  const checked = comments.flatMap((c) => {
    const excluded = new Set(items.filter((i) => c.evidenceUrl && i.source.url === c.evidenceUrl).map((i) => i.id));
    return checkClaims(
      claims.filter((x) => x.comment === c.ref),
      { items, signals: [...audit.analysis.signals, ...audit.analysis.threadSignals], probes: audit.probes, excluded, sinceFix: extra.sinceFix, recurrenceRules: audit.analysis.recurrenceRules ?? [] },
    );
  });
  checked.forEach((c, i) => (c.id = `C${i + 1}`));
  return {
    issue: { number: audit.issue.number, title: audit.issue.title, url: audit.issue.url },
    comments: comments.map((c) => ({ ref: c.ref, author: c.author, url: c.url })),
    summary: summarise(checked),
    claims: checked,
    evidence: items.map((i) => ({ id: i.id, kind: i.kind, source: i.source, at: i.at, author: i.author, excerpt: i.excerpt })),
    gaps: audit.gaps,
  };
}

/**
 * The plan for `--apply` (pure): the living status comment with its "Claims checked" section,
 * created when there is none yet, edited otherwise, untouched when neither the audit nor the
 * claims changed. Labels and state are the audit's business, not verify's.
 */
export function planClaimsComment(audit: Pick<AuditResult, 'comment' | 'auditHash' | 'priorCommentId' | 'priorBody' | 'issue'>, report: VerifyReport): ActionPlan {
  const section = renderClaimsSection(report);
  const body = withClaimsSection(audit.comment, section);
  const prior = audit.priorCommentId ? audit.issue.comments.find((c) => c.id === audit.priorCommentId) : undefined;
  // The comment as written (audit.issue is the redacted view, whose markers are broken).
  const priorBody = audit.priorBody ?? prior?.body ?? '';
  const unchanged = prior && StatusMarker.parse(priorBody)?.meta.auditHash === audit.auditHash && claimsHashOf(priorBody) === claimsHashOf(section);
  const comment: ActionPlan['comment'] = !prior
    ? { action: 'create', body }
    : unchanged
      ? { action: 'none', commentId: prior.id, body }
      : { action: 'update', commentId: prior.id, body };
  const summary = comment.action === 'create' ? ['create the status comment with its Claims checked section'] : comment.action === 'update' ? [`update the Claims checked section of the status comment ${comment.commentId}`] : [];
  return { comment, labels: { add: [], remove: [] }, noChange: summary.length === 0, summary };
}

export type { Config };
