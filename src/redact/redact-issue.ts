import type { Redacted } from '../domain/redacted.ts';
import type { Issue, IssueComment, LinkedPullRequest } from '../forge/forge.ts';
import { redactEvidence } from './redact.ts';

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
    title: redactEvidence(issue.title),
    body: redactEvidence(issue.body),
    labels: issue.labels.map(redactEvidence),
    comments: issue.comments.map((c) => ({ ...c, body: redactEvidence(c.body) })),
    linkedPullRequests: issue.linkedPullRequests.map((p) => ({ ...p, title: redactEvidence(p.title) })),
  };
}
