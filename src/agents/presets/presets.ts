// Presets for the coding-agent CLIs people use (SPEC §9): each is an argument template and
// a parser for that CLI's own output and its token/cost figures. Formats, from each CLI's
// documentation:
// - Claude Code: `claude -p --output-format json` prints one JSON object on completion:
//   `result` (the final answer), `is_error`, `total_cost_usd`, `usage.input_tokens`,
//   `usage.output_tokens` (+ `cache_read_input_tokens`, `cache_creation_input_tokens`).
// - Codex: `codex exec --json -` reads the prompt from stdin and prints JSON lines:
//   `thread.started`, `turn.started`, `item.completed` (item.type `agent_message` carries
//   `text`), `turn.completed` with `usage` {input_tokens, cached_input_tokens,
//   output_tokens}, `turn.failed` / `error` on failure. No cost: pricing applies.
// - Gemini CLI: `gemini -p … --output-format json` (stdin is context) prints {response,
//   stats: {models: {<model>: {tokens: {prompt, candidates, total, cached, thoughts}}}},
//   error?}. No cost: pricing applies.
// - Aider: no JSON mode; `--message-file F --yes-always --no-stream --no-pretty` prints the
//   answer as text and a line `Tokens: 12k sent, 133 received. Cost: $0.04 message, …`.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProgressorError } from '../../errors/errors.ts';
import type { AgentBackend, AgentReply, AgentRequest, AgentUsage } from '../agent-backend.ts';
import { extractJsonObject, parseAgentOutput } from '../agent-output.ts';
import { runAgentProcess } from '../command.ts';

export interface PresetOptions {
  /** Replaces the preset's executable and fixed arguments (e.g. a wrapper script). */
  command?: readonly string[];
  model?: string;
}

function invalid(name: string, message: string): ProgressorError {
  return new ProgressorError('AGENT_OUTPUT_INVALID', `agent ${name}: ${message}`, {
    file: `(agent ${name})`,
    hint: `Check that the installed ${name} CLI prints the documented format (see src/agents/presets/presets.ts).`,
  });
}

function replyFrom(name: string, answer: string, usage: AgentUsage): AgentReply {
  const parsed = parseAgentOutput(extractJsonObject(answer, name), name);
  return { output: parsed.output, usage };
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Parses `claude -p --output-format json` stdout. */
export function parseClaudeCode(stdout: string): AgentReply {
  let env: Record<string, unknown>;
  try {
    env = JSON.parse(stdout.trim()) as Record<string, unknown>;
  } catch {
    throw invalid('claude-code', 'stdout is not the JSON object --output-format json prints');
  }
  if (env.is_error === true || typeof env.result !== 'string') throw invalid('claude-code', `the run ended with ${String(env.subtype ?? 'an error')}`);
  const u = (env.usage ?? {}) as Record<string, unknown>;
  return replyFrom('claude-code', env.result, {
    inputTokens: num(u.input_tokens) + num(u.cache_read_input_tokens) + num(u.cache_creation_input_tokens),
    outputTokens: num(u.output_tokens),
    ...(typeof env.total_cost_usd === 'number' ? { costUsd: env.total_cost_usd } : {}),
  });
}

/** Parses `codex exec --json` JSON lines. */
export function parseCodex(stdout: string): AgentReply {
  let answer: string | undefined;
  const usage: AgentUsage = { inputTokens: 0, outputTokens: 0 };
  for (const line of stdout.split('\n')) {
    if (!line.trim().startsWith('{')) continue;
    let e: Record<string, unknown>;
    try {
      e = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    const item = e.item as Record<string, unknown> | undefined;
    if (e.type === 'item.completed' && item?.type === 'agent_message' && typeof item.text === 'string') answer = item.text;
    if (e.type === 'turn.completed') {
      const u = (e.usage ?? {}) as Record<string, unknown>;
      usage.inputTokens += num(u.input_tokens);
      usage.outputTokens += num(u.output_tokens);
    }
    if (e.type === 'turn.failed' || e.type === 'error') {
      const err = (e.error ?? e) as Record<string, unknown>;
      throw invalid('codex', `the turn failed: ${String(err.message ?? 'unknown error')}`);
    }
  }
  if (answer === undefined) throw invalid('codex', 'no agent_message item in the JSON lines');
  return replyFrom('codex', answer, usage);
}

/** Parses `gemini --output-format json` stdout. */
export function parseGemini(stdout: string): AgentReply {
  let env: Record<string, unknown>;
  try {
    env = JSON.parse(stdout.trim()) as Record<string, unknown>;
  } catch {
    throw invalid('gemini', 'stdout is not the JSON object --output-format json prints');
  }
  if (env.error) throw invalid('gemini', `the request failed: ${String((env.error as Record<string, unknown>).message ?? 'error')}`);
  if (typeof env.response !== 'string') throw invalid('gemini', 'no "response" in the output');
  const usage: AgentUsage = { inputTokens: 0, outputTokens: 0 };
  const models = ((env.stats as Record<string, unknown> | undefined)?.models ?? {}) as Record<string, { tokens?: Record<string, unknown> }>;
  for (const m of Object.values(models)) {
    usage.inputTokens += num(m.tokens?.prompt);
    usage.outputTokens += num(m.tokens?.candidates) + num(m.tokens?.thoughts);
  }
  return replyFrom('gemini', env.response, usage);
}

const AIDER_TOKENS = /Tokens:\s*([\d.]+)(k?)\s+sent,\s*([\d.]+)(k?)\s+received\.(?:\s*Cost:\s*\$([\d.]+)\s+message)?/g;

/** Parses Aider's text output: the answer, and its `Tokens: … Cost: …` lines (summed). */
export function parseAider(stdout: string): AgentReply {
  const usage: AgentUsage = { inputTokens: 0, outputTokens: 0 };
  let cost: number | undefined;
  for (const m of stdout.matchAll(AIDER_TOKENS)) {
    usage.inputTokens += Math.round(Number(m[1]) * (m[2] ? 1000 : 1));
    usage.outputTokens += Math.round(Number(m[3]) * (m[4] ? 1000 : 1));
    if (m[5] !== undefined) cost = (cost ?? 0) + Number(m[5]);
  }
  if (cost !== undefined) usage.costUsd = cost;
  return replyFrom('aider', stdout.replace(AIDER_TOKENS, ''), usage);
}

function preset(
  name: string,
  argv: (req: AgentRequest, o: PresetOptions, promptFile: string | undefined) => { argv: string[]; stdin: boolean },
  parse: (stdout: string) => AgentReply,
  options: PresetOptions,
  needsPromptFile = false,
): AgentBackend {
  return {
    name,
    enabled: true,
    async run(req) {
      const dir = needsPromptFile ? await mkdtemp(join(tmpdir(), 'progressor-prompt-')) : undefined;
      try {
        const file = dir ? join(dir, 'prompt.md') : undefined;
        if (file) await writeFile(file, req.prompt, { mode: 0o600 });
        const a = argv(req, options, file);
        const { stdout } = await runAgentProcess(name, a.argv, a.stdin ? req.prompt : undefined, req);
        return parse(stdout);
      } finally {
        if (dir) await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

const model = (o: PresetOptions, flag: string): string[] => (o.model ? [flag, o.model] : []);
const base = (o: PresetOptions, dflt: string[]): string[] => [...(o.command ?? dflt)];

/** The presets, sorted; `command` overrides the executable (and its fixed arguments). */
export const presets = {
  aider: (o: PresetOptions) =>
    preset(
      'aider',
      (_req, opt, file) => ({
        argv: [...base(opt, ['aider']), '--message-file', file!, '--yes-always', '--no-stream', '--no-pretty', '--no-auto-commits', ...model(opt, '--model')],
        stdin: false,
      }),
      parseAider,
      o,
      true,
    ),
  'claude-code': (o: PresetOptions) =>
    preset('claude-code', (_req, opt) => ({ argv: [...base(opt, ['claude']), '-p', '--output-format', 'json', ...model(opt, '--model')], stdin: true }), parseClaudeCode, o),
  codex: (o: PresetOptions) =>
    preset('codex', (_req, opt) => ({ argv: [...base(opt, ['codex']), 'exec', '--json', ...model(opt, '--model'), '-'], stdin: true }), parseCodex, o),
  gemini: (o: PresetOptions) =>
    preset(
      'gemini',
      (_req, opt) => ({
        argv: [...base(opt, ['gemini']), '-p', 'Carry out the task given on standard input and end with the JSON object it asks for.', '--output-format', 'json', ...model(opt, '--model')],
        stdin: true,
      }),
      parseGemini,
      o,
    ),
} as const satisfies Record<string, (o: PresetOptions) => AgentBackend>;
