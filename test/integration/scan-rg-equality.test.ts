import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error a plain .mjs bench helper without types
import { failureLines, writeCorpus } from '../../bench/gen-corpus.mjs';
import { exportRulesForRg } from '../../src/rules/export-rg.ts';
import type { CompiledRule } from '../../src/rules/compile-rule.ts';
import { loadRules } from '../../src/rules/load-rules.ts';
import { logRules } from '../../src/scan/scan-plan.ts';
import { scanInputs } from '../../src/scan/scan-inputs.ts';

const hasRg = spawnSync('rg', ['--version']).status === 0;
let rules: CompiledRule[];
let file: string;

beforeAll(async () => {
  rules = await loadRules();
  file = join(mkdtempSync(join(tmpdir(), 'scan-rg-eq-')), 'corpus.log');
  writeCorpus(file, 6 << 20, 5);
});

/** What `rg -c` counts for one exported rule (its suppressors subtracted line by line). */
function rgCount(p: { pattern: string; suppress?: string }): number {
  const cmd = p.suppress ? `rg --no-line-number -e "$P" "$F" | rg -c -v -e "$S" || true` : `rg -c -e "$P" "$F" || true`;
  return Number(execFileSync('sh', ['-c', cmd], { env: { ...process.env, P: p.pattern, S: p.suppress ?? '', F: file } }).toString().trim() || 0);
}

describe.skipIf(!hasRg)('scan counts equal rg -c for every exported log rule', () => {
  it('on the project corpus, in one thread and split across workers', async () => {
    const ids = new Set(logRules(rules).map((r) => r.id));
    const exported = exportRulesForRg(rules).patterns.filter((p) => ids.has(p.rule));
    expect(exported.length).toBeGreaterThan(80);
    const single = await scanInputs({ inputs: [file], rules, workers: 1 });
    const split = await scanInputs({ inputs: [file], rules, workers: 2, minWorkerBytes: 0, rangeBytes: 1 << 20 });
    const counts = (r: typeof single) => Object.fromEntries(r.rules.map((x) => [x.rule.id, x.count]));
    expect(counts(split)).toEqual(counts(single));
    const ours = counts(single);
    let matched = 0;
    for (const p of exported) {
      const theirs = rgCount(p);
      if (theirs > 0) matched++;
      expect([p.rule, ours[p.rule] ?? 0]).toEqual([p.rule, theirs]);
    }
    // The corpus carries every log rule's examples, so nearly all rules have lines to count.
    expect(matched).toBeGreaterThan(exported.length * 0.9);
    expect(failureLines().length).toBeGreaterThan(exported.length);
  });
});
