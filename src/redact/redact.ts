import type { Redacted } from '../domain/redacted.ts';

// The ONE place secrets are removed before anything is printed, posted, logged or sent
// to an agent (SPEC §10). One case-insensitive regex, one pass, after a cheap pre-check.
// Every quantifier is bounded so the cost per start position is constant: the pass is
// linear in the input even on adversarial log lines.

/** What a removed secret is replaced with. */
export const REDACTED = '***';

// Key names whose value is a secret (`password=…`, `"client_secret": "…"`, `PGPASSWORD=…`).
// The name must END with one of these words, so `max_tokens` or `secretName` are kept.
const SECRET_KEY =
  String.raw`[A-Za-z0-9_.-]{0,40}?(?:password|passwd|passphrase|_pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)`;
// A `${VAR}` placeholder is matched whole so it can be kept (it is not a secret).
const KV_VALUE = String.raw`"[^"\r\n]{1,512}"|'[^'\r\n]{1,512}'|\$\{[A-Za-z_][A-Za-z0-9_]{0,100}\}|[^\s"',;&}\])]{1,512}`;

const PARTS: string[] = [
  // 1. PEM private key blocks (also inside JSON strings with literal \n); an unterminated
  //    block (a truncated log) is removed to the end of the text.
  String.raw`(?<pem>-----BEGIN (?<pemType>[A-Z0-9 ]{0,40}?)PRIVATE KEY-----(?:[\s\S]*?-----END [A-Z0-9 ]{0,40}?PRIVATE KEY-----|[\s\S]*$))`,
  // 2. Passwords in connection strings: scheme://user:password@host — keep user and host.
  //    The password runs to the LAST "@" before the host (unencoded "@" in passwords is
  //    common) and never crosses "/", so `http://host:8080/path@x` is not taken for one.
  String.raw`(?<dsnHead>(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{0,30}://[^\s:@/?#"'<>]{0,256}:)(?<dsnPw>[^\s/?#"'<>]{1,256})(?=@[^\s@/?#"'<>]{0,256}(?:[\s/?#"'<>]|$))`,
  // 3. Authorization headers: keep the scheme, drop the credentials.
  String.raw`(?<authHead>(?<![a-z0-9-])(?:proxy-)?authorization["']?\s{0,4}[:=]\s{0,4}["']?(?:(?:bearer|basic|token|digest|bot)\s{1,4})?)(?<authVal>[^\s"',;]{1,2048})`,
  // A bare bearer credential must contain a digit or punctuation, so prose ("bearer
  // authentication") is kept.
  String.raw`(?<bearerHead>(?<![a-z0-9])bearer\s{1,4})(?<bearerVal>(?=[a-z]{0,4096}[0-9._~+/=-])[a-z0-9._~+/=-]{8,4096})`,
  // Command-line flags: --password secret, --db-password=secret, --token ghx.
  String.raw`(?<flagHead>(?<![a-z0-9-])--(?:[a-z0-9]{1,30}-){0,3}(?:password|passwd|token|secret|api-key)(?:=|\s{1,4}))(?<flagVal>[^\s"'-][^\s"']{0,511})`,
  // 4. key=value / key: value / "key": "value" with a secret-looking key.
  String.raw`(?<kvHead>(?<![a-z0-9_])(?<q>["']?)${SECRET_KEY}\k<q>\s{0,4}[:=]\s{0,4})(?<kvVal>${KV_VALUE})`,
  // 5. Token formats recognisable on their own.
  String.raw`(?<gh>(?<![a-z0-9_])(?:gh[pousr]_[a-z0-9]{36,251}|github_pat_[a-z0-9_]{22,251}))`,
  String.raw`(?<aws>(?<![a-z0-9])(?:akia|asia)[a-z0-9]{16}(?![a-z0-9]))`,
  String.raw`(?<gcp>(?<![a-z0-9_-])aiza[0-9a-z_-]{35}(?![a-z0-9_-]))`,
  String.raw`(?<slack>(?<![a-z0-9])xox[abposre]-[0-9a-z-]{10,250})`,
  String.raw`(?<slackHook>hooks\.slack\.com/services/)(?<slackHookPath>[a-z0-9/]{10,200})`,
  String.raw`(?<stripe>(?<![a-z0-9])(?:sk|rk)_live_[0-9a-z]{10,250})`,
  String.raw`(?<npm>(?<![a-z0-9_])npm_[a-z0-9]{36}(?![a-z0-9]))`,
  String.raw`(?<jwt>(?<![a-z0-9_-])eyJ[a-z0-9_-]{5,4096}\.[a-z0-9_-]{2,8192}\.[a-z0-9_-]{0,4096})`,
];

const SECRET_RE = new RegExp(PARTS.join('|'), 'gi');

// Literal markers at least one of which every secret above contains. Most log lines have
// none, and this test is far cheaper than the full alternation.
const PRECHECK_RE =
  /private key|:\/\/|passw|passphrase|_pwd|secret|token|api.?key|access.?key|credential|authorization|bearer|gh[pousr]_|github_pat_|akia|asia|aiza|xox|hooks\.slack|_live_|npm_|eyj/i;

type Groups = Record<string, string | undefined>;

function isAlreadyRedacted(value: string): boolean {
  const inner = value.replace(/^["']|["']$/g, '');
  return inner === REDACTED || inner === '' || /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(inner);
}

function replaceSecret(match: string, ...args: unknown[]): string {
  const groups = args[args.length - 1] as Groups;
  if (groups.pem !== undefined) {
    const type = groups.pemType ?? '';
    return `-----BEGIN ${type}PRIVATE KEY-----${REDACTED}-----END ${type}PRIVATE KEY-----`;
  }
  if (groups.dsnHead !== undefined) return `${groups.dsnHead}${REDACTED}`;
  if (groups.authHead !== undefined) return `${groups.authHead}${REDACTED}`;
  if (groups.bearerHead !== undefined) return `${groups.bearerHead}${REDACTED}`;
  if (groups.flagHead !== undefined) return isAlreadyRedacted(groups.flagVal ?? '') ? match : `${groups.flagHead}${REDACTED}`;
  if (groups.kvHead !== undefined) {
    const value = groups.kvVal ?? '';
    if (isAlreadyRedacted(value)) return match;
    const quote = value[0] === '"' || value[0] === "'" ? value[0] : '';
    return `${groups.kvHead}${quote}${REDACTED}${quote}`;
  }
  if (groups.gh !== undefined) return `${match.slice(0, match.toLowerCase().startsWith('github_pat_') ? 11 : 4)}${REDACTED}`;
  if (groups.aws !== undefined) return `${match.slice(0, 4)}${REDACTED}`;
  if (groups.slackHook !== undefined) return `${groups.slackHook}${REDACTED}`;
  if (groups.slack !== undefined) return `${match.slice(0, 5)}${REDACTED}`;
  if (groups.stripe !== undefined) return `${match.slice(0, 8)}${REDACTED}`;
  if (groups.npm !== undefined) return `npm_${REDACTED}`;
  // gcp, jwt
  return REDACTED;
}

/**
 * Removes secrets from `text`: passwords in connection strings (user and host are kept),
 * secret key/values, Authorization headers and bearer tokens, GitHub/AWS/GCP/Slack/Stripe/npm
 * tokens, JWTs and PEM private keys. Idempotent: `redact(redact(x)) === redact(x)`.
 */
export function redact(text: string): Redacted {
  if (!PRECHECK_RE.test(text)) return text as Redacted;
  return text.replace(SECRET_RE, replaceSecret) as Redacted;
}

/** True when `redact` would change `text`. */
export function containsSecret(text: string): boolean {
  return redact(text) !== text;
}

/** Redacts each string; order and length are kept. */
export function redactAll(texts: readonly string[]): Redacted[] {
  return texts.map(redact);
}

/**
 * Redacts every string value inside a JSON-like value (objects, arrays), e.g. before JSON
 * output or an agent prompt. Keys are kept; non-string leaves are returned unchanged.
 */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v);
    return out as T;
  }
  return value;
}
