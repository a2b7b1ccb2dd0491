import { ProgressorError } from '../errors/errors.ts';
import { findLocation, headline, type TestFailure, type TestReport } from './test-report.ts';

interface Assertion {
  fullName?: string;
  title?: string;
  status?: string;
  failureMessages?: string[] | null;
  location?: { line?: number; column?: number } | null;
  duration?: number | null;
}

interface FileResult {
  name?: string;
  status?: string;
  message?: string;
  assertionResults?: Assertion[];
}

// Jest's `--json` output; vitest's `--reporter=json` writes the same jest-compatible shape.
// eslint-disable-next-line no-control-regex -- ANSI colour codes start with ESC
const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

/**
 * Parses jest/vitest JSON results: totals, and failures with the first line of the failure
 * message and the test's location (or the first stack frame). A test file that failed to
 * run (no assertions, a message) counts as one failure. Pure.
 * @throws ProgressorError INPUT_INVALID for JSON of another shape.
 */
export function parseJestJson(json: string, file = 'report.json'): TestReport {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json) as Record<string, unknown>;
  } catch (e) {
    throw new ProgressorError('INPUT_INVALID', `not valid JSON: ${(e as Error).message}`, { file, hint: 'Pass a jest --json or vitest --reporter=json report.' });
  }
  if (typeof o.numTotalTests !== 'number' || !Array.isArray(o.testResults)) {
    throw new ProgressorError('INPUT_INVALID', 'JSON without numTotalTests/testResults: not a jest or vitest report', {
      file,
      hint: 'Use jest --json --outputFile=… or vitest run --reporter=json --outputFile=….',
    });
  }
  const failures: TestFailure[] = [];
  let suiteFailures = 0;
  for (const r of o.testResults as FileResult[]) {
    const asserts = r.assertionResults ?? [];
    for (const a of asserts) {
      if (a.status !== 'failed') continue;
      const raw = stripAnsi((a.failureMessages ?? []).join('\n'));
      const frame = findLocation(raw);
      failures.push({
        name: a.fullName ?? a.title ?? '(unnamed)',
        message: headline(raw) || 'failed',
        file: r.name ?? frame?.file,
        line: a.location?.line ?? (frame && r.name && frame.file.endsWith(r.name.split('/').pop()!) ? frame.line : undefined),
      });
    }
    if (asserts.length === 0 && r.status === 'failed' && r.message) {
      suiteFailures++;
      const msg = stripAnsi(r.message);
      const loc = findLocation(msg);
      failures.push({ name: r.name ?? '(test file)', message: headline(msg), file: r.name ?? loc?.file, line: loc?.line });
    }
  }
  const total = o.numTotalTests as number;
  const failed = ((o.numFailedTests as number) ?? 0) + suiteFailures;
  const skipped = ((o.numPendingTests as number) ?? 0) + ((o.numTodoTests as number) ?? 0);
  return {
    format: 'jest-json',
    total,
    passed: (o.numPassedTests as number) ?? Math.max(0, total - failed - skipped),
    failed,
    skipped,
    failures,
  };
}
