import { findLocation, headline, type TestFailure, type TestReport } from './test-report.ts';

/**
 * Parses node:test's default "spec" reporter output: the `ℹ tests N` summary and the
 * "failing tests" section (each: `test at file:line:col`, `✖ name`, then the error). Pure.
 */
export function parseNodeTestSpec(text: string): TestReport {
  const summary: Record<string, number> = {};
  for (const m of text.matchAll(/^\s*ℹ\s+(tests|suites|pass|fail|cancelled|skipped|todo|duration_ms)\s+([\d.]+)\s*$/gm)) {
    summary[m[1]!] = Number(m[2]);
  }
  const failures: TestFailure[] = [];
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => /^\s*✖ failing tests:/.test(l));
  if (start >= 0) {
    let i = start + 1;
    while (i < lines.length) {
      const at = /^\s*test at (.+?):(\d+)(?::\d+)?\s*$/.exec(lines[i]!);
      const head = /^\s*✖ (.+?)(?: \([\d.]+m?s\))?\s*$/.exec(at ? (lines[i + 1] ?? '') : lines[i]!);
      if (!head) {
        i++;
        continue;
      }
      i += at ? 2 : 1;
      const body: string[] = [];
      while (i < lines.length && !/^\s*(test at |✖ )/.test(lines[i]!)) body.push(lines[i++]!);
      const msg = headline(body.join('\n')) || head[1]!;
      const loc = at ? { file: at[1]!, line: Number(at[2]) } : findLocation(body.join('\n'));
      failures.push({ name: head[1]!, message: msg, file: loc?.file, line: loc?.line });
    }
  }
  const total = summary.tests ?? 0;
  const failed = (summary.fail ?? failures.length) + (summary.cancelled ?? 0);
  const skipped = (summary.skipped ?? 0) + (summary.todo ?? 0);
  return {
    format: 'node-test',
    total,
    passed: summary.pass ?? Math.max(0, total - failed - skipped),
    failed,
    skipped,
    durationMs: summary.duration_ms,
    failures,
  };
}
