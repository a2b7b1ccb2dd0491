import { ProgressorError } from '../errors/errors.ts';
import type { Forge, IssueRef } from './forge.ts';

/** A forge that refuses writes past a budget (`--max-writes`), and what it did and refused. */
export interface BudgetedForge extends Forge {
  /** Writes done so far, in order (human-readable). */
  readonly writesDone: readonly string[];
  /** Writes left in the budget. */
  readonly writesLeft: number;
}

/**
 * Wraps a forge so that at most `maxWrites` mutations go through. The first write past the
 * budget throws BUDGET_EXHAUSTED naming that write and the writes already done; callers add
 * the rest of their plan to the message (`error.message` already says what was refused).
 */
export function withWriteBudget(forge: Forge, maxWrites: number): BudgetedForge {
  const done: string[] = [];
  const spend = (what: string): void => {
    if (done.length >= maxWrites) {
      throw new ProgressorError(
        'BUDGET_EXHAUSTED',
        `write budget exhausted (--max-writes ${maxWrites}): not done: ${what}` +
          (done.length ? `; done: ${done.join('; ')}` : ''),
        { hint: `Run again with a larger --max-writes (at least ${maxWrites + 1}); done writes are not repeated.` },
      );
    }
    done.push(what);
  };
  const at = (ref: IssueRef): string => `${ref.location}#${ref.number}`;
  return {
    name: forge.name,
    get writesDone() {
      return done;
    },
    get writesLeft() {
      return Math.max(0, maxWrites - done.length);
    },
    botLogin: () => forge.botLogin(),
    getIssue: (ref) => forge.getIssue(ref),
    listIssues: (location) => forge.listIssues(location),
    listLabelEvents: (ref) => forge.listLabelEvents(ref),
    ...(forge.lock ? { lock: (ref: IssueRef) => forge.lock!(ref) } : {}),
    createComment: async (ref, body) => {
      spend(`create a comment on ${at(ref)}`);
      return forge.createComment(ref, body);
    },
    updateComment: async (ref, id, body) => {
      spend(`edit comment ${id} on ${at(ref)}`);
      return forge.updateComment(ref, id, body);
    },
    addLabels: async (ref, labels) => {
      spend(`add label${labels.length > 1 ? 's' : ''} ${labels.join(', ')} to ${at(ref)}`);
      return forge.addLabels(ref, labels);
    },
    removeLabel: async (ref, label) => {
      spend(`remove label ${label} from ${at(ref)}`);
      return forge.removeLabel(ref, label);
    },
    findPullRequest: (ref, head) => forge.findPullRequest(ref, head),
    createPullRequest: async (ref, pr) => {
      spend(`open a draft pull request from ${pr.head} in ${at(ref)}`);
      return forge.createPullRequest(ref, pr);
    },
    setState: async (ref, state, reason) => {
      spend(`${state === 'CLOSED' ? `close (${reason ?? 'completed'})` : 'reopen'} ${at(ref)}`);
      return forge.setState(ref, state, reason);
    },
  };
}
