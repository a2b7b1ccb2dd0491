// `npm run eval`: runs the audit over the development cases in ../shared/eval/cases (or
// --cases DIR) and prints per-field accuracy, confusion matrices, citation share and each
// miss with the deciding rule ids. A development tool: it reads ../shared, users never need it.
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadRules } from '../rules/load-rules.ts';
import { type Case, FIELDS, scoreCase } from './score-case.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { cases: { type: 'string' }, verbose: { type: 'boolean', short: 'v' } } });
  const dir = resolve(values.cases ?? join(import.meta.dirname, '../../../shared/eval/cases'));
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
