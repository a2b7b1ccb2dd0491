// `npm run train`: fits the act model and the decision layer on all labelled data and writes
// data/models/judgement.json. Deterministic: the same data gives the same bytes.
// A development tool: it reads the development cases in ../shared.
import { writeFileSync, renameSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fitJudgement } from '../judgement/fit.ts';
import { compileFamilies, encodeJudgement, loadActDefs, loadFamilyDefs, loadPriors, MODEL_FILE } from '../judgement/load-judgement.ts';
import { loadRules } from '../rules/load-rules.ts';
import { DEFAULT_CASES, actDefinitionExamples, caseThread, readCases, readLabelledStatements, withRulePriors } from './judgement-data.ts';

const { values } = parseArgs({ options: { cases: { type: 'string' }, out: { type: 'string' } } });
const t0 = performance.now();
const rules = await loadRules({ checkSafety: false });
const threads = readCases(resolve(values.cases ?? DEFAULT_CASES)).map(({ file, c }) => caseThread(c, file, rules));
const defs = loadActDefs();
const labelled = [...readLabelledStatements(threads, rules), ...actDefinitionExamples(defs)];
const acts = defs.map((d) => d.id);
const j = fitJudgement(threads, labelled, acts, compileFamilies(loadFamilyDefs()), withRulePriors(loadPriors(), rules));
const out = resolve(values.out ?? MODEL_FILE);
writeFileSync(`${out}.tmp`, encodeJudgement(j));
renameSync(`${out}.tmp`, out);
console.log(`train: ${threads.length} threads, ${labelled.length} labelled statements, ${acts.length} acts → ${out} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
