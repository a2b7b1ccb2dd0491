import type { ProbeResult } from '../domain/types.ts';
import type { ProbeStatus } from '../domain/vocabulary.ts';
import type { CompiledRule } from '../rules/compile-rule.ts';

/** What a probe rule is matched against: a probe result, or a rule example "CODE: message". */
export interface ProbeFacts {
  /** Probe kind; undefined matches any kind (rule examples carry no kind). */
  kind?: string;
  status: ProbeStatus;
  code: string;
  message: string;
}

function test(regex: RegExp, text: string): boolean {
  regex.lastIndex = 0;
  const hit = regex.test(text);
  regex.lastIndex = 0;
  return hit;
}

/**
 * Whether a `kind: probe` rule explains these facts: the selector's kind and status (status
 * defaults to `failed`: a healthy or unrunnable probe is no failure signature) and its code
 * regex, then any `match` regex over the message, unless a `notMatch` regex suppresses it.
 */
export function probeRuleMatches(rule: CompiledRule, facts: ProbeFacts): boolean {
  if (rule.kind !== 'probe') return false;
  const sel = rule.spec.probe ?? {};
  if (sel.kind !== undefined && facts.kind !== undefined && sel.kind !== facts.kind) return false;
  if ((sel.status ?? 'failed') !== facts.status) return false;
  if (sel.code !== undefined && !new RegExp(sel.code, 'i').test(facts.code)) return false;
  if (rule.matchers.length > 0 && !rule.matchers.some((m) => test(m.regex, facts.message))) return false;
  if (rule.suppressors.some((m) => test(m.regex, facts.message))) return false;
  return true;
}

function specificity(rule: CompiledRule): number {
  const sel = rule.spec.probe ?? {};
  return (sel.kind ? 4 : 0) + (rule.matchers.length > 0 ? 2 : 0) + (sel.code ? 1 : 0);
}

/** The most specific probe rule explaining a result (kind-specific beats generic; ties by id). */
export function matchProbeRule(result: Pick<ProbeResult, 'kind' | 'status' | 'code' | 'error'>, rules: readonly CompiledRule[]): CompiledRule | undefined {
  const facts: ProbeFacts = { kind: result.kind, status: result.status, code: result.code ?? '', message: result.error ?? '' };
  let best: CompiledRule | undefined;
  for (const r of rules) {
    if (!probeRuleMatches(r, facts)) continue;
    if (!best || specificity(r) > specificity(best) || (specificity(r) === specificity(best) && r.id < best.id)) best = r;
  }
  return best;
}

/** Splits a probe-rule example "CODE: message" into its code and message. */
export function parseProbeExample(example: string): { code: string; message: string } {
  const i = example.indexOf(':');
  return i < 0 ? { code: example.trim(), message: '' } : { code: example.slice(0, i).trim(), message: example.slice(i + 1).trim() };
}
