import { XMLParser } from 'fast-xml-parser';
import { ProgressorError } from '../errors/errors.ts';
import { findLocation, headline, type TestFailure, type TestReport, type TestReportFormat } from './test-report.ts';

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  isArray: (name) => ['testsuite', 'testcase', 'failure', 'error', 'skipped', 'property'].includes(name),
  processEntities: true,
  parseTagValue: false,
  parseAttributeValue: false,
});

function attr(n: Node, k: string): string | undefined {
  const v = n[`@${k}`];
  return v === undefined ? undefined : String(v);
}

function text(n: unknown): string {
  if (typeof n === 'string') return n;
  if (n && typeof n === 'object') return String((n as Node)['#text'] ?? '');
  return '';
}

function suites(root: Node): Node[] {
  const out: Node[] = [];
  const walk = (list: unknown) => {
    for (const s of (list as Node[] | undefined) ?? []) {
      out.push(s);
      walk(s.testsuite);
    }
  };
  const top = (root.testsuites as Node | undefined) ?? root;
  walk(top.testsuite);
  return out;
}

/**
 * Parses JUnit XML (also pytest's `--junitxml` and Maven surefire reports): totals from
 * the test cases (falling back to the suite attributes), failures and errors with message
 * and location. Pure.
 * @throws ProgressorError INPUT_INVALID for XML without test suites.
 */
export function parseJunit(xml: string, file = 'report.xml'): TestReport {
  let root: Node;
  try {
    root = parser.parse(xml, true) as Node;
  } catch (e) {
    throw new ProgressorError('INPUT_INVALID', `not valid XML: ${(e as Error).message}`, { file, hint: 'Pass a JUnit XML report.' });
  }
  if (!root.testsuites && !root.testsuite) {
    throw new ProgressorError('INPUT_INVALID', 'no <testsuites> or <testsuite> element: not a JUnit report', {
      file,
      hint: 'Pass a JUnit XML report (pytest --junitxml, Maven surefire, jest-junit, …).',
    });
  }
  const all = suites(root);
  let format: TestReportFormat = 'junit';
  if (all.some((s) => attr(s, 'name') === 'pytest')) format = 'pytest';
  else if (/surefire|maven/i.test(xml.slice(0, 4_000))) format = 'surefire';
  let total = 0;
  let failed = 0;
  let skipped = 0;
  let durationMs = 0;
  let sawCases = false;
  const failures: TestFailure[] = [];
  for (const s of all) {
    const cases = (s.testcase as Node[] | undefined) ?? [];
    const t = attr(s, 'time');
    if (t && !s.testsuite) durationMs += Number(t) * 1000;
    if (cases.length === 0) {
      if (!s.testsuite) {
        total += Number(attr(s, 'tests') ?? 0);
        failed += Number(attr(s, 'failures') ?? 0) + Number(attr(s, 'errors') ?? 0);
        skipped += Number(attr(s, 'skipped') ?? attr(s, 'disabled') ?? 0);
      }
      continue;
    }
    sawCases = true;
    for (const c of cases) {
      total++;
      const bad = [...((c.failure as unknown[]) ?? []), ...((c.error as unknown[]) ?? [])];
      if (bad.length > 0) {
        failed++;
        const b = bad[0] as Node | string;
        const body = text(b);
        const msg = (typeof b === 'object' ? attr(b, 'message') : undefined) ?? headline(body);
        const type = typeof b === 'object' ? attr(b, 'type') : undefined;
        const cls = attr(c, 'classname');
        const name = cls ? `${cls}.${attr(c, 'name') ?? ''}` : (attr(c, 'name') ?? '(unnamed)');
        const loc = attr(c, 'file')
          ? { file: attr(c, 'file')!, line: Number(attr(c, 'line') ?? 0) || undefined }
          : findLocation(body);
        const message = type && !msg.includes(type.split('.').pop()!) ? `${type}: ${msg}` : msg;
        failures.push({ name, message: message || headline(body), file: loc?.file, line: loc?.line });
      } else if (c.skipped) skipped++;
    }
  }
  if (!sawCases && all.length > 0 && total === 0) {
    const top = (root.testsuites as Node | undefined) ?? {};
    total = Number(attr(top, 'tests') ?? 0);
  }
  return {
    format,
    total,
    passed: Math.max(0, total - failed - skipped),
    failed,
    skipped,
    durationMs: durationMs > 0 ? Math.round(durationMs) : undefined,
    failures,
  };
}
