import { ProgressorError } from '../errors/errors.ts';

/**
 * The only branches progressor works on: `progressor/issue-<N>-<session>` (round trip,
 * STYLE §1). `session` is the session label without its fixed prefix.
 */
export class BranchName {
  readonly issue: number;
  readonly session: string;
  constructor(issue: number, session: string) {
    this.issue = issue;
    this.session = session;
  }
  static readonly PATTERN = /^progressor\/issue-(\d+)-([A-Za-z0-9][A-Za-z0-9._-]*)$/;
  static forSession(issue: number, sessionLabel: string, sessionPrefix: string): BranchName {
    const tail = sessionLabel.startsWith(sessionPrefix) && sessionLabel.length > sessionPrefix.length ? sessionLabel.slice(sessionPrefix.length) : sessionLabel;
    return new BranchName(issue, tail.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[-.]+/, ''));
  }
  static parse(name: string): BranchName | undefined {
    const m = BranchName.PATTERN.exec(name);
    return m ? new BranchName(Number(m[1]), m[2]!) : undefined;
  }
  toString(): string {
    return `progressor/issue-${this.issue}-${this.session}`;
  }
}

/**
 * Refuses a push that could harm a shared branch: only progressor's own branch pattern, never
 * the working, default or a protected branch. Pushes never force (no `+`, no `--force`).
 * @throws ProgressorError BRANCH_UNSAFE
 */
export function assertPushable(branch: string, forbidden: readonly string[]): void {
  const glob = (p: string) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  if (forbidden.some((p) => glob(p).test(branch))) {
    throw new ProgressorError('BRANCH_UNSAFE', `refused to push to ${branch}: it is the working, default or a protected branch`, {
      hint: 'progressor pushes only progressor/issue-<N>-<session> branches and opens a draft PR.',
    });
  }
  if (!BranchName.parse(branch)) {
    throw new ProgressorError('BRANCH_UNSAFE', `refused to push to ${branch}: not a progressor/issue-<N>-<session> branch`, {
      hint: 'progressor pushes only its own branches.',
    });
  }
}
