import type { MatchedSignal } from '../rules/match-evidence.ts';

/** Facts for templates: the latest statement's values win (8 → 20 → 75 s reads as 75 s). */
export function factsOf(sig: MatchedSignal): Record<string, string> {
  const latest = sig.hits
    .filter((h) => h.position !== undefined && Object.keys(h.groups).length > 0)
    .sort((a, b) => (b.position ?? 0) - (a.position ?? 0))[0];
  return { ...sig.facts, ...(latest?.groups ?? {}), count: String(sig.count) };
}
