// Git through the git executable (execFile, never a shell): the real tool users have, with
// its exact semantics for worktrees and pushes. Every call names the repository explicitly.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ProgressorError } from '../errors/errors.ts';

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs git in `cwd`; never throws for a non-zero exit (callers decide). */
export function git(cwd: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, env: { ...(env ?? process.env), GIT_TERMINAL_PROMPT: '0' }, maxBuffer: 64 * 1024 * 1024 }, (e, stdout, stderr) => {
      if (e && typeof (e as { code?: unknown }).code !== 'number') {
        reject(new ProgressorError('INPUT_INVALID', `cannot run git: ${e.message}`, { hint: 'Install git and put it on PATH.' }));
        return;
      }
      resolve({ code: e ? Number((e as { code?: number }).code) : 0, stdout, stderr });
    });
  });
}

/** Like git(), but a non-zero exit is an error naming the command. */
export async function gitOk(cwd: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<string> {
  const r = await git(cwd, args, env);
  if (r.code !== 0) {
    throw new ProgressorError('INPUT_INVALID', `git ${args.join(' ')} failed in ${cwd}: ${r.stderr.trim().split('\n').slice(-2).join(' ')}`, {
      file: cwd,
      hint: 'Check the repository (run.workingBranch exists, the remote is reachable).',
    });
  }
  return r.stdout.trim();
}

/** True when `dir` is inside a git work tree. */
export async function isGitRepo(dir: string): Promise<boolean> {
  if (!existsSync(dir)) return false;
  const r = await git(dir, ['rev-parse', '--is-inside-work-tree']);
  return r.code === 0 && r.stdout.trim() === 'true';
}

/**
 * Makes sure `path` is a worktree of `repo` on `branch`, creating the branch from `base` when
 * it does not exist. Idempotent: a resumed run finds its worktree (or re-attaches the branch).
 */
export async function ensureWorktree(repo: string, path: string, branch: string, base: string): Promise<{ created: boolean }> {
  if (existsSync(path) && (await isGitRepo(path))) {
    const current = await gitOk(path, ['rev-parse', '--abbrev-ref', 'HEAD']);
    if (current !== branch) await gitOk(path, ['checkout', branch]);
    return { created: false };
  }
  await mkdir(dirname(path), { recursive: true });
  await git(repo, ['worktree', 'prune']);
  const exists = (await git(repo, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`])).code === 0;
  if (exists) await gitOk(repo, ['worktree', 'add', path, branch]);
  else await gitOk(repo, ['worktree', 'add', '-b', branch, path, base]);
  return { created: !exists };
}

export const headSha = (dir: string): Promise<string> => gitOk(dir, ['rev-parse', 'HEAD']);

/** Files changed in the work tree (tracked and untracked), worktree-relative. */
export async function changedFiles(dir: string): Promise<string[]> {
  // Raw output: each entry is "XY path", and a leading space in XY is significant.
  const r = await git(dir, ['status', '--porcelain', '--untracked-files=all', '-z']);
  if (r.code !== 0) throw new ProgressorError('INPUT_INVALID', `git status failed in ${dir}: ${r.stderr.trim()}`, { file: dir });
  return r.stdout
    .split('\0')
    .filter((l) => l.length > 3)
    .map((l) => l.slice(3));
}

/** Discards uncommitted changes (a crashed step's partial edits) in progressor's own worktree. */
export async function discardChanges(dir: string): Promise<void> {
  await gitOk(dir, ['reset', '--hard', 'HEAD']);
  await gitOk(dir, ['clean', '-fd']);
}

/** Commits the given files (or everything) with a message; returns the new commit's sha. */
export async function commit(dir: string, message: string, files?: readonly string[]): Promise<string> {
  if (files) await gitOk(dir, ['add', '--', ...files]);
  else await gitOk(dir, ['add', '-A']);
  await gitOk(dir, ['-c', 'user.name=progressor', '-c', 'user.email=progressor@users.noreply.invalid', 'commit', '-q', '--no-verify', '-m', message]);
  return headSha(dir);
}

/** Commits on `dir`'s branch since `base` whose message carries `trailer`, newest first. */
export async function commitsWithTrailer(dir: string, base: string, trailer: string): Promise<string[]> {
  const out = await gitOk(dir, ['log', '--format=%H', `--grep=${trailer}`, '--fixed-strings', `${base}..HEAD`]);
  return out ? out.split('\n') : [];
}

/** Commits on HEAD that `base` does not have. */
export async function commitsSince(dir: string, base: string): Promise<string[]> {
  const out = await gitOk(dir, ['rev-list', `${base}..HEAD`]);
  return out ? out.split('\n') : [];
}

/** Files changed between two commits. */
export async function filesBetween(dir: string, from: string, to: string): Promise<string[]> {
  const out = await gitOk(dir, ['diff', '--name-only', from, to]);
  return out ? out.split('\n') : [];
}
