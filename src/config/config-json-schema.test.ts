import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONFIG_JSON_SCHEMA_FILE, renderConfigJsonSchema } from './config-json-schema.ts';

const committed = fileURLToPath(new URL(`../../${CONFIG_JSON_SCHEMA_FILE}`, import.meta.url));

describe('progressor.schema.json', () => {
  it('is up to date with the zod schema (regenerate: node scripts/gen-schema.mjs)', () => {
    expect(readFileSync(committed, 'utf8'), 'progressor.schema.json is stale: run node scripts/gen-schema.mjs').toBe(renderConfigJsonSchema());
  });

  it('describes every property and rejects unknown keys', () => {
    const schema = JSON.parse(renderConfigJsonSchema()) as Record<string, unknown>;
    const undescribed: string[] = [];
    const open: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (node === null || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (n.type === 'object' && n.properties) {
        if (n.additionalProperties !== false) open.push(path);
        for (const [k, v] of Object.entries(n.properties as Record<string, Record<string, unknown>>)) {
          if (!path.startsWith('probes') && typeof v.description !== 'string') undescribed.push(`${path}.${k}`);
          walk(v, path ? `${path}.${k}` : k);
        }
      }
      for (const key of ['items', 'additionalProperties', 'anyOf', 'oneOf']) {
        const child = n[key];
        if (Array.isArray(child)) child.forEach((c) => walk(c, path));
        else walk(child, path);
      }
    };
    walk(schema, '');
    expect(undescribed).toEqual([]);
    expect(open).toEqual([]);
    const labels = (schema.properties as Record<string, Record<string, unknown>>).labels!;
    expect(labels.default).toEqual({
      status: {
        resolved: [],
        'in-progress': ['in-progress'],
        'blocked-on-infrastructure': ['blocked', 'infrastructure'],
        'needs-reproduction': ['needs-reproduction'],
        'needs-info': ['needs-info'],
        'not-a-bug': ['not-a-bug'],
      },
    });
  });
});
