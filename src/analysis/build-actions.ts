import type { Diagnostic, NextStep, Why } from '../domain/types.ts';
import type { Owner, Status } from '../domain/vocabulary.ts';
import { renderTemplate, type CompiledRule } from '../rules/compile-rule.ts';
import { renderShellCommand } from '../rules/shell-facts.ts';
import type { MatchedSignal } from '../rules/match-evidence.ts';
import { factsOf } from './facts.ts';

/**
 * What to do next, built from the verdict (pure): diagnostics, next steps, monitoring and
 * validation from the chain's rules, and the one-sentence takeaway. Kept apart from the
 * decision code in build-analysis.ts, which only hands it the whys, signals and owner.
 */
export interface ActionsInput {
  whys: Why[];
  failureSignals: MatchedSignal[];
  threadSignals: MatchedSignal[];
  ruleById: Map<string, CompiledRule>;
  /** The decided owner of the root cause. */
  owner: Owner;
}

export interface Actions {
  diagnostics: Diagnostic[];
  nextSteps: NextStep[];
  monitor: string[];
  validate: string[];
}

export function buildActions(input: ActionsInput): Actions {
  const { whys, ruleById, owner } = input;
  const chainRules = whys.map((w) => (w.rule ? ruleById.get(w.rule) : undefined)).filter((r): r is CompiledRule => !!r);
  const sigOf = (id: string) => [...input.failureSignals, ...input.threadSignals].find((s) => s.rule === id);
  const diagnostics: Diagnostic[] = [];
  const nextSteps: NextStep[] = [];
  const monitor: string[] = [];
  const validate: string[] = [];
  for (const r of [...chainRules].reverse()) {
    const sg = sigOf(r.id);
    const facts = sg ? factsOf(sg) : {};
    for (const d of r.spec.diagnose) {
      // Facts are untrusted: validated per kind and shell-quoted, else the command is hidden.
      const cmd = renderShellCommand(d, facts);
      if (cmd && !diagnostics.some((x) => x.command === cmd)) diagnostics.push({ rule: r.id, command: cmd, owner: r.owner });
    }
    for (const h of r.spec.remediate) {
      const action = renderTemplate(h, facts);
      if (action && !nextSteps.some((x) => x.action === action)) nextSteps.push({ owner: r.owner === 'unknown' ? owner : r.owner, action, rule: r.id });
    }
    for (const m of r.spec.monitor) {
      const t = renderTemplate(m, facts);
      if (t && !monitor.includes(t)) monitor.push(t);
    }
    for (const v of r.spec.validate) {
      const t = renderTemplate(v, facts);
      if (t && !validate.includes(t)) validate.push(t);
    }
  }
  const ordered = [...nextSteps].sort((a, b) => Number(a.owner !== owner) - Number(b.owner !== owner));
  return { diagnostics, nextSteps: ordered, monitor, validate };
}

const STATUS_PHRASE: Record<Status, string> = {
  resolved: 'Resolved',
  'in-progress': 'In progress',
  'blocked-on-infrastructure': 'Blocked on infrastructure',
  'needs-reproduction': 'Needs a reproduction',
  'needs-info': 'Needs information',
  'not-a-bug': 'Not a bug in this project',
};

export interface TakeawayInput {
  status: Status;
  owner: Owner;
  whys: Why[];
  /** The signal of the deepest supported why (the root cause), when there is one. */
  root?: MatchedSignal;
  threadSignals: MatchedSignal[];
  ruleById: Map<string, CompiledRule>;
}

export function buildTakeaway(input: TakeawayInput): string {
  const { status, owner, whys, root, ruleById } = input;
  const rootWhy = [...whys].reverse().find((w) => w.supported && w.rule === root?.rule);
  const cite = (ids: string[]) => (ids.length ? ` (${ids.slice(0, 3).join(', ')})` : '');
  const cause = rootWhy ? `${rootWhy.answer.replace(/\.$/, '')}${cite(rootWhy.evidence)}` : 'the cause is not established by the evidence yet';
  const decisive = input.threadSignals
    .filter((s) => Object.keys(ruleById.get(s.rule)?.spec.effects?.status ?? {}).includes(status))
    .map((s) => ruleById.get(s.rule)!.title.toLowerCase());
  const because = decisive.length ? `; ${decisive.slice(0, 2).join(', ')}` : '';
  const who = status === 'blocked-on-infrastructure' && owner === 'infrastructure' ? '' : ` (${owner})`;
  return `${STATUS_PHRASE[status]}${who}: ${lowerFirst(cause)}${because}.`;
}

function lowerFirst(s: string): string {
  return /^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s;
}
