// Timestamps in log lines: ISO-8601 / RFC 3339 (with or without zone; no zone = UTC),
// syslog "Mmm dd HH:MM:SS" (year taken from the caller, default the current UTC year),
// nginx/Apache "dd/Mmm/yyyy:HH:MM:SS +zzzz", and epoch numbers in JSON fields.

const MONTHS: Record<string, number> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
};

const ISO =
  /(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s?(Z|[+-]\d{2}:?\d{2}|UTC)?/i;
const NGINX = /(\d{2})\/([A-Za-z]{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:\s([+-]\d{4}))?/;
const SYSLOG = /^(?:<\d+>)?([A-Z][a-z]{2})\s{1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})/;

function zoneOffsetMs(z: string | undefined): number {
  if (!z || z.toUpperCase() === 'Z' || z.toUpperCase() === 'UTC') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(z);
  if (!m) return 0;
  const mins = Number(m[2]) * 60 + Number(m[3]);
  return (m[1] === '-' ? -1 : 1) * mins * 60_000;
}

const d2 = (s: string, i: number) => (s.charCodeAt(i) - 48) * 10 + s.charCodeAt(i + 1) - 48;

/** Fast path for the commonest log prefix: `YYYY-MM-DDTHH:MM:SS[.fff]Z` at the start. */
function isoAtStart(s: string): number | undefined {
  if (s.length < 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  const t = s.charCodeAt(10);
  if (t !== 84 && t !== 32) return undefined;
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 46) {
    let digits = 0;
    i++;
    while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) {
      if (digits < 3) ms = ms * 10 + s.charCodeAt(i) - 48;
      digits++;
      i++;
    }
    for (; digits < 3; digits++) ms *= 10;
  }
  if (s.charCodeAt(i) !== 90) return undefined; // only 'Z' here; other zones take the full parser
  const v = Date.UTC(d2(s, 0) * 100 + d2(s, 2), d2(s, 5) - 1, d2(s, 8), d2(s, 11), d2(s, 14), d2(s, 17), ms);
  return Number.isNaN(v) ? undefined : v;
}

/** Parses an ISO-8601 string to epoch ms (undefined when it is not one). */
export function parseIso(text: string): number | undefined {
  const fast = isoAtStart(text);
  if (fast !== undefined) return fast;
  const m = ISO.exec(text);
  if (!m) return undefined;
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms);
  return Number.isNaN(t) ? undefined : t - zoneOffsetMs(m[8]);
}

/**
 * Finds the first timestamp in the head of a plain log line (the first 160 characters).
 * @param year for syslog lines, which carry no year.
 */
export function parseLineTimestamp(line: string, year = new Date().getUTCFullYear()): number | undefined {
  const head = line.length > 160 ? line.slice(0, 160) : line;
  const iso = parseIso(head);
  if (iso !== undefined) return iso;
  const n = NGINX.exec(head);
  if (n) {
    const mon = MONTHS[n[2]!.toLowerCase()];
    if (mon !== undefined) {
      return Date.UTC(Number(n[3]), mon, Number(n[1]), Number(n[4]), Number(n[5]), Number(n[6])) - zoneOffsetMs(n[7]);
    }
  }
  const s = SYSLOG.exec(head);
  if (s) {
    const mon = MONTHS[s[1]!.toLowerCase()];
    if (mon !== undefined) return Date.UTC(year, mon, Number(s[2]), Number(s[3]), Number(s[4]), Number(s[5]));
  }
  return undefined;
}

/** A JSON timestamp field: ISO string, epoch ms / s number, or Cloud Logging {seconds, nanos}. */
export function parseTimeValue(v: unknown): number | undefined {
  if (typeof v === 'string') {
    if (/^\d{10}(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
    if (/^\d{13}$/.test(v)) return Number(v);
    return parseIso(v);
  }
  if (typeof v === 'number' && Number.isFinite(v)) {
    // pino/bunyan write epoch ms; some loggers write epoch seconds (with fractions).
    return v > 1e11 ? Math.round(v) : Math.round(v * 1000);
  }
  if (v && typeof v === 'object' && 'seconds' in v) {
    const o = v as { seconds: number | string; nanos?: number };
    return Number(o.seconds) * 1000 + Math.floor((o.nanos ?? 0) / 1e6);
  }
  return undefined;
}

/**
 * Parses a `--since/--until` value: an ISO date/time, or a duration back from `now`
 * ("30m", "2h", "7d").
 */
export function parseTimeBound(value: string, now: Date): number | undefined {
  const d = /^(\d+)\s*(s|m|h|d|w)$/.exec(value.trim());
  if (d) {
    const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[d[2] as 's'];
    return now.getTime() - Number(d[1]) * unit;
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(value.trim())) return Date.parse(`${value.trim()}T00:00:00Z`);
  return parseIso(value);
}
