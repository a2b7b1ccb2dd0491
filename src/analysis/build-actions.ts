import { MAX_NEXT_STEPS, MAX_CHECK_LINES } from '../domain/constants.ts';
import type { CheckLine, Diagnostic, EvidenceItem, HeldStep, Lead, NextStep, Why } from '../domain/types.ts';
import type { Owner, Status } from '../domain/vocabulary.ts';
import type { CompiledRule } from '../rules/compile-rule.ts';
import type { MatchedSignal } from '../rules/match-evidence.ts';
import { isValidFact, renderShellCommand } from '../rules/shell-facts.ts';
import type { StepInput } from '../rules/rule-schema.ts';
import { detectEnvironment, platformMismatch, type Environment } from './environment.ts';
import { factsOf } from './facts.ts';

/**
 * What to do next, built from the verdict (pure): a ranked Next list (root cause first, at most
 * five), monitor and validate lines that each carry their command, the diagnostics, and the
 * steps held back with the reason. Kept apart from the decision code in build-analysis.ts,
 * which only hands it the whys, signals and decided owner.
 *
 * A step's placeholders are filled from its own signal's facts first, then from the
 * environment facts any rule extracted (the Cloud SQL socket path gives the project and region
 * the VPC connector command needs). A step is held back when a placeholder stays empty, when
 * its command is for a platform the evidence does not show, when the thread already reports it
 * done, or when it needs evidence (an IAM grant needs a permissions signal) that is absent.
 */
export interface ActionsInput {
  whys: Why[];
  failureSignals: MatchedSignal[];
  threadSignals: MatchedSignal[];
  ruleById: Map<string, CompiledRule>;
  /** The decided owner of the root cause. */
  owner: Owner;
  items: readonly EvidenceItem[];
}

export interface Actions {
  diagnostics: Diagnostic[];
  nextSteps: NextStep[];
  heldSteps: HeldStep[];
  monitor: CheckLine[];
  validate: CheckLine[];
  platforms: string[];
}

interface Step {
  do?: string;
  run?: string;
  done?: string;
  needs?: string[];
}

const asStep = (s: StepInput, command: boolean): Step => (typeof s === 'string' ? (command ? { run: s } : { do: s }) : s);

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Fills `{{fact}}` placeholders; `missing` names those no fact could fill. */
export function fillTemplate(template: string, facts: Readonly<Record<string, string>>): { text: string; missing: string[] } {
  const missing: string[] = [];
  const text = template.replace(PLACEHOLDER, (whole, k: string) => {
    const v = facts[k];
    if (v === undefined || v === '') {
      if (!missing.includes(k)) missing.push(k);
      return whole;
    }
    return v;
  });
  return { text, missing };
}

/** The human statements (issue body, comments) that report a step done. */
function doneBy(pattern: string | undefined, items: readonly EvidenceItem[]): string[] {
  if (!pattern) return [];
  const re = new RegExp(pattern, 'i');
  return items.filter((i) => (i.kind === 'comment' || i.kind === 'issue-body') && i.role !== 'bot' && re.test(String(i.text))).map((i) => i.id);
}

/** Log files a signal's evidence lies in, relative as the collectors show them. */
function logFilesOf(sig: MatchedSignal | undefined, byId: ReadonlyMap<string, EvidenceItem>): string[] {
  const files = new Set<string>();
  for (const id of sig?.evidence ?? []) {
    const i = byId.get(id);
    if (i?.kind === 'log' && i.source.path) files.add(i.source.path);
  }
  return [...files].sort();
}

export function buildActions(input: ActionsInput): Actions {
  const { whys, ruleById, items } = input;
  const byId = new Map(items.map((i) => [i.id, i]));
  const allSignals = [...input.failureSignals, ...input.threadSignals];
  const env: Environment = detectEnvironment(items, allSignals);
  const sigOf = (id: string) => allSignals.find((s) => s.rule === id);
  const present = new Set(allSignals.flatMap((s) => [s.rule, s.category]));
  const allLogs = [...new Set(items.filter((i) => i.kind === 'log' && i.source.path).map((i) => i.source.path!))].sort();

  // Chain rules from the root cause up: the deepest supported why first, then hypotheses'
  // rules (their diagnostics test them), then the rest of the chain towards the symptom.
  const chain = whys.map((w) => ({ w, r: w.rule ? ruleById.get(w.rule) : undefined })).filter((x): x is { w: Why; r: CompiledRule } => !!x.r);
  const supported = chain.filter((x) => x.w.supported).reverse();
  const hypotheses = chain.filter((x) => !x.w.supported);
  const ordered = [...supported.slice(0, 1), ...hypotheses, ...supported.slice(1)].map((x) => x.r);
  const rootRule = supported[0]?.r;

  // Who acts: the owner a thread statement names for the evidence of this rule (the same
  // comment names the failure and the team), or, for the root cause, a thread statement that
  // names the root cause's owner. Otherwise the evidence names nobody: maintainers decide.
  const ownerStatements = input.threadSignals
    .map((s) => ({ s, owners: Object.entries(ruleById.get(s.rule)?.spec.effects?.owner ?? {}).filter(([, v]) => (v ?? 0) > 0) }))
    .filter((x) => x.owners.length > 0);
  const whoActs = (r: CompiledRule): { owner: NextStep['owner']; by: string[] } => {
    const ev = new Set(sigOf(r.id)?.evidence ?? []);
    for (const { s, owners } of ownerStatements) {
      const shared = s.evidence.filter((id) => ev.has(id));
      if (shared.length) return { owner: owners.sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))[0]![0] as Owner, by: shared };
    }
    if (r === rootRule) {
      const named = ownerStatements.find(({ owners }) => owners.some(([o]) => o === r.owner));
      if (named) return { owner: r.owner, by: [...named.s.evidence] };
    }
    return { owner: 'maintainers', by: [] };
  };

  const held: HeldStep[] = [];
  const diagnostics: Diagnostic[] = [];
  interface Candidate extends NextStep {
    rank: number;
  }
  const candidates: Candidate[] = [];
  const monitor: CheckLine[] = [];
  const validate: CheckLine[] = [];
  const usedCommands = new Set<string>();

  /** Renders one step for a rule; undefined (and recorded as held) when it cannot be shown. */
  const render = (r: CompiledRule, step: Step, isDiagnostic = false): { text?: string; command?: string } | undefined => {
    const sig = sigOf(r.id);
    const logFiles = logFilesOf(sig, byId);
    const logfile = logFiles.length === 1 ? logFiles[0] : allLogs.length === 1 ? allLogs[0] : undefined;
    const facts: Record<string, string> = { ...env.facts, ...(logfile ? { logfile } : {}), ...(sig ? factsOf(sig) : {}) };
    const text = step.do ? fillTemplate(step.do, facts) : undefined;
    const command = step.run ? fillTemplate(step.run, facts) : undefined;
    // A held command is shown as its template: no untrusted fact reaches a line people copy
    // unless it passed validation and quoting (renderShellCommand, issue 10).
    const shown = step.run ?? step.do ?? '';
    const hold = (h: Omit<HeldStep, 'rule' | 'text'>) => {
      held.push({ rule: r.id, text: shown, ...h });
      if (isDiagnostic && !diagnostics.some((x) => x.command === shown)) diagnostics.push({ rule: r.id, command: shown, owner: r.owner, held: h.reason });
      return undefined;
    };
    const missing = [...new Set([...(text?.missing ?? []), ...(command?.missing ?? [])])];
    if (missing.length) return hold({ reason: 'placeholders', missing });
    // Facts are untrusted: a hint people act on carries only facts that pass validation for
    // their kind, and a command's facts are also shell-quoted; else the step is not shown.
    if (step.do) {
      const bad = [...step.do.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((k) => !isValidFact(k, facts[k] ?? ''));
      if (bad.length) return hold({ reason: 'invalid-fact', missing: [...new Set(bad)] });
    }
    const run = step.run ? renderShellCommand(step.run, facts) : undefined;
    if (step.run && run === undefined) {
      const bad = [...step.run.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((k) => !isValidFact(k, facts[k] ?? ''));
      return hold({ reason: 'invalid-fact', missing: [...new Set(bad)] });
    }
    const platform = run ? platformMismatch(run, env.platforms) : undefined;
    if (platform) return hold({ reason: 'platform', platform });
    const by = doneBy(step.done, items);
    if (by.length) return hold({ reason: 'done-in-thread', doneBy: by });
    if (step.needs && !step.needs.some((n) => present.has(n))) return hold({ reason: 'no-evidence', missing: step.needs });
    return { text: text?.text, command: run };
  };

  ordered.forEach((r, depth) => {
    const who = whoActs(r);
    const evidence = [...(sigOf(r.id)?.evidence ?? [])];
    const diag = r.spec.diagnose.map((d) => asStep(d, true));
    diag.forEach((d, i) => {
      const out = render(r, d, true);
      if (!out?.command) return;
      if (!diagnostics.some((x) => x.command === out.command)) diagnostics.push({ rule: r.id, command: out.command, owner: r.owner });
      // The first diagnostic leads the rule's steps; further ones come after every rule's fixes.
      candidates.push({
        owner: who.owner,
        action: out.text ?? 'run',
        command: out.command,
        rule: r.id,
        evidence,
        ownerEvidence: who.by,
        rank: i === 0 ? depth * 100 : 10_000 + depth * 100 + i,
      });
    });
    r.spec.remediate.forEach((h, i) => {
      const out = render(r, asStep(h, false));
      if (!out?.text && !out?.command) return;
      candidates.push({
        owner: who.owner,
        action: out.text ?? 'run',
        command: out.command,
        rule: r.id,
        evidence,
        ownerEvidence: who.by,
        rank: depth * 100 + 1 + i,
      });
    });
    for (const [list, into] of [
      [r.spec.monitor, monitor],
      [r.spec.validate, validate],
    ] as const) {
      for (const m of list) {
        const step = asStep(m, false);
        // A line without the command or query that measures it tells the reader nothing to run.
        if (!step.run) continue;
        const out = render(r, step);
        if (out?.command && !into.some((x) => x.command === out.command)) into.push({ owner: who.owner, text: out.text ?? '', command: out.command, rule: r.id });
      }
    }
  });

  const nextSteps: NextStep[] = [];
  for (const c of candidates.sort((a, b) => a.rank - b.rank)) {
    const { rank: _rank, ...step } = c;
    if (step.command && usedCommands.has(step.command)) {
      // The same command already sits in a higher step: keep the step's text, drop the repeat.
      if (step.action === 'run') {
        held.push({ rule: step.rule ?? '', text: step.command, reason: 'duplicate' });
        continue;
      }
      delete step.command;
    }
    if (nextSteps.some((s) => s.action === step.action && s.action !== 'run' && s.command === step.command)) continue;
    if (nextSteps.length >= MAX_NEXT_STEPS) {
      held.push({ rule: step.rule ?? '', text: step.command ?? step.action, reason: 'ranked-out' });
      continue;
    }
    if (step.command) usedCommands.add(step.command);
    nextSteps.push(step);
  }
  // The diagnostics list keeps every rendered command; those not in Next say why.
  for (const d of diagnostics) {
    if (!nextSteps.some((x) => x.command === d.command)) d.held = held.find((h) => h.text === d.command)?.reason ?? 'ranked-out';
  }
  return {
    diagnostics,
    nextSteps,
    heldSteps: held,
    monitor: monitor.slice(0, MAX_CHECK_LINES),
    validate: validate.slice(0, MAX_CHECK_LINES),
    platforms: env.platforms,
  };
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
  ruleById: Map<string, CompiledRule>;
  lead?: Lead;
}

/** Most words in the takeaway (COMMENT_STYLE: one sentence a reader takes in at a glance). */
export const MAX_TAKEAWAY_WORDS = 35;

/**
 * One sentence: the status, the root cause as its rule names it with the fact that identifies
 * it (the connector, the host, the instance) and its evidence ids, then the strongest lead the
 * thread gives, quoted with its id.
 */
export function buildTakeaway(input: TakeawayInput): string {
  const { status, owner, whys, root, ruleById, lead } = input;
  const who = status === 'blocked-on-infrastructure' && owner === 'infrastructure' ? '' : ` (${owner})`;
  const head = `${STATUS_PHRASE[status]}${who}`;
  const rootWhy = [...whys].reverse().find((w) => w.supported && w.rule === root?.rule);
  const rule = root ? ruleById.get(root.rule) : undefined;
  if (!rootWhy || !rule || !root) return `${head}: the cause is not established by the evidence yet.`;
  // The identifying fact: the first placeholder of the rule's answer that the signal filled.
  const facts = factsOf(root);
  const keys = [...(rule.spec.why?.answer ?? '').matchAll(PLACEHOLDER)].map((m) => m[1]!);
  const key = keys.find((k) => facts[k]);
  const ids = rootWhy.evidence.slice(0, 2);
  const cause = `${lowerFirst(rule.title)} (${[key ? facts[key] : undefined, ...ids].filter(Boolean).join(', ')})`;
  const sentence = lead ? `${head}: ${cause}; strongest lead: "${lead.quote.replace(/[.!]$/, '')}" (${lead.evidence}).` : `${head}: ${cause}.`;
  if (sentence.split(/\s+/).length <= MAX_TAKEAWAY_WORDS) return sentence;
  return `${head}: ${cause}.`;
}

function lowerFirst(s: string): string {
  return /^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s;
}
