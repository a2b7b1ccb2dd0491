// The session label (SPEC §3 step 0) as one value object: the configuration checks a format
// with it, `claim` formats labels with it, and the claim protocol and the audit recognise
// labels with it, so the three can no longer disagree (issue 11).

/** Placeholders a session-label format may use; times are UTC. */
export const SESSION_LABEL_TOKENS = ['YYYYMMDD', 'HHmmss', 'YYYY', 'MM', 'DD', 'HH', 'mm', 'ss', 'rand'] as const;
export type SessionLabelToken = (typeof SESSION_LABEL_TOKENS)[number];

/** GitHub's limit on a label name. */
export const MAX_LABEL_CHARS = 50;
/** Characters of the random part `format()` writes. */
export const RAND_CHARS = 4;

const TOKEN_RE = /\{([^{}]*)\}/g;
/** The random part as matched: `claim --session` may pass any short lowercase word. */
const RAND_PATTERN = '[0-9a-z]{1,12}';

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A session-label format such as `agent-session-{YYYYMMDD}-{HHmmss}`. Without `{rand}`, a
 * random suffix `-{rand}` is appended: two workers starting in the same second must not
 * share a label, or both would win the claim.
 */
export class SessionLabelFormat {
  readonly format: string;
  private readonly re: RegExp;

  constructor(format: string) {
    this.format = format;
    const problems = SessionLabelFormat.problems(format);
    if (problems.length > 0) throw new Error(`session label format "${format}": ${problems.join('; ')}`);
    const full = this.withRand();
    let pattern = '';
    let last = 0;
    for (const m of full.matchAll(TOKEN_RE)) {
      pattern += escape(full.slice(last, m.index));
      const token = m[1] as SessionLabelToken;
      pattern += token === 'rand' ? `(?<rand>${RAND_PATTERN})` : `(?<${token}>\\d{${token.length}})`;
      last = m.index + m[0].length;
    }
    pattern += escape(full.slice(last));
    this.re = new RegExp(`^${pattern}$`);
  }

  /** The format with the random part made explicit. */
  private withRand(): string {
    return this.format.includes('{rand}') ? this.format : `${this.format}-{rand}`;
  }

  /**
   * What is wrong with a format (empty when it is valid): unknown placeholders, no time
   * placeholder, a repeated placeholder, or labels longer than GitHub allows.
   */
  static problems(format: string): string[] {
    const tokens = [...format.matchAll(TOKEN_RE)].map((m) => m[1]!);
    const out: string[] = [];
    const unknown = tokens.filter((t) => !(SESSION_LABEL_TOKENS as readonly string[]).includes(t));
    if (unknown.length > 0) out.push(`unknown placeholder ${unknown.map((t) => `{${t}}`).join(', ')}`);
    else if (!tokens.some((t) => t !== 'rand')) out.push('has no time placeholder, so sessions cannot be told apart by age');
    const repeated = tokens.filter((t, i) => tokens.indexOf(t) !== i);
    if (repeated.length > 0) out.push(`repeats ${[...new Set(repeated)].map((t) => `{${t}}`).join(', ')}`);
    if (/[{}]/.test(format.replace(TOKEN_RE, ''))) out.push('has an unmatched brace');
    if (out.length === 0) {
      const length = SessionLabelFormat.renderedLength(format);
      if (length > MAX_LABEL_CHARS) out.push(`labels would be ${length} characters (random suffix included); GitHub labels hold at most ${MAX_LABEL_CHARS}`);
    }
    return out;
  }

  /** Length of every label `format()` writes (the random part included). */
  static renderedLength(format: string): number {
    const full = format.includes('{rand}') ? format : `${format}-{rand}`;
    return full.replace(TOKEN_RE, (_m, t: string) => 'x'.repeat(t === 'rand' ? RAND_CHARS : t.length)).length;
  }

  /** A new label for a session starting at `at`; `rand` is RAND_CHARS lowercase hex characters. */
  formatLabel(at: Date, rand: string): string {
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    const v: Record<SessionLabelToken, string> = {
      YYYY: p(at.getUTCFullYear(), 4),
      MM: p(at.getUTCMonth() + 1),
      DD: p(at.getUTCDate()),
      HH: p(at.getUTCHours()),
      mm: p(at.getUTCMinutes()),
      ss: p(at.getUTCSeconds()),
      YYYYMMDD: `${p(at.getUTCFullYear(), 4)}${p(at.getUTCMonth() + 1)}${p(at.getUTCDate())}`,
      HHmmss: `${p(at.getUTCHours())}${p(at.getUTCMinutes())}${p(at.getUTCSeconds())}`,
      rand,
    };
    return this.withRand().replace(TOKEN_RE, (_m, t: string) => v[t as SessionLabelToken]);
  }

  /** True when `label` is a session label of this format. */
  matches(label: string): boolean {
    return this.re.test(label);
  }

  /** The label's parts, or undefined when it is not a session label of this format. */
  parse(label: string): { label: string; rand: string; parts: Partial<Record<SessionLabelToken, string>> } | undefined {
    const m = this.re.exec(label);
    if (!m) return undefined;
    const parts = { ...m.groups } as Partial<Record<SessionLabelToken, string>>;
    return { label, rand: parts.rand ?? '', parts };
  }

  toString(): string {
    return this.format;
  }
}
