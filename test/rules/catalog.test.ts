import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { check } from 'recheck';
import { beforeAll, describe, expect, it } from 'vitest';
import { CATEGORIES, LAYERS, OWNERS } from '../../src/domain/vocabulary.ts';
import type { CompiledRule } from '../../src/rules/compile-rule.ts';
import { BUILTIN_RULES_DIR, loadRules } from '../../src/rules/load-rules.ts';

// Modelled on ESLint's checkRuleFiles: the shipped knowledge base is checked as data.

let rules: CompiledRule[] = [];
beforeAll(async () => {
  rules = await loadRules({ checkSafety: false });
});

const textRules = () => rules.filter((r) => r.kind === 'text');
const stringExamples = (xs: unknown[]) => xs.filter((x): x is string => typeof x === 'string');

describe('rules catalogue', () => {
  it('names every rule after its file', () => {
    for (const r of rules) expect(basename(r.file, extname(r.file)), r.file).toBe(r.id);
  });

  it('uses only the vocabulary of SPEC §4', () => {
    for (const r of rules) {
      expect(CATEGORIES, r.id).toContain(r.category);
      expect(OWNERS, r.id).toContain(r.owner);
      expect(LAYERS, r.id).toContain(r.layer);
    }
  });

  it('resolves every causes edge to a rule id or a category', () => {
    const ids = new Set(rules.map((r) => r.id));
    const dangling = rules.flatMap((r) =>
      r.spec.causes.filter((c) => !ids.has(c) && !(CATEGORIES as readonly string[]).includes(c)).map((c) => `${r.id} -> ${c}`),
    );
    expect(dangling).toEqual([]);
  });

  it('points text rules\' rule-id edges at rules no shallower (the Five Whys only walks down)', () => {
    const byId = new Map(rules.map((r) => [r.id, r]));
    const upward = textRules().flatMap((r) =>
      r.spec.causes
        .map((c) => byId.get(c))
        .filter((t): t is CompiledRule => t !== undefined && t.spec.depth < r.spec.depth)
        .map((t) => `${r.id} (${r.spec.depth}) -> ${t.id} (${t.spec.depth})`),
    );
    expect(upward).toEqual([]);
  });

  it('gives every rule both kinds of example', () => {
    for (const r of rules) {
      expect(r.spec.examples.match.length, r.id).toBeGreaterThan(0);
      expect(r.spec.examples.noMatch.length, r.id).toBeGreaterThan(0);
    }
  });

  it('gives every text rule at least two examples of each kind', () => {
    for (const r of textRules()) {
      expect(stringExamples(r.spec.examples.match).length, r.id).toBeGreaterThanOrEqual(2);
      expect(stringExamples(r.spec.examples.noMatch).length, r.id).toBeGreaterThanOrEqual(2);
    }
  });

  it('never lets two rules claim the same example', () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const r of rules) {
      for (const ex of stringExamples(r.spec.examples.match)) {
        const prior = owner.get(ex);
        if (prior && prior !== r.id) clashes.push(`${prior} and ${r.id}: ${ex}`);
        owner.set(ex, r.id);
      }
    }
    expect(clashes).toEqual([]);
  });

  it('covers every category except unknown with at least three text rules, 60 in all', () => {
    const counts = new Map<string, number>();
    for (const r of textRules()) counts.set(r.category, (counts.get(r.category) ?? 0) + 1);
    const thin = CATEGORIES.filter((c) => c !== 'unknown' && (counts.get(c) ?? 0) < 3);
    expect(thin).toEqual([]);
    expect(textRules().length).toBeGreaterThanOrEqual(60);
  });

  it('keeps the shipped rules inside the rules folder', () => {
    for (const r of rules) expect(r.builtin, r.id).toBe(true);
    expect(resolve(BUILTIN_RULES_DIR)).toBe(resolve(dirname(new URL(import.meta.url).pathname), '../../rules'));
  });
});

// recheck takes seconds per regex, so "safe" verdicts are kept in a lock file next to this
// test, keyed by recheck version, flags and regex (like a snapshot: new verdicts are written,
// and the diff is committed). A new or changed regex is always checked afresh.
const CACHE = resolve(dirname(new URL(import.meta.url).pathname), 'recheck-verdicts.json');
const RECHECK_VERSION = (JSON.parse(readFileSync(resolve(dirname(new URL(import.meta.url).pathname), '../../node_modules/recheck/package.json'), 'utf8')) as { version: string }).version;

function readCache(): Record<string, string> {
  try {
    return JSON.parse(readFileSync(CACHE, 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}

function writeCache(cache: Record<string, string>): void {
  mkdirSync(dirname(CACHE), { recursive: true });
  const sorted = Object.fromEntries(Object.entries(cache).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(CACHE, `${JSON.stringify(sorted, null, 1)}\n`);
}

describe('rules catalogue: regex safety', () => {
  it(
    'has no regex with catastrophic backtracking (recheck) and none ripgrep cannot run',
    async () => {
      const cache = readCache();
      const jobs = textRules().flatMap((r) =>
        [...r.matchers, ...r.suppressors].map((m) => {
          const flags = m.flags.replace('g', '');
          const key = createHash('sha256').update(`${RECHECK_VERSION}\0${flags}\0${m.source}`).digest('hex');
          return { id: r.id, source: m.source, flags, key };
        }),
      );
      // Rust regex (ripgrep export): no look-around, no backreferences.
      const unportable = jobs.filter((j) => /\(\?<?[=!]|\\[1-9]|\\k</.test(j.source)).map((j) => `${j.id}: ${j.source}`);
      expect(unportable).toEqual([]);

      const todo = jobs.filter((j) => cache[j.key] !== 'safe');
      const vulnerable: string[] = [];
      const queue = [...todo];
      await Promise.all(
        [0, 1].map(async () => {
          for (let j = queue.shift(); j; j = queue.shift()) {
            const res = await check(j.source, j.flags, { timeout: 60_000, attackTimeout: null, incubationTimeout: null });
            if (res.status === 'safe') {
              cache[j.key] = 'safe';
              writeCache(cache);
            }
            else if (res.status === 'vulnerable') {
              vulnerable.push(`${j.id}: /${j.source}/ is ${res.complexity.type} (attack ${JSON.stringify(res.attack.string.slice(0, 30))})`);
            }
            // 'unknown' (analysis timed out) is not a finding; it is simply not cached.
          }
        }),
      );
      expect(vulnerable).toEqual([]);
    },
    600_000,
  );
});

