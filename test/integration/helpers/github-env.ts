import { spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GitHubEmulator } from '../../emulator/github-emulator.ts';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../../../src/cli/main.ts', import.meta.url));
const FALLBACK = fileURLToPath(new URL('./claim-cli.ts', import.meta.url));


/**
 * CLI entries for child processes. `main` is src/cli/main.ts, the real binary. `claim` is
 * claim-cli.ts, which registers the same claim/next/release commands without the rest of
 * the program, so a 50-round race of real processes stays quick (main.ts loads every command).
 */
export const CLI_ENTRIES = { main: MAIN, claim: FALLBACK } as const;

/** True when src/cli/main.ts loads (other commands may be mid-change in a shared tree). */
export function mainLoads(): boolean {
  return spawnSync(process.execPath, [MAIN, '--help'], { cwd: ROOT, encoding: 'utf8' }).status === 0;
}

/** Environment for a CLI child process talking to the emulator: fast pacing, no ambient creds. */
export function emulatorEnv(em: GitHubEmulator, token: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  return {
    ...env,
    GITHUB_TOKEN: token,
    GITHUB_API_URL: em.url,
    PROGRESSOR_GITHUB_WRITE_INTERVAL_MS: '0',
    PROGRESSOR_GITHUB_RETRY_BASE_MS: '5',
    // V8's compile cache halves the start-up of each child process (the race starts 100).
    NODE_COMPILE_CACHE: join(tmpdir(), 'progressor-test-compile-cache'),
    ...extra,
  };
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}
/** Runs the progressor CLI as a real child process. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, entry: keyof typeof CLI_ENTRIES = 'claim'): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_ENTRIES[entry], ...args], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
