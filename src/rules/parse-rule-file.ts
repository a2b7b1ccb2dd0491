import { basename, extname } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { ProgressorError } from '../errors/errors.ts';
import { compileRule, type CompiledRule } from './compile-rule.ts';
import { ruleSchema } from './rule-schema.ts';

// Parsing a rule file needs the YAML parser and the schema; load-rules.ts imports this module
// only when the rule cache misses.

/**
 * Parses and validates one rule file.
 * @throws ProgressorError RULE_INVALID naming the file, the line and the fix.
 */
export function parseRuleFile(text: string, file: string, builtin: boolean): CompiledRule {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const line = lineCounter.linePos(err.pos[0]).line;
    throw new ProgressorError('RULE_INVALID', `YAML syntax error: ${err.message.split('\n')[0]}`, {
      file,
      line,
      hint: 'Fix the YAML syntax; quote regexes with single quotes.',
    });
  }
  let js: unknown;
  try {
    js = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // yaml refuses alias bombs ("billion laughs"): bad input, not a bug (issue 10).
    throw new ProgressorError('RULE_INVALID', `YAML cannot be expanded: ${(e as Error).message}`, {
      file,
      hint: 'Remove the YAML aliases (*name) that expand to a huge document; write the values out.',
    });
  }
  const parsed = ruleSchema.safeParse(js);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map(String);
    const node = path.length > 0 ? doc.getIn(path, true) : undefined;
    const range = (node as { range?: [number, number] } | undefined)?.range;
    const line = range ? lineCounter.linePos(range[0]).line : undefined;
    throw new ProgressorError('RULE_INVALID', `${path.join('.') || '(root)'}: ${issue.message}`, {
      file,
      line,
      path: path.join('.'),
      hint: ruleHint(path, issue.code),
    });
  }
  const spec = parsed.data;
  const stem = basename(file, extname(file));
  if (spec.id !== stem) {
    const idNode = doc.get('id', true) as { range?: [number, number] } | undefined;
    throw new ProgressorError('RULE_INVALID', `rule id "${spec.id}" differs from its file name "${stem}"`, {
      file,
      line: idNode?.range ? lineCounter.linePos(idNode.range[0]).line : undefined,
      path: 'id',
      hint: `Rename the file to ${spec.id}${extname(file)} or set id: ${stem}.`,
    });
  }
  try {
    return compileRule(spec, file, builtin);
  } catch (e) {
    if (e instanceof ProgressorError && e.path) {
      const node = doc.getIn(e.path.replace(/\]/g, '').split(/[.[]/), true) as { range?: [number, number] } | undefined;
      const line = node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
      throw new ProgressorError(e.code, e.message, { file, line, path: e.path, hint: e.hint, cause: e });
    }
    throw e;
  }
}

function ruleHint(path: string[], code: string): string {
  const key = path[0];
  if (code === 'unrecognized_keys') return 'Remove the unknown key; see docs/rules.md for the rule format.';
  if (key === 'category') return 'Use a category from SPEC §4 (e.g. db-connection-refused, dns-resolution).';
  if (key === 'owner') return 'Use one of application, infrastructure, configuration, dependency, test, unknown.';
  if (key === 'examples') return 'Give at least one must-match and one must-not-match example.';
  return 'See docs/rules.md for the rule format.';
}
