// The claim protocol (SPEC §3 step 0). Labels are not compare-and-set, so a claim is:
// add the claim label and a unique session label, re-read the label events, and let the
// earliest live session label win; losers remove their own session label and back off.
// A lease lasts DEFAULT_LEASE_MINUTES from the session label's event or from the last
// heartbeat written into the status comment's marker; expired sessions are pruned.
import { randomBytes } from 'node:crypto';
import { DEFAULT_CLAIM_LABEL, DEFAULT_LEASE_MINUTES, DEFAULT_SESSION_LABEL_FORMAT } from '../domain/constants.ts';
import { SessionLabelFormat } from '../domain/session-label.ts';
import { ProgressorError } from '../errors/errors.ts';
import type { Forge, Issue, IssueRef, IssueSummary, LabelEvent } from '../forge/forge.ts';
import { findStatusComment } from '../forge/status-comment.ts';
import { StatusMarker } from '../report/status-marker.ts';
import { executePlanOrThrow } from './execute.ts';
import type { ActionPlan } from './plan.ts';

export interface ClaimPolicy {
  /** Default `actively-being-worked-on`. */
  claimLabel?: string;
  /** Session label format (SESSION_LABEL_TOKENS). Default `progressor-session-{YYYYMMDD}-{HHmmss}`. */
  sessionFormat?: string;
  /** Default 20. */
  leaseMinutes?: number;
  now?: () => Date;
}

interface ResolvedPolicy {
  claimLabel: string;
  sessionFormat: SessionLabelFormat;
  leaseMs: number;
  now: () => Date;
}
/** @throws ProgressorError USAGE for an invalid format (the config loader reports it earlier). */
function sessionFormat(format: string): SessionLabelFormat {
  const problems = SessionLabelFormat.problems(format);
  if (problems.length > 0) {
    throw new ProgressorError('USAGE', `session label format "${format}": ${problems.join('; ')}`, {
      hint: 'Use placeholders such as {YYYYMMDD} {HHmmss} {rand}, e.g. agent-session-{YYYYMMDD}-{HHmmss}.',
    });
  }
  return new SessionLabelFormat(format);
}

function resolvePolicy(p: ClaimPolicy = {}): ResolvedPolicy {
  return {
    claimLabel: p.claimLabel ?? DEFAULT_CLAIM_LABEL,
    sessionFormat: sessionFormat(p.sessionFormat ?? DEFAULT_SESSION_LABEL_FORMAT),
    leaseMs: (p.leaseMinutes ?? DEFAULT_LEASE_MINUTES) * 60_000,
    now: p.now ?? (() => new Date()),
  };
}

/** One session label on the issue and its lease. */
export interface SessionLease {
  session: string;
  /** Position of its latest `labeled` event in the forge's event order (the tie-breaker). */
  order: number;
  claimedAt: string;
  /** Last sign of life: the claim time or a later heartbeat in the status marker. */
  lastSeen: string;
  expiresAt: string;
  live: boolean;
}

/** Who holds an issue, from its labels, label events and status marker. */
export interface ClaimState {
  claimLabelPresent: boolean;
  sessions: SessionLease[];
  /** The live session that holds the claim (earliest claim), if any. */
  holder?: SessionLease;
}

function heartbeatOf(issue: Pick<Issue, 'comments'> | undefined, botLogin: string | undefined): { session: string; at: number } | undefined {
  if (!issue || !botLogin) return undefined;
  const c = findStatusComment(issue.comments, botLogin);
  const meta = c ? StatusMarker.parse(c.body)?.meta : undefined;
  if (!meta?.session || !meta.heartbeat) return undefined;
  const at = Date.parse(meta.heartbeat);
  return Number.isFinite(at) ? { session: meta.session, at } : undefined;
}

/**
 * Computes the claim state from label events (oldest first). Pure.
 * A session label is present if its last event is `labeled`; it is live while
 * max(claim time, heartbeat) + lease is in the future; the holder is the live session
 * whose label event came first.
 */
export function computeClaimState(
  labels: readonly string[],
  events: readonly LabelEvent[],
  policy: ClaimPolicy = {},
  heartbeat?: { session: string; at: number },
): ClaimState {
  const p = resolvePolicy(policy);
  const now = p.now().getTime();
  const latest = new Map<string, { order: number; at: string } | null>();
  events.forEach((e, order) => {
    if (!p.sessionFormat.matches(e.label)) return;
    latest.set(e.label, e.action === 'labeled' ? { order, at: e.at } : null);
  });
  const sessions: SessionLease[] = [];
  for (const label of labels) {
    if (!p.sessionFormat.matches(label)) continue;
    // A label with no event (a forge that keeps none) counts as claimed at the start of time.
    const ev = latest.get(label) ?? { order: -1, at: new Date(0).toISOString() };
    let seen = Date.parse(ev.at);
    if (heartbeat && heartbeat.session === label) seen = Math.max(seen, heartbeat.at);
    const expires = seen + p.leaseMs;
    sessions.push({
      session: label,
      order: ev.order,
      claimedAt: ev.at,
      lastSeen: new Date(seen).toISOString(),
      expiresAt: new Date(expires).toISOString(),
      live: expires > now,
    });
  }
  sessions.sort((a, b) => a.order - b.order || a.session.localeCompare(b.session));
  const claimLabelPresent = labels.includes(p.claimLabel);
  const holder = claimLabelPresent ? sessions.find((s) => s.live) : undefined;
  return { claimLabelPresent, sessions, holder };
}

/** Reads the claim state of an issue (one getIssue). */
export async function readClaimState(
  forge: Forge,
  ref: IssueRef,
  policy: ClaimPolicy = {},
): Promise<ClaimState & { issue: Issue; eventCount: number }> {
  const issue = await forge.getIssue(ref);
  const events = issue.labelEvents ?? (await forge.listLabelEvents(ref));
  const login = await forge.botLogin();
  return { ...computeClaimState(issue.labels, events, policy, heartbeatOf(issue, login)), issue, eventCount: events.length };
}

export type ClaimResult =
  | { won: true; session: string; expiresAt: string; reclaimedFrom: string[]; pruned: string[] }
  | { won: false; session: string; holder: string; reason: 'held' | 'lost-race' };

/**
 * Claims an issue for a session. Returns `won: false` (after removing the session's own
 * label) when another live session holds it or claimed it first.
 * @throws ProgressorError from the forge
 */
export async function claimIssue(forge: Forge, ref: IssueRef, options: ClaimPolicy & { session?: string } = {}): Promise<ClaimResult> {
  const p = resolvePolicy(options);
  const session = options.session ?? p.sessionFormat.formatLabel(p.now(), randomBytes(2).toString('hex'));
  if (!p.sessionFormat.matches(session)) {
    throw new ProgressorError('USAGE', `session label "${session}" does not match the session format "${p.sessionFormat}"`, {
      hint: `Leave out --session to get a new label, or pass one such as "${p.sessionFormat.formatLabel(p.now(), 'ab12')}".`,
    });
  }
  const before = await readClaimState(forge, ref, options);
  if (before.holder && before.holder.session !== session) {
    return { won: false, session, holder: before.holder.session, reason: 'held' };
  }
  // Expired sessions (crashed workers) are pruned while claiming.
  const stale = before.sessions.filter((s) => !s.live && s.session !== session).map((s) => s.session);
  const missing = [p.claimLabel, session].filter((l) => !before.issue.labels.includes(l));
  await executePlanOrThrow(planClaim(missing, stale), forge, ref);

  // Re-read: the earliest live session label wins; the order is the forge's event order.
  // Labels added since our first read are concurrent claims (ours included): live whatever
  // the clocks say, so skew between worker and forge cannot make everyone lose.
  const events = await forge.listLabelEvents(ref);
  const labels = replayLabels(before.issue.labels, events, [...missing], stale);
  const after = computeClaimState(labels, events, options, heartbeatOf(before.issue, await forge.botLogin()));
  const seenBefore = before.eventCount;
  const winner = after.sessions.find((s) => s.live || s.order >= seenBefore);
  if (!winner || winner.session !== session) {
    await executePlanOrThrow(planClaim([], [session]), forge, ref);
    return { won: false, session, holder: winner?.session ?? 'unknown', reason: 'lost-race' };
  }
  return {
    won: true,
    session,
    expiresAt: winner.live ? winner.expiresAt : new Date(p.now().getTime() + p.leaseMs).toISOString(),
    reclaimedFrom: before.claimLabelPresent && !before.holder ? stale : [],
    pruned: stale,
  };
}

/** Labels now on the issue: the labels read before, replayed through the session events since. */
function replayLabels(before: readonly string[], events: readonly LabelEvent[], added: string[], removed: string[]): string[] {
  const set = new Set(before.filter((l) => !removed.includes(l)).concat(added));
  // Sessions added or removed by others since our read show up in the events.
  const last = new Map<string, 'labeled' | 'unlabeled'>();
  for (const e of events) last.set(e.label, e.action);
  for (const [label, action] of last) {
    if (action === 'labeled') set.add(label);
    else set.delete(label);
  }
  return [...set];
}

/** The claim's label changes as a plan (pure): add the claim and session labels, prune or drop sessions. */
export function planClaim(add: string[], remove: string[]): ActionPlan {
  const summary = [...add.map((l) => `add label ${l}`), ...remove.map((l) => `remove label ${l}`)];
  return { comment: { action: 'none', body: '' }, labels: { add, remove }, noChange: summary.length === 0, summary };
}

/** The status comment a heartbeat creates when the issue has none yet: it passes `progressor lint`. */
export function renderClaimComment(issue: number, session: string, expiresAt: string, marker: StatusMarker): string {
  return [
    '**Status:** in-progress · **Owner:** unknown · low confidence',
    `Claimed by session \`${session}\` until \`${expiresAt}\`; no audit has run on issue #${issue} yet.`,
    '',
    '### Next',
    '',
    `- Maintainers: run \`progressor audit\` on this issue to gather the evidence and decide the status.`,
    '',
    marker.toString(),
  ].join('\n');
}

/**
 * Plans a heartbeat (pure): `heartbeat` and `leaseExpires` written into the status comment's
 * marker, or a short status comment when the issue has none yet.
 */
export function planHeartbeat(
  existing: { id: string; body: string } | undefined,
  issue: number,
  patch: { session: string; heartbeat: string; leaseExpires: string },
): ActionPlan {
  const fresh = () => new StatusMarker({ v: 1, issue, status: 'in-progress', owner: 'unknown', category: 'unknown', auditHash: '', ...patch });
  if (existing) {
    const marker = StatusMarker.parse(existing.body);
    const body = marker ? existing.body.replace(marker.toString(), marker.with(patch).toString()) : `${existing.body}\n${fresh().toString()}`;
    return { comment: { action: 'update', commentId: existing.id, body }, labels: { add: [], remove: [] }, noChange: false, summary: [`update the status comment ${existing.id} (heartbeat)`] };
  }
  return {
    comment: { action: 'create', body: renderClaimComment(issue, patch.session, patch.leaseExpires, fresh()) },
    labels: { add: [], remove: [] },
    noChange: false,
    summary: ['create the status comment (heartbeat)'],
  };
}

/**
 * Extends the lease through the executor (see planHeartbeat).
 * @throws ProgressorError CLAIM_LOST when the session no longer holds the issue.
 */
export async function heartbeatClaim(
  forge: Forge,
  ref: IssueRef,
  session: string,
  policy: ClaimPolicy = {},
): Promise<{ expiresAt: string; commentId: string }> {
  const p = resolvePolicy(policy);
  const state = await readClaimState(forge, ref, policy);
  if (state.holder?.session !== session) {
    throw new ProgressorError('CLAIM_LOST', `${ref.location}#${ref.number} is not held by ${session}${state.holder ? ` (held by ${state.holder.session})` : ''}`, {
      hint: 'Claim it again with `progressor claim`, or move on to another issue.',
    });
  }
  const now = p.now();
  const expiresAt = new Date(now.getTime() + p.leaseMs).toISOString();
  const existing = findStatusComment(state.issue.comments, await forge.botLogin());
  const plan = planHeartbeat(existing, ref.number, { session, heartbeat: now.toISOString(), leaseExpires: expiresAt });
  const { commentId } = await executePlanOrThrow(plan, forge, ref);
  return { expiresAt, commentId: commentId ?? existing?.id ?? '' };
}

/**
 * Releases a session's claim: removes its session label, and the claim label unless
 * another live session still holds the issue. Idempotent.
 */
export async function releaseClaim(
  forge: Forge,
  ref: IssueRef,
  session: string | undefined,
  policy: ClaimPolicy = {},
): Promise<{ removed: string[] }> {
  const p = resolvePolicy(policy);
  const state = await readClaimState(forge, ref, policy);
  const mine = session ? [session] : state.sessions.map((s) => s.session);
  const removed = mine.filter((label) => state.issue.labels.includes(label));
  const othersLive = state.sessions.some((s) => s.live && !mine.includes(s.session));
  if (state.claimLabelPresent && !othersLive) removed.push(p.claimLabel);
  await executePlanOrThrow(planClaim([], removed), forge, ref);
  return { removed };
}

export type Focus = 'p0' | 'recent' | (string & {});
const PRIORITY_ORDER = ['critical', 'p0', 'p1', 'p2', 'p3'];

/**
 * Picks the next issue a worker would take: open issues matching the focus (a label, `p0`,
 * or `recent` = most recently updated), priority labels first, skipping live claims.
 * Issues carrying the claim label are checked (one read each) for an expired lease.
 */
export async function pickNextIssue(
  forge: Forge,
  location: string,
  options: ClaimPolicy & { focus?: Focus; skip?: (ref: IssueRef) => boolean } = {},
): Promise<{ issue: IssueSummary; reclaimable: boolean } | undefined> {
  const p = resolvePolicy(options);
  const all = await forge.listIssues(location);
  const focus = options.focus;
  const rank = (i: IssueSummary): number => {
    const r = PRIORITY_ORDER.findIndex((l) => i.labels.some((x) => x.toLowerCase() === l));
    return r < 0 ? PRIORITY_ORDER.length : r;
  };
  const candidates = (focus && focus !== 'recent' ? all.filter((i) => i.labels.includes(focus)) : all)
    .slice()
    .sort((a, b) => (focus === 'recent' ? 0 : rank(a) - rank(b)) || b.updatedAt.localeCompare(a.updatedAt) || a.ref.number - b.ref.number);
  for (const issue of candidates) {
    // `skip`: issues this worker pool has already taken (a fleet picks one at a time).
    if (options.skip?.(issue.ref)) continue;
    if (!issue.labels.includes(p.claimLabel)) return { issue, reclaimable: false };
    const state = await readClaimState(forge, issue.ref, options);
    if (!state.holder) return { issue, reclaimable: true };
  }
  return undefined;
}
