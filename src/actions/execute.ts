import { ProgressorError } from '../errors/errors.ts';
import type { Forge, IssueRef, NewPullRequest, PullRequest } from '../forge/forge.ts';
import type { ActionPlan } from './plan.ts';

export interface ExecuteResult {
  written: string[];
  /** Planned writes not made because the write budget ran out (in plan order). */
  notWritten: string[];
  /** The BUDGET_EXHAUSTED error, when the budget stopped the plan part-way. */
  budgetExhausted?: ProgressorError;
  commentId?: string;
}

/**
 * The only writer (STYLE §1): applies a plan through the forge, serially. Comment first,
 * so a crash after it leaves the evidence posted and a re-run only fixes labels. When the
 * write budget (`--max-writes`) runs out, the result says what was and was not written;
 * any other failure is thrown.
 */
export async function executePlan(plan: ActionPlan, forge: Forge, ref: IssueRef): Promise<ExecuteResult> {
  let commentId = plan.comment.commentId;
  const steps: { todo: string; done: string; run: () => Promise<void> }[] = [];
  if (plan.comment.action === 'create') {
    steps.push({ todo: 'create the status comment', done: 'created the status comment', run: async () => void (commentId = await forge.createComment(ref, plan.comment.body)) });
  } else if (plan.comment.action === 'update' && plan.comment.commentId) {
    const id = plan.comment.commentId;
    steps.push({ todo: `update the status comment ${id}`, done: `updated the status comment ${id}`, run: () => forge.updateComment(ref, id, plan.comment.body) });
  }
  if (plan.labels.add.length > 0) steps.push({ todo: `add labels ${plan.labels.add.join(', ')}`, done: `added labels ${plan.labels.add.join(', ')}`, run: () => forge.addLabels(ref, plan.labels.add) });
  for (const l of plan.labels.remove) steps.push({ todo: `remove label ${l}`, done: `removed label ${l}`, run: () => forge.removeLabel(ref, l) });
  if (plan.notice) {
    const body = plan.notice.body;
    steps.push({ todo: 'post a status-change notice', done: 'posted a status-change notice', run: async () => void (await forge.createComment(ref, body)) });
  }
  if (plan.close) {
    const reason = plan.close.reason;
    steps.push({ todo: `close the issue (${reason})`, done: `closed the issue (${reason})`, run: () => forge.setState(ref, 'CLOSED', reason) });
  }

  const written: string[] = [];
  for (const [i, step] of steps.entries()) {
    try {
      await step.run();
    } catch (e) {
      if (e instanceof ProgressorError && e.code === 'BUDGET_EXHAUSTED') {
        return { written, notWritten: steps.slice(i).map((s) => s.todo), budgetExhausted: e, commentId };
      }
      throw e;
    }
    written.push(step.done);
  }
  return { written, notWritten: [], commentId };
}

/** executePlan for callers without a budget report of their own: a stopped plan throws. */
export async function executePlanOrThrow(plan: ActionPlan, forge: Forge, ref: IssueRef): Promise<ExecuteResult> {
  const result = await executePlan(plan, forge, ref);
  if (result.budgetExhausted) throw result.budgetExhausted;
  return result;
}

/**
 * Opens the draft pull request of a run (SPEC §3 step 9) through the forge. The runner
 * looks for an existing PR from the branch first, so a resumed run reuses it.
 */
export async function executePullRequest(pr: NewPullRequest, forge: Forge, ref: IssueRef): Promise<PullRequest> {
  return forge.createPullRequest(ref, pr);
}
