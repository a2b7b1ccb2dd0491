import { z } from 'zod';

// The `run:` section of `.github/progressor.yml` (SPEC §3 steps 3–9, §9 agents): what
// `progressor run` executes. Commands here come from the repository's own configuration,
// never from issue text.

/** Agent backends (`run.agent.backend`, `--agent`), sorted; `none` is the default. */
export const AGENT_BACKENDS = ['aider', 'claude-code', 'codex', 'command', 'gemini', 'none', 'openai'] as const;
export type AgentBackendName = (typeof AGENT_BACKENDS)[number];

const seconds = (def: number, what: string) =>
  z.number().positive().max(24 * 3600).default(def).describe(`${what} Default: ${def}.`);

const command = z.string().min(1).describe('A shell command (sh -c), run in the working branch\'s worktree.');

const limits = z
  .strictObject({
    step: z.number().positive().optional().describe('Most for one step. Default: unlimited.'),
    issue: z.number().positive().optional().describe('Most for one issue, over all its runs. Default: unlimited.'),
    run: z.number().positive().optional().describe('Most for one run (a fleet run shares it). Default: unlimited.'),
  })
  .prefault({});

export const runSchema = z
  .strictObject({
    workingBranch: z.string().min(1).default('main').describe('Branch the draft PR targets, and the worktree starts from. Default: main.'),
    protectedBranches: z
      .array(z.string().min(1))
      .default(['main', 'master'])
      .describe('Branches progressor never pushes to (the working branch is refused too). Default: [main, master].'),
    remote: z.string().min(1).default('origin').describe('Git remote the branch is pushed to. Default: origin.'),
    tests: z
      .strictObject({
        command: command.optional().describe('The full test command; its output (TAP, node:test, JUnit, jest/vitest JSON, pytest) is parsed. Default: none.'),
        report: z.string().min(1).optional().describe('A report file the test command writes (relative to the worktree), read instead of its output. Default: none.'),
        reproduce: command
          .default('node --test "$@"')
          .describe('Runs the reproduction tests; their paths are passed as arguments ("$@"). Default: node --test "$@".'),
        timeoutSeconds: seconds(600, 'Time limit of one test command.'),
      })
      .prefault({})
      .describe('Steps 4 and 7: the tests progressor runs itself.'),
    startup: z
      .strictObject({ command, timeoutSeconds: seconds(120, 'Time limit.') })
      .optional()
      .describe('Step 7: a startup check that must exit 0 (e.g. start the service and hit its health endpoint). Default: none.'),
    deploy: z
      .strictObject({
        command,
        skipWithinMinutes: z.number().min(0).default(30).describe('Skip the deploy when this commit was deployed less than this many minutes ago. Default: 30.'),
        timeoutSeconds: seconds(900, 'Time limit.'),
      })
      .optional()
      .describe('Step 8: deploy the branch to staging; then the probes and the logs since the deploy decide. Default: none (skipped).'),
    agent: z
      .strictObject({
        backend: z.enum(AGENT_BACKENDS).default('none').describe(`Agent for steps 3, 5 and 6: ${AGENT_BACKENDS.join(', ')}. Default: none (agent steps skipped).`),
        command: z.array(z.string().min(1)).min(1).optional().describe('For `command` (and to override a preset): the executable and its arguments. The prompt goes to stdin.'),
        model: z.string().min(1).optional().describe('Model name passed to the preset or the OpenAI-compatible endpoint.'),
        baseURL: z.url().optional().describe('For `openai`: the endpoint root, e.g. http://127.0.0.1:8080/v1 (llama.cpp, vLLM, Ollama). Default: OPENAI_BASE_URL.'),
        apiKeyEnv: z.string().min(1).default('OPENAI_API_KEY').describe('For `openai`: the environment variable holding the key. Default: OPENAI_API_KEY.'),
        timeoutSeconds: seconds(900, 'Time limit of one agent call.'),
        retries: z.number().int().min(0).max(10).default(2).describe('Retries of a failed or timed-out agent call, with exponential backoff. Default: 2.'),
        pricing: z
          .strictObject({
            inputPerMillion: z.number().min(0).describe('USD per million input tokens.'),
            outputPerMillion: z.number().min(0).describe('USD per million output tokens.'),
          })
          .optional()
          .describe('Prices used when the agent reports tokens but no cost. Default: none (cost 0).'),
      })
      .prefault({})
      .describe('The coding agent (SPEC §9).'),
    budget: z
      .strictObject({
        mode: z.enum(['warn', 'block']).default('block').describe('block: stop the step loudly when a budget is spent; warn: say so and go on. Default: block.'),
        tokens: limits.describe('Token budgets (input + output).'),
        usd: limits.describe('Cost budgets in US dollars.'),
      })
      .prefault({})
      .describe('Budgets for agent tokens and cost.'),
  })
  .prefault({})
  .describe('What `progressor run` does in steps 3–9.');

export type RunConfig = z.output<typeof runSchema>;
