// SPEC §3's steps, by number and by name (`--until`/`--from` take either).
import { resolve } from 'node:path';
import { ProgressorError } from '../errors/errors.ts';
import type { IssueRef } from '../forge/forge.ts';

export const STEPS = [
  'claim',
  'audit',
  'decide',
  'plan-tests',
  'run-tests',
  'plan-remediation',
  'apply',
  'prove',
  'deploy',
  'pr',
] as const;
export type StepName = (typeof STEPS)[number];

/** Steps that need an agent; `--agent none` reports them as skipped. */
export const AGENT_STEPS: readonly number[] = [3, 5, 6];

/**
 * Parses a step given as its number (0–9) or its name.
 * @throws ProgressorError USAGE naming the option.
 */
export function parseStep(text: string, option: string): number {
  const t = text.trim().toLowerCase();
  if (/^\d$/.test(t)) return Number(t);
  const i = (STEPS as readonly string[]).indexOf(t);
  if (i >= 0) return i;
  throw new ProgressorError('USAGE', `${option}: not a step: ${text}`, { hint: `Use 0–9 or one of ${STEPS.join(', ')}.` });
}

/** The store's key for an issue: stable across runs and machines for GitHub, per file for snapshots. */
export function issueKey(ref: IssueRef): string {
  return ref.forge === 'github' ? `github:${ref.location.toLowerCase()}#${ref.number}` : `local:${resolve(ref.location)}#${ref.number}`;
}
