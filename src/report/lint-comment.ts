import { DEFAULT_CLAIM_LABEL, MAX_COMMENT_CHARS, MAX_RECOMMENDED_LABELS, STATUS_MARKER_PREFIX } from '../domain/constants.ts';
import { OWNERS, STATUSES } from '../domain/vocabulary.ts';
import { matchPattern, plainText } from '../verify/extract.ts';
import type { ClaimPattern } from '../verify/load-claims.ts';

// `progressor lint`: checks a comment against COMMENT_STYLE.md. Each rule is a small
// function over pre-split lines; the "visible part" is everything before the first
// `<details>` or the hidden status marker (SPEC §7).

export const LINT_RULES = [
  'takeaway-first',
  'no-hype',
  'no-noise',
  'cite-numbers',
  'cite-facts',
  'ends-with-next',
  'max-labels',
  'max-length',
] as const;
export type LintRuleId = (typeof LINT_RULES)[number];

export interface LintFinding {
  rule: LintRuleId;
  /** 1-based line number. */
  line: number;
  message: string;
}

export interface LintOptions {
  /** Most labels a comment may recommend (config `policy.maxLabels`). Default 3. */
  maxLabels?: number;
  /** Labels not counted (claim and session labels). Default: the claim label and `progressor-session-*`. */
  ignoredLabels?: readonly (string | RegExp)[];
  /**
   * Claim patterns (claims/): a sentence one of them recognises as a factual claim must cite
   * evidence or say it is a hypothesis. Without them, cite-facts checks the whys only.
   */
  claimPatterns?: readonly ClaimPattern[];
}

interface Line {
  no: number;
  text: string;
  /** Inside a fenced code block (fence lines included). */
  code: boolean;
  /** Inside an HTML comment (the hidden marker and metadata). */
  comment: boolean;
  visible: boolean;
}

/** Lints one comment. Findings are sorted by line, then by rule order. */
export function lintComment(markdown: string, options: LintOptions = {}): LintFinding[] {
  const lines = splitLines(markdown);
  const findings: LintFinding[] = [
    ...takeawayFirst(lines),
    ...noHype(lines),
    ...noNoise(lines),
    ...citeNumbers(lines),
    ...citeFacts(lines, options.claimPatterns ?? []),
    ...endsWithNext(lines),
    ...maxLabels(lines, options),
    ...maxLength(markdown, lines),
  ];
  return findings.sort((a, b) => a.line - b.line || LINT_RULES.indexOf(a.rule) - LINT_RULES.indexOf(b.rule));
}

/** `file:line rule message`, one finding per line. */
export function formatFindings(file: string, findings: readonly LintFinding[]): string {
  return findings.map((f) => `${file}:${f.line} ${f.rule} ${f.message}\n`).join('');
}

function splitLines(markdown: string): Line[] {
  const out: Line[] = [];
  let fence: string | undefined;
  let inComment = false;
  let visible = true;
  markdown.split(/\r?\n/).forEach((text, i) => {
    const trimmed = text.trim();
    const fenceMatch = /^(`{3,}|~{3,})/.exec(trimmed);
    let code = fence !== undefined;
    if (fence === undefined && fenceMatch) {
      fence = fenceMatch[1];
      code = true;
    } else if (fence !== undefined && fenceMatch && fenceMatch[1]!.startsWith(fence) && trimmed.replace(/[`~]/g, '') === '') {
      fence = undefined;
    }
    if (!code && (/^<details\b/i.test(trimmed) || trimmed.startsWith(STATUS_MARKER_PREFIX))) visible = false;
    const startsComment = !code && !inComment && trimmed.startsWith('<!--');
    const comment = inComment || startsComment;
    if (startsComment && !trimmed.includes('-->')) inComment = true;
    else if (inComment && trimmed.includes('-->')) inComment = false;
    out.push({ no: i + 1, text, code, comment, visible });
  });
  return out;
}

/** Prose lines: not code, not hidden comments. */
const prose = (l: Line) => !l.code && !l.comment;

/** Replaces inline code spans with a placeholder (their content is quoted, not prose). */
function stripCode(text: string): string {
  return text.replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, ' `code` ');
}

function stripUrls(text: string): string {
  return text.replace(/\]\([^)\s]*\)/g, ']').replace(/https?:\/\/\S+/g, ' ');
}

const EMOJI = /(?![©®™])\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic}|\p{Emoji_Modifier})*|\p{Regional_Indicator}{2}/gu;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const LIST_ITEM = /^([-*+]|\d{1,9}[.)])\s+(.*)$/;

// ---- takeaway-first ------------------------------------------------------------------------

const STATUS_LINE = /^\*\*Status:\*\*\s+(.+?)\s+·\s+\*\*Owner:\*\*\s+(.+?)\s+·\s+(\S.*)$/;

function takeawayFirst(lines: Line[]): LintFinding[] {
  const out: LintFinding[] = [];
  const f = (line: number, message: string) => out.push({ rule: 'takeaway-first', line, message });
  const first = lines[0]?.text.trim() ?? '';
  const m = STATUS_LINE.exec(first);
  if (!m) {
    f(1, 'line 1 must be the status line "**Status:** <status> · **Owner:** <owner> · <confidence>"');
  } else {
    const status = m[1]!.replace(/[`*_]/g, '');
    const owner = m[2]!.replace(/[`*_]/g, '');
    if (!(STATUSES as readonly string[]).includes(status)) f(1, `unknown status "${status}" (use one of ${STATUSES.join(', ')})`);
    if (!(OWNERS as readonly string[]).includes(owner)) f(1, `unknown owner "${owner}" (use one of ${OWNERS.join(', ')})`);
  }
  const second = lines[1];
  const text = second?.text.trim() ?? '';
  if (text === '') {
    f(2, 'line 2 must be the one-sentence takeaway');
  } else if (/^(#|[-*+]\s|\d+[.)]\s|>|\||<|```|~~~|---)/.test(text)) {
    f(2, 'line 2 must be the one-sentence takeaway, not a heading, list, quote, table or block');
  } else {
    const sentences = countSentences(text);
    if (sentences > 1) f(2, `the takeaway has ${sentences} sentences; keep one`);
  }
  return out;
}

function countSentences(text: string): number {
  const plain = stripUrls(stripCode(text))
    .replace(/\b(?:e\.g|i\.e|etc|vs|approx|cf|no)\./gi, 'x')
    .replace(/\d\.\d/g, 'x');
  return 1 + (plain.match(/[.!?]+["')\]*_]*\s+(?=\S)/g) ?? []).length;
}

// ---- no-hype -------------------------------------------------------------------------------

const HYPE_WORDS =
  /\b(?:exemplary|comprehensive(?:ly)?|successfully|flawless(?:ly)?|seamless(?:ly)?|bulletproof|world-class|best-in-class|state-of-the-art|outstanding|excellent|perfectly|rock-solid|enterprise-grade|mission-critical|game-chang(?:ing|er)|unprecedented)\b/gi;
const HYPE_CAPS = /\b(?:CRITICAL|URGENT|IMMEDIATE(?:LY)?|EMERGENCY|ASAP)\b/g;
const HYPE_PERCENT =
  /\b100\s?%|\b\d{1,3}(?:\.\d+)?\s?%\s+(?:complete|completed|done|finished|ready|resolved|fixed|solved|working|operational|confident|certain|sure)\b/gi;

function noHype(lines: Line[]): LintFinding[] {
  const out: LintFinding[] = [];
  for (const l of lines) {
    if (!l.visible || !prose(l) || /^\s*>/.test(l.text)) continue;
    // Quoted text ("…") is the thread's words, cited as such.
    const text = stripUrls(stripCode(l.text)).replace(/"[^"]*"|“[^”]*”/g, ' ');
    const hits = [...text.matchAll(HYPE_PERCENT), ...text.matchAll(HYPE_WORDS), ...text.matchAll(HYPE_CAPS)]
      .sort((a, b) => (a.index ?? 0) - (b.index ?? 0))
      .map((h) => `"${h[0]}"`);
    if (hits.length > 0) {
      out.push({ rule: 'no-hype', line: l.no, message: `${[...new Set(hits)].join(', ')}: state the fact and cite it instead of praising or shouting` });
    }
  }
  return out;
}

// ---- no-noise ------------------------------------------------------------------------------

const GREETING = /^(?:hi|hello|hey|dear|greetings|good (?:morning|afternoon|evening))\b/i;
const SIGN_OFF =
  /^(?:thanks|thank you|many thanks|cheers|best|best regards|regards|kind regards|warm regards|sincerely|hope this helps|let me know if|feel free to|happy to help)\b/i;
const GENERATED = /\bgenerated (?:with|by)\b|\bco-authored-by:/i;

function noNoise(lines: Line[]): LintFinding[] {
  const out: LintFinding[] = [];
  const f = (line: number, message: string) => out.push({ rule: 'no-noise', line, message });
  for (const l of lines) {
    if (!prose(l)) continue;
    const text = stripCode(l.text);
    const bare = text
      .replace(EMOJI, '')
      .replace(/^\s*(?:[-*+>]|\d+[.)])\s+/, '')
      .replace(/[*_#]/g, '')
      .trim();
    if (GREETING.test(bare)) f(l.no, 'greeting: start with the status line, not a salutation');
    else if (SIGN_OFF.test(bare) && bare.length <= 80) f(l.no, 'sign-off: end with the Next section, not pleasantries');
    if (GENERATED.test(text)) f(l.no, 'tool attribution ("Generated with …"): remove it');
    const emoji = text.match(EMOJI) ?? [];
    const heading = HEADING.test(l.text);
    if (heading && emoji.length > 1) f(l.no, `${emoji.length} emoji in a heading (${emoji.join(' ')}); at most one`);
    if (!heading && emoji.length > 0) f(l.no, `emoji in text (${emoji.join(' ')}); use words`);
  }
  return out;
}

// ---- cite-numbers --------------------------------------------------------------------------

const NUM = String.raw`(?<![\w#./:$-])\d[\d,]*(?:\.\d+)?\+?`;
const COUNT_NOUNS =
  'failures?|errors?|tests?|runs?|attempts?|occurrences?|times|requests?|responses?|connections?|events?|lines?|comments?|builds?|deploys?|deployments?|restarts?|crash(?:es)?|timeouts?|retries|instances?|pods?|nodes?|users?|customers?|incidents?|alerts?|exceptions?|messages?|queries|jobs?|workers?|replicas?|containers?|files?|hits?|matches|samples?|records?|commits?|issues?|PRs?|documents?';
const NUMBER_CLAIM = new RegExp(
  [
    String.raw`${NUM}\s?(?:%|ms|secs?|seconds?|mins?|minutes?|hrs?|hours?|days?|weeks?|months?|[kmgt]i?b)(?![\w%])`,
    String.raw`${NUM}(?:s|m|h|d|x)(?!\w)`,
    String.raw`(?<![\w#./:$-])\d+\s?/\s?\d+\s+[a-z]+`,
    String.raw`${NUM}\s+(?:[a-z][a-z-]*\s+){0,2}(?:${COUNT_NOUNS})\b`,
    String.raw`\$\s?\d[\d,.]*\s?[kmb]?\+?`,
  ].join('|'),
  'i',
);
const CITATION = /\[E\d+\]\(|\bE\d+\b/;

function citeNumbers(lines: Line[]): LintFinding[] {
  const out: LintFinding[] = [];
  for (const l of lines) {
    if (!l.visible || !prose(l) || l.no === 1 || HEADING.test(l.text)) continue;
    if (/`/.test(l.text) && stripCode(l.text) !== l.text) continue;
    if (CITATION.test(l.text)) continue;
    const m = NUMBER_CLAIM.exec(stripUrls(l.text));
    if (m) {
      out.push({
        rule: 'cite-numbers',
        line: l.no,
        message: `"${m[0].trim()}" states a number without evidence: cite it ([E1](…)) or quote the exact value in a code span`,
      });
    }
  }
  return out;
}

// ---- cite-facts (COMMENT_STYLE rule 3) -----------------------------------------------------

// A factual sentence carries an evidence link; one without is labelled a hypothesis. The
// answers in a Five Whys section are factual by position; elsewhere, a sentence the claim
// patterns recognise (tests passed, PR merged, setting raised, file delivered, resolved,
// root cause, a count) is. Numbers alone are cite-numbers' business.
const WHY_HEADING = /\bwhys?\b/i;
const WHY_ANSWER = /^(?:[-*+]\s+|\d{1,9}[.)]\s+)?(?:\*\*|__)\s*why\b[^?*_]*\?\s*(?:\*\*|__)\s*(\S.*)$/i;
const HYPOTHESIS = /\bhypothes[ie]s\b|\bunconfirmed\b|\bnot (?:yet )?(?:confirmed|verified)\b|\bno evidence\b/i;
const LINKED = /\[E\d+\]\(|\bE\d+\b|\]\(https?:\/\/|https?:\/\/\S+/;
const FACTUAL_KINDS = new Set(['test-outcome', 'pr-commit', 'configuration', 'artefact', 'system-state', 'resolution', 'cause', 'number']);

function citeFacts(lines: Line[], patterns: readonly ClaimPattern[]): LintFinding[] {
  const out: LintFinding[] = [];
  const numbers = new Set(citeNumbers(lines).map((f) => f.line));
  let underWhys = false;
  for (const l of lines) {
    if (!l.visible || !prose(l)) continue;
    const h = HEADING.exec(l.text);
    if (h) {
      underWhys = WHY_HEADING.test(h[2]!);
      continue;
    }
    if (l.no <= 2 || numbers.has(l.no) || /^\s*(?:>|$|-{3,}\s*$|\*{3,}\s*$|_{3,}\s*$)/.test(l.text)) continue;
    if (LINKED.test(l.text) || HYPOTHESIS.test(l.text)) continue;
    const text = l.text.trim();
    const bare = plainText(text.replace(/^(?:[-*+]|\d{1,9}[.)])\s+/, ''));
    const label = /^[^:]{1,40}:\s*$/.test(bare);
    const whyAnswer = WHY_ANSWER.exec(text);
    if ((underWhys && !label && !/\?\s*$/.test(bare) && bare.length > 0) || whyAnswer) {
      out.push({ rule: 'cite-facts', line: l.no, message: `"${clip(bare)}" answers a why without evidence: cite it ([E1](…)) or mark it *hypothesis*` });
      continue;
    }
    if (label || /:\s*$/.test(bare)) continue;
    // Code spans quote identifiers and output; only a path in one is itself the claim.
    const prosePart = plainText(stripCode(text).replace(/^(?:[-*+]|\d{1,9}[.)])\s+/, ''));
    for (const p of patterns) {
      if (!FACTUAL_KINDS.has(p.kind)) continue;
      const hit = matchPattern(p, { plain: p.kind === 'artefact' ? bare : prosePart, context: '' })[0];
      if (hit) {
        out.push({ rule: 'cite-facts', line: l.no, message: `"${clip(hit.span)}" states a fact (${p.kind}) without evidence: cite it ([E1](…)) or mark it *hypothesis*` });
        break;
      }
    }
  }
  return out;
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

// ---- ends-with-next ------------------------------------------------------------------------

const NON_IMPERATIVE = new Set([
  'a', 'an', 'the', 'this', 'that', 'these', 'those', 'it', 'its', 'we', 'i', 'you', 'they', 'he', 'she', 'our', 'their',
  'is', 'are', 'was', 'were', 'be', 'been', 'will', 'would', 'should', 'could', 'can', 'may', 'might', 'must', 'has', 'have',
  'had', 'no', 'not', 'none', 'nothing', 'all', 'some', 'already', 'currently', 'pending', 'done', 'complete', 'completed',
]);
const ED_VERBS = new Set(['need', 'feed', 'seed', 'embed', 'shed', 'speed', 'proceed', 'exceed', 'succeed', 'heed', 'bleed']);
const ING_VERBS = new Set(['bring', 'ping', 'string', 'ring', 'sing', 'swing', 'wing']);

function endsWithNext(lines: Line[]): LintFinding[] {
  const out: LintFinding[] = [];
  const f = (line: number, message: string) => out.push({ rule: 'ends-with-next', line, message });
  const visible = lines.filter((l) => l.visible);
  const headings = visible.filter((l) => prose(l) && HEADING.test(l.text));
  const level = (l: Line) => HEADING.exec(l.text)![1]!.length;
  const headingText = (l: Line) => HEADING.exec(l.text)![2]!.replace(/[*_:`]/g, '').replace(/^[^A-Za-z0-9]+/, '').trim();
  const next = headings.findLast((h) => /^next\b/i.test(headingText(h)));
  if (!next) {
    const lastText = visible.findLast((l) => l.text.trim() !== '' && l.text.trim() !== '---');
    f(lastText?.no ?? 1, 'the visible part must end with a "### Next" section of actions naming who acts');
    return out;
  }
  // Sub-headings of Next belong to it; a heading of its level or above ends it.
  const after = headings.find((h) => h.no > next.no && level(h) <= level(next));
  if (after) f(after.no, `the visible part must end with the Next section; "${headingText(after)}" comes after it`);
  const end = after?.no ?? Infinity;
  const items = visible.filter((l) => l.no > next.no && l.no < end && prose(l) && LIST_ITEM.test(l.text));
  if (items.length === 0) f(next.no, 'the Next section has no items; list actions as "- Owner: verb …"');
  for (const item of items) {
    const body = LIST_ITEM.exec(item.text)![2]!;
    // "Owner: verb …", optionally with the team's handle: "Infrastructure (`@org/team`): verb …".
    const m = /^(\*\*|__)?(@?[A-Za-z][\w/@ .&-]{0,58}?)(?:\s*\(`?@[\w./-]+`?\))?\s*(?::\1|\1:)\s*(\S.*)$/.exec(body);
    if (!m) {
      f(item.no, 'a Next item must name who acts: "Owner: verb …" (e.g. "Infrastructure: raise …")');
      continue;
    }
    const verb = (/^[*_`"]*([A-Za-z][A-Za-z'-]*)/.exec(m[3]!)?.[1] ?? '').toLowerCase();
    if (!isImperative(verb)) {
      f(item.no, `the Next item for "${m[2]}" is not an imperative ("${verb}"); start with a verb: "${m[2]}: raise …"`);
    }
  }
  return out;
}

function isImperative(verb: string): boolean {
  if (verb === '' || NON_IMPERATIVE.has(verb)) return false;
  if (verb.endsWith('ing')) return ING_VERBS.has(verb);
  if (verb.endsWith('ed')) return ED_VERBS.has(verb);
  // Third person ("raises", "runs") describes; "address", "focus" are imperatives.
  if (/[^su]s$/.test(verb) && verb.length > 3) return false;
  return true;
}

// ---- max-labels ----------------------------------------------------------------------------

const LABELS_LINE = /^\s*(?:[-*+]\s+)?(?:\*\*|__)?(?:recommended |suggested |proposed )?labels?(?:\*\*|__)?\s*(?::(?:\*\*|__)?|(?:\*\*|__)?:)\s*(.+)$/i;

function maxLabels(lines: Line[], options: LintOptions): LintFinding[] {
  const limit = options.maxLabels ?? MAX_RECOMMENDED_LABELS;
  const ignored = options.ignoredLabels ?? [DEFAULT_CLAIM_LABEL, /^progressor-session-/];
  const isIgnored = (label: string) => ignored.some((p) => (typeof p === 'string' ? p.toLowerCase() === label.toLowerCase() : p.test(label)));
  const out: LintFinding[] = [];
  for (const l of lines) {
    if (!prose(l)) continue;
    const m = LABELS_LINE.exec(l.text);
    if (!m) continue;
    const rest = m[1]!;
    const spans = [...rest.matchAll(/`([^`]+)`/g)].map((s) => s[1]!.trim());
    const labels = (spans.length > 0 ? spans : rest.split(/\s*(?:,|·|\band\b)\s*/).map((s) => s.replace(/[*_"]/g, '').trim())).filter(
      (s) => s !== '' && !isIgnored(s),
    );
    if (labels.length > limit) {
      out.push({
        rule: 'max-labels',
        line: l.no,
        message: `recommends ${labels.length} labels (${labels.join(', ')}); at most ${limit} beyond the claim/session labels`,
      });
    }
  }
  return out;
}

// ---- max-length ----------------------------------------------------------------------------

function maxLength(markdown: string, lines: Line[]): LintFinding[] {
  if (markdown.length <= MAX_COMMENT_CHARS) return [];
  let chars = 0;
  const over = lines.find((l) => (chars += l.text.length + 1) > MAX_COMMENT_CHARS);
  return [
    {
      rule: 'max-length',
      line: over?.no ?? 1,
      message: `the comment is ${markdown.length} characters; GitHub accepts at most ${MAX_COMMENT_CHARS} (fold or trim the details)`,
    },
  ];
}

// ---- visible words -------------------------------------------------------------------------

/**
 * Words in the visible part (everything above the first `<details>` and the hidden marker), as
 * a reader sees them: a link counts as its text, Markdown markers are not words, a command in a
 * code span counts word by word. A word is a whitespace-separated token holding a letter or digit.
 */
export function visibleWords(markdown: string): number {
  return splitLines(markdown)
    .filter((l) => l.visible && !l.comment && !/^(?:`{3,}|~{3,})/.test(l.text.trim()))
    .map((l) => l.text.replace(/\[([^\]]*)\]\([^)\s]*\)/g, '$1'))
    .join('\n')
    .split(/\s+/)
    .filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}
