import type { Facts, SignalDraft } from '../../domain/types.ts';
import { signalHead, type CompiledRule } from '../../rules/compile-rule.ts';

/** Accumulates rule matches into signal drafts (count, first/last seen, facts, evidence keys). */
export class SignalTally {
  private readonly byRule = new Map<string, SignalDraft & { ruleRef: CompiledRule }>();

  add(rule: CompiledRule, groups: Record<string, string>, evidenceKey: string, at?: string, count = 1): void {
    let s = this.byRule.get(rule.id);
    if (!s) {
      s = {
        ...signalHead(rule),
        count: 0,
        facts: {},
        factValues: {},
        evidenceKeys: [],
        ruleRef: rule,
      };
      this.byRule.set(rule.id, s);
    }
    s.count += count;
    if (at) {
      if (!s.firstSeen || at < s.firstSeen) s.firstSeen = at;
      if (!s.lastSeen || at > s.lastSeen) s.lastSeen = at;
    }
    for (const [k, v] of Object.entries(groups)) {
      if ((s.facts as Facts)[k] === undefined) s.facts[k] = v;
      const vals = (s.factValues[k] ??= {});
      vals[v] = (vals[v] ?? 0) + count;
    }
    if (!s.evidenceKeys.includes(evidenceKey)) s.evidenceKeys.push(evidenceKey);
  }

  signals(): SignalDraft[] {
    return [...this.byRule.values()]
      .map(({ ruleRef: _r, ...s }) => s)
      .sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule));
  }
}

/** Text rules that read a given evidence kind (no scope = every text kind). */
export function rulesFor(rules: readonly CompiledRule[], kind: string): CompiledRule[] {
  return rules.filter((r) => r.kind === 'text' && r.matchers.length > 0 && (!r.spec.scope || (r.spec.scope as string[]).includes(kind)));
}
