import { describe, expect, it } from 'vitest';
import type { EvidenceItem, Signal } from '../domain/types.ts';
import type { Redacted } from '../domain/redacted.ts';
import { checkClaims, parseQuantity } from './check-claims.ts';
import type { ExtractedClaim } from './extract.ts';

const r = (t: string) => t as Redacted;
const item = (id: string, kind: EvidenceItem['kind'], text: string, meta: EvidenceItem['meta'] = {}, extra: Partial<EvidenceItem> = {}): EvidenceItem => ({
  id,
  kind,
  source: { path: `${id}.txt` },
  excerpt: r(text),
  text: r(text),
  meta,
  ...extra,
});
const claim = (kind: ExtractedClaim['kind'], facts: Record<string, string>): ExtractedClaim & { comment: string } => ({ text: 't', span: 's', line: 1, kind, facts, context: '', comment: 'c.md' });
const one = (c: ExtractedClaim & { comment: string }, items: EvidenceItem[], signals: Signal[] = []) => checkClaims([c], { items, signals, probes: [] })[0]!;

describe('checkClaims', () => {
  it('a report that executed zero tests contradicts a passing claim', () => {
    const rep = item('E1', 'test-report', 'test report (junit): 0 tests executed', { total: 0, passed: 0, failed: 0, skipped: 0 });
    expect(one(claim('test-outcome', { outcome: 'all-pass' }), [rep])).toMatchObject({ verdict: 'contradicted', evidence: ['E1'], reason: 'the test report executed zero tests, which is never evidence of passing' });
  });

  it('a green report verifies "all tests pass"; a failing CI check contradicts it without reports', () => {
    const rep = item('E1', 'test-report', 'x', { total: 4, passed: 4, failed: 0, skipped: 0 });
    expect(one(claim('test-outcome', { outcome: 'all-pass' }), [rep]).verdict).toBe('verified');
    const pr = item('E2', 'linked-pr', 'PR #7 (OPEN): x', { number: 7, state: 'OPEN', checks: 'FAILURE' });
    expect(one(claim('test-outcome', { outcome: 'all-pass' }), [pr])).toMatchObject({ verdict: 'contradicted', evidence: ['E2'], reason: 'CI checks of PR #7 are FAILURE' });
  });

  it('an open PR contradicts "merged"; an unlinked PR is unverifiable', () => {
    const pr = item('E3', 'linked-pr', 'PR #9 (OPEN): x', { number: 9, state: 'OPEN', mergedAt: null });
    expect(one(claim('pr-commit', { number: '9', state: 'merged' }), [pr])).toMatchObject({ verdict: 'contradicted', reason: 'PR #9 is OPEN, not merged' });
    expect(one(claim('pr-commit', { number: '10', state: 'merged' }), [pr])).toMatchObject({ verdict: 'unverifiable', evidence: [] });
  });

  it('a setting value no evidence shows is unverifiable, naming the values seen', () => {
    const log = item('E4', 'log', 'Database initialization timeout after 20.0s');
    expect(one(claim('configuration', { setting: 'init timeout', to: '90s' }), [log]).reason).toBe('the evidence shows the timeout at 20 s, never 90 s');
    expect(one(claim('configuration', { setting: 'init timeout', to: '20s' }), [log])).toMatchObject({ verdict: 'verified', evidence: ['E4'] });
  });

  it('a count equal to a signal count is verified; another count is not', () => {
    const sig: Signal = { rule: 'db-init-timeout', title: 'Database initialization timed out', category: 'db-connection-timeout', layer: 'database', owner: 'infrastructure', count: 22, facts: {}, factValues: {}, evidence: ['E5'] };
    expect(one(claim('number', { value: '22', noun: 'timeouts' }), [], [sig])).toMatchObject({ verdict: 'verified', evidence: ['E5'], reason: 'counted: db-init-timeout (22 matches)' });
    expect(one(claim('number', { value: '649', plus: '+', noun: 'failures' }), [], [sig]).verdict).toBe('unverifiable');
  });

  it('the checked comment never supports itself', () => {
    const self = item('E6', 'comment', 'Root cause: the connector is not ready');
    expect(checkClaims([claim('cause', { cause: 'the connector is not ready' })], { items: [self], signals: [], probes: [], excluded: new Set(['E6']) })[0]!.verdict).toBe('unverifiable');
  });

  it('parses quantities into seconds', () => {
    expect(parseQuantity('75.0s')).toEqual({ value: 75, unit: 's' });
    expect(parseQuantity('1500ms')).toEqual({ value: 1.5, unit: 's' });
    expect(parseQuantity('2 min')).toEqual({ value: 120, unit: 's' });
    expect(parseQuantity('20')).toEqual({ value: 20, unit: '' });
  });
});
