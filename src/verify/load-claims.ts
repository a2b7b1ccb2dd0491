import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument } from 'yaml';
import { ProgressorError } from '../errors/errors.ts';
import { compileMatcher, type CompiledMatcher } from '../rules/compile-rule.ts';
import { claimPatternSchema, type ClaimPatternKind, type ClaimPatternSpec } from './claim-schema.ts';

/** progressor's own claim patterns, next to `src/` and `dist/`. */
export const BUILTIN_CLAIMS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../claims');

export interface ClaimPattern {
  id: string;
  file: string;
  kind: ClaimPatternKind;
  title: string;
  spec: ClaimPatternSpec;
  matchers: CompiledMatcher[];
  suppressors: CompiledMatcher[];
  context: CompiledMatcher[];
  builtin: boolean;
}

function invalid(file: string, message: string, hint: string, line?: number, path?: string): ProgressorError {
  return new ProgressorError('RULE_INVALID', message, { file, line, path, hint });
}

/**
 * Parses and validates one claim-pattern file.
 * @throws ProgressorError RULE_INVALID naming the file, the line and the fix.
 */
export function parseClaimPattern(text: string, file: string, builtin: boolean): ClaimPattern {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    throw invalid(file, `YAML syntax error: ${err.message.split('\n')[0]}`, 'Fix the YAML syntax; quote regexes with single quotes.', lc.linePos(err.pos[0]).line);
  }
  const parsed = claimPatternSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map(String);
    const node = path.length > 0 ? (doc.getIn(path, true) as { range?: [number, number] } | undefined) : undefined;
    throw invalid(
      file,
      `${path.join('.') || '(root)'}: ${issue.message}`,
      path[0] === 'kind' ? `Use one of the claim kinds in docs/claims.md.` : 'See docs/claims.md for the claim-pattern format.',
      node?.range ? lc.linePos(node.range[0]).line : undefined,
      path.join('.'),
    );
  }
  const spec = parsed.data;
  const stem = basename(file, extname(file));
  if (spec.id !== stem) throw invalid(file, `pattern id "${spec.id}" differs from its file name "${stem}"`, `Rename the file to ${spec.id}${extname(file)} or set id: ${stem}.`, undefined, 'id');
  const compile = (list: { regex: string; flags?: string }[], key: string) => list.map((m, i) => compileMatcher(m.regex, m.flags, file, `${key}[${i}].regex`));
  return {
    id: spec.id,
    file,
    kind: spec.kind,
    title: spec.title,
    spec,
    matchers: compile(spec.match, 'match'),
    suppressors: compile(spec.notMatch, 'notMatch'),
    context: compile(spec.context, 'context'),
    builtin,
  };
}

async function listYaml(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch (e) {
    throw invalid(dir, `cannot read claim-pattern folder: ${(e as Error).message}`, 'Pass an existing folder to --claims.');
  }
  return entries
    .filter((e) => e.isFile() && ['.yaml', '.yml'].includes(extname(e.name)))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/**
 * Loads the built-in claim patterns plus user folders (a user pattern with a built-in id
 * replaces it), sorted by id. User regexes are checked for catastrophic backtracking.
 * @throws ProgressorError RULE_INVALID for the first bad file.
 */
export async function loadClaimPatterns(options: { dirs?: string[]; noBuiltin?: boolean } = {}): Promise<ClaimPattern[]> {
  const byId = new Map<string, ClaimPattern>();
  const sources = [...(options.noBuiltin ? [] : [{ dir: BUILTIN_CLAIMS_DIR, builtin: true }]), ...(options.dirs ?? []).map((d) => ({ dir: resolve(d), builtin: false }))];
  for (const { dir, builtin } of sources) {
    for (const file of await listYaml(dir)) {
      const shown = builtin ? relative(resolve(BUILTIN_CLAIMS_DIR, '..'), file) : file;
      const p = parseClaimPattern(await readFile(file, 'utf8'), shown, builtin);
      const prior = byId.get(p.id);
      if (prior && prior.builtin === builtin) throw invalid(shown, `duplicate pattern id "${p.id}" (also in ${prior.file})`, 'Give each pattern a unique id (the file name).', undefined, 'id');
      byId.set(p.id, p);
    }
  }
  const patterns = [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  const user = patterns.filter((p) => !p.builtin);
  if (user.length > 0) {
    const { checkSync } = await import('recheck');
    for (const p of user) {
      for (const [key, list] of [['match', p.matchers], ['notMatch', p.suppressors], ['context', p.context]] as const) {
        for (const [i, m] of list.entries()) {
          const res = checkSync(m.source, m.flags.replace('g', ''), { timeout: 5_000 });
          if (res.status === 'vulnerable') {
            throw invalid(p.file, `${key}[${i}].regex: regex has ${res.complexity.type} backtracking`, 'Remove nested or overlapping quantifiers such as (a+)+; prefer [^x]* classes.', undefined, `${key}[${i}].regex`);
          }
        }
      }
    }
  }
  return patterns;
}
