import { EXIT_CODES } from '../errors/errors.ts';

/** The exit-code table as shown by `--help` and the README. */
export const EXIT_HELP = `
Exit codes:
  ${EXIT_CODES.OK}   success (for audit: the audit ran; see the JSON for its verdict)
  ${EXIT_CODES.FINDINGS}   findings: lint found problems, a probe failed, validate says not fixed, verify found a contradicted claim
  ${EXIT_CODES.USAGE}   usage error (unknown option, missing argument)
  ${EXIT_CODES.CONFIG_INVALID}   invalid configuration (.github/progressor.yml or a probe file)
  ${EXIT_CODES.SNAPSHOT_INVALID}   invalid issue snapshot (local forge)
  ${EXIT_CODES.RULE_INVALID}   invalid rule file (bad YAML, schema, regex, catastrophic backtracking)
  ${EXIT_CODES.INPUT_INVALID}   unreadable input (log, report or file argument)
  ${EXIT_CODES.FORGE_REQUEST}   forge request failed (GitHub API error after retries)
  ${EXIT_CODES.FORGE_AUTH}   forge authentication failed (token missing or rejected)
  ${EXIT_CODES.CLAIM_LOST}   claim lost to another worker
  ${EXIT_CODES.BUDGET_EXHAUSTED}  write budget (--max-writes) exhausted; the output says what was left undone
  ${EXIT_CODES.AGENT_OUTPUT_INVALID}  the agent's output is not the documented JSON (run: agent backends)
  ${EXIT_CODES.STORE_FAILED}  the store cannot be opened or written (DATABASE_URL, PROGRESSOR_STORE)
  ${EXIT_CODES.AGENT_FAILED}  the agent failed: timed out or exited non-zero after its retries
  ${EXIT_CODES.BRANCH_UNSAFE}  refused: a push to the default or a protected branch, or a force-push
  ${EXIT_CODES.INTERNAL}  internal error (a bug in progressor: please report it)
`;
