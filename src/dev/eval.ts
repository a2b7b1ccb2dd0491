// `npm run eval`: runs the audit over the development cases in ../shared/eval/cases (or
// --cases DIR) and prints per-field accuracy, confusion matrices, citation share and each
// miss with the deciding rule ids. A development tool: it reads ../shared, users never need it.
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
void join;
import { parseArgs } from 'node:util';
import { loadRules } from '../rules/load-rules.ts';
import { type Case, FIELDS, scoreCase } from './score-case.ts';
import { crossValidate } from './eval-cv.ts';
import { DEFAULT_CASES, actDefinitionExamples, caseThread, readCases, readLabelledStatements, withRulePriors } from './judgement-data.ts';
import { compileFamilies, loadActDefs, loadFamilyDefs, loadPriors } from '../judgement/load-judgement.ts';

async function runCv(dir: string, k: number, gridArg?: string): Promise<void> {
  const t0 = performance.now();
  const rules = await loadRules({ checkSafety: false });
  const threads = [];
  const failed: string[] = [];
  for (const { file, c } of readCases(dir)) {
    try {
      threads.push(caseThread(c, file, rules));
    } catch (e) {
      failed.push(`${c.id}: ${(e as Error).message}`);
    }
  }
  const defs = loadActDefs();
  const labelled = [...readLabelledStatements(threads, rules), ...actDefinitionExamples(defs)];
  const acts = defs.map((d) => d.id);
  const grid = gridArg ? (JSON.parse(gridArg) as Record<string, number>[]) : [];
  for (const g of grid) {
    const rg = crossValidate(threads, labelled, acts, compileFamilies(loadFamilyDefs()), withRulePriors(loadPriors(), rules, g.rulePriorScale ?? 0.3), k, g);
    console.log(`grid ${JSON.stringify(g)}: status=${(rg.correct.status / threads.length).toFixed(2)} owner=${(rg.correct.owner / threads.length).toFixed(2)} category=${(rg.correct.category / threads.length).toFixed(2)} wrong-resolved=${rg.wrongResolved}`);
  }
  const r = crossValidate(threads, labelled, acts, compileFamilies(loadFamilyDefs()), withRulePriors(loadPriors(), rules), k);
  const n = threads.length + failed.length;
  const pct = (x: number) => (n ? x / n : 0).toFixed(2);
  console.log(`cases: ${n} from ${dir}; ${labelled.length} labelled statements; ${k} folds by repository`);
  console.log('per-act precision / recall (held-out folds, threshold 0.5):');
  for (const [a, c] of r.perAct) {
    const p = c.tp + c.fp ? c.tp / (c.tp + c.fp) : 0;
    const rc = c.tp + c.fn ? c.tp / (c.tp + c.fn) : 0;
    console.log(`  ${a.padEnd(22)} P=${p.toFixed(2)} R=${rc.toFixed(2)} (support ${c.tp + c.fn})`);
  }
  if (values_verbose) for (const m of r.misses) console.log(`  miss ${m}`);
  for (const f of [...failed, ...r.failed]) console.log(`  FAILED ${f}`);
  console.log(`resolved gate: ${JSON.stringify(r.gate)}`);
  console.log(`(${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  console.log(`eval-cv n=${n} status=${pct(r.correct.status)} owner=${pct(r.correct.owner)} category=${pct(r.correct.category)} wrong-resolved=${r.wrongResolved}`);
}
let values_verbose = false;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { cases: { type: 'string' }, verbose: { type: 'boolean', short: 'v' }, cv: { type: 'string' }, grid: { type: 'string' } } });
  const dir = resolve(values.cases ?? DEFAULT_CASES);
  if (values.cv !== undefined) {
    const k = Number(values.cv);
    if (!Number.isInteger(k) || k < 2) {
      console.error(`eval: --cv needs a whole number of folds ≥ 2, got ${values.cv}`);
      process.exitCode = 2;
      return;
    }
    values_verbose = values.verbose ?? false;
    await runCv(dir, k, values.grid);
    return;
  }
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  } catch {
    console.error(`eval: cannot read cases folder ${dir} (pass --cases DIR)`);
    process.exitCode = 6;
    return;
  }
  const rules = await loadRules();
  const strict: Record<string, number> = { status: 0, owner: 0, category: 0 };
  const lenient: Record<string, number> = { status: 0, owner: 0, category: 0 };
  const confusion: Record<string, Map<string, number>> = { status: new Map(), owner: new Map(), category: new Map() };
  let supportedWhys = 0;
  let citedWhys = 0;
  let wrongResolved = 0;
  let evidenceCited = 0;
  const misses: string[] = [];
  for (const f of files) {
    const c = JSON.parse(await readFile(join(dir, f), 'utf8')) as Case;
    const r = scoreCase(c, f, rules);
    const { got, analysis: a, items } = r;
    for (const field of FIELDS) {
      const exp = r.expected[field];
      if (r.strict[field]) strict[field]! += 1;
      if (r.lenient[field]) lenient[field]! += 1;
      const key = `${exp} -> ${got[field]}`;
      confusion[field]!.set(key, (confusion[field]!.get(key) ?? 0) + 1);
      if (!r.lenient[field]) {
        const d = a[field];
        misses.push(
          `${c.id} ${field}: expected ${exp}, got ${got[field]} (decidedBy ${d.decidedBy.join(',') || '-'}; runner-up ${d.runnerUp ? `${d.runnerUp.value} ${d.runnerUp.score}` : '-'}; margin ${d.margin})`,
        );
      }
    }
    if (r.wrongResolved) wrongResolved++;
    supportedWhys += r.supportedWhys;
    citedWhys += r.citedWhys;
    const cited = r.evidenceCited;
    if (cited) evidenceCited++;
    if (values.verbose) {
      console.log(`${c.id}: ${got.status}/${got.owner}/${got.category} (expected ${c.expected.status}/${c.expected.owner}/${c.expected.category})`);
      console.log(`   signals: ${[...a.signals, ...a.threadSignals].map((s) => `${s.rule}×${s.count}`).join(' ') || '-'}`);
      console.log(`   settling evidence ${r.holderId ?? '(not found)'} cited: ${cited ? 'yes' : 'no'}`);
      console.log(`   roles: ${items.filter((i) => i.kind === 'comment').map((i) => `${i.id}=${i.role}`).join(' ') || '-'}`);
      console.log(`   decidedBy: status ${a.status.decidedBy.join(',') || '-'} (margin ${a.status.margin}); owner ${a.owner.decidedBy.join(',') || '-'}; category ${a.category.decidedBy.join(',') || '-'}`);
    }
  }
  const n = files.length;
  const pct = (x: number) => (n ? (x / n).toFixed(2) : '0.00');
  console.log(`cases: ${n} from ${dir}`);
  console.log('accuracy      strict  lenient');
  for (const field of FIELDS) console.log(`  ${field.padEnd(10)}  ${pct(strict[field]!)}    ${pct(lenient[field]!)}`);
  for (const field of FIELDS) {
    console.log(`confusion (${field}): expected -> got`);
    for (const [k, v] of [...confusion[field]!.entries()].sort()) console.log(`  ${k}: ${v}`);
  }
  console.log(`supported whys citing evidence: ${citedWhys}/${supportedWhys}`);
  console.log(`cases whose settling evidence is cited: ${evidenceCited}/${n}`);
  console.log(`misses (${misses.length}):`);
  for (const m of misses) console.log(`  ${m}`);
  const cited = supportedWhys ? citedWhys / supportedWhys : 1;
  console.log(
    `eval n=${n} status=${pct(lenient.status!)} owner=${pct(lenient.owner!)} category=${pct(lenient.category!)} cited=${cited.toFixed(2)} wrong-resolved=${wrongResolved}`,
  );
}

await main();
