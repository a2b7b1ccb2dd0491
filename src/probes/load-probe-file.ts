import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../errors/errors.ts';
import { parseDuration } from './duration.ts';
import { DEFAULT_PROBE_TIMEOUT_MS } from './run-probes.ts';
import { probeCheckSchema, type ProbesConfig, type ProbesConfigOutput, probesObjectSchema } from './probe-schema.ts';

/** The config file probes are read from when no probe file is given. */
export const DEFAULT_PROBE_CONFIG_FILE = '.github/progressor.yml';

const HINTS: Record<string, string> = {
  unrecognized_keys: 'Remove the unknown key; credentials go in environment variables named by passwordEnv / dsnEnv / headersEnv.',
  invalid_union: 'Set kind to one of dns, http, postgres, redis, tcp, tls.',
};

function issuesOf(error: z.ZodError, file: string, prefix: (string | number)[]) {
  return error.issues.map((i) => ({
    file,
    path: [...prefix, ...i.path].map(String).join('.'),
    message: i.message,
    hint: HINTS[i.code] ?? 'See the probes section of docs/configuration.md.',
  }));
}

/**
 * Turns the parsed `probes:` section (list shorthand or object form) into the normalised
 * config: durations in milliseconds, ids checked for uniqueness.
 * @throws ConfigError naming the file, key path and fix.
 */
export function normaliseProbes(value: ProbesConfigOutput | undefined, file: string): ProbesConfig {
  const obj = value === undefined ? { allow: [], checks: [] } : Array.isArray(value) ? { allow: [], checks: value } : value;
  const timeoutMs = (obj.timeout === undefined ? undefined : parseDuration(obj.timeout)) ?? DEFAULT_PROBE_TIMEOUT_MS;
  const seen = new Map<string, number>();
  const issues: { file: string; path: string; message: string; hint?: string }[] = [];
  obj.checks.forEach((c, i) => {
    const prior = seen.get(c.id);
    if (prior !== undefined) issues.push({ file, path: `probes.checks.${i}.id`, message: `duplicate probe id "${c.id}" (also probes.checks.${prior})`, hint: 'Give each probe a unique id.' });
    seen.set(c.id, i);
  });
  if (issues.length > 0) throw new ConfigError(issues);
  return { timeoutMs, allow: obj.allow, checks: obj.checks };
}

/**
 * Parses the `probes:` value of a config file or the root of a probe file. Lists are
 * validated as lists and objects as objects, so errors name the exact key.
 * @throws ConfigError
 */
export function parseProbesValue(raw: unknown, file: string, prefix: (string | number)[] = ['probes']): ProbesConfig {
  if (raw === undefined || raw === null) return normaliseProbes(undefined, file);
  const schema = Array.isArray(raw) ? z.array(probeCheckSchema) : probesObjectSchema;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(issuesOf(parsed.error, file, prefix));
  return normaliseProbes(parsed.data, file);
}

/**
 * Reads a probe file or `.github/progressor.yml`: a document with a `probes:` key, or a
 * document that is itself the probes section (a list of checks, or `{ timeout, allow, checks }`).
 * Other keys of progressor.yml belong to the main config and are not checked here.
 * @throws ConfigError when the file is missing, not YAML or invalid.
 */
export async function loadProbeFile(file: string): Promise<ProbesConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new ConfigError([{ file, path: '', message: `cannot read probe file: ${(e as Error).message}`, hint: 'Pass an existing probe file, or add `probes:` to .github/progressor.yml.' }]);
  }
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConfigError([{ file, path: '', message: `YAML syntax error: ${doc.errors[0]!.message.split('\n')[0]}`, hint: 'Fix the YAML syntax.' }]);
  }
  let root: unknown;
  try {
    root = doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (e) {
    throw new ConfigError([{ file, path: '', message: `YAML cannot be expanded: ${(e as Error).message}`, hint: 'Remove the YAML aliases (*name) that expand to a huge document; write the values out.' }]);
  }
  if (root && typeof root === 'object' && !Array.isArray(root) && 'probes' in root) {
    return parseProbesValue((root as { probes: unknown }).probes, file, ['probes']);
  }
  if (root && typeof root === 'object' && !Array.isArray(root) && !('checks' in root)) {
    throw new ConfigError([{ file, path: '', message: 'no probes found', hint: 'Add a `probes:` list (or `checks:` in a probe file).' }]);
  }
  return parseProbesValue(root, file, []);
}
