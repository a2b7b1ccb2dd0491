import type { ProbeCheck } from './probe-schema.ts';

/** Shortest value treated as a secret to scrub literally (shorter ones would mangle text). */
const MIN_SECRET_CHARS = 3;

/**
 * The secret values a check can reach: every environment variable it names (`passwordEnv`,
 * `dsnEnv`, `headersEnv`), and the password inside a DSN, raw and URL-decoded. Output is
 * scrubbed of these literally before `redact()` runs, so a credential is removed even where
 * no pattern would recognise it (a password echoed in a server's error message).
 */
export function secretsOf(check: ProbeCheck, env: Readonly<Record<string, string | undefined>>): string[] {
  const names: string[] = [];
  for (const [key, value] of Object.entries(check)) {
    if (key.endsWith('Env') && typeof value === 'string') names.push(value);
    if (key === 'headersEnv' && value && typeof value === 'object') names.push(...Object.values(value as Record<string, string>));
  }
  const out = new Set<string>();
  for (const name of names) {
    const v = env[name];
    if (!v) continue;
    out.add(v);
    try {
      const u = new URL(v);
      if (u.password) {
        out.add(u.password);
        out.add(decodeURIComponent(u.password));
      }
    } catch {
      // not a URL: the whole value is the secret
    }
  }
  return [...out].filter((s) => s.length >= MIN_SECRET_CHARS).sort((a, b) => b.length - a.length);
}

/** Replaces every literal occurrence of each secret with ***. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('***');
  return out;
}
