import type { RunConfig } from '../config/run-schema.ts';

export interface Spend {
  tokens: number;
  costUsd: number;
}

export interface BudgetCheck {
  /** The first limit reached, as a sentence; undefined when within every budget. */
  exceeded?: string;
  mode: 'warn' | 'block';
}

/**
 * Budgets for tokens and USD per step, per issue (all runs) and per run (a fleet shares one):
 * pure comparisons of what was spent against the configured limits.
 */
export function checkBudget(cfg: RunConfig['budget'], spent: { step: Spend; issue: Spend; run: Spend }): BudgetCheck {
  for (const scope of ['step', 'run', 'issue'] as const) {
    const t = cfg.tokens[scope];
    if (t !== undefined && spent[scope].tokens >= t) return { mode: cfg.mode, exceeded: `${scope} token budget spent: ${spent[scope].tokens} of ${t} tokens` };
    const u = cfg.usd[scope];
    if (u !== undefined && spent[scope].costUsd >= u) return { mode: cfg.mode, exceeded: `${scope} cost budget spent: $${spent[scope].costUsd.toFixed(4)} of $${u.toFixed(4)}` };
  }
  return { mode: cfg.mode };
}

/** Cost of a call: as reported, else from configured prices, else 0. */
export function costOf(usage: { inputTokens: number; outputTokens: number; costUsd?: number }, pricing?: RunConfig['agent']['pricing']): number {
  if (usage.costUsd !== undefined) return usage.costUsd;
  if (!pricing) return 0;
  return (usage.inputTokens * pricing.inputPerMillion + usage.outputTokens * pricing.outputPerMillion) / 1_000_000;
}
