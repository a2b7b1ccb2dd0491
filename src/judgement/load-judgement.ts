// Reads the judgement's data: act definitions (data/acts/defs), keyword families
// (data/judgement/categories), priors (data/judgement/priors.yaml) and the fitted model
// (data/models/judgement.json). The shell around the pure decision layer.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { CATEGORIES } from '../domain/vocabulary.ts';
import { ProgressorError } from '../errors/errors.ts';
import { decodeActModel, encodeActModel, type ActModelData } from './act-model.ts';
import type { Priors } from './fit.ts';
import type { Judgement } from './judge.ts';
import type { KeywordFamilies } from './keywords.ts';
import { decodeNb, encodeNb, type NbModelData } from './naive-bayes.ts';

/** progressor's own data folder, next to `src/` and `dist/`. */
export const DATA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../data');
export const MODEL_FILE = join(DATA_DIR, 'models/judgement.json');

const actDefSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/),
    description: z.string().min(10),
    examples: z.object({ match: z.array(z.string()).min(2), noMatch: z.array(z.string()).min(2) }).strict(),
  })
  .strict();
export type ActDef = z.infer<typeof actDefSchema>;

const familySchema = z
  .object({
    category: z.enum(CATEGORIES),
    description: z.string(),
    keywords: z.array(z.string()).min(1),
    examples: z.object({ match: z.array(z.string()).min(1), noMatch: z.array(z.string()).min(1) }).strict(),
  })
  .strict();
export type FamilyDef = z.infer<typeof familySchema>;

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join(dir, f));
}

function readYaml<T>(file: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'), { maxAliasCount: 50 });
  } catch (e) {
    throw new ProgressorError('RULE_INVALID', `cannot parse ${file}: ${(e as Error).message}`, { file, hint: 'Fix the YAML syntax.' });
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new ProgressorError('RULE_INVALID', `${file}: ${i.path.join('.') || '(root)'}: ${i.message}`, {
      file,
      hint: 'See data/acts/README.md for the format.',
    });
  }
  return r.data;
}

/** The act definitions, sorted by id; each id equals its file name. */
export function loadActDefs(dir = join(DATA_DIR, 'acts/defs')): ActDef[] {
  return yamlFiles(dir).map((f) => {
    const d = readYaml(f, actDefSchema);
    if (d.id !== basename(f, '.yaml')) throw new ProgressorError('RULE_INVALID', `${f}: id ${d.id} differs from the file name`, { file: f, hint: 'Rename the file or the id.' });
    return d;
  });
}

export function loadFamilyDefs(dir = join(DATA_DIR, 'judgement/categories')): FamilyDef[] {
  return yamlFiles(dir).map((f) => readYaml(f, familySchema));
}

export function compileFamilies(defs: FamilyDef[]): KeywordFamilies {
  return defs.map((d) => ({ category: d.category, patterns: d.keywords.map((k) => new RegExp(k, 'i')) }));
}

const priorsSchema = z
  .object({ status: z.record(z.string(), z.number()), owner: z.record(z.string(), z.number()), category: z.record(z.string(), z.number()) })
  .strict();

export function loadPriors(file = join(DATA_DIR, 'judgement/priors.yaml')): Priors {
  const p = readYaml(file, priorsSchema);
  return { status: new Map(Object.entries(p.status)), owner: new Map(Object.entries(p.owner)), category: new Map(Object.entries(p.category)) };
}

interface JudgementData {
  version: 1;
  acts: ActModelData;
  nb: NbModelData;
  weights: { status: [string, number][]; owner: [string, number][]; category: [string, number][] };
  ownerGivenCategory: [string, [string, number][]][];
}

const r6 = (x: number) => Number(x.toPrecision(6));

/** The fitted judgement as shipped JSON (deterministic bytes). */
export function encodeJudgement(j: Judgement): string {
  const w = (m: Map<string, number>) => [...m].filter(([, v]) => Math.abs(v) > 1e-6).sort((a, b) => a[0].localeCompare(b[0])).map(([k, v]) => [k, r6(v)] as [string, number]);
  const data: JudgementData = {
    version: 1,
    acts: encodeActModel(j.acts),
    nb: encodeNb(j.nb!),
    weights: { status: w(j.weights.status), owner: w(j.weights.owner), category: w(j.weights.category) },
    ownerGivenCategory: [...j.ownerGivenCategory].map(([c, m]) => [c, [...m]]),
  };
  return `${JSON.stringify(data)}\n`;
}

let cached: Judgement | undefined;

/**
 * The shipped judgement (cached per process).
 * @throws ProgressorError INTERNAL when the model file is missing or unreadable (run `npm run train`).
 */
export function loadJudgement(file = MODEL_FILE): Judgement {
  if (cached && file === MODEL_FILE) return cached;
  let data: JudgementData;
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as JudgementData;
  } catch (e) {
    throw new ProgressorError('INTERNAL', `cannot read the fitted model ${file}: ${(e as Error).message}`, { file, hint: 'Run `npm run train` to rebuild it.' });
  }
  const j: Judgement = {
    acts: decodeActModel(data.acts),
    nb: decodeNb(data.nb),
    families: compileFamilies(loadFamilyDefs()),
    weights: { status: new Map(data.weights.status), owner: new Map(data.weights.owner), category: new Map(data.weights.category) },
    ownerGivenCategory: new Map(data.ownerGivenCategory.map(([c, m]) => [c, new Map(m)])),
  };
  if (file === MODEL_FILE) cached = j;
  return j;
}
