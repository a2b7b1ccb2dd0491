import type { AgentBackendName, RunConfig } from '../config/run-schema.ts';
import { ProgressorError } from '../errors/errors.ts';
import type { AgentBackend } from './agent-backend.ts';
import { commandAgent } from './command.ts';
import { noneAgent } from './none.ts';
import { openAiAgent } from './openai.ts';
import { presets } from './presets/presets.ts';

/**
 * Builds the configured agent backend (registry, sorted). The environment supplies the
 * OpenAI-compatible endpoint's key and default base URL.
 * @throws ProgressorError CONFIG_INVALID when a backend lacks what it needs.
 */
export function openAgent(name: AgentBackendName, cfg: RunConfig['agent'], env: NodeJS.ProcessEnv): AgentBackend {
  const registry: Record<AgentBackendName, () => AgentBackend> = {
    aider: () => presets.aider(cfg),
    'claude-code': () => presets['claude-code'](cfg),
    codex: () => presets.codex(cfg),
    command: () => {
      if (!cfg.command) {
        throw new ProgressorError('CONFIG_INVALID', 'agent "command" needs run.agent.command', {
          path: 'run.agent.command',
          hint: 'Set run.agent.command: [executable, args…]; it reads the prompt on stdin and prints JSON (README: Agent output).',
        });
      }
      return commandAgent(cfg.command);
    },
    gemini: () => presets.gemini(cfg),
    none: () => noneAgent,
    openai: () => {
      const baseURL = cfg.baseURL ?? env.OPENAI_BASE_URL;
      if (!baseURL || !cfg.model) {
        throw new ProgressorError('CONFIG_INVALID', 'agent "openai" needs a base URL and a model', {
          path: !cfg.model ? 'run.agent.model' : 'run.agent.baseURL',
          hint: 'Set run.agent.baseURL (or OPENAI_BASE_URL) and run.agent.model.',
        });
      }
      return openAiAgent({ baseURL, model: cfg.model, apiKey: env[cfg.apiKeyEnv] });
    },
  };
  return registry[name]();
}
