import type { Category, Layer, Owner } from '../domain/vocabulary.ts';
import { ProgressorError } from '../errors/errors.ts';
import type { RuleSpec } from './rule-schema.ts';
import { mayMatch } from './rule-literals.ts';

/** Longest text a single regex is run over; longer lines are cut, bounding polynomial backtracking. */
export const MAX_MATCH_INPUT = 16_384;

export interface CompiledMatcher {
  source: string;
  flags: string;
  /** Global, so `matchAll` works; never share its lastIndex across calls (use `matchAll`). */
  regex: RegExp;
  groups: string[];
}

/** A rule ready to run: its spec plus compiled regexes and where it came from. */
export interface CompiledRule {
  id: string;
  file: string;
  spec: RuleSpec;
  title: string;
  kind: RuleSpec['kind'];
  category: Category;
  layer: Layer;
  owner: Owner;
  matchers: CompiledMatcher[];
  suppressors: CompiledMatcher[];
  /** True for rules shipped in progressor's own rules/ folder. */
  builtin: boolean;
}

const NAMED_GROUP = /\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g;

/**
 * Compiles one regex of a rule. The `i` flag is the default, `g` is always added.
 * @throws ProgressorError RULE_INVALID naming the file, rule and fix.
 */
export function compileMatcher(source: string, flags: string | undefined, file: string, where: string, checked = false): CompiledMatcher {
  const f = `${flags ?? 'i'}g`.split('').filter((c, i, a) => a.indexOf(c) === i).join('');
  let regex: RegExp;
  try {
    regex = new RegExp(source, f);
  } catch (e) {
    throw new ProgressorError('RULE_INVALID', `${where}: invalid regular expression: ${(e as Error).message}`, {
      file,
      path: where,
      hint: 'Fix the regex syntax (JavaScript flavour; named groups are written (?<name>…)).',
    });
  }
  // Running the regex forces V8 to compile it; a regex checked before (the rule cache) is
  // compiled only when it first runs.
  if (!checked && regex.test('')) {
    throw new ProgressorError('RULE_INVALID', `${where}: regex matches the empty string, so it would match everything`, {
      file,
      path: where,
      hint: 'Make the pattern require at least one literal character.',
    });
  }
  regex.lastIndex = 0;
  const groups = [...source.matchAll(NAMED_GROUP)].map((m) => m[1] as string);
  return { source, flags: f, regex, groups };
}

export function compileRule(spec: RuleSpec, file: string, builtin: boolean, opts: { checked?: boolean } = {}): CompiledRule {
  const matchers = spec.match.map((m, i) => compileMatcher(m.regex, m.flags, file, `match[${i}].regex`, opts.checked));
  const suppressors = spec.notMatch.map((m, i) => compileMatcher(m.regex, m.flags, file, `notMatch[${i}].regex`, opts.checked));
  if (spec.kind === 'text' && matchers.length === 0) {
    throw new ProgressorError('RULE_INVALID', `rule ${spec.id}: a text rule needs at least one match regex`, {
      file,
      path: 'match',
      hint: 'Add `match: [{ regex: "…" }]`, or set `kind: thread` / `kind: probe`.',
    });
  }
  return {
    id: spec.id,
    file,
    spec,
    title: spec.title,
    kind: spec.kind,
    category: spec.category,
    layer: spec.layer,
    owner: spec.owner,
    matchers,
    suppressors,
    builtin,
  };
}

/** The fields every signal copies from its rule (SPEC §4 Signal). */
export function signalHead(rule: CompiledRule): { rule: string; title: string; category: Category; layer: Layer; owner: Owner } {
  return { rule: rule.id, title: rule.title, category: rule.category, layer: rule.layer, owner: rule.owner };
}

export interface TextMatch {
  /** Named groups of the match (undefined groups dropped). */
  groups: Record<string, string>;
  /** 0-based line of the match start within the text. */
  line: number;
  /** The whole line (cut to MAX_MATCH_INPUT) the match starts on. */
  lineText: string;
}

/**
 * Runs a rule's regexes over a text, line by line (so counts are per line, as `rg -c`
 * counts them), skipping lines a suppressor matches.
 */
export function matchText(rule: CompiledRule, text: string): TextMatch[] {
  const out: TextMatch[] = [];
  if (rule.matchers.length === 0 || !mayMatch(rule, text)) return out;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    const line = raw.length > MAX_MATCH_INPUT ? raw.slice(0, MAX_MATCH_INPUT) : raw;
    for (const m of rule.matchers) {
      const hit = firstMatch(m.regex, line);
      if (!hit) continue;
      if (rule.suppressors.some((s) => firstMatch(s.regex, line))) break;
      const groups: Record<string, string> = {};
      for (const [k, v] of Object.entries(hit.groups ?? {})) if (v !== undefined) groups[k] = v;
      out.push({ groups, line: i, lineText: line });
      break;
    }
  }
  return out;
}

function firstMatch(regex: RegExp, text: string): RegExpExecArray | null {
  regex.lastIndex = 0;
  const m = regex.exec(text);
  regex.lastIndex = 0;
  return m;
}

/** Replaces `{{name}}` with facts; returns undefined when a needed fact is missing. */
export function renderTemplate(template: string, facts: Record<string, string>): string | undefined {
  let missing = false;
  const out = template.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_, k: string) => {
    const v = facts[k];
    if (v === undefined || v === '') {
      missing = true;
      return '';
    }
    return v;
  });
  return missing ? undefined : out;
}
