import { spawn } from 'node:child_process';
import { ProgressorError } from '../errors/errors.ts';
import { redact } from '../redact/redact.ts';
import type { AgentBackend, AgentReply, AgentRequest } from './agent-backend.ts';
import { parseAgentOutput } from './agent-output.ts';

const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

export interface ProcessResult {
  stdout: string;
  stderr: string;
}

/**
 * Runs an agent executable: `input` on stdin, stdout and stderr collected (bounded). The
 * process runs in its own process group so a timeout kills the agent and its children.
 * @throws ProgressorError AGENT_FAILED on a timeout, a non-zero exit or a missing executable.
 */
export function runAgentProcess(name: string, argv: readonly string[], input: string | undefined, req: Pick<AgentRequest, 'cwd' | 'env' | 'timeoutMs'>): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const [file, ...args] = argv;
    if (!file) {
      reject(new ProgressorError('CONFIG_INVALID', `agent ${name}: no command given`, { path: 'run.agent.command', hint: 'Set run.agent.command to [executable, args…].' }));
      return;
    }
    const child = spawn(file, args, { cwd: req.cwd, env: req.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let timedOut = false;
    const kill = (): void => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, req.timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      size += d.length;
      if (size > MAX_OUTPUT_BYTES) kill();
      else out.push(d);
    });
    child.stderr.on('data', (d: Buffer) => {
      if (err.reduce((n, b) => n + b.length, 0) < 64 * 1024) err.push(d);
    });
    child.stdin.on('error', () => undefined); // an agent that ignores stdin closes it early
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(
        new ProgressorError('AGENT_FAILED', `agent ${name}: cannot start ${file}: ${(e as NodeJS.ErrnoException).code ?? e.message}`, {
          hint: `Install ${file} or set run.agent.command to its path.`,
          cause: e,
        }),
      );
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString('utf8');
      if (timedOut) {
        reject(new ProgressorError('AGENT_FAILED', `agent ${name}: timed out after ${Math.round(req.timeoutMs / 1000)} s`, { hint: 'Raise run.agent.timeoutSeconds, or give the agent a smaller task.' }));
      } else if (size > MAX_OUTPUT_BYTES) {
        reject(new ProgressorError('AGENT_OUTPUT_INVALID', `agent ${name}: printed more than ${MAX_OUTPUT_BYTES} bytes`, { hint: 'The agent must print one JSON object.' }));
      } else if (code !== 0) {
        const tail = stderr.trim().split('\n').slice(-3).join(' | ');
        reject(new ProgressorError('AGENT_FAILED', `agent ${name}: exited with ${code ?? signal}${tail ? `: ${redact(tail)}` : ''}`, { hint: 'Run the agent by hand with the same prompt to see why.' }));
      } else {
        resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr });
      }
    });
    child.stdin.end(input ?? '');
  });
}

/** Parses the `command` backend's stdout: exactly one JSON object (README: Agent output). */
export function parseCommandStdout(stdout: string, name = 'command'): AgentReply {
  let json: unknown;
  try {
    json = JSON.parse(stdout.trim());
  } catch (e) {
    throw new ProgressorError('AGENT_OUTPUT_INVALID', `agent ${name}: stdout is not JSON: ${(e as Error).message}`, {
      file: `(agent ${name})`,
      hint: 'The agent must print one JSON object on stdout (README: Agent output); logs go to stderr.',
    });
  }
  const { output, usage } = parseAgentOutput(json, name);
  return { output, usage: usage ?? { inputTokens: 0, outputTokens: 0 } };
}

/** `command`: any executable; the prompt on stdin, one JSON object on stdout. */
export function commandAgent(argv: readonly string[]): AgentBackend {
  return {
    name: 'command',
    enabled: true,
    async run(req) {
      const { stdout } = await runAgentProcess('command', argv, req.prompt, req);
      return parseCommandStdout(stdout);
    },
  };
}
