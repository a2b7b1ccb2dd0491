import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTestReport } from './parse-test-report.ts';

const fx = (name: string) => readFileSync(join(import.meta.dirname, '../../test/fixtures/reports', name), 'utf8');
const totals = (r: ReturnType<typeof parseTestReport>) => ({ format: r.format, total: r.total, passed: r.passed, failed: r.failed, skipped: r.skipped });

describe('test report parsers on real output', () => {
  it('pytest --junitxml: three connection-refused failures with locations', () => {
    const r = parseTestReport(fx('pytest-junit-infra.xml'), 'pytest.xml');
    expect(totals(r)).toEqual({ format: 'pytest', total: 3, passed: 0, failed: 3, skipped: 0 });
    expect(r.failures[0]).toMatchObject({
      name: 'tests.test_db.test_connect_primary',
      message: 'ConnectionRefusedError: [Errno 111] Connection refused',
      file: 'tests/test_db.py',
      line: 8,
    });
  });

  it('pytest --junitxml with zero tests', () => {
    expect(totals(parseTestReport(fx('pytest-junit-zero.xml'), 'z.xml'))).toEqual({ format: 'pytest', total: 0, passed: 0, failed: 0, skipped: 0 });
  });

  it('Maven surefire: error, failure and skip', () => {
    const r = parseTestReport(fx('surefire-mixed.xml'), 'TEST-x.xml');
    expect(totals(r)).toEqual({ format: 'surefire', total: 3, passed: 0, failed: 2, skipped: 1 });
    expect(r.failures.map((f) => [f.message, f.file, f.line])).toEqual([
      ['com.mysql.cj.jdbc.exceptions.CommunicationsException: Communications link failure', 'SQLError.java', 174],
      ['org.opentest4j.AssertionFailedError: expected: <12.50> but was: <12.49>', 'OrderRepositoryTest.java', 57],
    ]);
  });

  it('node:test TAP reporter: nested subtests, leaf failures only', () => {
    const r = parseTestReport(fx('node-test-tap-infra.tap'), 'node.tap');
    expect(totals(r)).toEqual({ format: 'node-test', total: 4, passed: 1, failed: 2, skipped: 1 });
    expect(r.failures.map((f) => f.name)).toEqual(['connects to postgres', 'runs a query']);
    expect(r.failures[0]).toMatchObject({ message: 'connect ECONNREFUSED 127.0.0.1:5439', file: '/tmp/rep/db.test.mjs', line: 6 });
  });

  it('node:test TAP with zero tests', () => {
    expect(totals(parseTestReport(fx('node-test-tap-zero.tap'), 'zero.tap'))).toMatchObject({ total: 0, failed: 0 });
  });

  it('node:test spec reporter', () => {
    const r = parseTestReport(fx('node-test-spec-infra.txt'), 'spec.txt');
    expect(totals(r)).toEqual({ format: 'node-test', total: 4, passed: 1, failed: 2, skipped: 1 });
    expect(r.failures[1]).toMatchObject({ name: 'runs a query', message: 'Error: connect ECONNREFUSED 127.0.0.1:5439', file: 'db.test.mjs', line: 7 });
  });

  it('plain TAP with YAML diagnostics and a SKIP directive', () => {
    const r = parseTestReport(fx('plain.tap'), 'plain.tap');
    expect(totals(r)).toEqual({ format: 'tap', total: 4, passed: 2, failed: 1, skipped: 1 });
    expect(r.failures[0]).toMatchObject({ name: 'connects to redis', message: 'Error: connect ECONNREFUSED 127.0.0.1:6379', file: 'test/redis.t', line: 14 });
  });

  it('vitest JSON reporter (jest-compatible)', () => {
    const r = parseTestReport(fx('vitest-infra.json'), 'vitest.json');
    expect(totals(r)).toMatchObject({ format: 'jest-json', total: 4, passed: 1, failed: 2, skipped: 1 });
    expect(r.failures[0]).toMatchObject({ name: 'orders repository loads an order', message: 'Error: connect ECONNREFUSED 127.0.0.1:5439' });
  });

  it('pytest terminal output, including "no tests ran"', () => {
    const r = parseTestReport(fx('pytest-output-infra.txt'), 'out.txt');
    expect(totals(r)).toEqual({ format: 'pytest-text', total: 3, passed: 0, failed: 3, skipped: 0 });
    expect(r.failures[0]!.name).toBe('tests/test_db.py::test_connect_primary');
    expect(totals(parseTestReport(fx('pytest-output-zero.txt'), 'zero.txt'))).toMatchObject({ total: 0 });
  });

  it('rejects an unknown format naming the file', () => {
    expect(() => parseTestReport('hello world', 'notes.txt')).toThrow(/not a recognised test report/);
  });
});
