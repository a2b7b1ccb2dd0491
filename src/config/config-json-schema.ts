import { z } from 'zod';
import { configSchema } from './config-schema.ts';

/** File name of the published JSON Schema, at the package root. */
export const CONFIG_JSON_SCHEMA_FILE = 'progressor.schema.json';

/**
 * The JSON Schema of `.github/progressor.yml`, generated from the zod schema (the single
 * source). `io: 'input'` describes what users write: keys with defaults are optional.
 */
export function renderConfigJsonSchema(): string {
  const schema = z.toJSONSchema(configSchema, { io: 'input', target: 'draft-2020-12' });
  const doc = {
    ...schema,
    $id: 'https://github.com/progressor/progressor/progressor.schema.json',
    title: 'progressor configuration (.github/progressor.yml)',
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
