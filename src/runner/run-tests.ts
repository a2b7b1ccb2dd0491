import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseTestReport } from '../parsers/parse-test-report.ts';
import { redact } from '../redact/redact.ts';
import { runShell } from './shell-command.ts';

/** What progressor itself saw when it ran a test command (never what an agent said). */
export interface TestRun {
  command: string;
  files?: string[];
  exitCode: number | null;
  timedOut: boolean;
  /** Tests executed (passed + failed); 0 when no report could be read. */
  executed: number;
  passed: number;
  failed: number;
  skipped: number;
  /** The first failing tests' names. */
  failing: string[];
  durationMs: number;
  /** Why no report was read, when none was. */
  unreadable?: string;
  /** The last lines of the output, redacted (for prompts and the comment's details). */
  tail: string;
}

/** Runs a test command in the worktree and reads its report (stdout, or `reportFile`). */
export async function runTests(
  command: string,
  opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; files?: string[]; reportFile?: string },
): Promise<TestRun> {
  const r = await runShell(command, { cwd: opts.cwd, env: opts.env, timeoutMs: opts.timeoutMs, args: opts.files });
  let text = r.stdout;
  let source = 'its output';
  if (opts.reportFile) {
    source = opts.reportFile;
    text = await readFile(resolve(opts.cwd, opts.reportFile), 'utf8').catch(() => '');
  }
  const base = {
    command,
    ...(opts.files ? { files: opts.files } : {}),
    exitCode: r.code,
    timedOut: r.timedOut,
    durationMs: r.durationMs,
    tail: redact(r.output.split('\n').slice(-40).join('\n')),
  };
  try {
    const report = parseTestReport(text, source);
    return {
      ...base,
      executed: report.passed + report.failed,
      passed: report.passed,
      failed: report.failed,
      skipped: report.skipped,
      failing: report.failures.slice(0, 5).map((f) => f.name),
    };
  } catch (e) {
    return { ...base, executed: 0, passed: 0, failed: 0, skipped: 0, failing: [], unreadable: `no test report in ${source}: ${(e as Error).message}` };
  }
}

/** `12 passed, 1 failed, 0 skipped` (or why nothing was counted). */
export function describeTestRun(t: TestRun): string {
  if (t.timedOut) return `timed out after ${Math.round(t.durationMs / 1000)} s`;
  if (t.unreadable) return `no test was counted (exit ${t.exitCode})`;
  return `${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped (exit ${t.exitCode})`;
}
