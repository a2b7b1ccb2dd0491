import { describe, expect, it } from 'vitest';
import { parseAider, parseClaudeCode, parseCodex, parseGemini } from './presets.ts';

const answer = 'Done.\n```json\n{"summary":"use addition","files":["src/sum.js"]}\n```\n';

describe('preset output parsers', () => {
  it('claude-code: result text, usage with cache tokens, total_cost_usd', () => {
    const r = parseClaudeCode(JSON.stringify({ type: 'result', subtype: 'success', is_error: false, result: answer, total_cost_usd: 0.02, usage: { input_tokens: 10, cache_read_input_tokens: 90, output_tokens: 5 } }));
    expect(r).toEqual({ output: { summary: 'use addition', files: ['src/sum.js'] }, usage: { inputTokens: 100, outputTokens: 5, costUsd: 0.02 } });
    expect(() => parseClaudeCode(JSON.stringify({ type: 'result', subtype: 'error_max_turns', is_error: true }))).toThrow(/the run ended with error_max_turns/);
  });
  it('codex: the last agent_message, summed turn usage, failures', () => {
    const lines = [
      { type: 'thread.started', thread_id: 't' },
      { type: 'item.completed', item: { type: 'agent_message', text: answer } },
      { type: 'turn.completed', usage: { input_tokens: 7, cached_input_tokens: 2, output_tokens: 3 } },
    ].map((e) => JSON.stringify(e));
    expect(parseCodex(lines.join('\n')).usage).toEqual({ inputTokens: 7, outputTokens: 3 });
    expect(() => parseCodex(JSON.stringify({ type: 'turn.failed', error: { message: 'quota' } }))).toThrow(/the turn failed: quota/);
  });
  it('gemini: response and per-model token stats', () => {
    const r = parseGemini(JSON.stringify({ response: answer, stats: { models: { a: { tokens: { prompt: 4, candidates: 2, thoughts: 1 } }, b: { tokens: { prompt: 1, candidates: 1 } } } } }));
    expect(r.usage).toEqual({ inputTokens: 5, outputTokens: 4 });
  });
  it('aider: k-suffixed token counts and the message cost', () => {
    const r = parseAider(`${answer}\nTokens: 12k sent, 133 received. Cost: $0.04 message, $0.10 session.\n`);
    expect(r.usage).toEqual({ inputTokens: 12000, outputTokens: 133, costUsd: 0.04 });
    expect(r.output.summary).toBe('use addition');
  });
  it('an answer without the JSON object is AGENT_OUTPUT_INVALID', () => {
    expect(() => parseAider('I could not do it.')).toThrow(expect.objectContaining({ code: 'AGENT_OUTPUT_INVALID' }));
  });
});
