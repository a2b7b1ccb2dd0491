// Failpoints for crash-recovery tests: PROGRESSOR_FAILPOINTS=pr-created (comma-separated)
// makes the process SIGKILL itself right after that effect, as a power cut would. The tests
// of "killed inside each step, then resumed" (issue 13) rely on them; unset, they do nothing.

/** Kills the process with SIGKILL when `name` is listed in PROGRESSOR_FAILPOINTS. */
export function failpoint(name: string, env: NodeJS.ProcessEnv = process.env): void {
  const list = env.PROGRESSOR_FAILPOINTS;
  if (list && list.split(',').map((s) => s.trim()).includes(name)) process.kill(process.pid, 'SIGKILL');
}
