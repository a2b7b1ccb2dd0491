import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProgressorError } from '../../src/errors/errors.ts';
import { loadRules } from '../../src/rules/load-rules.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'progressor-user-rules-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function ruleYaml(id: string, regex: string, extra = ''): string {
  return [
    `id: ${id}`,
    'title: A user rule',
    'category: db-connection-refused',
    'layer: database',
    'owner: configuration',
    'match:',
    `  - regex: '${regex}'`,
    extra,
    'examples:',
    "  match: ['aaaa']",
    "  noMatch: ['bbbb']",
    '',
  ].join('\n');
}

async function loadError(): Promise<ProgressorError> {
  try {
    await loadRules({ dirs: [dir] });
  } catch (e) {
    expect(e).toBeInstanceOf(ProgressorError);
    return e as ProgressorError;
  }
  throw new Error('loadRules did not throw');
}

describe('user rule safety', () => {
  it.each(['(a+)+$', 'key: (\\w+\\s?)*$'])('rejects the catastrophic regex %s, naming the file', async (regex) => {
    const file = join(dir, 'slow-rule.yaml');
    await writeFile(file, ruleYaml('slow-rule', regex));
    const err = await loadError();
    expect(err.code).toBe('RULE_INVALID');
    expect(err.exitCode).toBe(5);
    expect(err.file).toBe(file);
    expect(err.describe()).toContain(file);
    expect(err.message).toMatch(/catastrophic|backtracking/);
    expect(err.message).toContain('match[0].regex');
  });

  it('accepts a safe user rule next to the built-in ones', async () => {
    await writeFile(join(dir, 'my-rule.yaml'), ruleYaml('my-rule', 'aaaa'));
    const rules = await loadRules({ dirs: [dir] });
    const mine = rules.find((r) => r.id === 'my-rule');
    expect(mine?.builtin).toBe(false);
  });

  it('rejects a rule whose id differs from its file name, with file and line', async () => {
    const file = join(dir, 'other-name.yaml');
    await writeFile(file, ruleYaml('my-rule', 'aaaa'));
    const err = await loadError();
    expect(err.code).toBe('RULE_INVALID');
    expect(err.file).toBe(file);
    expect(err.line).toBe(1);
    expect(err.message).toContain('differs from its file name');
  });

  it('rejects a category outside the vocabulary, with file and line', async () => {
    const file = join(dir, 'bad-category.yaml');
    await writeFile(file, ruleYaml('bad-category', 'aaaa').replace('category: db-connection-refused', 'category: database-down'));
    const err = await loadError();
    expect(err.code).toBe('RULE_INVALID');
    expect(err.file).toBe(file);
    expect(err.line).toBe(3);
    expect(err.message).toMatch(/^category:/);
  });

  it('rejects YAML syntax errors, with file and line', async () => {
    const file = join(dir, 'broken.yaml');
    await writeFile(file, "id: broken\ntitle: Broken rule\nmatch:\n  - regex: 'unterminated\n");
    const err = await loadError();
    expect(err.code).toBe('RULE_INVALID');
    expect(err.file).toBe(file);
    expect(err.line).toBeGreaterThanOrEqual(4);
    expect(err.message).toContain('YAML syntax error');
  });
});
