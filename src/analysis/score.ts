import type { MatchedSignal } from '../rules/match-evidence.ts';

const ROLE_WEIGHT: Record<string, number> = { maintainer: 2, reporter: 1, participant: 0.8, bot: 0 };

/**
 * How strongly the evidence supports a signal: who said it (a maintainer counts double),
 * how late in the thread (later statements overturn earlier ones), and how often it was
 * counted in logs or reports (logarithmically, so a noisy log cannot drown the thread).
 */
export function strengthOf(sig: MatchedSignal, maxPosition: number): number {
  let s = 0;
  for (const h of sig.hits) {
    if (h.position === undefined) continue;
    const role = ROLE_WEIGHT[h.role ?? 'participant'] ?? 0.8;
    const recency = maxPosition > 0 ? 1 + h.position / maxPosition : 1;
    s += role * recency;
  }
  const counted = sig.count - sig.hits.filter((h) => h.position !== undefined).length;
  if (counted > 0) s += 1 + Math.log10(counted);
  // Repeating the same line many times in one comment is one statement, not many.
  return Math.min(s, 8);
}
