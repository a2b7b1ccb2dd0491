import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { glob } from 'tinyglobby';
import type { CollectorOutput, EvidenceDraft, Gap } from '../domain/types.ts';
import { ProgressorError } from '../errors/errors.ts';
import { parseTestReport } from '../parsers/parse-test-report.ts';
import type { TestReport } from '../parsers/test-report.ts';
import { clipRedacted, redactEvidence } from '../redact/redact.ts';
import { matchText, type CompiledRule } from '../rules/compile-rule.ts';
import { displayPath } from './display-path.ts';
import { rulesFor, SignalTally } from './logs/tally.ts';

/** Reports larger than this are not read (a gap says so). */
const MAX_REPORT_BYTES = 64 << 20;
/** Failure items kept per report (each failure still counts in its signal). */
const MAX_FAILURE_ITEMS = 50;

export interface CollectTestReportsOptions {
  globs: string[];
  rules: readonly CompiledRule[];
  cwd: string;
  /** Reports are named relative to this folder in the evidence (the repository root or snapshot folder). */
  base?: string;
}

/** The canonical summary line rules in rules/reports/ match (keep in step with them). */
export function reportSummary(r: TestReport): string {
  return `test report (${r.format}): ${r.total} tests executed; ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`;
}

/**
 * Test reports as evidence (SPEC §5): each report's totals become one `test-report` item;
 * each failure (message and location) is matched against the text rules, so failures that
 * are all "connection refused" yield infrastructure signals; a run that executed zero tests
 * yields `zero-tests-executed` and is never evidence of passing. Unreadable reports are gaps.
 */
export async function collectTestReports(o: CollectTestReportsOptions): Promise<CollectorOutput> {
  const items: EvidenceDraft[] = [];
  const gaps: Gap[] = [];
  const tally = new SignalTally();
  const failureRules = rulesFor(o.rules, 'test-report').filter((r) => !r.file.includes('reports/'));
  const reportRules = rulesFor(o.rules, 'test-report');
  const files = new Map<string, string>();
  const warnings: string[] = [];
  let matched = 0;
  for (const g of o.globs) {
    const abs = resolve(o.cwd, g);
    const found = await stat(abs).then(
      (s) => (s.isFile() ? [abs] : []),
      () => glob([g], { cwd: o.cwd, absolute: true, onlyFiles: true }),
    );
    // A local path the user typed is theirs: a warning on stderr, never a gap in the comment.
    if (found.length === 0) warnings.push(`--tests: no test reports match ${g}`);
    else matched++;
    for (const f of found) if (!files.has(f)) files.set(f, g);
  }
  for (const [file, input] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    const shown = displayPath(file, { base: o.base, cwd: o.cwd, input });
    let report: TestReport;
    try {
      const st = await stat(file);
      if (st.size > MAX_REPORT_BYTES) throw new ProgressorError('INPUT_INVALID', `report is ${st.size} bytes (limit ${MAX_REPORT_BYTES})`, { file: shown });
      report = parseTestReport(await readFile(file, 'utf8'), shown);
    } catch (e) {
      const msg = e instanceof ProgressorError ? e.message : (e as Error).message;
      gaps.push({ collector: 'test-reports', code: 'INPUT_INVALID', message: `${shown}: ${msg}` });
      continue;
    }
    const key = `test-report:${shown}`;
    // Failures first: which rules explain them?
    const explainedBy = new Set<string>();
    let infra = 0;
    const failureKeys: string[] = [];
    report.failures.forEach((f, i) => {
      // Redacted before rules see it, so no fact carries a secret from a report (issue 10).
      const message = redactEvidence(f.message);
      const text = redactEvidence(`${f.name}: ${f.message}`);
      const fkey = `${key}#${i + 1}`;
      const hits: { rule: CompiledRule; groups: Record<string, string> }[] = [];
      for (const r of failureRules) {
        const m = matchText(r, message)[0] ?? matchText(r, text)[0];
        if (m) hits.push({ rule: r, groups: m.groups });
      }
      if (hits.some((h) => h.rule.owner === 'infrastructure' || h.rule.owner === 'configuration')) infra++;
      for (const h of hits) {
        explainedBy.add(h.rule.id);
        tally.add(h.rule, h.groups, i < MAX_FAILURE_ITEMS ? fkey : key);
      }
      if (i < MAX_FAILURE_ITEMS) {
        failureKeys.push(fkey);
        items.push({
          key: fkey,
          kind: 'test-report',
          source: { path: f.file ?? shown, line: f.line },
          excerpt: clipRedacted(text, 300),
          text,
          meta: { prematched: true, report: shown, test: redactEvidence(f.name), failure: true },
        });
      }
    });
    const lines = [reportSummary(report)];
    if (report.failed > 0 && infra === report.failures.length && report.failures.length > 0) {
      lines.push(`test report (${report.format}): ${report.failed} failure${report.failed === 1 ? '' : 's'}, all infrastructure (${[...explainedBy].sort().join(', ')})`);
    }
    const text = lines.join('\n');
    items.push({
      key,
      kind: 'test-report',
      source: { path: shown },
      excerpt: redactEvidence(lines[0]!),
      text: redactEvidence(text),
      meta: {
        prematched: true,
        format: report.format,
        total: report.total,
        passed: report.passed,
        failed: report.failed,
        skipped: report.skipped,
        durationMs: report.durationMs ?? null,
        infrastructureFailures: infra,
        // A run with zero executed tests is never evidence of passing.
        evidenceOfPassing: report.total > 0 && report.failed === 0 && report.passed > 0,
      },
    });
    for (const r of reportRules) {
      for (const m of matchText(r, text)) tally.add(r, m.groups, key);
    }
  }
  return { collector: 'test-reports', items, signals: tally.signals(), gaps, warnings, inputs: { given: o.globs.length, matched } };
}
