import { ProgressorError } from '../errors/errors.ts';
import type { AgentBackend } from './agent-backend.ts';
import { extractJsonObject, parseAgentOutput } from './agent-output.ts';

export interface OpenAiOptions {
  /** Endpoint root, e.g. http://127.0.0.1:8080/v1; `/chat/completions` is appended. */
  baseURL: string;
  model: string;
  apiKey?: string;
}

const SYSTEM =
  'You are a careful software engineer. You cannot run commands; instead put every file you write in "edits" as {"path", "content"} with the whole new content. Answer with exactly one JSON object.';

/**
 * `openai`: any OpenAI-compatible chat-completions endpoint (hosted, llama.cpp, vLLM,
 * Ollama). The answer's JSON may carry `edits`, which the runner writes. fetch is Node's
 * own; the endpoint is one POST, so an SDK would add weight and nothing else.
 */
export function openAiAgent(o: OpenAiOptions): AgentBackend {
  const url = `${o.baseURL.replace(/\/+$/, '')}/chat/completions`;
  return {
    name: 'openai',
    enabled: true,
    async run(req) {
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(o.apiKey ? { authorization: `Bearer ${o.apiKey}` } : {}) },
          body: JSON.stringify({
            model: o.model,
            messages: [
              { role: 'system', content: SYSTEM },
              { role: 'user', content: req.prompt },
            ],
            temperature: 0,
          }),
          signal: AbortSignal.timeout(req.timeoutMs),
        });
      } catch (e) {
        const timeout = (e as Error).name === 'TimeoutError';
        throw new ProgressorError('AGENT_FAILED', `agent openai: ${timeout ? `timed out after ${Math.round(req.timeoutMs / 1000)} s` : `cannot reach ${url}: ${(e as Error).message}`}`, {
          hint: timeout ? 'Raise run.agent.timeoutSeconds.' : 'Check run.agent.baseURL (or OPENAI_BASE_URL) and that the server is up.',
          cause: e,
        });
      }
      const text = await res.text();
      if (!res.ok) {
        throw new ProgressorError('AGENT_FAILED', `agent openai: ${url} answered ${res.status}: ${text.slice(0, 200)}`, {
          hint: res.status === 401 ? 'Set the API key variable named by run.agent.apiKeyEnv.' : 'Check the model name and the server log.',
        });
      }
      let body: { choices?: { message?: { content?: unknown } }[]; usage?: { prompt_tokens?: number; completion_tokens?: number } };
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        throw new ProgressorError('AGENT_OUTPUT_INVALID', 'agent openai: the endpoint did not answer JSON', { file: '(agent openai)', hint: 'Is baseURL an OpenAI-compatible /v1 root?' });
      }
      const content = body.choices?.[0]?.message?.content;
      if (typeof content !== 'string') {
        throw new ProgressorError('AGENT_OUTPUT_INVALID', 'agent openai: $.choices[0].message.content is missing', { file: '(agent openai)', path: '$.choices[0].message.content', hint: 'Is baseURL an OpenAI-compatible /v1 root?' });
      }
      const { output } = parseAgentOutput(extractJsonObject(content, 'openai'), 'openai');
      return { output, usage: { inputTokens: body.usage?.prompt_tokens ?? 0, outputTokens: body.usage?.completion_tokens ?? 0 } };
    },
  };
}
