import { STATUS_MARKER_PREFIX, STATUS_MARKER_SUFFIX } from '../domain/constants.ts';

/** Metadata progressor hides in its status comment to find, refresh and skip it. */
export interface StatusMeta {
  v: 1;
  issue: number;
  session: string;
  status: string;
  owner: string;
  category: string;
  /** Hash over facts and verdict only (never prose or timestamps). */
  auditHash: string;
  /** ISO time the claim lease expires; absent when released. */
  leaseExpires?: string;
  /** ISO time of the last heartbeat/audit. */
  heartbeat?: string;
}

// Only the marker that ends the comment counts (issue 10): a marker quoted earlier in the
// body (a forged one in a title or log line, or a heartbeat in 2099) is never read.
const TRAILING_MARKER_RE = /<!-- progressor:status (\{[^\n]*?\}) -->\s*$/;

/** The hidden marker (STYLE §8.2): `toString()` and `parse()` round-trip. */
export class StatusMarker {
  readonly meta: StatusMeta;
  constructor(meta: StatusMeta) {
    this.meta = meta;
  }

  /** Reads the trailing marker of a comment body; undefined when absent or unreadable. */
  static parse(body: string): StatusMarker | undefined {
    const at = body.lastIndexOf(STATUS_MARKER_PREFIX);
    if (at < 0) return undefined;
    const m = TRAILING_MARKER_RE.exec(body.slice(at));
    if (!m) return undefined;
    try {
      const meta = JSON.parse(m[1]!) as Partial<StatusMeta>;
      if (meta.v !== 1 || typeof meta.auditHash !== 'string' || typeof meta.issue !== 'number') return undefined;
      return new StatusMarker(meta as StatusMeta);
    } catch {
      return undefined;
    }
  }

  static isStatusComment(body: string): boolean {
    return body.includes(STATUS_MARKER_PREFIX);
  }

  with(patch: Partial<StatusMeta>): StatusMarker {
    return new StatusMarker({ ...this.meta, ...patch });
  }

  toString(): string {
    // JSON never contains "-->" here: values are ids, hashes and ISO times; escape anyway.
    const json = JSON.stringify(this.meta).replace(/--/g, '-\\u002d');
    return `${STATUS_MARKER_PREFIX} ${json} ${STATUS_MARKER_SUFFIX}`;
  }
}
