import { InvalidArgumentError } from 'commander';
import { parseDuration } from '../probes/duration.ts';
import { parseTimeBound } from '../scan/timestamps.ts';

// Every numeric, duration and time option is parsed here, once and strictly (issue 11):
// commander calls these while parsing, so a bad value stops the command before anything
// runs, with exit 2 and one line naming the option ("option '--max-writes <n>' argument
// 'abc' is invalid. expected a whole number ≥ 0").

/** A whole number at least `min` (no sign, no fraction, no unit). */
export function wholeNumber(min = 0): (text: string) => number {
  return (text) => {
    const t = text.trim();
    if (!/^\d+$/.test(t) || Number(t) < min || !Number.isSafeInteger(Number(t))) {
      throw new InvalidArgumentError(`expected a whole number ≥ ${min}, such as ${Math.max(min, 3)}.`);
    }
    return Number(t);
  };
}

/** A positive number ("20", "0.5"). */
export function positiveNumber(text: string): number {
  const t = text.trim();
  if (!/^\d+(?:\.\d+)?$/.test(t) || Number(t) <= 0) throw new InvalidArgumentError('expected a positive number such as 20.');
  return Number(t);
}

/** A positive duration: "500ms", "10s", "2m", "1h". Returns milliseconds. */
export function duration(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new InvalidArgumentError('expected a duration such as 500ms, 10s or 2m.');
  return ms;
}

/** Seconds, as a positive number ("10", "2.5"); returns milliseconds. */
export function seconds(text: string): number {
  const t = text.trim();
  if (!/^\d+(?:\.\d+)?$/.test(t) || Number(t) <= 0) throw new InvalidArgumentError('expected a number of seconds such as 10.');
  return Math.round(Number(t) * 1000);
}

export const TIME_SYNTAX = 'an ISO time (2026-11-20T17:00:00Z), a date (2026-11-20), or a time back from now (30m, 2h, 7d)';

/**
 * The one time syntax of every time option (--since, --until, --now): validated while
 * parsing, resolved against "now" later with `resolveTime`.
 */
export function time(text: string): string {
  if (parseTimeBound(text, new Date()) === undefined) throw new InvalidArgumentError(`expected ${TIME_SYNTAX}.`);
  return text;
}

/** Resolves a value accepted by `time` to a Date ("30m" = 30 minutes before `now`). */
export function resolveTime(text: string, now: Date): Date {
  const t = parseTimeBound(text, now);
  if (t === undefined) throw new InvalidArgumentError(`expected ${TIME_SYNTAX}.`);
  return new Date(t);
}

/** Collects a repeatable option. */
export function repeatable(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}
