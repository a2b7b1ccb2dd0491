import type { Status } from '../domain/vocabulary.ts';
import { md } from './markdown.ts';

/** Status changes people must be told about with a new comment (COMMENT_STYLE rule 2). */
export const NOTIFIED_STATUSES: readonly Status[] = ['resolved', 'blocked-on-infrastructure'];

export interface NoticeInput {
  status: Status;
  previous: string;
  takeaway: string;
  /** Link to the living status comment. */
  statusCommentUrl: string;
}

/**
 * The short notice posted when the status changes in a way people must be notified of:
 * at most three lines, linking to the one living status comment.
 */
export function renderNotice(n: NoticeInput): string {
  // Evidence ids only resolve inside the status comment; the notice links to it instead.
  const takeaway = n.takeaway.replace(/ \((?:E\d+(?:, )?)+\)/g, '');
  return [`**Status:** \`${n.previous}\` → \`${n.status}\``, `${md.text(takeaway)}`, `Evidence and next steps: [status comment](${n.statusCommentUrl}).`].join('\n');
}
