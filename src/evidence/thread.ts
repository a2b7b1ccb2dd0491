import { EXCERPT_CHARS, MAX_EVIDENCE_TEXT_CHARS } from '../domain/constants.ts';
import type { CollectorOutput, EvidenceDraft } from '../domain/types.ts';
import { MAINTAINER_ASSOCIATIONS, type AuthorAssociation } from '../domain/vocabulary.ts';
import type { Issue, IssueComment } from '../forge/forge.ts';
import type { Redacted } from '../domain/redacted.ts';
import { clipRedacted, redactEvidence } from '../redact/redact.ts';
import { redactIssue, type RedactedIssue } from '../redact/redact-issue.ts';
import { isSameLogin } from '../forge/status-comment.ts';
import { StatusMarker } from '../report/status-marker.ts';

type Role = NonNullable<EvidenceDraft['role']>;

/** What progressor's own earlier status comment says; read for metadata, never evidence. */
export interface PriorAudit {
  commentId: string;
  marker: StatusMarker | undefined;
  body: string;
}

export interface ThreadCollection {
  output: CollectorOutput;
  /** progressor's own status comment(s), oldest first; the oldest is the one kept. */
  prior: PriorAudit[];
}

// When the forge does not record author association (older exports, corpora), judge a
// maintainer from what they write: speaking for the project (our server, our docs), thanking
// for the report, triaging (asking for logs), announcing a fix, release, merge or closure.
const MAINTAINER_VOICE = new RegExp(
  [
    String.raw`\breleased in\b`,
    String.raw`\b(?:fixed|done|addressed|resolved) in (?:#\d+|v?\d+\.\d+|master|main|the latest)`,
    String.raw`\b(?:we|i)(?:'ve| have)? (?:just )?(?:merged|released|shipped|pushed|deployed|published|removed|reverted|restarted|queued|bumped|renewed)\b`,
    String.raw`\bjust released\b`,
    String.raw`\bmerged and (?:released|deployed|shipped)\b`,
    String.raw`\breleased as v?\d+\.\d+`,
    // Naming the PR that changes the project: "#219 updates the Dockerfile", "#534 pins x".
    String.raw`(?:^|[\s(])#\d+ (?:fixes|updates|adds|changes|pins|bumps|raises|removes|reverts|moves|makes|switches)\b`,
    // Judging whether the project is at fault, or where the docs cover it.
    String.raw`\b(?:this|it) (?:isn't|is not) (?:a|an) [\w.-]+ (?:defect|bug)\b`,
    String.raw`\b(?:this is |it's |it is )?(?:covered|documented|described) in the (?:\w+ )?(?:docs|documentation|readme|guide|upgrade notes|faq)\b`,
    String.raw`\b(?:will|we'll|i'll) (?:release|publish|ship|close|look into|investigate|try to fix)\b`,
    String.raw`\bwill be (?:released|fixed|included|shipped|available|part of)\b`,
    String.raw`\bclosing (?:this|as|since|because|for now|due)\b`,
    String.raw`\bthis is (?:expected|intended|by design|a known issue)\b`,
    String.raw`\b(?:it|this) is the known issue\b`,
    String.raw`\b(?:a|the) fix (?:has been|was) (?:merged|released)`,
    String.raw`\b(?:latest|next|upcoming|new) (?:commit|release|version|build)\w*[^.\n]{0,30}\b(?:has|have|contains?|includes?) (?:a|the) fix\b`,
    String.raw`\b(?:there|available|included|landed|shipped|supported) (?:as of|since|starting with) v?\d+\.\d+`,
    String.raw`\bthanks? (?:you )?for (?:raising|reporting|filing|opening|flagging|the report|bringing)`,
    String.raw`\b(?:can|could|would) you (?:please )?(?:provide|enable|share|post|attach|send) (?:more|some|the|your|additional|us|debug|full)\b`,
    String.raw`\benable (?:the )?(?:debug )?(?:logs|logging)\b`,
    // "our server" or "our CI" is said by users about their own systems too; "our docs" is not.
    String.raw`\bour (?:docs|documentation|changelog|roadmap|backlog|maintainers|release notes|next release|issue tracker)\b`,
    String.raw`\bthe (?:docs|documentation|readme) (?:only )?(?:describe|say|explain|show|mention|cover)s?\b`,
    String.raw`^\s*(?:now |this is |it's |it is )?(?:fixed|done|merged|released|(?:bumped|raised|changed) (?:it |this |the default )?to)\b[.!]?`,
    // Explaining why the code is the way it is.
    String.raw`\bthe (?:main |original )?(?:motivation|reason|rationale) (?:for|behind) (?:adding|using|choosing|this|the)\b`,
  ].join('|'),
  'im',
);

// A commenter who reports the same trouble or asks how it was solved is another user.
const PARTICIPANT_VOICE =
  /\b(?:same (?:problem|issue|error|thing|here|for me)|me too|i(?:'m| am) (?:also )?(?:having|seeing|getting|experiencing)|we(?:'re| are) (?:also )?(?:seeing|having|getting|experiencing)|any (?:update|news|progress)|what did you do|how did you (?:solve|fix)|i had (?:the same|a similar))\b|^\s*\+1\s*$/im;

// An automated cross-reference to an internal tracker ("Internal Ref: ABC-123") says nothing.
const TRACKER_NOTE = /^\s*[\w ]{0,30}\b(?:ref|reference|ticket|tracking|tracked as|jira)\s*[:#]?\s*[A-Z][A-Z0-9]+-\d+\s*$/i;

export function isBotLogin(login: string): boolean {
  return /\[bot\]$|-bot$|^(?:github-actions|dependabot|renovate|stale|codecov|netlify|vercel)\b/i.test(login);
}

/** Whether a comment's wording sounds like a maintainer's (used when association is unknown). */
export function soundsLikeMaintainer(body: string): boolean {
  return MAINTAINER_VOICE.test(body) && !PARTICIPANT_VOICE.test(body);
}

export function inferRole(
  author: string,
  association: AuthorAssociation | undefined,
  body: string,
  reporter: string,
  botLogin: string,
): Role {
  if (author === botLogin || isBotLogin(author) || StatusMarker.isStatusComment(body) || TRACKER_NOTE.test(body)) return 'bot';
  if (association && MAINTAINER_ASSOCIATIONS.includes(association)) return 'maintainer';
  if (author === reporter) return 'reporter';
  if (association === undefined && soundsLikeMaintainer(body)) return 'maintainer';
  return 'participant';
}

/**
 * Roles per author across the whole thread: someone who speaks as a maintainer in one comment
 * (association unknown) is a maintainer in all of them, unless another of their comments shows
 * them as another affected user.
 */
export function inferRoles(
  comments: readonly { author: string; authorAssociation?: AuthorAssociation; body: string }[],
  reporter: string,
  botLogin: string,
): Role[] {
  const roles = comments.map((c) => inferRole(c.author, c.authorAssociation, c.body, reporter, botLogin));
  const maintainers = new Set<string>();
  const users = new Set<string>();
  comments.forEach((c, i) => {
    if (roles[i] === 'maintainer') maintainers.add(c.author);
    if (c.authorAssociation === undefined && PARTICIPANT_VOICE.test(c.body)) users.add(c.author);
  });
  return comments.map((c, i) => {
    const r = roles[i]!;
    if (r !== 'participant' || c.authorAssociation !== undefined) return r;
    return maintainers.has(c.author) && !users.has(c.author) ? 'maintainer' : r;
  });
}

/** The first non-empty, non-fence line of redacted text, cut to `max` after redaction. */
export function excerptOf(text: Redacted, max = EXCERPT_CHARS): Redacted {
  const line =
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0 && !/^```/.test(l)) ?? '';
  return clipRedacted(line as Redacted, max);
}

function clip(text: Redacted): Redacted {
  return (text.length > MAX_EVIDENCE_TEXT_CHARS ? text.slice(0, MAX_EVIDENCE_TEXT_CHARS) : text) as Redacted;
}

/**
 * The issue thread as evidence (SPEC §5): body, comments, labels, state, linked PRs.
 * progressor's own comments (and other bots') are read for metadata and never evidence.
 */
export function collectThread(
  raw: Issue,
  botLogin: string,
  isOwnLabel: (label: string) => boolean = () => false,
  view: RedactedIssue = redactIssue(raw),
): ThreadCollection {
  const items: EvidenceDraft[] = [];
  const prior: PriorAudit[] = [];
  const issue = view;
  const reporter = issue.author;
  items.push({
    key: 'body',
    kind: 'issue-body',
    source: { url: issue.url },
    at: issue.createdAt,
    author: reporter,
    role: 'reporter',
    position: 0,
    excerpt: excerptOf(`${issue.title}\n${issue.body}` as Redacted),
    text: clip(`${issue.title}\n${issue.body}` as Redacted),
  });
  const roles = inferRoles(raw.comments, reporter, botLogin);
  issue.comments.forEach((c: IssueComment & { body: Redacted }, i) => {
    // Only the bot's own comment carrying the marker is the status comment; anyone else
    // quoting the marker is neither the status comment nor evidence (inferRole → bot).
    const rawBody = raw.comments[i]!.body;
    if (isSameLogin(c.author, botLogin) && StatusMarker.isStatusComment(rawBody)) {
      prior.push({ commentId: c.id, marker: StatusMarker.parse(rawBody), body: rawBody });
      return;
    }
    const role = roles[i]!;
    if (role === 'bot') return;
    items.push({
      key: `comment-${i + 1}`,
      kind: 'comment',
      source: { url: c.url ?? `${issue.url}#issuecomment-${c.id}` },
      at: c.createdAt,
      author: c.author,
      authorAssociation: c.authorAssociation,
      role,
      position: i + 1,
      excerpt: excerptOf(c.body),
      text: clip(c.body),
    });
  });
  for (const pr of [...issue.linkedPullRequests].sort((a, b) => a.number - b.number)) {
    const text = `PR #${pr.number} (${pr.state}): ${pr.title}` as Redacted;
    items.push({
      key: `pr-${pr.number}`,
      kind: 'linked-pr',
      source: { url: pr.url },
      at: pr.mergedAt ?? undefined,
      excerpt: excerptOf(text),
      text,
      meta: { number: pr.number, state: pr.state, mergedAt: pr.mergedAt, checks: pr.checks ?? null },
    });
  }
  // Labels progressor itself manages (status, escalation, claim, session) are its own
  // output, not evidence: reading them back would make every audit differ from the last.
  for (const label of [...issue.labels].filter((l) => !isOwnLabel(l)).sort() as Redacted[]) {
    items.push({
      key: `label-${label}`,
      kind: 'label',
      source: { url: issue.url },
      excerpt: clipRedacted(`label: ${label}` as Redacted, EXCERPT_CHARS),
      text: label,
      meta: { label },
    });
  }
  if (issue.state === 'CLOSED') {
    const reason = issue.stateReason ?? 'unknown';
    items.push({
      key: 'state',
      kind: 'state',
      source: { url: issue.url },
      at: issue.closedAt ?? undefined,
      excerpt: redactEvidence(`closed (${reason})`),
      text: redactEvidence(`closed ${reason}`),
      meta: { state: issue.state, reason },
    });
  }
  return { output: { collector: 'issue-thread', items, signals: [], gaps: [] }, prior };
}
