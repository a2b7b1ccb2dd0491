// One error hierarchy; exit codes come from a single table (STYLE §4).

export const ERROR_CODES = [
  'USAGE',
  'CONFIG_INVALID',
  'RULE_INVALID',
  'SNAPSHOT_INVALID',
  'INPUT_INVALID',
  'FORGE_REQUEST',
  'FORGE_AUTH',
  'CLAIM_LOST',
  'BUDGET_EXHAUSTED',
  'AGENT_OUTPUT_INVALID',
  'STORE_FAILED',
  'AGENT_FAILED',
  'BRANCH_UNSAFE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Exit codes, documented in the README and `--help`. 0 = success; 1 = the command ran
 * and found problems (lint findings, failing probes, "not fixed").
 */
export const EXIT_CODES: Record<ErrorCode | 'OK' | 'FINDINGS', number> = {
  OK: 0,
  FINDINGS: 1,
  USAGE: 2,
  CONFIG_INVALID: 3,
  SNAPSHOT_INVALID: 4,
  RULE_INVALID: 5,
  INPUT_INVALID: 6,
  FORGE_REQUEST: 7,
  FORGE_AUTH: 8,
  CLAIM_LOST: 9,
  BUDGET_EXHAUSTED: 10,
  AGENT_OUTPUT_INVALID: 11,
  STORE_FAILED: 12,
  AGENT_FAILED: 13,
  BRANCH_UNSAFE: 14,
  INTERNAL: 70,
};

export interface ProgressorErrorOptions {
  hint?: string;
  file?: string;
  /** JSON path / key path inside `file`, e.g. `comments[3].author.login`. */
  path?: string;
  line?: number;
  cause?: unknown;
}

export class ProgressorError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly file?: string;
  readonly path?: string;
  readonly line?: number;

  constructor(code: ErrorCode, message: string, options: ProgressorErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProgressorError';
    this.code = code;
    this.hint = options.hint;
    this.file = options.file;
    this.path = options.path;
    this.line = options.line;
  }

  get exitCode(): number {
    return EXIT_CODES[this.code];
  }

  /**
   * One human-readable block: where, what, and how to fix it. `clean` is applied to the
   * message only (it may quote input values); file, key path and hint are names, kept as
   * written, so an unknown key named `password` is printed by name (issue 10).
   */
  describe(clean: (message: string) => string = (m) => m): string {
    const where = [this.file, this.line === undefined ? undefined : `line ${this.line}`, this.path]
      .filter(Boolean)
      .join(': ');
    const head = `error[${this.code}]${where ? ` ${where}` : ''}: ${clean(this.message)}`;
    return this.hint ? `${head}\n  fix: ${this.hint}` : head;
  }
}

export class ConfigError extends ProgressorError {
  readonly issues: { file: string; path: string; message: string; hint?: string }[];
  constructor(issues: { file: string; path: string; message: string; hint?: string }[]) {
    const first = issues[0];
    super('CONFIG_INVALID', first ? first.message : 'invalid configuration', {
      file: first?.file,
      path: first?.path,
      hint: first?.hint,
    });
    this.name = 'ConfigError';
    this.issues = issues;
  }
  override describe(clean: (message: string) => string = (m) => m): string {
    return this.issues
      .map((i) => `error[CONFIG_INVALID] ${i.file}: ${i.path || '(root)'}: ${clean(i.message)}${i.hint ? `\n  fix: ${i.hint}` : ''}`)
      .join('\n');
  }
}

export function isProgressorError(e: unknown): e is ProgressorError {
  return e instanceof ProgressorError;
}
