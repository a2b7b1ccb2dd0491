/** Where CLI output goes; injectable so tests can capture it. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  isTTY: boolean;
}

export const processIo: CliIo = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  isTTY: Boolean(process.stdout.isTTY),
};

/** Formats a session id from the configured label format and a time (UTC). */
export function formatSession(format: string, now: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const parts: Record<string, string> = {
    YYYY: p(now.getUTCFullYear(), 4),
    MM: p(now.getUTCMonth() + 1),
    DD: p(now.getUTCDate()),
    HH: p(now.getUTCHours()),
    mm: p(now.getUTCMinutes()),
    ss: p(now.getUTCSeconds()),
  };
  parts.YYYYMMDD = `${parts.YYYY}${parts.MM}${parts.DD}`;
  parts.HHmmss = `${parts.HH}${parts.mm}${parts.ss}`;
  return format.replace(/\{(YYYYMMDD|HHmmss|YYYY|MM|DD|HH|mm|ss)\}/g, (_, k: string) => parts[k]!);
}

/** A predicate recognising labels made from the session-label format. */
export function sessionLabelMatcher(format: string): (label: string) => boolean {
  const pattern = format
    .split(/(\{(?:YYYYMMDD|HHmmss|YYYY|MM|DD|HH|mm|ss)\})/)
    .map((part) => {
      const m = /^\{(\w+)\}$/.exec(part);
      return m ? `\\d{${m[1]!.length}}` : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  const re = new RegExp(`^${pattern}$`);
  return (label) => re.test(label);
}
