import { parseLineTimestamp, parseTimeValue } from './timestamps.ts';

/** What a structured log line says, whatever its shape. */
export interface LineFields {
  time?: number;
  message?: string;
  severity?: string;
}

const BUNYAN_LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/**
 * Reads a JSON log line in the common shapes: Cloud Logging (`timestamp`, `severity`,
 * `textPayload`, `jsonPayload.message`), pino/bunyan (`time`, `level`, `msg`), Docker
 * json-file (`log`, `time`, `stream`), ECS/Logstash (`@timestamp`, `message`), journald
 * (`MESSAGE`, `__REALTIME_TIMESTAMP`). Returns undefined for anything that is not a JSON object.
 */
export function parseJsonLine(line: string): LineFields | undefined {
  const t = line.trimStart();
  if (!t.startsWith('{')) return undefined;
  let o: Record<string, unknown>;
  try {
    const v: unknown = JSON.parse(t);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
    o = v as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const payload = (o.jsonPayload && typeof o.jsonPayload === 'object' ? o.jsonPayload : {}) as Record<string, unknown>;
  const message =
    str(o.textPayload) ??
    str(payload.message) ??
    str(o.message) ??
    str(o.msg) ??
    str(o.log)?.replace(/\n$/, '') ??
    str(o.MESSAGE) ??
    str(payload.msg);
  const timeRaw = o.timestamp ?? o.time ?? o['@timestamp'] ?? o.ts ?? o.receiveTimestamp ?? payload.timestamp;
  let time = parseTimeValue(timeRaw);
  if (time === undefined && typeof o.__REALTIME_TIMESTAMP === 'string') time = Math.floor(Number(o.__REALTIME_TIMESTAMP) / 1000);
  const lvl = o.severity ?? o.level ?? o['log.level'] ?? o.levelname;
  const severity = typeof lvl === 'number' ? BUNYAN_LEVELS[lvl] : str(lvl)?.toUpperCase();
  return { time, message, severity };
}

const TIME_FIELD = /"(?:timestamp|time|@timestamp|ts)"\s*:\s*(?:"([^"]{8,40})"|(\d{10,13}(?:\.\d+)?))/;

/**
 * Only the timestamp of a line, cheaply: JSON lines are not parsed when a top-level-looking
 * time field can be read directly (the common case); plain lines use the text forms.
 */
export function lineTime(line: string, year?: number): number | undefined {
  if (line.charCodeAt(0) === 123 /* { */) {
    const m = TIME_FIELD.exec(line.length > 2_000 ? line.slice(0, 2_000) : line);
    if (m) {
      const t = m[1] !== undefined ? parseTimeValue(m[1]) : parseTimeValue(Number(m[2]));
      if (t !== undefined) return t;
    }
    return lineFields(line, year).time;
  }
  return parseLineTimestamp(line, year);
}

/** Timestamp and message of any log line: JSON shapes first, then plain-text forms. */
export function lineFields(line: string, year?: number): LineFields {
  const j = parseJsonLine(line);
  if (j) {
    if (j.time === undefined && j.message) j.time = parseLineTimestamp(j.message, year);
    return j;
  }
  return { time: parseLineTimestamp(line, year) };
}
