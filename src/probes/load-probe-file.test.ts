import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/errors.ts';
import { parseDuration } from './duration.ts';
import { loadProbeFile, parseProbesValue } from './load-probe-file.ts';
import { probesConfigSchema } from './probe-schema.ts';

async function file(text: string): Promise<string> {
  const f = join(await mkdtemp(join(tmpdir(), 'progressor-probes-')), 'probes.yml');
  await writeFile(f, text);
  return f;
}

describe('probe configuration', () => {
  it('accepts the list shorthand and fills defaults', () => {
    const c = parseProbesValue([{ id: 'db', kind: 'postgres', host: '/var/run/postgresql' }], 'p.yml');
    expect(c.timeoutMs).toBe(5_000);
    expect(c.allow).toEqual([]);
    expect(c.checks[0]).toEqual({ id: 'db', kind: 'postgres', host: '/var/run/postgresql', port: 5432, ssl: false, maxUsedPct: 90 });
  });

  it('accepts the object form with a default timeout and an allow-list', async () => {
    const c = await loadProbeFile(await file(`probes:\n  timeout: 2s\n  allow: ['*.staging.internal:5432']\n  checks:\n    - { id: api, kind: http, url: 'http://127.0.0.1:8080/healthz', slow: 500ms }\n`));
    expect(c.timeoutMs).toBe(2_000);
    expect(c.allow).toEqual(['*.staging.internal:5432']);
    expect(c.checks[0]).toMatchObject({ id: 'api', kind: 'http', method: 'GET', slow: '500ms' });
  });

  it('reads a probe file whose root is the checks object', async () => {
    const c = await loadProbeFile(await file(`checks:\n  - { id: cache, kind: redis }\n`));
    expect(c.checks.map((x) => x.id)).toEqual(['cache']);
  });

  it('rejects a literal password with the key path and the fix', () => {
    try {
      parseProbesValue([{ id: 'db', kind: 'postgres', password: 'hunter2' }], 'p.yml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const issue = (e as ConfigError).issues[0]!;
      expect(issue).toMatchObject({ file: 'p.yml', path: 'probes.0' });
      expect(issue.message).toContain('password');
      expect(issue.hint).toContain('passwordEnv');
    }
  });

  it('rejects an env var that is not a NAME, unknown kinds, bad durations and duplicate ids', () => {
    expect(() => parseProbesValue([{ id: 'db', kind: 'postgres', passwordEnv: 'postgres://u:p@h/db' }], 'p.yml')).toThrow(ConfigError);
    expect(() => parseProbesValue([{ id: 'x', kind: 'smtp' }], 'p.yml')).toThrow(ConfigError);
    expect(() => parseProbesValue([{ id: 'x', kind: 'tcp', host: 'h', port: 1, timeout: 'soon' }], 'p.yml')).toThrow(ConfigError);
    expect(() => parseProbesValue([{ id: 'a', kind: 'redis' }, { id: 'a', kind: 'redis' }], 'p.yml')).toThrow(/duplicate probe id "a"/);
  });

  it('keeps the export the config schema imports, defaulting to no probes', () => {
    expect(probesConfigSchema.parse(undefined)).toEqual([]);
  });

  it('parses durations', () => {
    expect([parseDuration('2s'), parseDuration('500ms'), parseDuration('1.5m'), parseDuration(250), parseDuration('2 s')]).toEqual([2000, 500, 90_000, 250, undefined]);
  });
});
