import { readFile, stat } from 'node:fs/promises';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { MAX_RECOMMENDED_LABELS } from '../domain/constants.ts';
import { EXIT_CODES, ProgressorError } from '../errors/errors.ts';
import { redact } from '../redact/redact.ts';
import { formatFindings, lintComment, type LintFinding } from '../report/lint-comment.ts';

/** A file larger than this is not a comment (GitHub's limit is 65,536 characters). */
export const MAX_LINT_INPUT_BYTES = 10 * 1024 * 1024;

export type LintFormat = 'text' | 'json';

export interface LintCliOptions {
  format?: LintFormat;
  maxLabels?: number;
}

/** Output sinks and stdin; injected so tests capture output without a process. */
export interface LintIo {
  out: (text: string) => void;
  err: (text: string) => void;
  readStdin?: () => Promise<string>;
}

/** `{ file, findings }`, the `--format json` document. */
export interface LintReport {
  file: string;
  findings: LintFinding[];
}

async function readInput(file: string, io: LintIo): Promise<string> {
  const fail = (message: string, hint: string, cause?: unknown): never => {
    throw new ProgressorError('INPUT_INVALID', message, { file, hint, cause });
  };
  if (file === '-') {
    if (!io.readStdin) fail('cannot read standard input', 'Pass a file path instead of -.');
    return io.readStdin!();
  }
  let buffer: Buffer;
  try {
    const info = await stat(file);
    if (!info.isFile()) fail('is not a file', 'Pass the path of a Markdown comment file.');
    if (info.size > MAX_LINT_INPUT_BYTES) {
      fail(`is ${info.size} bytes; a comment is at most 65,536 characters`, 'Pass the comment body only.');
    }
    buffer = await readFile(file);
  } catch (e) {
    if (e instanceof ProgressorError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
    return fail(`cannot read file (${code})`, code === 'ENOENT' ? 'Check the path.' : 'Check the file permissions.', e);
  }
  if (buffer.includes(0)) fail('is binary, not Markdown', 'Pass the Markdown text of a comment.');
  return buffer.toString('utf8');
}

/**
 * Lints one comment file and prints the findings.
 * @returns the exit code: 0 clean, 1 findings, 6 unreadable input.
 */
export async function runLint(file: string, options: LintCliOptions, io: LintIo): Promise<number> {
  try {
    const text = await readInput(file, io);
    const { loadClaimPatterns } = await import('../verify/load-claims.ts');
    const findings = lintComment(text, { maxLabels: options.maxLabels ?? MAX_RECOMMENDED_LABELS, claimPatterns: await loadClaimPatterns() });
    if (options.format === 'json') {
      const report: LintReport = { file, findings };
      io.out(`${JSON.stringify(report, null, 2)}\n`);
    } else if (findings.length > 0) {
      io.out(formatFindings(file, findings));
    }
    return findings.length > 0 ? EXIT_CODES.FINDINGS : EXIT_CODES.OK;
  } catch (e) {
    if (e instanceof ProgressorError) {
      io.err(`${e.describe(redact)}\n`);
      return e.exitCode;
    }
    throw e;
  }
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function registerLint(program: Command): void {
  program
    .command('lint')
    .description('Check a status comment against COMMENT_STYLE.md (takeaway first, no hype or noise, cited numbers and facts, ends with Next).')
    .argument('<file>', 'Markdown file of the comment, or - for standard input')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(
      new Option('--max-labels <n>', 'most labels a comment may recommend (policy.maxLabels)')
        .argParser((v) => {
          const n = Number(v);
          if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number such as 3.');
          return n;
        })
        .default(MAX_RECOMMENDED_LABELS),
    )
    .action(async (file: string, opts: LintCliOptions) => {
      process.exitCode = await runLint(file, opts, {
        out: (t) => process.stdout.write(t),
        err: (t) => process.stderr.write(t),
        readStdin: readProcessStdin,
      });
    });
}
