// Every label, marker and limit is defined once, here (STYLE §3).

export const DEFAULT_CLAIM_LABEL = 'actively-being-worked-on';
export const DEFAULT_SESSION_LABEL_FORMAT = 'progressor-session-{YYYYMMDD}-{HHmmss}';
export const STATUS_MARKER_PREFIX = '<!-- progressor:status';
export const STATUS_MARKER_SUFFIX = '-->';
export const DEFAULT_LEASE_MINUTES = 20;
export const MAX_COMMENT_CHARS = 65_536;
export const MAX_EVIDENCE_TEXT_CHARS = 200_000;
export const EXCERPT_CHARS = 160;
export const MAX_WHYS = 5;
/** Next lists at most this many steps, root cause first (the rest is folded with the reason). */
export const MAX_NEXT_STEPS = 5;
/** Monitor and Validate show at most this many lines each. */
export const MAX_CHECK_LINES = 3;
/** The visible part of the status comment (above the first <details>) stays within this many words. */
export const MAX_VISIBLE_WORDS = 350;
export const MAX_CONSECUTIVE_HYPOTHESES = 2;
export const MAX_RECOMMENDED_LABELS = 3;
/** Margin under which a decision lowers confidence and the comment says so. */
export const LOW_MARGIN = 1.0;
/** Longest probe timeout or duration in probe config (Node's timer overflows past 2^31-1 ms). */
export const MAX_PROBE_DURATION_MS = 600_000;
/** Probes derived from one issue's text, at most (issue 10); the rest are reported as gaps. */
export const MAX_DERIVED_PROBES = 5;
