import type { Forge, IssueRef } from '../forge/forge.ts';
import type { ActionPlan } from './plan.ts';

export interface ExecuteResult {
  written: string[];
  commentId?: string;
}

/**
 * The only writer (STYLE §1): applies a plan through the forge, serially. Comment first,
 * so a crash after it leaves the evidence posted and a re-run only fixes labels.
 */
export async function executePlan(plan: ActionPlan, forge: Forge, ref: IssueRef): Promise<ExecuteResult> {
  const written: string[] = [];
  let commentId = plan.comment.commentId;
  if (plan.comment.action === 'create') {
    commentId = await forge.createComment(ref, plan.comment.body);
    written.push('created the status comment');
  } else if (plan.comment.action === 'update' && plan.comment.commentId) {
    await forge.updateComment(ref, plan.comment.commentId, plan.comment.body);
    written.push(`updated the status comment ${plan.comment.commentId}`);
  }
  if (plan.labels.add.length > 0) {
    await forge.addLabels(ref, plan.labels.add);
    written.push(`added labels ${plan.labels.add.join(', ')}`);
  }
  for (const l of plan.labels.remove) {
    await forge.removeLabel(ref, l);
    written.push(`removed label ${l}`);
  }
  if (plan.notice) {
    await forge.createComment(ref, plan.notice.body);
    written.push('posted a status-change notice');
  }
  if (plan.close) {
    await forge.setState(ref, 'CLOSED', plan.close.reason);
    written.push(`closed the issue (${plan.close.reason})`);
  }
  return { written, commentId };
}
