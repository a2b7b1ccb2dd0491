import { findLocation, type TestFailure, type TestReport } from './test-report.ts';

const SUMMARY = /^(?:=+ )?(?:(\d+ (?:passed|failed|skipped|errors?|xfailed|xpassed|deselected|warnings?)(?:, \d+ \w+)*) in ([\d.]+)s(?: \([^)]*\))?|no tests ran in ([\d.]+)s)(?: =+)?\s*$/m;

/** True when the text holds pytest's final summary line (`==== 2 failed, 3 passed in 0.1s ====`). */
export function isPytestText(text: string): boolean {
  return SUMMARY.test(text);
}

/**
 * Parses pytest's terminal output: the final summary counts and the `FAILED node - message`
 * lines of the short test summary. Pure.
 */
export function parsePytestText(text: string): TestReport {
  const m = SUMMARY.exec(text);
  const counts: Record<string, number> = {};
  if (m?.[1]) for (const p of m[1].matchAll(/(\d+) (passed|failed|skipped|errors?|xfailed|xpassed|deselected|warnings?)/g)) counts[p[2]!] = Number(p[1]);
  const failures: TestFailure[] = [];
  for (const f of text.matchAll(/^(?:FAILED|ERROR) (\S+?)(?: - (.*))?$/gm)) {
    const node = f[1]!;
    const file = node.split('::')[0];
    const loc = findLocation(text.slice(0, 200_000).split('\n').find((l) => l.startsWith(`${file}:`)) ?? '');
    failures.push({ name: node, message: f[2] ?? 'failed', file, line: loc?.line });
  }
  const failed = (counts.failed ?? 0) + (counts.error ?? 0) + (counts.errors ?? 0);
  const skipped = (counts.skipped ?? 0) + (counts.xfailed ?? 0);
  const passed = (counts.passed ?? 0) + (counts.xpassed ?? 0);
  const secs = m?.[2] ?? m?.[3];
  return { format: 'pytest-text', total: passed + failed + skipped, passed, failed, skipped, durationMs: secs ? Math.round(Number(secs) * 1000) : undefined, failures };
}
