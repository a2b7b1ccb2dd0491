import { z } from 'zod';
import { ProgressorError } from '../errors/errors.ts';
import type { AgentOutput, AgentUsage } from './agent-backend.ts';

const relPath = z
  .string()
  .min(1)
  .max(500)
  .refine((p) => !p.startsWith('/') && !p.split(/[\\/]/).includes('..'), 'must be a path inside the repository (relative, no "..")');

/**
 * The JSON an agent prints (README "Agent output"). Unknown keys are errors, like every
 * outside input (STYLE §5). `usage` is optional: presets read it from their CLI's envelope.
 */
export const agentOutputSchema = z.strictObject({
  summary: z.string().min(1).max(2000),
  testFiles: z.array(relPath).max(50).optional(),
  plan: z.array(z.string().min(1).max(2000)).max(50).optional(),
  files: z.array(relPath).max(500).optional(),
  claims: z.array(z.string().max(500)).max(20).optional(),
  edits: z
    .array(z.strictObject({ path: relPath, content: z.string().max(1_000_000) }))
    .max(50)
    .optional(),
  usage: z
    .strictObject({
      inputTokens: z.number().int().min(0),
      outputTokens: z.number().int().min(0),
      costUsd: z.number().min(0).optional(),
    })
    .optional(),
});

/**
 * Validates an agent's JSON reply.
 * @throws ProgressorError AGENT_OUTPUT_INVALID naming the backend and the JSON path.
 */
export function parseAgentOutput(value: unknown, backend: string): { output: AgentOutput; usage?: AgentUsage } {
  const r = agentOutputSchema.safeParse(value);
  if (!r.success) {
    const i = r.error.issues[0]!;
    const path = '$' + i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    throw new ProgressorError('AGENT_OUTPUT_INVALID', `agent ${backend}: ${path}: ${i.message}`, {
      file: `(agent ${backend})`,
      path,
      hint: 'The agent must print one JSON object: {"summary": "...", "testFiles"?: [...], "plan"?: [...], "files"?: [...], "claims"?: [...], "edits"?: [{"path", "content"}]} (README: Agent output).',
    });
  }
  const { usage, ...output } = r.data;
  return { output, usage };
}

/**
 * Finds the agent's JSON object in a free-text answer (the presets' agents answer in prose
 * around it): the last fenced ```json block, else the whole text, else the last balanced
 * {...} that parses.
 * @throws ProgressorError AGENT_OUTPUT_INVALID when none parses.
 */
export function extractJsonObject(text: string, backend: string): unknown {
  const fences = [...text.matchAll(/```(?:json)?\s*\n([\s\S]*?)\n```/g)].map((m) => m[1]!);
  for (const candidate of [...fences.reverse(), text.trim()]) {
    try {
      return JSON.parse(candidate);
    } catch {
      // try the next candidate
    }
  }
  // Scan from the end for a balanced object (strings may contain braces; JSON.parse decides).
  for (let end = text.lastIndexOf('}'); end >= 0; end = text.lastIndexOf('}', end - 1)) {
    let depth = 0;
    for (let start = end; start >= 0; start--) {
      if (text[start] === '}') depth++;
      else if (text[start] === '{' && --depth === 0) {
        try {
          return JSON.parse(text.slice(start, end + 1));
        } catch {
          break;
        }
      }
    }
  }
  throw new ProgressorError('AGENT_OUTPUT_INVALID', `agent ${backend}: the answer holds no JSON object`, {
    file: `(agent ${backend})`,
    hint: 'The prompt asks the agent to end with one JSON object; check the agent\'s model and instructions.',
  });
}
