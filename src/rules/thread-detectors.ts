import type { EvidenceItem } from '../domain/types.ts';
import type { Redacted } from '../domain/redacted.ts';
import { matchText, type CompiledRule, type TextMatch } from './compile-rule.ts';
import { literalGate, type LiteralGate } from './literal-gate.ts';
import { addHit, newSignal, type MatchedSignal } from './match-evidence.ts';
import type { ThreadExample } from './rule-schema.ts';

type Author = 'maintainer' | 'reporter' | 'participant' | 'any' | 'not-reporter';

function authorMatches(item: EvidenceItem, who: Author): boolean {
  if (who === 'any') return true;
  if (who === 'not-reporter') return item.role !== 'reporter' && item.role !== 'bot';
  return item.role === who;
}

/** Statements (body, comments) in thread order. */
function statements(items: EvidenceItem[]): EvidenceItem[] {
  return items
    .filter((i) => i.kind === 'issue-body' || i.kind === 'comment')
    .sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
}

// The literal gate of the rules being run (set by matchThreadRules): one pass per statement
// tells which rules can match it, instead of each rule's regexes trying every statement.
let gate: LiteralGate | undefined;

function firstTextMatch(rule: CompiledRule, text: string): TextMatch | undefined {
  if (gate && !gate.mayMatch(rule, text)) return undefined;
  return matchText(rule, text)[0];
}

const FIX_CLAIM =
  /\b(?:fixed|resolved|should be (?:good|fine|working)|works now|is working now|closing|deployed (?:the )?fix|merged)\b/i;

/**
 * Runs the thread rules (SPEC §6: reading the discussion). Each detector is a small,
 * named reading of the thread; rule YAML supplies the wording and the weights.
 */
export function matchThreadRules(items: EvidenceItem[], rules: CompiledRule[]): MatchedSignal[] {
  gate = literalGate(rules);
  try {
    return threadSignals(items, rules);
  } finally {
    gate = undefined;
  }
}

function threadSignals(items: EvidenceItem[], rules: CompiledRule[]): MatchedSignal[] {
  const out: MatchedSignal[] = [];
  const said = statements(items);
  const prs = items.filter((i) => i.kind === 'linked-pr');
  for (const rule of rules) {
    if (rule.kind !== 'thread') continue;
    const when = rule.spec.when ?? { author: 'any' as const, detector: 'text' as const };
    const who = when.author;
    const sig = newSignal(rule);
    const hit = (item: EvidenceItem, m?: TextMatch) =>
      addHit(sig, item, m ?? { groups: {}, line: 0, lineText: String(item.excerpt) });
    switch (when.detector) {
      case 'text':
      case 'zero-tests':
      case 'latest-comment': {
        let pool = said.filter((s) => authorMatches(s, who));
        if (when.detector === 'latest-comment') {
          const lastComment = said.filter((s) => s.kind === 'comment').at(-1);
          pool = lastComment && authorMatches(lastComment, who) ? [lastComment] : [];
        }
        const matched = pool.map((s) => [s, firstTextMatch(rule, s.text)] as const).filter(([, m]) => m);
        for (const [s, m] of when.last ? matched.slice(-1) : matched) hit(s, m);
        break;
      }
      case 'merged-pr':
      case 'open-pr':
      case 'closed-unmerged-pr': {
        const state = when.detector === 'merged-pr' ? 'MERGED' : when.detector === 'open-pr' ? 'OPEN' : 'CLOSED';
        for (const pr of prs) {
          if (pr.meta?.state !== state) continue;
          if (rule.matchers.length > 0) {
            const m = firstTextMatch(rule, pr.text);
            if (m) hit(pr, m);
          } else if (!rule.suppressors.some((x) => new RegExp(x.regex.source, x.flags.replace('g', '')).test(pr.text))) hit(pr);
        }
        break;
      }
      case 'unanswered-request': {
        // A request (by someone other than the reporter) after which the reporter never spoke.
        const lastReporter = Math.max(-1, ...said.filter((s) => s.role === 'reporter').map((s) => s.position ?? 0));
        const requests = said.filter(
          (s) => s.kind === 'comment' && authorMatches(s, who) && s.role !== 'reporter' && (s.position ?? 0) > lastReporter,
        );
        for (const s of requests) {
          const m = firstTextMatch(rule, s.text);
          if (m) hit(s, m);
        }
        break;
      }
      case 'recurrence-after-fix': {
        // "It is back" counts only after a fix was claimed or merged earlier in the thread.
        const firstFix = Math.min(
          ...said.filter((s) => s.kind === 'comment' && FIX_CLAIM.test(s.text)).map((s) => s.position ?? 0),
          prs.some((p) => p.meta?.state === 'MERGED') ? 0 : Number.POSITIVE_INFINITY,
        );
        for (const s of said) {
          if (!authorMatches(s, who)) continue;
          const m = firstTextMatch(rule, s.text);
          // The body may itself say an earlier issue's fix did not hold.
          // The body counts only when it refers back to an earlier fix or issue ("#398 is back").
          const bodyRefersToFix = s.kind === 'issue-body' && (FIX_CLAIM.test(s.text) || /#\d+|\bfix\w*\b|\bclosed\b/i.test(s.text));
          if (m && ((s.kind !== 'issue-body' && (s.position ?? 0) > firstFix) || bodyRefersToFix)) hit(s, m);
        }
        break;
      }
      case 'repeated-fix': {
        // The same fix class applied again and again: distinct values of the `value` group,
        // across comments and PR titles, in thread order (8 → 20 → 75 s).
        const values: string[] = [];
        const pool = [...said.filter((s) => authorMatches(s, who)), ...prs];
        const matches: [EvidenceItem, TextMatch][] = [];
        for (const s of pool) {
          if (gate && !gate.mayMatch(rule, s.text)) continue;
          for (const m of matchText(rule, s.text)) {
            const norm = (x: string | undefined) => (x === undefined ? undefined : String(Number(x)));
            const from = norm(m.groups.from);
            const v = norm(m.groups.value ?? m.groups.to);
            if (from && !values.includes(from)) values.push(from);
            if (v && !values.includes(v)) values.push(v);
            matches.push([s, m]);
          }
        }
        if (values.length >= 3 || (matches.length >= 2 && values.length >= 2)) {
          for (const [s, m] of matches) hit(s, m);
          const sorted = values.map(Number).every(Number.isFinite)
            ? [...values].sort((a, b) => Number(a) - Number(b))
            : values;
          sig.facts.values = sorted.join(' → ');
          sig.facts.times = String(values.length);
        }
        break;
      }
      case 'issue-closed':
      case 'issue-closed-not-planned': {
        const st = items.find((i) => i.kind === 'state');
        const reason = String(st?.meta?.reason ?? '').toUpperCase();
        if (st && (when.detector === 'issue-closed' || reason === 'NOT_PLANNED')) hit(st);
        break;
      }
      case 'label': {
        const res = (when.labels ?? []).map((l) => new RegExp(l, 'i'));
        for (const l of items.filter((i) => i.kind === 'label')) {
          if (res.some((r) => r.test(String(l.meta?.label ?? '')))) hit(l);
        }
        break;
      }
    }
    if (sig.count > 0) out.push(sig);
  }
  return out;
}

/** Turns a rule example (a comment string or a small thread) into evidence, for rule tests. */
export function exampleToItems(example: string | ThreadExample, rule: CompiledRule): EvidenceItem[] {
  const who = rule.spec.when?.author ?? 'any';
  const role = who === 'any' || who === 'participant' ? 'participant' : who === 'not-reporter' ? 'maintainer' : who;
  const t: ThreadExample =
    typeof example === 'string'
      ? { body: 'It fails.', state: 'OPEN', labels: [], comments: [{ role, body: example }], prs: [] }
      : example;
  const r = (s: string) => s as Redacted;
  const items: EvidenceItem[] = [
    { id: 'E1', kind: 'issue-body', source: {}, role: 'reporter', author: 'reporter', position: 0, excerpt: r(t.body), text: r(t.body) },
  ];
  t.comments.forEach((c, i) =>
    items.push({
      id: `E${items.length + 1}`,
      kind: 'comment',
      source: {},
      role: c.role,
      author: c.role === 'reporter' ? 'reporter' : `${c.role}-${i}`,
      position: i + 1,
      excerpt: r(c.body),
      text: r(c.body),
    }),
  );
  t.prs.forEach((p, i) => {
    const text = `PR #${i + 100} (${p.state}): ${p.title}`;
    items.push({ id: `E${items.length + 1}`, kind: 'linked-pr', source: {}, excerpt: r(text), text: r(text), meta: { state: p.state, number: i + 100 } });
  });
  for (const l of t.labels) items.push({ id: `E${items.length + 1}`, kind: 'label', source: {}, excerpt: r(l), text: r(l), meta: { label: l } });
  if (t.state === 'CLOSED') {
    const reason = (t.stateReason ?? 'completed').toUpperCase();
    items.push({ id: `E${items.length + 1}`, kind: 'state', source: {}, excerpt: r(reason), text: r(reason), meta: { state: 'CLOSED', reason } });
  }
  return items;
}
