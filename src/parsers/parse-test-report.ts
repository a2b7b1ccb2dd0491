import { ProgressorError } from '../errors/errors.ts';
import { parseJestJson } from './jest-json.ts';
import { parseJunit } from './junit.ts';
import { parseNodeTestSpec } from './node-test.ts';
import { isPytestText, parsePytestText } from './pytest-text.ts';
import { parseTap } from './tap.ts';
import type { TestReport } from './test-report.ts';

/**
 * Detects the format of a test report by its content and parses it: JUnit XML (pytest,
 * surefire), jest/vitest JSON, TAP (node:test's TAP reporter included), node:test spec
 * output, pytest terminal output. Pure.
 * @throws ProgressorError INPUT_INVALID naming the file when no format fits.
 */
export function parseTestReport(text: string, file: string): TestReport {
  const t = text.replace(/^\uFEFF/, '').trimStart();
  if (t.startsWith('<')) return parseJunit(t, file);
  if (t.startsWith('{')) return parseJestJson(t, file);
  if (/^\s*ℹ tests \d+/m.test(t)) return parseNodeTestSpec(t);
  if (/^TAP version \d+/m.test(t) || /^\s*1\.\.\d+\s*$/m.test(t) || /^(not )?ok \d+/m.test(t)) return parseTap(t);
  if (isPytestText(t)) return parsePytestText(t);
  throw new ProgressorError('INPUT_INVALID', 'not a recognised test report', {
    file,
    hint: 'Supported: JUnit XML (pytest --junitxml, surefire), jest --json / vitest --reporter=json, TAP, node:test spec output, pytest output.',
  });
}
