import type { CollectorOutput, EvidenceDraft, Gap, SignalDraft } from '../domain/types.ts';
import { signalHead, type CompiledRule } from '../rules/compile-rule.ts';
import { scanInputs } from '../scan/scan-inputs.ts';

export interface CollectLogsOptions {
  globs: string[];
  rules: readonly CompiledRule[];
  /** ISO times; matched lines with a timestamp outside the window are not counted. */
  since?: string;
  until?: string;
  cwd: string;
  /** Files are named relative to this folder in the evidence (the repository root or snapshot folder). */
  base?: string;
  workers?: number;
}

/**
 * Log files as evidence (SPEC §5), streamed by the scanner: per rule one signal with the
 * line count, first/last seen and facts, and up to two redacted example lines as `log`
 * items (`source: {path, line}`, `meta.prematched`: the signal already counts them).
 * Unrecognised error templates become `log` items with their counts (no rule, no signal).
 * Unreadable, binary or truncated files are gaps; the rest is still reported.
 */
export async function collectLogs(o: CollectLogsOptions): Promise<CollectorOutput> {
  const gaps: Gap[] = [];
  const items: EvidenceDraft[] = [];
  const signals: SignalDraft[] = [];
  const time = (v: string | undefined) => (v === undefined ? undefined : Date.parse(v));
  const result = await scanInputs({
    inputs: o.globs,
    rules: o.rules,
    cwd: o.cwd,
    displayBase: o.base,
    since: time(o.since),
    until: time(o.until),
    workers: o.workers,
  });
  // An input that matches nothing is the user's local concern: a warning on stderr, not a gap
  // in the public comment (its text is a local path).
  const unmatched = result.files.filter((f) => f.unmatched).map((f) => f.path);
  const warnings = unmatched.map((g) => `--logs: no files match ${g}`);
  for (const f of result.files) {
    if (f.status !== 'ok' && !f.unmatched) gaps.push({ collector: 'logs', code: f.status === 'partial' ? 'INPUT_PARTIAL' : 'INPUT_INVALID', message: `${f.path}: ${f.message ?? f.status}` });
  }
  for (const s of result.rules) {
    const keys: string[] = [];
    for (const ex of s.examples) {
      const key = `log:${ex.path}:${ex.line}`;
      keys.push(key);
      if (items.some((i) => i.key === key)) continue;
      items.push({
        key,
        kind: 'log',
        source: { path: ex.path, line: ex.line },
        excerpt: ex.text.length > 300 ? (`${ex.text.slice(0, 300)}…` as typeof ex.text) : ex.text,
        text: ex.text,
        meta: { prematched: true, rule: s.rule.id, count: s.count },
      });
    }
    const facts: Record<string, string> = {};
    for (const [k, v] of Object.entries(s.facts)) {
      const first = Object.entries(v).sort((a, b) => b[1] - a[1])[0];
      if (first) facts[k] = first[0];
    }
    signals.push({
      ...signalHead(s.rule),
      count: s.count,
      firstSeen: s.firstSeen,
      lastSeen: s.lastSeen,
      facts,
      factValues: s.facts,
      evidenceKeys: keys,
    });
  }
  for (const t of result.unrecognised) {
    const key = `log:${t.example.path}:${t.example.line}`;
    if (items.some((i) => i.key === key)) continue;
    items.push({
      key,
      kind: 'log',
      source: { path: t.example.path, line: t.example.line },
      excerpt: t.example.text.length > 300 ? (`${t.example.text.slice(0, 300)}…` as typeof t.example.text) : t.example.text,
      text: t.example.text,
      meta: { prematched: true, unrecognised: true, template: t.template, count: t.count },
    });
  }
  return { collector: 'logs', items, signals, gaps, warnings, inputs: { given: o.globs.length, matched: o.globs.length - unmatched.length } };
}
