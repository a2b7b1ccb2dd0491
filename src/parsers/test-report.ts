// The common shape every test-report parser returns (SPEC §5: test reports).

export const TEST_REPORT_FORMATS = ['junit', 'pytest', 'surefire', 'tap', 'node-test', 'jest-json', 'pytest-text'] as const;
export type TestReportFormat = (typeof TEST_REPORT_FORMATS)[number];

export interface TestFailure {
  /** Test name (with its suite or class when the format has one). */
  name: string;
  message: string;
  /** Where the failure points: the test file or the first stack frame in a source file. */
  file?: string;
  line?: number;
}

export interface TestReport {
  format: TestReportFormat;
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  durationMs?: number;
  failures: TestFailure[];
}

const LOCATION =
  /(?:\(|\bat\s+|^|\s)((?:[A-Za-z]:)?[\w./\\@+-]*?[\w@+-]+\.(?:[cm]?[jt]sx?|py|java|kt|go|rb|rs|cs|php|scala|ex|exs|t|pl))[:(](\d+)/m;

/** First `file:line` (or `File.java:line`) in a message or stack trace. */
export function findLocation(text: string): { file: string; line: number } | undefined {
  const m = LOCATION.exec(text.length > 20_000 ? text.slice(0, 20_000) : text);
  return m ? { file: m[1]!.replace(/^file:\/\//, ''), line: Number(m[2]) } : undefined;
}

/** First non-empty line, trimmed and capped: the failure's headline. */
export function headline(text: string, max = 500): string {
  const line = text.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? '';
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
