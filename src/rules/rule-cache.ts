// Validated rule specs cached in the user cache folder, keyed by a hash of the rule files'
// content and of the schema that validated them. A hit skips YAML parsing and schema
// validation (and loading those libraries), which is most of a short command's start-up.
// Writers never collide: each writes a temporary file of its own and renames it into place
// (rename is atomic), so a reader sees a whole file or none; a damaged file is a miss.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RegexLiterals } from '../scan/literals.ts';
import type { RuleSpec } from './rule-schema.ts';

/** Bumped when the cached shape changes. */
const FORMAT = 'rules-2';
/** Entries kept; older ones are removed when a new one is written. */
const KEEP = 32;

export interface CachedRule {
  /** The file name shown in messages. */
  file: string;
  spec: RuleSpec;
}

export interface CachedFolder {
  rules: CachedRule[];
  /** The regexes passed the catastrophic-backtracking check (or need none: built-in). */
  safe: boolean;
  /** Each regex source's required literals (scan/literals.ts), so runs need not derive them. */
  literals?: Record<string, RegexLiterals>;
}

let schemaText: string | undefined;

/** The source of the modules whose code decides what is cached: valid specs, literals. */
function schemaSource(): string {
  if (schemaText === undefined) {
    // Paths from the source root (src/ or dist/), one level up from this module, or from a
    // bundle chunk beside dist/'s folders.
    const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
    schemaText = ['rules/rule-schema', 'domain/vocabulary', 'scan/literals']
      .map((m) => readFileSync(fileURLToPath(new URL(`../${m}.${ext}`, import.meta.url)), 'utf8'))
      .join('\0');
  }
  return schemaText;
}

/** The cache key of one folder's rule files (shown path and text of each, in order). */
export function ruleCacheKey(files: { shown: string; text: string }[], builtin: boolean): string {
  const h = createHash('sha256').update(`${FORMAT}\0${builtin}\0${schemaSource()}\0`);
  for (const f of files) h.update(`${f.shown}\0${f.text}\0`);
  return h.digest('hex').slice(0, 40);
}

function entryPath(dir: string, key: string): string {
  return join(dir, `${key}.json`);
}

/** The cached specs for a key, or undefined (missing, unreadable or damaged). */
export function readRuleCache(dir: string | undefined, key: string): CachedFolder | undefined {
  if (!dir) return undefined;
  try {
    const data = JSON.parse(readFileSync(entryPath(join(dir, 'rules'), key), 'utf8')) as Partial<CachedFolder> & { key?: string };
    return data.key === key && Array.isArray(data.rules)
      ? { rules: data.rules, safe: data.safe === true, literals: data.literals && typeof data.literals === 'object' ? data.literals : undefined }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Stores specs under a key; a cache that cannot be written is silently skipped. */
export function writeRuleCache(dir: string | undefined, key: string, folder: CachedFolder): void {
  if (!dir) return;
  const into = join(dir, 'rules');
  const tmp = join(into, `.${key}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    mkdirSync(into, { recursive: true });
    writeFileSync(tmp, JSON.stringify({ key, ...folder }));
    renameSync(tmp, entryPath(into, key));
    prune(into);
  } catch {
    rmSync(tmp, { force: true });
  }
}

function prune(into: string): void {
  const entries = readdirSync(into)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ f, t: statSync(join(into, f), { throwIfNoEntry: false })?.mtimeMs ?? 0 }));
  if (entries.length <= KEEP) return;
  entries.sort((a, b) => b.t - a.t);
  for (const { f } of entries.slice(KEEP)) rmSync(join(into, f), { force: true });
}
