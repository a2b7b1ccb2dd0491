// Durations in probe config and CLI flags: a number of milliseconds or "500ms", "2s", "1.5m", "1h".

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** The pattern a duration string must match (used by the schema and the CLI). */
export const DURATION_PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;

/** Parses "2s" / "500ms" / 2000 into milliseconds; undefined when the text is not a duration. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? Math.round(value) : undefined;
  const m = DURATION_PATTERN.exec(value.trim());
  if (!m) return undefined;
  const ms = Math.round(Number(m[1]) * (UNIT_MS[m[2] as string] as number));
  return ms > 0 ? ms : undefined;
}

/** 2000 → "2s", 1500 → "1.5s", 250 → "250ms". */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1_000).toFixed(1))}s`;
  return `${Number((ms / 60_000).toFixed(1))}m`;
}
