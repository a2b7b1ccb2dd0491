import { parse as parseYaml } from 'yaml';
import { findLocation, headline, type TestFailure, type TestReport } from './test-report.ts';

const POINT = /^(\s*)(not ok|ok)\b\s*(\d+)?\s*(?:-\s*)?([^#]*?)\s*(?:#\s*(SKIP|TODO)\S*.*)?$/i;

/**
 * Parses TAP 12/13/14, including node:test's TAP reporter (nested subtests, `# tests N`
 * summary comments). Leaf failures carry their YAML diagnostics (message, location). Pure.
 */
export function parseTap(text: string): TestReport {
  const lines = text.split(/\r?\n/);
  const summary: Record<string, number> = {};
  const failures: TestFailure[] = [];
  let total = 0;
  let failed = 0;
  let skipped = 0;
  let minIndent = Infinity;
  const points: { indent: number; ok: boolean; name: string; directive?: string; diag?: Record<string, unknown> }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const s = /^\s*#\s*(tests|pass|fail|skipped|skip|todo|cancelled|duration_ms)\s+([\d.]+)\s*$/.exec(line);
    if (s) {
      summary[s[1]!] = Number(s[2]);
      continue;
    }
    const m = POINT.exec(line);
    if (!m) continue;
    const indent = m[1]!.length;
    minIndent = Math.min(minIndent, indent);
    const point = { indent, ok: m[2]!.toLowerCase() === 'ok', name: m[4]!.trim(), directive: m[5]?.toUpperCase(), diag: undefined as Record<string, unknown> | undefined };
    // A YAML diagnostics block follows: "  ---" … "  ...".
    if (/^\s*---\s*$/.test(lines[i + 1] ?? '')) {
      const block: string[] = [];
      let j = i + 2;
      for (; j < lines.length && !/^\s*\.\.\.\s*$/.test(lines[j]!); j++) block.push(lines[j]!);
      i = j;
      try {
        const indentOf = Math.min(...block.filter((b) => b.trim()).map((b) => b.length - b.trimStart().length));
        const v: unknown = parseYaml(block.map((b) => b.slice(Number.isFinite(indentOf) ? indentOf : 0)).join('\n'));
        if (v && typeof v === 'object') point.diag = v as Record<string, unknown>;
      } catch {
        point.diag = { message: block.join('\n').trim() };
      }
    }
    points.push(point);
  }
  // Leaves: node:test marks suites whose subtests failed with failureType subtestsFailed.
  for (const p of points) {
    if (p.diag?.failureType === 'subtestsFailed') continue;
    const isTop = p.indent === minIndent;
    const counts = Object.keys(summary).length === 0 && isTop;
    if (counts) total++;
    if (p.directive === 'SKIP') {
      if (counts) skipped++;
      continue;
    }
    if (p.ok || p.directive === 'TODO') continue;
    if (counts) failed++;
    const d = p.diag ?? {};
    const err = d.error ?? d.message ?? d.stack ?? '';
    const message = headline(typeof err === 'string' ? err : JSON.stringify(err)) || p.name;
    const locText = [d.location, d.at, d.stack, typeof d.error === 'string' ? d.error : ''].filter((x) => typeof x === 'string').join('\n');
    const loc = findLocation(locText);
    failures.push({ name: p.name, message, file: loc?.file, line: loc?.line });
  }
  if (Object.keys(summary).length > 0) {
    total = summary.tests ?? total;
    failed = summary.fail ?? failures.length;
    skipped = (summary.skipped ?? summary.skip ?? 0) + (summary.todo ?? 0);
  }
  return {
    format: /^\s*#\s*(?:Subtest:|duration_ms)/m.test(text) ? 'node-test' : 'tap',
    total,
    passed: Math.max(0, total - failed - skipped),
    failed,
    skipped,
    durationMs: summary.duration_ms,
    failures,
  };
}
