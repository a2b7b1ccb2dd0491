import { describe, expect, it } from 'vitest';
import type { Analysis, EvidenceItem } from '../domain/types.ts';
import type { Redacted } from '../domain/redacted.ts';
import { applyDeployedFixReport, applyValidatedFix, findDeployedFixReport, isDeployedFixSentence, VALIDATE_STEP } from './decide-after-fix.ts';

describe('isDeployedFixSentence', () => {
  it.each([
    'Recreated the connector, it is READY now, redeployed.',
    'Fix deployed to staging.',
    'Deployed the corrected manifest.',
    'We rolled out the fix to all regions.',
    'The hotfix is live in production.',
    'The patch has been applied.',
    'Redeployed with the right REDIS_HOST.',
  ])('matches %j', (s) => expect(isDeployedFixSentence(s)).toBe(true));

  it.each([
    'Will deploy the fix tomorrow.',
    'The fix is not deployed yet.',
    'Did you redeploy?',
    'Once it is deployed we can check again.',
    'The deploy failed and was rolled back.',
    'Redeployed, still failing after 20 seconds.',
    'We should redeploy with the old connector.',
    'Raising the startup timeout to 75s in #1319 to see if it is only slowness.',
  ])('does not match %j', (s) => expect(isDeployedFixSentence(s)).toBe(false));
});

const r = (s: string) => s as Redacted;
function item(id: string, over: Partial<EvidenceItem>): EvidenceItem {
  return { id, kind: 'comment', source: {}, excerpt: r(''), text: r(''), ...over };
}
function analysis(status: Analysis['status']['value'], failureEvidence: string[]): Analysis {
  const d = <T extends string>(value: T) => ({ value, decidedBy: ['r'], score: 3, margin: 2 });
  return {
    status: d(status),
    owner: d('infrastructure'),
    category: d('network-connectivity'),
    confidence: 'high',
    confidenceReasons: [],
    takeaway: 'Blocked on infrastructure: the connector is down (E1).',
    whys: [],
    signals: [{ rule: 'vpc', title: 'VPC', category: 'network-connectivity', layer: 'network', owner: 'infrastructure', count: 1, facts: {}, factValues: {}, evidence: failureEvidence }],
    threadSignals: [],
    diagnostics: [],
    nextSteps: [{ owner: 'infrastructure', action: 'fix the connector.' }],
    heldSteps: [],
    patterns: [],
    platforms: [],
    monitor: [],
    validate: [],
  };
}

describe('applyDeployedFixReport', () => {
  const failure = item('E1', { kind: 'log', at: '2026-11-20T10:00:00Z' });
  const fix = item('E2', { author: 'sam', authorAssociation: 'MEMBER', at: '2026-11-20T18:00:00Z', text: r('Recreated the connector, it is READY now, redeployed.') });

  it('turns blocked into in-progress with validate first in Next', () => {
    const a = applyDeployedFixReport(analysis('blocked-on-infrastructure', ['E1']), [failure, fix]);
    expect(a.status).toMatchObject({ value: 'in-progress', decidedBy: ['fix-deployed-in-thread'], runnerUp: { value: 'blocked-on-infrastructure' } });
    expect(a.takeaway).toBe('Fix deployed, awaiting validation: sam reported the fix deployed (E2) after the last recorded failure (E1).');
    expect(a.nextSteps[0]).toEqual(VALIDATE_STEP);
    expect(a.confidence).toBe('medium');
  });

  it('ignores the report when a failure came after it', () => {
    const later = item('E3', { kind: 'log', at: '2026-11-20T19:00:00Z' });
    const a = analysis('blocked-on-infrastructure', ['E1', 'E3']);
    expect(findDeployedFixReport(a, [failure, fix, later])).toBeUndefined();
    expect(applyDeployedFixReport(a, [failure, fix, later]).status.value).toBe('blocked-on-infrastructure');
  });

  it('ignores reports by non-maintainers and comments saying it still fails', () => {
    const reporter = item('E2', { ...fix, authorAssociation: 'NONE', role: 'reporter' });
    expect(findDeployedFixReport(analysis('blocked-on-infrastructure', ['E1']), [failure, reporter])).toBeUndefined();
    const still = item('E2', { ...fix, text: r('#1315 is merged and deployed. Still failing, now after 20 seconds.') });
    expect(findDeployedFixReport(analysis('blocked-on-infrastructure', ['E1']), [failure, still])).toBeUndefined();
  });

  it('leaves other statuses alone', () => {
    expect(applyDeployedFixReport(analysis('needs-info', ['E1']), [failure, fix]).status.value).toBe('needs-info');
  });
});

describe('applyValidatedFix', () => {
  it('resolves, citing the healthy probes and the clean logs', () => {
    const a = applyValidatedFix(analysis('blocked-on-infrastructure', ['E1']), { since: '2026-11-20T18:00:00.000Z', healthyProbes: ['E4', 'E5'], cleanLogs: ['E3'] });
    expect(a.status).toMatchObject({ value: 'resolved', decidedBy: ['validate-fixed'] });
    expect(a.takeaway).toBe('Resolved: validated after the fix of 2026-11-20T18:00:00Z: all 2 probes are healthy (E4, E5) and the logs show no failure signal since the fix (E3).');
    expect(a.diagnostics).toEqual([]);
  });
});
