import { spawn } from 'node:child_process';

export interface ShellResult {
  code: number | null;
  timedOut: boolean;
  /** stdout and stderr interleaved, capped to the last MAX_CAPTURE bytes. */
  output: string;
  stdout: string;
  durationMs: number;
}

const MAX_CAPTURE = 4 * 1024 * 1024;

/**
 * Runs a configured command (`sh -c`, from the repository's own config, never issue text) in
 * `cwd`, with `args` as "$@", a time limit, and its own process group so a timeout kills
 * the whole tree.
 */
export function runShell(command: string, opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; args?: readonly string[] }): Promise<ShellResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command, 'sh', ...(opts.args ?? [])], { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stdout = '';
    let timedOut = false;
    const keep = (s: string, add: string) => (s.length + add.length > MAX_CAPTURE ? (s + add).slice(-MAX_CAPTURE) : s + add);
    child.stdout.on('data', (d: Buffer) => {
      output = keep(output, d.toString('utf8'));
      stdout = keep(stdout, d.toString('utf8'));
    });
    child.stderr.on('data', (d: Buffer) => (output = keep(output, d.toString('utf8'))));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, opts.timeoutMs);
    const done = (code: number | null): void => {
      clearTimeout(timer);
      resolve({ code, timedOut, output, stdout, durationMs: performance.now() - started });
    };
    child.on('error', (e) => {
      output += String(e);
      done(127);
    });
    child.on('close', (code) => done(code));
  });
}
