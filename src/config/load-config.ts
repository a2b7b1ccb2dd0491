import { statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { LineCounter, parseDocument, isMap, isScalar, type Document } from 'yaml';
import { z } from 'zod';
import type { Owner, Status } from '../domain/vocabulary.ts';
import { ConfigError } from '../errors/errors.ts';
import { SESSION_LABEL_TOKENS, SessionLabelFormat } from '../domain/session-label.ts';
import { configSchema, DEFAULT_STATUS_LABELS, type ConfigParsed } from './config-schema.ts';

// Config pipeline (STYLE §5, changesets): YAML → schema → normalise → semantic checks.
// Every problem is collected as a ConfigIssue with file, key path, line and fix; loadConfig
// throws one ConfigError carrying all of them.

/** Where the config lives, relative to a repository root. */
export const CONFIG_RELATIVE_PATH = join('.github', 'progressor.yml');
/** A config file larger than this is refused (it is hand-written YAML). */
export const MAX_CONFIG_BYTES = 1_000_000;

export interface ConfigIssue {
  file: string;
  /** Key path such as `labels.status.blocked-on-infrastructure[0]`; '' for the whole file. */
  path: string;
  message: string;
  hint?: string;
  line?: number;
}

export type ParseResult<T> =
  | { ok: true; value: T; warnings: ConfigIssue[] }
  | { ok: false; errors: ConfigIssue[]; warnings: ConfigIssue[] };

/** The normalised configuration: every default filled in, every path absolute. */
export interface Config {
  /** Absolute path of the file read, or undefined when defaults were used. */
  file?: string;
  /** Folder relative paths in the file are resolved against (the config file's folder). */
  baseDir: string;
  claim: { label: string; sessionLabelFormat: string; leaseMinutes: number };
  labels: {
    /** Every status present, defaults merged with the file's entries. */
    status: Record<Status, string[]>;
    /** Allow-list policy; undefined = labels named in this config only. */
    allowed?: string[];
  };
  escalation: Partial<Record<Owner, { label: string; team?: string }>>;
  /** Absolute rule folders. */
  rules: string[];
  sources: {
    /** Absolute glob patterns (a leading `!` negates). */
    logs: string[];
    tests: string[];
    /** Absolute local clone folder; defaults to the folder holding `.github/`. */
    repoDir: string;
  };
  /** The `probes:` section as validated by probesConfigSchema (not yet normalised). */
  probes: ConfigParsed['probes'];
  comment: { mentionTeams: boolean };
  policy: { closeOnResolved: boolean; maxLabels: number };
  /** `run:` as validated (commands run in the worktree; paths there are worktree-relative). */
  run: ConfigParsed['run'];
  warnings: ConfigIssue[];
}

export interface ParseConfigOptions {
  /** Folder relative paths resolve against; default: the file's folder. */
  baseDir?: string;
  /** Semantic check for folders (rules, repoDir); injected so parsing stays testable. */
  isDirectory?: (path: string) => boolean;
}

export interface LoadConfigOptions {
  /** An explicit config file (must exist). */
  file?: string;
  /** Where the upward search for `.github/progressor.yml` starts (also the default base). */
  startDir: string;
  /** Folder an explicit `file` is relative to (the user's working folder); default `startDir`. */
  cwd?: string;
}

/** Formats a zod/YAML path: `labels.status.blocked-on-infrastructure[0]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

/**
 * Searches `startDir` and its parents, up to the filesystem root, for `.github/progressor.yml`.
 * @returns the absolute file path, or undefined when there is none.
 */
export async function findConfigFile(startDir: string): Promise<string | undefined> {
  let dir = resolve(startDir);
  for (;;) {
    const candidate = join(dir, CONFIG_RELATIVE_PATH);
    try {
      if ((await stat(candidate)).isFile()) return candidate;
    } catch {
      // not here; keep climbing
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Finds, reads and validates the configuration. Without a file, returns the defaults with
 * paths resolved against `startDir`.
 * @throws ConfigError listing every issue (file, key path, line, fix).
 */
export async function loadConfig(options: LoadConfigOptions): Promise<Config> {
  const file = options.file ? resolve(options.cwd ?? options.startDir, options.file) : await findConfigFile(options.startDir);
  if (!file) return defaultConfig(resolve(options.startDir));
  let text: string;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    if (info.size > MAX_CONFIG_BYTES) {
      throw new ConfigError([
        { file, path: '', message: `config file is ${info.size} bytes (limit ${MAX_CONFIG_BYTES})`, hint: 'Point --config at the YAML configuration file.' },
      ]);
    }
    text = await readFile(file, 'utf8');
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
    throw new ConfigError([
      {
        file,
        path: '',
        message: `cannot read config file (${code})`,
        hint: options.file ? 'Check the path given with --config.' : 'Check the file permissions.',
      },
    ]);
  }
  const result = parseConfig(text, file, { isDirectory: isDirectorySync });
  if (!result.ok) throw new ConfigError(result.errors);
  return result.value;
}

/** The configuration used when no file exists. */
export function defaultConfig(baseDir: string): Config {
  const result = parseConfig('{}', join(baseDir, CONFIG_RELATIVE_PATH), { baseDir, isDirectory: () => true });
  if (!result.ok) throw new ConfigError(result.errors); // unreachable: the defaults are valid
  return { ...result.value, file: undefined, sources: { ...result.value.sources, repoDir: baseDir } };
}

/**
 * Parses and validates config text (pure apart from the injected directory check).
 * `file` is used for messages and to resolve relative paths.
 */
export function parseConfig(text: string, file: string, options: ParseConfigOptions = {}): ParseResult<Config> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    // Later YAML errors are usually echoes of the first; report the first only.
    const errors = doc.errors.slice(0, 1).map((err): ConfigIssue => {
      const pos = lineCounter.linePos(err.pos[0]);
      return {
        file,
        path: '',
        line: pos.line,
        message: `YAML syntax error at line ${pos.line}, column ${pos.col}: ${err.message.split('\n')[0]}`,
        hint: 'Fix the YAML syntax (indentation with spaces, quote strings containing ": " or "#").',
      };
    });
    return { ok: false, errors, warnings: [] };
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (e) {
    // yaml refuses alias bombs ("billion laughs") and too deep documents: bad input, not a bug.
    return { ok: false, errors: [{ file, path: '', message: `YAML cannot be expanded: ${(e as Error).message}`, hint: 'Remove the YAML aliases (*name) that expand to a huge document; write the values out.' }], warnings: [] };
  }
  const lineOf = (path: readonly PropertyKey[], key?: string) => lineAt(doc, lineCounter, path, key);

  const parsed = configSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.flatMap((i) => schemaIssues(i, file, lineOf)), warnings: [] };
  }

  const baseDir = options.baseDir ?? dirname(file);
  const config = normalise(parsed.data, file, baseDir);
  const { errors, warnings } = checkSemantics(config, file, lineOf, options.isDirectory ?? isDirectorySync);
  if (errors.length > 0) return { ok: false, errors, warnings };
  return { ok: true, value: { ...config, warnings }, warnings };
}

function normalise(data: ConfigParsed, file: string, baseDir: string): Config {
  const abs = (p: string) => resolve(baseDir, p);
  const absGlob = (g: string) => (g.startsWith('!') ? `!${absPattern(baseDir, g.slice(1))}` : absPattern(baseDir, g));
  // `.github/progressor.yml` sits one folder below the repository root.
  const defaultRepo = basename(baseDir) === '.github' ? dirname(baseDir) : baseDir;
  return {
    file,
    baseDir,
    claim: { ...data.claim },
    labels: {
      status: { ...DEFAULT_STATUS_LABELS, ...data.labels.status },
      ...(data.labels.allowed ? { allowed: data.labels.allowed } : {}),
    },
    escalation: data.escalation,
    rules: data.rules.map(abs),
    sources: {
      logs: data.sources.logs.map(absGlob),
      tests: data.sources.tests.map(absGlob),
      repoDir: data.sources.repoDir ? abs(data.sources.repoDir) : defaultRepo,
    },
    probes: data.probes,
    comment: { ...data.comment },
    policy: { ...data.policy },
    run: data.run,
    warnings: [],
  };
}

function absPattern(baseDir: string, pattern: string): string {
  // Globs use "/" on every platform; resolve() keeps "*" and "**" segments intact.
  return isAbsolute(pattern) ? pattern : resolve(baseDir, pattern).split('\\').join('/');
}

function checkSemantics(
  config: Config,
  file: string,
  lineOf: (path: readonly PropertyKey[], key?: string) => number | undefined,
  isDirectory: (p: string) => boolean,
): { errors: ConfigIssue[]; warnings: ConfigIssue[] } {
  const errors: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  const add = (list: ConfigIssue[], path: PropertyKey[], message: string, hint: string) => {
    const line = lineOf(path);
    list.push({ file, path: formatPath(path), message: withLine(message, line), hint, ...(line ? { line } : {}) });
  };
  const lower = (s: string) => s.toLowerCase();

  // A label listed twice (GitHub label names are case-insensitive).
  const dupes = (labels: string[], path: PropertyKey[]) => {
    const seen = new Map<string, number>();
    labels.forEach((label, i) => {
      const first = seen.get(lower(label));
      if (first === undefined) seen.set(lower(label), i);
      else add(errors, [...path, i], `label "${label}" is listed twice (also at [${first}])`, 'Remove the duplicate.');
    });
  };
  for (const [status, labels] of Object.entries(config.labels.status)) {
    dupes(labels, ['labels', 'status', status]);
    if (labels.length > config.policy.maxLabels) {
      add(
        errors,
        ['labels', 'status', status],
        `${labels.length} labels for status ${status}, but policy.maxLabels is ${config.policy.maxLabels}`,
        `Keep at most ${config.policy.maxLabels} labels per status.`,
      );
    }
    labels.forEach((label, i) => {
      if (lower(label) === lower(config.claim.label)) {
        add(errors, ['labels', 'status', status, i], `label "${label}" is also the claim label`, 'Use a different status label; releasing a claim removes the claim label.');
      }
    });
  }
  if (config.labels.allowed) {
    dupes(config.labels.allowed, ['labels', 'allowed']);
    const allowed = new Set(config.labels.allowed.map(lower));
    for (const [status, labels] of Object.entries(config.labels.status)) {
      labels.forEach((label, i) => {
        if (!allowed.has(lower(label))) {
          add(errors, ['labels', 'status', status, i], `label "${label}" is not in labels.allowed`, `Add "${label}" to labels.allowed, or remove it here.`);
        }
      });
    }
    for (const [owner, target] of Object.entries(config.escalation)) {
      if (target && !allowed.has(lower(target.label))) {
        add(errors, ['escalation', owner, 'label'], `label "${target.label}" is not in labels.allowed`, `Add "${target.label}" to labels.allowed, or change escalation.${owner}.label.`);
      }
    }
  }

  // Session label: the one value object decides (known placeholders, a time placeholder,
  // at most 50 characters with the random suffix).
  for (const problem of SessionLabelFormat.problems(config.claim.sessionLabelFormat)) {
    add(errors, ['claim', 'sessionLabelFormat'], problem, `Use placeholders ${SESSION_LABEL_TOKENS.map((t) => `{${t}}`).join(' ')}, e.g. agent-session-{YYYYMMDD}-{HHmmss}; keep it short.`);
  }

  config.rules.forEach((dir, i) => {
    if (!isDirectory(dir)) {
      add(errors, ['rules', i], `rules folder does not exist: ${dir}`, `Create the folder or fix the path; relative paths resolve against ${config.baseDir}.`);
    }
  });
  if (!isDirectory(config.sources.repoDir)) {
    add(errors, ['sources', 'repoDir'], `folder does not exist: ${config.sources.repoDir}`, `Fix the path; relative paths resolve against ${config.baseDir}.`);
  }

  if (config.comment.mentionTeams && !Object.values(config.escalation).some((t) => t?.team)) {
    add(warnings, ['comment', 'mentionTeams'], 'is true but no escalation entry names a team', 'Add team: "@org/team" to an escalation entry, or drop mentionTeams.');
  }
  return { errors, warnings };
}

function withLine(message: string, line: number | undefined): string {
  return line ? `${message} (line ${line})` : message;
}

// ---- schema issues → ConfigIssue -------------------------------------------------------

const RECORD_KEY_KINDS: Record<string, string> = { 'labels.status': 'status', escalation: 'owner' };
const PLURALS: Record<string, string> = { key: 'keys', status: 'statuses', owner: 'owners' };

function schemaIssues(
  issue: z.core.$ZodIssue,
  file: string,
  lineOf: (path: readonly PropertyKey[], key?: string) => number | undefined,
): ConfigIssue[] {
  const path = issue.path;
  if (issue.code === 'unrecognized_keys') {
    const parentPath = formatPath(path);
    const valid = validKeysAt(path);
    const kind = RECORD_KEY_KINDS[parentPath] ?? 'key';
    const where = parentPath ? ` under ${parentPath}` : '';
    return issue.keys.map((key) => {
      const line = lineOf(path, key);
      const near = nearest(key, valid);
      const list = valid.length > 0 ? `Valid ${PLURALS[kind] ?? 'keys'}${where}: ${valid.join(', ')}.` : '';
      return {
        file,
        path: formatPath([...path, key]),
        message: withLine(`unknown ${kind} "${key}"`, line),
        hint: near ? `Did you mean "${near}"? ${list}` : `Remove "${key}". ${list}`.trim(),
        ...(line ? { line } : {}),
      };
    });
  }
  const line = lineOf(path);
  let message: string = issue.message;
  let hint = 'See progressor.schema.json for the expected shape.';
  if (issue.code === 'invalid_value') {
    const values = issue.values.map(String);
    const got = valueAt(issue.input);
    message = `${got === undefined ? 'invalid value' : `"${got}" is not allowed`}; expected one of ${values.join(', ')}`;
    const near = got === undefined ? undefined : nearest(got, values);
    hint = near ? `Did you mean "${near}"?` : `Use one of ${values.join(', ')}.`;
  } else if (issue.code === 'invalid_type') {
    message = `expected ${issue.expected}, got ${describeInput(issue.input)}`;
    hint = `Give ${formatPath(path) || 'the file'} a ${issue.expected} value.`;
  } else if (issue.code === 'invalid_union') {
    message = 'matches none of the allowed shapes';
    const firstBranch = issue.errors[0]?.[0];
    if (firstBranch) message += ` (${formatPath(firstBranch.path) || 'value'}: ${firstBranch.message})`;
  }
  return [{ file, path: formatPath(path), message: withLine(message, line), hint, ...(line ? { line } : {}) }];
}

function valueAt(input: unknown): string | undefined {
  return typeof input === 'string' || typeof input === 'number' || typeof input === 'boolean' ? String(input) : undefined;
}

function describeInput(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  return `${typeof input} ${JSON.stringify(input)}`;
}

/** Keys allowed at `path` (object keys or enum record keys), found by walking the schema. */
export function validKeysAt(path: readonly PropertyKey[]): string[] {
  let node: z.ZodType | undefined = configSchema;
  for (const seg of [...path, undefined]) {
    node = unwrap(node);
    if (seg === undefined) break;
    if (node instanceof z.ZodObject) node = (node.shape as Record<string, z.ZodType>)[String(seg)];
    else if (node instanceof z.ZodRecord) node = node.valueType as z.ZodType;
    else if (node instanceof z.ZodArray) node = node.element as z.ZodType;
    else return [];
  }
  if (node instanceof z.ZodObject) return Object.keys(node.shape);
  if (node instanceof z.ZodRecord && node.keyType instanceof z.ZodEnum) return node.keyType.options.map(String);
  return [];
}

function unwrap(node: z.ZodType | undefined): z.ZodType | undefined {
  let n = node;
  while (n instanceof z.ZodDefault || n instanceof z.ZodOptional || n instanceof z.ZodNullable) {
    n = n.unwrap() as z.ZodType;
  }
  return n;
}

/** The closest candidate by edit distance (case-insensitive), if close enough to be a typo. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  const limit = Math.max(2, Math.floor(word.length / 3));
  if (best !== undefined && bestDistance <= limit) return best;
  // A prefix or abbreviation, e.g. `blocked-on-infra` for `blocked-on-infrastructure`.
  return candidates.find((c) => word.length >= 3 && c.toLowerCase().startsWith(word.toLowerCase()));
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

// ---- locations ---------------------------------------------------------------------------

function lineAt(doc: Document, lc: LineCounter, path: readonly PropertyKey[], key?: string): number | undefined {
  const segs = path.map((p) => (typeof p === 'number' ? p : String(p)));
  let node: unknown = segs.length === 0 ? doc.contents : doc.getIn(segs, true);
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    node = pair?.key;
  }
  // A path into defaults (absent from the file) points at its nearest present ancestor.
  for (let n = segs.length; node === undefined && n > 0; n--) node = doc.getIn(segs.slice(0, n - 1), true);
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range ? lc.linePos(range[0]).line : undefined;
}

function isDirectorySync(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
