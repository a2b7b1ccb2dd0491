import { readFile, stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { glob } from 'tinyglobby';
import type { CollectorOutput, EvidenceDraft } from '../domain/types.ts';
import { redact } from '../redact/redact.ts';

const CONFIG_FILES = ['**/*.{yaml,yml,toml,ini,cfg,conf,env,properties,json,tf}', '**/.env*', '**/Dockerfile', '**/*.service'];
const MAX_FILES = 300;
const MAX_BYTES = 256 << 10;
const MAX_ITEMS = 30;

/**
 * Configuration lines in a repository that set one of the claimed settings to a number
 * ("timeout_seconds: 75.0"), as `repo-file` evidence with path and line, so a configuration
 * claim is checked against the file. Reads at most 300 config files of at most 256 KiB;
 * `node_modules`, `.git`, build output and the issue snapshots themselves are skipped.
 */
export async function collectConfigLines(dir: string, keys: readonly string[], skip: readonly string[] = []): Promise<CollectorOutput> {
  const items: EvidenceDraft[] = [];
  const want = [...new Set(keys.map((k) => k.toLowerCase()).filter((k) => k.length >= 3))];
  if (want.length === 0) return { collector: 'repo-config', items, signals: [], gaps: [] };
  const root = resolve(dir);
  const files = (await glob(CONFIG_FILES, { cwd: root, absolute: true, onlyFiles: true, dot: true, ignore: ['**/node_modules/**', '**/.git/**', '**/dist/**', '**/build/**'] }))
    .sort()
    .slice(0, MAX_FILES);
  const skipped = new Set(skip.map((f) => resolve(f)));
  for (const file of files) {
    if (items.length >= MAX_ITEMS) break;
    if (skipped.has(file)) continue;
    const size = await stat(file).then((s) => s.size, () => Infinity);
    if (size > MAX_BYTES) continue;
    const text = await readFile(file, 'utf8').catch(() => '');
    if (text.includes('\u0000')) continue;
    const rel = relative(root, file);
    text.split('\n').forEach((line, i) => {
      if (items.length >= MAX_ITEMS) return;
      const lower = line.toLowerCase();
      if (!want.some((k) => lower.includes(k)) || !/\d/.test(line) || line.trim().startsWith('#')) return;
      items.push({
        key: `config:${rel}:${i + 1}`,
        kind: 'repo-file',
        source: { path: rel, line: i + 1 },
        excerpt: redact(`${rel}:${i + 1}: ${line.trim()}`.slice(0, 200)),
        text: redact(line.trim()),
        meta: { prematched: true, config: true },
      });
    });
  }
  return { collector: 'repo-config', items, signals: [], gaps: [] };
}
