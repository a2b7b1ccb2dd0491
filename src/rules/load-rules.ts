import { readdir, readFile } from 'node:fs/promises';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProgressorError } from '../errors/errors.ts';
import { userCacheDir } from '../runtime/cache-dir.ts';
import { extractLiterals, primeLiterals, type RegexLiterals } from '../scan/literals.ts';
import { compileRule, type CompiledRule } from './compile-rule.ts';
import { readRuleCache, ruleCacheKey, writeRuleCache, type CachedRule } from './rule-cache.ts';

/** progressor's own rules folder, next to `src/` and `dist/`. */
export const BUILTIN_RULES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../rules');

async function listYaml(dir: string): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch (e) {
    throw new ProgressorError('RULE_INVALID', `cannot read rules folder: ${(e as Error).message}`, {
      file: dir,
      hint: 'Pass an existing folder to --rules, or fix `rules:` in .github/progressor.yml.',
    });
  }
  for (const ent of entries) {
    if (!ent.isFile()) continue;
    const ext = extname(ent.name);
    if (ext === '.yaml' || ext === '.yml') out.push(join(ent.parentPath, ent.name));
  }
  return out.sort();
}

export interface LoadRulesOptions {
  /** Extra rule folders (user rules); a user rule with a built-in id replaces it. */
  dirs?: string[];
  /** Skip progressor's own rules (tests). */
  noBuiltin?: boolean;
  /** Check user regexes for catastrophic backtracking (default true). */
  checkSafety?: boolean;
  /** Where validated rules are cached (default: the user cache folder; '' = no cache). */
  cacheDir?: string;
}

/**
 * One folder's rules, in file order: from the rule cache when these exact files were
 * validated before, else parsed and validated (then cached).
 */
async function folderRules(
  files: { file: string; shown: string; text: string }[],
  builtin: boolean,
  cacheDir: string | undefined,
  checkSafety: boolean,
): Promise<CompiledRule[]> {
  if (files.length === 0) return [];
  const key = ruleCacheKey(files, builtin);
  const cached = readRuleCache(cacheDir, key);
  // A cached spec passed validation and its regexes the empty-match check: compile only.
  let rules = cached?.rules.map((c) => compileRule(c.spec, c.file, builtin, { checked: true }));
  if (!rules) {
    const { parseRuleFile } = await import('./parse-rule-file.ts');
    rules = files.map((f) => parseRuleFile(f.text, f.shown, builtin));
  }
  // Built-in rules are checked for catastrophic backtracking by a test; user rules here,
  // once per content (the checker is large to load).
  const mustCheck = checkSafety && !builtin && !cached?.safe;
  if (mustCheck) {
    const { assertRegexSafe } = await import('./regex-safety.ts');
    for (const r of rules) assertRegexSafe(r);
  }
  if (cached?.literals) primeLiterals(cached.literals);
  if (!cached || mustCheck) {
    const literals: Record<string, RegexLiterals> = {};
    for (const r of rules) for (const m of [...r.matchers, ...r.suppressors]) literals[m.source] = extractLiterals(m.source);
    writeRuleCache(cacheDir, key, {
      rules: rules.map((r): CachedRule => ({ file: r.file, spec: r.spec })),
      safe: builtin || mustCheck || !!cached?.safe,
      literals,
    });
  }
  return rules;
}

// The shipped rules do not change while a process runs: compiled once per process (commands
// run in-process by tests and the library, and `probe --watch`, call loadRules repeatedly);
// one entry per cache folder, so a new cache folder is still filled.
const builtinRules = new Map<string, Promise<CompiledRule[]>>();

/**
 * Loads built-in rules plus user folders, sorted by id. Validated rules are cached by
 * content (see rule-cache.ts), so an unchanged folder is not parsed again.
 * @throws ProgressorError RULE_INVALID for the first bad file.
 */
export async function loadRules(options: LoadRulesOptions = {}): Promise<CompiledRule[]> {
  const byId = new Map<string, CompiledRule>();
  const sources: { dir: string; builtin: boolean }[] = [];
  if (!options.noBuiltin) sources.push({ dir: BUILTIN_RULES_DIR, builtin: true });
  for (const d of options.dirs ?? []) sources.push({ dir: resolve(d), builtin: false });
  const cacheDir = options.cacheDir === undefined ? userCacheDir() : options.cacheDir || undefined;
  const folder = async (dir: string, builtin: boolean) => {
    const paths = await listYaml(dir);
    const files = await Promise.all(
      paths.map(async (file) => ({
        file,
        shown: builtin ? relative(resolve(BUILTIN_RULES_DIR, '..'), file) : file,
        text: await readFile(file, 'utf8'),
      })),
    );
    return folderRules(files, builtin, cacheDir, options.checkSafety !== false);
  };
  for (const { dir, builtin } of sources) {
    let rules: CompiledRule[];
    if (builtin) {
      const key = cacheDir ?? '';
      if (!builtinRules.has(key)) {
        builtinRules.set(
          key,
          folder(dir, true).catch((e: unknown) => {
            builtinRules.delete(key);
            throw e;
          }),
        );
      }
      rules = await builtinRules.get(key)!;
    } else rules = await folder(dir, false);
    for (const rule of rules) {
      const prior = byId.get(rule.id);
      if (prior && prior.builtin === builtin) {
        throw new ProgressorError('RULE_INVALID', `duplicate rule id "${rule.id}" (also in ${prior.file})`, {
          file: rule.file,
          path: 'id',
          hint: 'Give each rule a unique id (the file name).',
        });
      }
      byId.set(rule.id, rule);
    }
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}
