import { STATUS_MARKER_PREFIX } from '../domain/constants.ts';
import type { Forge, IssueComment, IssueRef } from './forge.ts';

/**
 * Same login, ignoring case. The `[bot]` suffix is significant (issue 10): a human account
 * named like the App without `[bot]` is not the bot. The GitHub forge restores the suffix
 * GraphQL drops at its boundary, so both sides are spelled the REST way.
 */
export function isSameLogin(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * The status comment: the bot's comment carrying the `<!-- progressor:status` marker, searched
 * over every comment (all pages), never "the last comment". If several exist (a past crash),
 * the oldest is the one kept.
 */
export function findStatusComment(comments: readonly IssueComment[], botLogin: string): IssueComment | undefined {
  return comments.find((c) => isSameLogin(c.author, botLogin) && c.body.includes(STATUS_MARKER_PREFIX));
}

export type UpsertResult = { action: 'created' | 'updated' | 'unchanged'; commentId: string };

/**
 * Creates the status comment, or edits it in place; an identical body writes nothing.
 * Pass `comments` from a fresh `getIssue` to avoid a second read.
 * @throws ProgressorError from the forge
 */
export async function upsertStatusComment(
  forge: Forge,
  ref: IssueRef,
  body: string,
  comments?: readonly IssueComment[],
): Promise<UpsertResult> {
  const login = await forge.botLogin();
  const existing = findStatusComment(comments ?? (await forge.getIssue(ref)).comments, login);
  if (!existing) return { action: 'created', commentId: await forge.createComment(ref, body) };
  if (existing.body === body) return { action: 'unchanged', commentId: existing.id };
  await forge.updateComment(ref, existing.id, body);
  return { action: 'updated', commentId: existing.id };
}
