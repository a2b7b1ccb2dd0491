import { MAX_RECOMMENDED_LABELS } from '../domain/constants.ts';
import type { Analysis } from '../domain/types.ts';
import { STATUSES, type Owner, type Status } from '../domain/vocabulary.ts';
import { NOTIFIED_STATUSES } from '../report/render-notice.ts';
import type { StatusMarker } from '../report/status-marker.ts';

/** The part of the configuration that decides what an audit changes on the forge. */
export interface AuditPolicy {
  statusLabels: Partial<Record<Status, string[]>>;
  escalation: Partial<Record<Owner, { label?: string; team?: string }>>;
  closeOnResolved: boolean;
  maxLabels: number;
  /** Allow-list: when set, no label outside it is ever added (issue text never makes labels). */
  allowed?: string[];
}

export interface ActionPlan {
  comment: { action: 'create' | 'update' | 'none'; commentId?: string; body: string };
  labels: { add: string[]; remove: string[] };
  close?: { reason: 'completed' | 'not_planned' };
  escalate?: { owner: Owner; label?: string; team?: string };
  /** A short new comment announcing a status change people must know of (COMMENT_STYLE 2). */
  notice?: { body: string };
  /** True when nothing would be written. */
  noChange: boolean;
  /** One line per planned change, for printing. */
  summary: string[];
}

export interface PlanInput {
  analysis: Analysis;
  auditHash: string;
  commentBody: string;
  currentLabels: string[];
  open: boolean;
  prior?: { commentId: string; marker?: StatusMarker };
  policy: AuditPolicy;
  /** The rendered notice, posted only when the status changed to a notified one. */
  notice?: string;
}

/** Labels for a status (plus escalation), at most `maxLabels` (COMMENT_STYLE §8). */
export function plannedLabels(analysis: Analysis, policy: AuditPolicy): string[] {
  const labels = [...(policy.statusLabels[analysis.status.value] ?? [])];
  if (analysis.status.value === 'blocked-on-infrastructure') {
    const esc = policy.escalation[analysis.owner.value]?.label;
    if (esc && !labels.includes(esc)) labels.push(esc);
  }
  const permitted = policy.allowed ? labels.filter((l) => policy.allowed!.includes(l)) : labels;
  return permitted.slice(0, Math.min(policy.maxLabels, MAX_RECOMMENDED_LABELS));
}

/**
 * Turns an analysis into the changes to make (pure). An unchanged audit hash plans no
 * comment edit; labels are only added or removed when they differ from the issue's.
 */
export function planActions(input: PlanInput): ActionPlan {
  const { analysis, policy } = input;
  const want = plannedLabels(analysis, policy);
  const managed = new Set<string>();
  for (const s of STATUSES) for (const l of policy.statusLabels[s] ?? []) managed.add(l);
  for (const e of Object.values(policy.escalation)) if (e?.label) managed.add(e.label);
  const add = want.filter((l) => !input.currentLabels.includes(l));
  const remove = input.currentLabels.filter((l) => managed.has(l) && !want.includes(l)).sort();

  let comment: ActionPlan['comment'];
  if (!input.prior) comment = { action: 'create', body: input.commentBody };
  else if (input.prior.marker?.meta.auditHash === input.auditHash)
    comment = { action: 'none', commentId: input.prior.commentId, body: input.commentBody };
  else comment = { action: 'update', commentId: input.prior.commentId, body: input.commentBody };

  const close =
    analysis.status.value === 'resolved' && policy.closeOnResolved && input.open
      ? { reason: 'completed' as const }
      : undefined;
  const escalate =
    analysis.status.value === 'blocked-on-infrastructure'
      ? { owner: analysis.owner.value, ...policy.escalation[analysis.owner.value] }
      : undefined;

  const before = input.prior?.marker?.meta.status;
  const notice =
    input.notice && before !== undefined && before !== analysis.status.value && NOTIFIED_STATUSES.includes(analysis.status.value)
      ? { body: input.notice }
      : undefined;

  const summary: string[] = [];
  if (comment.action === 'create') summary.push('create the status comment');
  if (comment.action === 'update') summary.push(`update the status comment ${comment.commentId}`);
  for (const l of add) summary.push(`add label ${l}`);
  for (const l of remove) summary.push(`remove label ${l}`);
  if (notice) summary.push(`post a notice: status ${before} → ${analysis.status.value}`);
  if (close) summary.push(`close the issue (${close.reason})`);
  const noChange = summary.length === 0;
  return { comment, labels: { add, remove }, close, escalate, notice, noChange, summary };
}
