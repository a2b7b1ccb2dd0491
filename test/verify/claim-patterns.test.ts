import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from 'recheck';
import { CLAIM_KINDS } from '../../src/verify/claim-schema.ts';
import { matchPattern } from '../../src/verify/extract.ts';
import { loadClaimPatterns, parseClaimPattern, type ClaimPattern } from '../../src/verify/load-claims.ts';
import { plainText } from '../../src/verify/extract.ts';

// The shipped claim patterns are data, checked like the rules: every must-match example is
// recognised (with the facts it names), every must-not-match example is not.

let patterns: ClaimPattern[] = [];
beforeAll(async () => {
  patterns = await loadClaimPatterns();
});

describe('claim patterns catalogue', () => {
  it('ships a pattern for every claim kind, each named after its file', () => {
    expect(new Set(patterns.map((p) => p.kind))).toEqual(new Set(CLAIM_KINDS));
    for (const p of patterns) expect(basename(p.file, extname(p.file))).toBe(p.id);
  });

  it('recognises every must-match example with its facts, and no must-not-match example', () => {
    const failures: string[] = [];
    for (const p of patterns) {
      for (const ex of p.spec.examples.match) {
        const e = typeof ex === 'string' ? { text: ex } : ex;
        const hits = matchPattern(p, { plain: plainText(e.text), context: e.context ?? '' });
        if (hits.length === 0) failures.push(`${p.id}: did not match ${JSON.stringify(e.text)}`);
        else if (e.facts) {
          const got = hits[0]!.facts;
          for (const [k, v] of Object.entries(e.facts)) if (got[k] !== v) failures.push(`${p.id}: ${JSON.stringify(e.text)} gave ${k}=${JSON.stringify(got[k])}, want ${JSON.stringify(v)}`);
        }
      }
      for (const ex of p.spec.examples.noMatch) {
        const e = typeof ex === 'string' ? { text: ex } : ex;
        if (matchPattern(p, { plain: plainText(e.text), context: e.context ?? '' }).length > 0) failures.push(`${p.id}: matched must-not-match ${JSON.stringify(e.text)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  // Patterns run over one sentence of at most MAX_SENTENCE characters, so bounded gaps
  // that backtrack polynomially are cheap; exponential backtracking is never acceptable.
  // recheck takes seconds per regex, so verdicts are kept in recheck-verdicts.json next to
  // this test, keyed by flags and regex (like a snapshot: new verdicts are written and the
  // diff is committed). Patterns run over one sentence of at most MAX_SENTENCE characters,
  // so bounded gaps that backtrack polynomially are cheap; exponential is never acceptable.
  it('has no regex with exponential backtracking', async () => {
    const file = resolve(import.meta.dirname, 'recheck-verdicts.json');
    const known = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
    const exponential: string[] = [];
    for (const p of patterns) {
      for (const m of [...p.matchers, ...p.suppressors, ...p.context]) {
        const flags = m.flags.replace('g', '');
        const key = createHash('sha256').update(`${flags}\0${m.source}`).digest('hex');
        if (known[key] === undefined) {
          const r = await check(m.source, flags, { timeout: 10_000 });
          known[key] = r.status === 'vulnerable' ? r.complexity.type : r.status;
          writeFileSync(file, `${JSON.stringify(Object.fromEntries(Object.entries(known).sort(([a], [b]) => a.localeCompare(b))), null, 1)}\n`);
        }
        if (known[key] === 'exponential') exponential.push(`${p.id}: ${m.source.slice(0, 60)}`);
      }
    }
    expect(exponential).toEqual([]);
  }, 300_000);
});

describe('claim pattern files', () => {
  it('rejects an unknown kind naming the file, line and fix', () => {
    const text = 'id: x-y\ntitle: A test\nkind: vibes\nmatch:\n  - regex: a\nexamples:\n  match: [a]\n  noMatch: [b]\n';
    expect(() => parseClaimPattern(text, 'claims/x-y.yaml', false)).toThrow(/kind/);
    try {
      parseClaimPattern(text, 'claims/x-y.yaml', false);
    } catch (e) {
      expect((e as { code: string; file: string; line: number }).code).toBe('RULE_INVALID');
      expect((e as { file: string }).file).toBe('claims/x-y.yaml');
      expect((e as { line: number }).line).toBe(3);
    }
  });

  it('rejects a pattern whose id differs from its file name', () => {
    const text = 'id: other\ntitle: A test\nkind: number\nmatch:\n  - regex: a\nexamples:\n  match: [a]\n  noMatch: [b]\n';
    expect(() => parseClaimPattern(text, 'claims/x-y.yaml', false)).toThrow('pattern id "other" differs from its file name "x-y"');
  });
});
