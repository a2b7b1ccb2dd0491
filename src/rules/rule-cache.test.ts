import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadRules } from './load-rules.ts';

const RULE = (title: string) => `id: pg-down
title: ${title}
category: db-connection-refused
layer: database
owner: infrastructure
match:
  - regex: 'connect ECONNREFUSED (?<host>[\\d.]+):(?<port>\\d+)'
examples:
  match: ['Error: connect ECONNREFUSED 127.0.0.1:5432']
  noMatch: ['connected to 127.0.0.1:5432']
`;

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'rule-cache-'));
  mkdirSync(join(dir, 'rules'));
  writeFileSync(join(dir, 'rules', 'pg-down.yaml'), RULE('PostgreSQL refused'));
  return { rules: join(dir, 'rules'), cache: join(dir, 'cache') };
}

const shape = (rules: Awaited<ReturnType<typeof loadRules>>) =>
  JSON.stringify(rules.map((r) => ({ ...r, matchers: r.matchers.map((m) => [m.source, m.flags, m.groups, m.regex.source]), suppressors: r.suppressors.length })));

describe('rule cache', () => {
  it('a cached load gives the same rules as a parse, and follows edits to the files', async () => {
    const { rules, cache } = setup();
    const parsed = await loadRules({ dirs: [rules], cacheDir: '' });
    const first = await loadRules({ dirs: [rules], cacheDir: cache });
    expect(readdirSync(join(cache, 'rules')).filter((f) => f.endsWith('.json'))).toHaveLength(2); // built-in + user folder
    const cached = await loadRules({ dirs: [rules], cacheDir: cache });
    expect(shape(first)).toBe(shape(parsed));
    expect(shape(cached)).toBe(shape(parsed));
    expect(cached.find((r) => r.id === 'pg-down')!.matchers[0]!.regex.exec('connect ECONNREFUSED 10.0.0.1:5432')?.groups).toEqual({ host: '10.0.0.1', port: '5432' });
    writeFileSync(join(rules, 'pg-down.yaml'), RULE('PostgreSQL is down'));
    expect((await loadRules({ dirs: [rules], cacheDir: cache })).find((r) => r.id === 'pg-down')!.title).toBe('PostgreSQL is down');
  });

  it('a damaged cache entry is a miss, and a bad rule is never cached', async () => {
    const { rules, cache } = setup();
    const parsed = await loadRules({ dirs: [rules], cacheDir: cache });
    for (const f of readdirSync(join(cache, 'rules'))) writeFileSync(join(cache, 'rules', f), '{"key":');
    expect(shape(await loadRules({ dirs: [rules], cacheDir: cache }))).toBe(shape(parsed));
    writeFileSync(join(rules, 'pg-down.yaml'), RULE('PostgreSQL refused').replace('owner: infrastructure', 'owner: nobody'));
    for (let i = 0; i < 2; i++) {
      await expect(loadRules({ dirs: [rules], cacheDir: cache })).rejects.toMatchObject({ code: 'RULE_INVALID', message: expect.stringContaining('owner') });
    }
  });

  it('processes filling one cache at once all load the same rules and leave no temporary files', async () => {
    const { rules, cache } = setup();
    const script = `import { loadRules } from ${JSON.stringify(join(import.meta.dirname, 'load-rules.ts'))};
      const r = await loadRules({ dirs: [${JSON.stringify(rules)}], cacheDir: ${JSON.stringify(cache)} });
      console.log(r.length, r.map((x) => x.id).join(','));`;
    const run = promisify(execFile);
    const outs = await Promise.all(Array.from({ length: 4 }, () => run(process.execPath, ['--input-type=module', '-e', script])));
    expect(new Set(outs.map((o) => o.stdout)).size).toBe(1);
    expect(outs[0]!.stdout).toMatch(/^\d+ .*pg-down/);
    expect(readdirSync(join(cache, 'rules')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
