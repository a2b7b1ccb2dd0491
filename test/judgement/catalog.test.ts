import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, OWNERS, STATUSES } from '../../src/domain/vocabulary.ts';
import { FAULTS, TARGETS, decodeActModel } from '../../src/judgement/act-model.ts';
import { loadActDefs, loadFamilyDefs, loadPriors, MODEL_FILE } from '../../src/judgement/load-judgement.ts';
import { loadRules } from '../../src/rules/load-rules.ts';

// The judgement's catalogue: every name that code or data uses refers to something that exists,
// and no rule id is written into TypeScript (decisions come from data, not from code naming rules).
const rules = await loadRules({ checkSafety: false });
const ruleIds = new Set(rules.map((r) => r.id));
const acts = loadActDefs().map((d) => d.id);
const priors = loadPriors();
const SRC = join(import.meta.dirname, '../../src');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath, e.name));
}

/** Checks one prior's feature name against what decision-features.ts can produce. */
function problem(field: 'status' | 'owner' | 'category', name: string): string | undefined {
  const classes: readonly string[] = field === 'status' ? STATUSES : field === 'owner' ? OWNERS : CATEGORIES;
  if (name.startsWith('cf:')) {
    const known = field === 'owner'
      ? ['cf:root', 'cf:sig', 'cf:rule', 'cf:prfix', 'cf:fault|m', 'cf:fault|r', 'cf:fault|o', 'cf:catprior']
      : ['cf:title', 'cf:body', 'cf:comments', 'cf:collected', 'cf:root-chain', 'cf:root', 'cf:start', 'cf:rule', 'cf:kw-title', 'cf:kw-text', 'cf:nb', 'cf:named|m', 'cf:named|any'];
    return field !== 'status' && known.includes(name) ? undefined : `unknown class-specific feature ${name}`;
  }
  const at = name.lastIndexOf('@');
  if (at < 0) return `${name} names no class`;
  const feat = name.slice(0, at);
  if (!classes.includes(name.slice(at + 1))) return `unknown class in ${name}`;
  const m = /^(act|fault|target):([\w-]+)\|(m|r|o|last|any)$/.exec(feat);
  if (m) {
    const ok = m[1] === 'act' ? acts.includes(m[2]!) : m[1] === 'fault' ? (FAULTS as readonly string[]).includes(m[2]!) : (TARGETS as readonly string[]).includes(m[2]!);
    return ok ? undefined : `${feat} names an unknown ${m[1]}`;
  }
  if (feat.startsWith('rule:')) return ruleIds.has(feat.slice(5)) ? undefined : `${feat} names no rule`;
  if (feat.startsWith('root:')) return [...OWNERS, 'none'].includes(feat.slice(5)) ? undefined : `${feat} names no owner`;
  const generic = ['bias', 'open', 'closed', 'pr:merged', 'pr:open', 'probe:failing', 'probe:healthy', 'recurrence', 'comments', 'nocause', 'nosignal'];
  return generic.includes(feat) ? undefined : `unknown feature ${feat}`;
}

describe('judgement catalogue', () => {
  it('has an act definition file for every act the labels use, and the reverse', () => {
    const used = new Set<string>();
    const dir = join(import.meta.dirname, '../../data/acts');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.jsonl')))
      for (const line of readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean))
        for (const a of (JSON.parse(line) as { acts: { act: string }[] }).acts) used.add(a.act);
    expect([...used].sort()).toEqual([...acts].sort());
  });

  it('ships a model whose heads are exactly the defined acts, faults, targets and hedge', () => {
    const model = decodeActModel((JSON.parse(readFileSync(MODEL_FILE, 'utf8')) as { acts: Parameters<typeof decodeActModel>[0] }).acts);
    expect(model.heads).toEqual([...acts.map((a) => `act:${a}`), ...FAULTS.map((f) => `fault:${f}`), ...TARGETS.map((t) => `target:${t}`), 'hedged']);
  });

  for (const field of ['status', 'owner', 'category'] as const) {
    it(`names only existing features, acts, rules and classes in the ${field} priors`, () => {
      const bad = [...priors[field].keys()].map((n) => problem(field, n)).filter(Boolean);
      expect(bad).toEqual([]);
    });
  }

  it('rejects a prior that names a rule or act that does not exist', () => {
    expect(problem('status', 'rule:no-such-rule@resolved')).toMatch(/names no rule/);
    expect(problem('status', 'act:no-such-act|m@resolved')).toMatch(/unknown act/);
    expect(problem('owner', 'cf:nothing')).toMatch(/unknown class-specific/);
    expect(problem('status', 'open@nowhere')).toMatch(/unknown class/);
  });

  it('covers every category but unknown with a keyword family', () => {
    expect(loadFamilyDefs().map((f) => f.category).sort()).toEqual(CATEGORIES.filter((c) => c !== 'unknown').sort());
  });

  it('writes no rule id as a string in TypeScript', () => {
    const offenders: string[] = [];
    for (const file of tsFiles(SRC)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/'([a-z][a-z0-9]*(?:-[a-z0-9]+)+)'/g)) if (ruleIds.has(m[1]!)) offenders.push(`${file}: ${m[1]}`);
    }
    expect(offenders).toEqual([]);
  });
});
