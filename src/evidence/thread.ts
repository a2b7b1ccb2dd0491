import { EXCERPT_CHARS, MAX_EVIDENCE_TEXT_CHARS } from '../domain/constants.ts';
import type { CollectorOutput, EvidenceDraft } from '../domain/types.ts';
import { MAINTAINER_ASSOCIATIONS, type AuthorAssociation } from '../domain/vocabulary.ts';
import type { Issue, IssueComment } from '../forge/forge.ts';
import { redact } from '../redact/redact.ts';
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
  /** progressor's own status comment(s), oldest first. */
  prior: PriorAudit[];
}

// When the forge does not record author association (older exports, corpora), judge a
// maintainer from what they write: announcing a release or merge, speaking for the project.
const MAINTAINER_VOICE =
  /\b(?:released in|(?:fixed|done|addressed|resolved) in (?:#\d+|v?\d+\.\d+|master|main|the latest)|we(?:'ve| have)? (?:merged|released|shipped|pushed|deployed|published)|i(?:'ve| have)? (?:merged|released|published|pushed a fix)|(?:will|we'll) (?:release|publish|ship)|closing (?:this|as|since|because|for now)|this is (?:expected|intended|by design)|(?:a|the) fix (?:has been|was) (?:merged|released))/i;

export function isBotLogin(login: string): boolean {
  return /\[bot\]$|-bot$|^(?:github-actions|dependabot|renovate|stale|codecov|netlify|vercel)\b/i.test(login);
}

export function inferRole(
  author: string,
  association: AuthorAssociation | undefined,
  body: string,
  reporter: string,
  botLogin: string,
): Role {
  if (author === botLogin || isBotLogin(author) || StatusMarker.isStatusComment(body)) return 'bot';
  if (association && MAINTAINER_ASSOCIATIONS.includes(association)) return 'maintainer';
  if (author === reporter) return 'reporter';
  if (association === undefined && MAINTAINER_VOICE.test(body)) return 'maintainer';
  return 'participant';
}

export function excerptOf(text: string, max = EXCERPT_CHARS): string {
  const line =
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0 && !/^```/.test(l)) ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function clip(text: string): string {
  return text.length > MAX_EVIDENCE_TEXT_CHARS ? text.slice(0, MAX_EVIDENCE_TEXT_CHARS) : text;
}

/**
 * The issue thread as evidence (SPEC §5): body, comments, labels, state, linked PRs.
 * progressor's own comments (and other bots') are read for metadata and never evidence.
 */
export function collectThread(
  issue: Issue,
  botLogin: string,
  isOwnLabel: (label: string) => boolean = () => false,
): ThreadCollection {
  const items: EvidenceDraft[] = [];
  const prior: PriorAudit[] = [];
  const reporter = issue.author;
  items.push({
    key: 'body',
    kind: 'issue-body',
    source: { url: issue.url },
    at: issue.createdAt,
    author: reporter,
    role: 'reporter',
    position: 0,
    excerpt: redact(excerptOf(`${issue.title}\n${issue.body}`)),
    text: redact(clip(`${issue.title}\n${issue.body}`)),
  });
  issue.comments.forEach((c: IssueComment, i) => {
    const isOwn = c.author === botLogin || StatusMarker.isStatusComment(c.body);
    if (isOwn) {
      prior.push({ commentId: c.id, marker: StatusMarker.parse(c.body), body: c.body });
      return;
    }
    const role = inferRole(c.author, c.authorAssociation, c.body, reporter, botLogin);
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
      excerpt: redact(excerptOf(c.body)),
      text: redact(clip(c.body)),
    });
  });
  for (const pr of [...issue.linkedPullRequests].sort((a, b) => a.number - b.number)) {
    const text = `PR #${pr.number} (${pr.state}): ${pr.title}`;
    items.push({
      key: `pr-${pr.number}`,
      kind: 'linked-pr',
      source: { url: pr.url },
      at: pr.mergedAt ?? undefined,
      excerpt: redact(excerptOf(text)),
      text: redact(text),
      meta: { number: pr.number, state: pr.state, mergedAt: pr.mergedAt, checks: pr.checks ?? null },
    });
  }
  // Labels progressor itself manages (status, escalation, claim, session) are its own
  // output, not evidence: reading them back would make every audit differ from the last.
  for (const label of [...issue.labels].filter((l) => !isOwnLabel(l)).sort()) {
    items.push({
      key: `label-${label}`,
      kind: 'label',
      source: { url: issue.url },
      excerpt: redact(`label: ${label}`),
      text: redact(label),
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
      excerpt: redact(`closed (${reason})`),
      text: redact(`closed ${reason}`),
      meta: { state: issue.state, reason },
    });
  }
  return { output: { collector: 'issue-thread', items, signals: [], gaps: [] }, prior };
}
