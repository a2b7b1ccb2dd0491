import type { Redacted } from '../domain/redacted.ts';
import type { Issue, IssueComment, LinkedPullRequest } from '../forge/forge.ts';
import { MAX_EVIDENCE_TEXT_CHARS } from '../domain/constants.ts';
import { redactEvidence } from './redact.ts';

// Evidence keeps the first MAX_EVIDENCE_TEXT_CHARS of a text. A 50 MB comment is cut first,
// with a margin longer than any secret form, then redacted, then cut to the limit: the cut
// never leaves half a secret, and redaction never walks the whole 50 MB (issue 10).
const MARGIN = 16_384;
function bounded(text: string): Redacted {
  if (text.length <= MAX_EVIDENCE_TEXT_CHARS) return redactEvidence(text);
  return redactEvidence(text.slice(0, MAX_EVIDENCE_TEXT_CHARS + MARGIN)).slice(0, MAX_EVIDENCE_TEXT_CHARS) as Redacted;
}

/**
 * An issue as analysis and rendering see it (issue 10): every text an outsider can write
 * (title, body, comments, PR titles, labels) went through `redactEvidence` once, here.
 * Assignable to `Issue`; the raw issue is kept only for writes (current labels, the bot's
 * own status comment).
 */
export interface RedactedIssue extends Issue {
  title: Redacted;
  body: Redacted;
  labels: Redacted[];
  comments: (IssueComment & { body: Redacted })[];
  linkedPullRequests: (LinkedPullRequest & { title: Redacted })[];
}

/** Redacts an issue's untrusted text, on values (never on serialised output). */
export function redactIssue(issue: Issue): RedactedIssue {
  return {
    ...issue,
    title: bounded(issue.title),
    body: bounded(issue.body),
    labels: issue.labels.map(bounded),
    comments: issue.comments.map((c) => ({ ...c, body: bounded(c.body) })),
    linkedPullRequests: issue.linkedPullRequests.map((p) => ({ ...p, title: bounded(p.title) })),
  };
}
