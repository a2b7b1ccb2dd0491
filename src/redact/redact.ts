import type { Redacted } from '../domain/redacted.ts';

// The ONE place secrets are removed before anything is printed, posted, logged or sent
// to an agent (SPEC §10). One case-insensitive regex, one pass, after a cheap pre-check.
// Every quantifier is bounded so the cost per start position is constant: the pass is
// linear in the input even on adversarial log lines.

/** What a removed secret is replaced with. */
export const REDACTED = '***';

// Key names whose value is a secret (`password=…`, `"client_secret": "…"`, `PGPASSWORD=…`,
// `AccountKey=…`, `sig=…`). The name must END with one of these words (any key ending in key,
// pass, pwd, secret, token, sig or signature, issue 10), so `max_tokens` or `secretName` are kept.
const SECRET_KEY =
  String.raw`[A-Za-z0-9_.-]{0,40}?(?:password|passwd|passphrase|pass|pwd|secret|token|key|sig|signature|credentials?|secret[_-]?key[_-]?base|private[_-]?key[_-]?id)`;
// Password-family keys whose unquoted value may be several words (`password: correct horse`).
const PASSWORD_KEY = String.raw`[A-Za-z0-9_.-]{0,40}?(?:password|passwd|passphrase|pass|pwd|secret)`;
// One character of an unquoted value: a backslash only when it does not start a JSON escape
// (`\n`, `\"`), so a value inside a JSON string ends where the string's escape begins.
const UNQ = String.raw`(?:[^\s"',;&}\])\\]|\\(?![nrtu"\\/]))`;
// `\"…\"` is a quoted value inside a JSON string (a JSON log line, a probe's body). A
// `${VAR}` placeholder is matched whole so it can be kept (it is not a secret).
const KV_VALUE = String.raw`\\"(?:[^"\\\r\n]|\\[^"\r\n]){1,512}?\\"|"[^"\r\n]{1,512}"|'[^'\r\n]{1,512}'|\$\{[A-Za-z_][A-Za-z0-9_]{0,100}\}|(?!-----BEGIN )${UNQ}{1,512}`;
// Words after `AUTH` that are prose or a redis error, not a password.
const NOT_A_PASSWORD = String.raw`(?:failed|failure|required|error|errors|called|command|is|was|with|for|the|password|<password>|ok|token)(?![^\s"'])`;

// Lookbehinds `(?<!(?<!\\)[a-z0-9…])`: a word character right before a secret means it is
// part of a longer word, unless it is the `n` of a JSON `\n` escape (a JSON log line).
const PARTS: string[] = [
  // 1. PEM private key blocks (also inside JSON strings with literal \n); an unterminated
  //    block (a truncated log) is removed to the end of the text.
  String.raw`(?<pem>-----BEGIN (?<pemType>[A-Z0-9 ]{0,40}?)PRIVATE KEY(?<pemBlock> BLOCK)?-----(?:[\s\S]*?-----END [A-Z0-9 ]{0,40}?PRIVATE KEY(?: BLOCK)?-----|[\s\S]*$))`,
  // 2. Passwords in connection strings: scheme://user:password@host — keep user and host.
  //    The password runs to the LAST "@" before the host (unencoded "@", "/", "#" and "?"
  //    in passwords are common); a port ("host:8080/path@x") is not taken for one.
  String.raw`(?<dsnHead>(?<!(?<!\\)[a-z0-9+.-])[a-z][a-z0-9+.-]{0,30}://[^\s:@/?#"'<>]{0,256}:)(?!\d{1,5}(?:[/?#]|$))(?<dsnPw>[^\s"'<>]{1,256})(?=@[^\s@/?#"'<>]{0,256}(?:[\s/?#"'<>]|$))`,
  // .pgpass lines: host:port:database:user:password.
  String.raw`(?<pgpassHead>(?:(?<![^\s"'])|(?<=\\[nrt]))(?=[\w.*-]{0,253}[a-z*])[\w.*-]{1,253}:(?:\d{2,5}|\*):[\w.*-]{1,63}:[\w.*@-]{1,63}:)(?<pgpassPw>(?:(?!:)${UNQ}){1,256})(?=[\s"':\\]|$)`,
  // 3. Authorization headers: keep the scheme, drop the credentials.
  String.raw`(?<authHead>(?<!(?<!\\)[a-z0-9-])(?:proxy-)?authorization\\?["']?\s{0,4}[:=]\s{0,4}\\?["']?(?:(?:bearer|basic|token|digest|bot)\s{1,4})?)(?<authVal>[^\s"',;\\]{1,2048})`,
  // A bare bearer credential must contain a digit or punctuation, so prose ("bearer
  // authentication") is kept.
  String.raw`(?<bearerHead>(?<!(?<!\\)[a-z0-9])bearer\s{1,4})(?<bearerVal>(?=[a-z]{0,4096}[0-9._~+/=-])[a-z0-9._~+/=-]{8,4096})`,
  // Command-line flags: --password secret, --db-password=secret, --token ghx.
  String.raw`(?<flagHead>(?<!(?<!\\)[a-z0-9-])--(?:[a-z0-9]{1,30}-){0,3}(?:password|passwd|token|secret|api-key)(?:=|\s{1,4}))(?<flagVal>[^\s"'-][^\s"']{0,511})`,
  // Credentials on command lines: curl -u user:pw, mysql -pPW, redis-cli -a PW, AUTH PW.
  String.raw`(?<curlHead>(?<!(?<!\\)[a-z0-9-])(?:-u|--user)\s{1,4}["']?[^\s:"']{1,256}:)(?<curlPw>${UNQ}{1,256})`,
  String.raw`(?<mysqlHead>(?<!(?<!\\)[a-z0-9-])mysql(?:dump|admin|sh)?\s(?:[^\n]{0,200}?\s)?-p)(?<mysqlPw>(?!-)${UNQ}{1,256})`,
  String.raw`(?<rcliHead>(?<!(?<!\\)[a-z0-9-])redis-cli\s(?:[^\n]{0,200}?\s)?(?:-a|--pass)\s{1,4})(?<rcliPw>(?!-)${UNQ}{1,256})`,
  // `AUTH [user] password`: both words go (the user is no secret, but which word is which
  // cannot be told apart).
  String.raw`(?<rauthHead>(?:(?<![^\s>"'\x60;|(])|(?<=\\[nrt]))AUTH[ \t]{1,4})(?!${NOT_A_PASSWORD})(?<rauthPw>[^\s"']{1,256}(?:[ \t]{1,4}(?!${NOT_A_PASSWORD}|AUTH\b)[^\s"'*][^\s"']{0,255})?)`,
  String.raw`(?<reqpassHead>(?<!(?<!\\)[a-z0-9_-])(?:requirepass|masterauth)[ \t]{1,4})(?<reqpassVal>[^\s"']{1,256})`,
  // Cookie and Set-Cookie headers: the whole value.
  String.raw`(?<cookieHead>(?<!(?<!\\)[a-z0-9-])(?:set-)?cookie["']?\s{0,4}:\s{0,4})(?<cookieVal>(?:[^\r\n"'\\]|\\(?![nrtu"\\/])){1,4096})`,
  // Unquoted multi-word passwords after ":" (`password: correct horse battery`), to the line end
  // or the next `key=` / `key:`.
  String.raw`(?<pwHead>(?<!(?<!\\)[a-z0-9_])${PASSWORD_KEY}[ \t]{0,4}:[ \t]{1,4})(?<pwVal>(?![\s"'$\\]|-----BEGIN )(?:(?![ \t]+[A-Za-z0-9_.-]{1,40}[:=])[^\r\n"',;\\|]){0,511}[^\s"',;\\|])(?=[ \t]*(?:[\r\n,;"'\\|]|$)|[ \t]+[A-Za-z0-9_.-]{1,40}[:=])`,
  // 4. key=value / key: value / "key": "value" with a secret-looking key.
  String.raw`(?<kvHead>(?<!(?<!\\)[a-z0-9_])(?<q>\\?["']|)${SECRET_KEY}\k<q>[ \t]{0,4}[:=][ \t]{0,4})(?<kvVal>${KV_VALUE})`,
  // 5. Token formats recognisable on their own.
  String.raw`(?<gh>(?<!(?<!\\)[a-z0-9_])(?:gh[pousr]_[a-z0-9]{36,251}|github_pat_[a-z0-9_]{22,251}))`,
  String.raw`(?<aws>(?<!(?<!\\)[a-z0-9])(?:akia|asia)[a-z0-9]{16}(?![a-z0-9]))`,
  String.raw`(?<gcp>(?<!(?<!\\)[a-z0-9_-])aiza[0-9a-z_-]{35}(?![a-z0-9_-]))`,
  String.raw`(?<slack>(?<!(?<!\\)[a-z0-9])xox[abposre]-[0-9a-z-]{10,250})`,
  String.raw`(?<slackHook>hooks\.slack\.com/services/)(?<slackHookPath>[a-z0-9/]{10,200})`,
  String.raw`(?<stripe>(?<!(?<!\\)[a-z0-9])(?:sk|rk)_(?:live|test)_[0-9a-z]{10,250})`,
  String.raw`(?<whsec>(?<!(?<!\\)[a-z0-9])whsec_[0-9a-z+/=]{16,250})`,
  String.raw`(?<gitlab>(?<!(?<!\\)[a-z0-9_])(?:glpat|glrt|gldt|glptt|glcbt|glsoat|gloas)-[0-9a-z_-]{20,250})`,
  String.raw`(?<pypi>(?<!(?<!\\)[a-z0-9_])pypi-[a-z0-9_-]{50,500})`,
  String.raw`(?<openai>(?<!(?<!\\)[a-z0-9_-])sk-(?:proj-|svcacct-|admin-|ant-(?:api|admin)\d{2}-)?[a-z0-9_-]{20,500})`,
  String.raw`(?<sendgrid>(?<!(?<!\\)[a-z0-9_])SG\.[a-z0-9_-]{16,32}\.[a-z0-9_-]{20,64})`,
  String.raw`(?<amzsig>(?<!(?<!\\)[a-z0-9])x-amz-(?:signature|security-token|credential)=)(?<amzsigVal>[^\s&"'#]{1,2048})`,
  String.raw`(?<npm>(?<!(?<!\\)[a-z0-9_])npm_[a-z0-9]{36}(?![a-z0-9]))`,
  String.raw`(?<jwt>(?<!(?<!\\)[a-z0-9_-])eyJ[a-z0-9_-]{5,4096}\.[a-z0-9_-]{2,8192}\.[a-z0-9_-]{0,4096})`,
];

const SECRET_RE = new RegExp(PARTS.join('|'), 'gi');

// Literal markers at least one of which every secret above contains. Most log lines have
// none, and this test is far cheaper than the full alternation.
const PRECHECK_RE =
  /private key|:\/\/|pass|pwd|secret|token|key|sig|credential|authorization|bearer|cookie|gh[pousr]_|github_pat_|akia|asia|aiza|xox|hooks\.slack|_live_|_test_|whsec_|gl[a-z]{2,4}-|pypi-|sk-|sg\.|x-amz-|-u |--user|mysql|redis-cli|AUTH|npm_|eyj|:(?:\d{2,5}|\*):[^:\s]{1,63}:[^:\s]{1,63}:/i;

type Groups = Record<string, string | undefined>;

function isAlreadyRedacted(value: string): boolean {
  const inner = value.replace(/^\\?["']|\\?["']$/g, '');
  return inner === REDACTED || inner === '' || /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(inner);
}

function replaceSecret(match: string, ...args: unknown[]): string {
  const groups = args[args.length - 1] as Groups;
  if (groups.pem !== undefined) {
    const type = `${groups.pemType ?? ''}PRIVATE KEY${groups.pemBlock ?? ''}`;
    return `-----BEGIN ${type}-----${REDACTED}-----END ${type}-----`;
  }
  if (groups.dsnHead !== undefined) return `${groups.dsnHead}${REDACTED}`;
  if (groups.pgpassHead !== undefined) return `${groups.pgpassHead}${REDACTED}`;
  if (groups.reqpassHead !== undefined) return isAlreadyRedacted(groups.reqpassVal ?? '') ? match : `${groups.reqpassHead}${REDACTED}`;
  if (groups.curlHead !== undefined) return `${groups.curlHead}${REDACTED}`;
  if (groups.mysqlHead !== undefined) return `${groups.mysqlHead}${REDACTED}`;
  if (groups.rcliHead !== undefined) return isAlreadyRedacted(groups.rcliPw ?? '') ? match : `${groups.rcliHead}${REDACTED}`;
  if (groups.rauthHead !== undefined) {
    // Only the upper-case command is redis AUTH ("auth failed for x" is prose). The flag is
    // checked here because inline regex modifiers need Node 23+ (engines: >= 22).
    if (!groups.rauthHead.trimStart().startsWith('AUTH')) return `${groups.rauthHead}${(groups.rauthPw ?? '').replace(SECRET_RE, replaceSecret)}`;
    return isAlreadyRedacted(groups.rauthPw ?? '') ? match : `${groups.rauthHead}${REDACTED}`;
  }
  if (groups.cookieHead !== undefined) return isAlreadyRedacted(groups.cookieVal ?? '') ? match : `${groups.cookieHead}${REDACTED}`;
  if (groups.pwHead !== undefined) return isAlreadyRedacted(groups.pwVal ?? '') ? match : `${groups.pwHead}${REDACTED}`;
  if (groups.amzsig !== undefined) return `${groups.amzsig}${REDACTED}`;
  if (groups.authHead !== undefined) return `${groups.authHead}${REDACTED}`;
  if (groups.bearerHead !== undefined) return `${groups.bearerHead}${REDACTED}`;
  if (groups.flagHead !== undefined) return isAlreadyRedacted(groups.flagVal ?? '') ? match : `${groups.flagHead}${REDACTED}`;
  if (groups.kvHead !== undefined) {
    const value = groups.kvVal ?? '';
    if (isAlreadyRedacted(value)) return match;
    // `PWD=/home/runner/work` is the shell's working directory, not a password.
    if (/pwd["']?\s*[:=]\s*$/i.test(groups.kvHead) && /^["']?[/~]/.test(value)) return match;
    const quote = value.startsWith('\\"') ? '\\"' : value[0] === '"' || value[0] === "'" ? value[0] : '';
    return `${groups.kvHead}${quote}${REDACTED}${quote}`;
  }
  if (groups.gh !== undefined) return `${match.slice(0, match.toLowerCase().startsWith('github_pat_') ? 11 : 4)}${REDACTED}`;
  if (groups.aws !== undefined) return `${match.slice(0, 4)}${REDACTED}`;
  if (groups.slackHook !== undefined) return `${groups.slackHook}${REDACTED}`;
  if (groups.slack !== undefined) return `${match.slice(0, 5)}${REDACTED}`;
  if (groups.stripe !== undefined) return `${match.slice(0, 8)}${REDACTED}`;
  if (groups.npm !== undefined) return `npm_${REDACTED}`;
  if (groups.whsec !== undefined) return `whsec_${REDACTED}`;
  if (groups.gitlab !== undefined) return `${match.slice(0, match.indexOf('-') + 1)}${REDACTED}`;
  if (groups.pypi !== undefined) return `pypi-${REDACTED}`;
  if (groups.openai !== undefined) return `sk-${REDACTED}`;
  if (groups.sendgrid !== undefined) return `SG.${REDACTED}`;
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

// Terminal escapes (CSI, OSC), other C0/C1 controls, DEL and bidirectional overrides in
// untrusted text: they could recolour or rewrite a terminal, or reorder what a reader sees.
// Tab and newline are kept; a carriage return becomes a newline.
// eslint-disable-next-line no-control-regex
const ANSI_RE = /\x1b\[[0-?]{0,64}[ -/]{0,16}[@-~]|\x1b\][^\x07\x1b]{0,4096}(?:\x07|\x1b\\)?|\x1b[@-_]?/g;
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Removes terminal escapes, control characters (but tab and newline) and bidi overrides. */
export function stripControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/.test(text)) return text;
  return text.replace(ANSI_RE, '').replace(/\r\n?/g, '\n').replace(CONTROL_RE, '');
}

/**
 * Breaks every HTML comment opener so that no text from an issue, log or report can carry
 * (or forge) progressor's hidden status marker into a comment.
 */
export function breakCommentOpeners(text: string): string {
  return text.includes('<!--') ? text.replace(/<!--/g, '<!- -') : text;
}

/**
 * The evidence boundary (issue 10): every piece of untrusted text (issue title, body,
 * comments, PR titles, labels, log lines, test reports, probe answers) passes here once,
 * before analysis or rendering sees it: controls removed, secrets redacted, comment openers
 * broken. Idempotent.
 */
export function redactEvidence(text: string): Redacted {
  return breakCommentOpeners(redact(stripControls(text))) as Redacted;
}

/** Cuts redacted text to `max` characters (an ellipsis marks the cut); it stays redacted. */
export function clipRedacted(text: Redacted, max: number): Redacted {
  return (text.length > max ? `${text.slice(0, max - 1)}…` : text) as Redacted;
}
