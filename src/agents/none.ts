import { ProgressorError } from '../errors/errors.ts';
import type { AgentBackend } from './agent-backend.ts';

/** The default backend: no agent. The runner skips agent steps; calling it is a bug. */
export const noneAgent: AgentBackend = {
  name: 'none',
  enabled: false,
  async run() {
    throw new ProgressorError('INTERNAL', 'the none agent was asked to run a step', { hint: 'Agent steps are skipped with agent: none.' });
  },
};
