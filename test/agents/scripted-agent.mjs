#!/usr/bin/env node
// A scripted coding agent for progressor's tests: a real executable that makes known edits
// to the fixture repository (test/e2e/run-fixture.ts) and prints the output format of the
// CLI it is invoked as (its file name: claude, codex, gemini, aider; anything else prints
// the `command` backend's JSON). SCRIPTED_AGENT_MODE picks a behaviour:
//   fix (default)       reproduction test that fails, then the real fix
//   claim-without-fix   claims "all tests pass" but edits only a comment
//   repro-passes        writes a "reproduction" test that already passes
//   zero-tests          writes a test file whose only test is skipped (zero executed)
//   edit-tests          the fix also rewrites the reproduction test
//   sleep               never answers (timeouts)
//   invalid             prints something that is not the documented JSON
//   fail-once           exits 1 on its first call (a marker file in SCRIPTED_AGENT_STATE), then as fix
// SCRIPTED_AGENT_TOKENS sets the tokens it reports per call (default 1000 in, 200 out).
import { existsSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const as = process.env.SCRIPTED_AGENT_AS ?? basename(process.argv[1] ?? 'command').replace(/\.mjs$/, '');
const mode = process.env.SCRIPTED_AGENT_MODE ?? 'fix';
const args = process.argv.slice(2);
const fileArg = args.indexOf('--message-file');
const prompt = fileArg >= 0 ? readFileSync(args[fileArg + 1], 'utf8') : readFileSync(0, 'utf8');
const step = /^Step: (\S+)$/m.exec(prompt)?.[1];
const [tin, tout] = (process.env.SCRIPTED_AGENT_TOKENS ?? '1000,200').split(',').map(Number);
if (process.env.SCRIPTED_AGENT_LOG) appendFileSync(process.env.SCRIPTED_AGENT_LOG, `${as} ${step}\n`);

if (mode === 'sleep') setTimeout(() => undefined, 600_000);
else if (mode === 'fail-once' && !existsSync(join(process.env.SCRIPTED_AGENT_STATE ?? '.', 'failed-once'))) {
  writeFileSync(join(process.env.SCRIPTED_AGENT_STATE ?? '.', 'failed-once'), 'x');
  process.stderr.write('scripted agent: simulated crash\n');
  process.exit(1);
} else if (mode === 'invalid') process.stdout.write('I fixed it, trust me.\n');
else answer(act());

function act() {
  const cwd = process.cwd();
  if (step === 'plan-tests') {
    const file = 'test/repro-sum.test.js';
    const body =
      mode === 'repro-passes'
        ? "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { sum } from '../src/sum.js';\ntest('sum of x and 0', () => assert.equal(sum(3, 0), 3));\n"
        : mode === 'zero-tests'
          ? "import { test } from 'node:test';\ntest.skip('sum adds (issue #7)', () => {});\n"
          : "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { sum } from '../src/sum.js';\ntest('sum adds (issue #7)', () => assert.equal(sum(2, 3), 5));\n";
    writeFileSync(join(cwd, file), body);
    return { summary: 'Reproduce #7: sum(2, 3) must be 5', testFiles: [file] };
  }
  if (step === 'plan-remediation') return { summary: 'Use addition in sum()', plan: ['src/sum.js: return a + b instead of a - b'] };
  if (step === 'apply') {
    const src = join(cwd, 'src/sum.js');
    const text = readFileSync(src, 'utf8');
    if (mode === 'claim-without-fix') {
      writeFileSync(src, text.replace('// Adds two numbers.', '// Adds two numbers (checked).'));
      return { summary: 'Fix sum()', files: ['src/sum.js'], claims: ['all tests pass'] };
    }
    writeFileSync(src, text.replace('return a - b;', 'return a + b;'));
    if (mode === 'edit-tests') writeFileSync(join(cwd, 'test/repro-sum.test.js'), "import { test } from 'node:test';\ntest('nothing', () => {});\n");
    return { summary: 'use addition in sum()', files: ['src/sum.js'], claims: ['all tests pass'] };
  }
  return { summary: `unknown step ${step}` };
}

function answer(out) {
  const json = JSON.stringify(out);
  const text = `Done.\n\n\`\`\`json\n${json}\n\`\`\`\n`;
  switch (as) {
    case 'claude':
      process.stdout.write(
        JSON.stringify({ type: 'result', subtype: 'success', is_error: false, duration_ms: 1200, num_turns: 3, result: text, session_id: 's-1', total_cost_usd: 0.0123, usage: { input_tokens: tin, output_tokens: tout, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 } }) + '\n',
      );
      break;
    case 'codex':
      for (const e of [
        { type: 'thread.started', thread_id: 'th_1' },
        { type: 'turn.started' },
        { type: 'item.completed', item: { id: 'item_0', type: 'reasoning', text: 'Looking at src/sum.js' } },
        { type: 'item.completed', item: { id: 'item_1', type: 'agent_message', text } },
        { type: 'turn.completed', usage: { input_tokens: tin, cached_input_tokens: 0, output_tokens: tout } },
      ])
        process.stdout.write(JSON.stringify(e) + '\n');
      break;
    case 'gemini':
      process.stdout.write(JSON.stringify({ response: text, stats: { models: { 'gemini-2.5-pro': { api: { totalRequests: 1, totalErrors: 0, totalLatencyMs: 900 }, tokens: { prompt: tin, candidates: tout, total: tin + tout, cached: 0, thoughts: 0, tool: 0 } } } } }) + '\n');
      break;
    case 'aider':
      process.stdout.write(`Aider v0.86.1\nModel: test-model\n${text}\nTokens: ${tin / 1000}k sent, ${tout} received. Cost: $0.01 message, $0.01 session.\n`);
      break;
    default:
      process.stdout.write(JSON.stringify({ ...out, usage: { inputTokens: tin, outputTokens: tout, costUsd: 0.01 } }) + '\n');
  }
}
