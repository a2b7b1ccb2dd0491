import type { Redacted } from '../domain/redacted.ts';

/** The agent steps of SPEC §3. */
export type AgentStep = 'plan-tests' | 'plan-remediation' | 'apply';

export interface AgentRequest {
  step: AgentStep;
  /** The whole prompt: instructions, then the evidence redacted and fenced as quoted data. */
  prompt: Redacted<string>;
  /** The worktree the agent works in. */
  cwd: string;
  /** Environment for agent processes (keys the backend needs, PROGRESSOR_RUN_PID). */
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
}

/** What an agent reports (validated by agentOutputSchema). */
export interface AgentOutput {
  summary: string;
  /** Step 3: the reproduction test files written (worktree-relative). */
  testFiles?: string[];
  /** Step 5: the remediation plan, one line per change. */
  plan?: string[];
  /** Step 6: the files changed. */
  files?: string[];
  /** What the agent says it verified ("all tests pass"): recorded, never trusted. */
  claims?: string[];
  /** Whole-file writes for backends that cannot edit files themselves (`openai`); progressor writes them. */
  edits?: { path: string; content: string }[];
}

export interface AgentUsage {
  inputTokens: number;
  outputTokens: number;
  /** As the agent reported it; undefined when it reports none (then pricing applies). */
  costUsd?: number;
}

export interface AgentReply {
  output: AgentOutput;
  usage: AgentUsage;
}

/**
 * A coding agent behind one interface (SPEC §9). Implementations: `none`, `command`, the
 * CLI presets (claude-code, codex, gemini, aider) and `openai`; registry.ts wires them.
 */
export interface AgentBackend {
  readonly name: string;
  /** False for `none`: the runner reports agent steps as skipped. */
  readonly enabled: boolean;
  /**
   * Runs one agent call (no retries: the runner retries with backoff).
   * @throws ProgressorError AGENT_OUTPUT_INVALID when the reply is not the documented JSON;
   *   AGENT_FAILED when the agent timed out, exited non-zero or could not be reached.
   */
  run(request: AgentRequest): Promise<AgentReply>;
}
