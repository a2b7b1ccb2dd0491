// Facts come from issue text, logs and reports: untrusted. A Diagnose command is a bash
// block people copy, so every fact put into one is validated for its kind and shell-quoted
// (issue 10); a command with a fact that fails validation is not shown at all.

const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*\.?|\[?[0-9A-Fa-f:.]{2,45}\]?)$/;
const NAME = /^[A-Za-z0-9_@][A-Za-z0-9_.:/@+-]{0,254}$/;

/** Validators per fact name; names not listed are checked as plain identifiers. */
const KINDS: Record<string, RegExp> = {
  host: HOST,
  servername: HOST,
  port: /^(?:[1-9]\d{0,3}|[1-5]\d{4}|6[0-4]\d{3}|65[0-4]\d{2}|655[0-2]\d|6553[0-5])$/,
  // GCP project ids (optionally domain-scoped: example.com:proj).
  project: /^(?:[a-z0-9.-]{1,63}:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
  region: /^[a-z][a-z0-9-]{1,40}[a-z0-9]$/,
  instance: /^[a-z0-9][a-z0-9-]{0,97}[a-z0-9]?$/,
  path: /^(?!-)[A-Za-z0-9_./@:+~,=-]{1,4096}$/,
  socketDir: /^(?!-)[A-Za-z0-9_./@:+~,=-]{1,4096}$/,
  url: /^https?:\/\/[A-Za-z0-9.[\]:-]{1,300}(?::\d{1,5})?(?:\/[A-Za-z0-9._~!*+,;=:@%/-]*)?(?:\?[A-Za-z0-9._~!*+,;=:@%/&?-]*)?$/,
  upstream: /^(?:https?:\/\/)?[A-Za-z0-9.[\]:-]{1,300}(?::\d{1,5})?(?:\/[A-Za-z0-9._~!*+,;=:@%/-]*)?$/,
};

/** Whether `value` is a valid fact of kind `name` (unknown names: a plain identifier). */
export function isValidFact(name: string, value: string): boolean {
  if (value.length === 0 || value.length > 4096 || value.startsWith('-')) return false;
  return (KINDS[name] ?? NAME).test(value);
}

// POSIX single quoting, by hand: shell-quote backslash-escapes `:` and `=` (so a Cloud SQL
// socket path reads `/cloudsql/a\:b\:c`), which hurts the commands people read and copy.
function quote(value: string): string {
  return /^[A-Za-z0-9_./:@%+=,~-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

type Context = 'none' | 'single' | 'double';

/** Quoting state at the end of `prefix` (a template's literal text before a placeholder). */
function contextAt(prefix: string): Context {
  let ctx: Context = 'none';
  for (let i = 0; i < prefix.length; i++) {
    const c = prefix[i];
    if (ctx === 'single') {
      if (c === "'") ctx = 'none';
    } else if (c === '\\') i++;
    else if (c === "'" && ctx === 'none') ctx = 'single';
    else if (c === '"') ctx = ctx === 'double' ? 'none' : 'double';
  }
  return ctx;
}

/**
 * Renders a rule's shell template (`pg_isready -h {{host}}`) from facts. Returns undefined
 * when a fact is missing or fails validation for its kind. Outside quotes a value is
 * single-quoted when it needs it; inside the template's own quotes it must hold no character
 * that quote context would interpret, or the command is not shown.
 */
export function renderShellCommand(template: string, facts: Record<string, string>): string | undefined {
  let ok = true;
  let out = '';
  let last = 0;
  for (const m of template.matchAll(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)) {
    const literal = template.slice(last, m.index);
    out += literal;
    last = m.index + m[0].length;
    const name = m[1]!;
    const value = facts[name];
    if (value === undefined || !isValidFact(name, value)) {
      ok = false;
      break;
    }
    const ctx = contextAt(template.slice(0, m.index));
    if (ctx === 'none') out += quote(value);
    else if (ctx === 'single' && !value.includes("'")) out += value;
    else if (ctx === 'double' && !/[$`"\\!]/.test(value)) out += value;
    else {
      ok = false;
      break;
    }
  }
  return ok ? out + template.slice(last) : undefined;
}
