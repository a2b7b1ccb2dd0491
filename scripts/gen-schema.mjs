// Regenerates progressor.schema.json from src/config/config-schema.ts.
// Usage: node scripts/gen-schema.mjs   (Node >= 23.6 runs the .ts sources directly;
// on Node 22 add --experimental-strip-types). The test in src/config fails when stale.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONFIG_JSON_SCHEMA_FILE, renderConfigJsonSchema } from '../src/config/config-json-schema.ts';

const target = fileURLToPath(new URL(`../${CONFIG_JSON_SCHEMA_FILE}`, import.meta.url));
writeFileSync(target, renderConfigJsonSchema());
console.log(`wrote ${target}`);
