import { describe, expect, it } from 'vitest';
import type { Analysis } from '../domain/types.ts';
import { StatusMarker } from '../report/status-marker.ts';
import { planActions, type AuditPolicy } from './plan.ts';

const decision = <T extends string>(value: T) => ({ value, decidedBy: ['r'], score: 3, margin: 3 });
const analysis = (status: Analysis['status']['value']): Analysis => ({
  status: decision(status),
  owner: decision('infrastructure'),
  category: decision('network-connectivity'),
  confidence: 'high',
  confidenceReasons: [],
  takeaway: 't',
  whys: [],
  signals: [],
  threadSignals: [],
  diagnostics: [],
  nextSteps: [],
  heldSteps: [],
  patterns: [],
  platforms: [],
  monitor: [],
  validate: [],
});
const policy: AuditPolicy = {
  statusLabels: { 'blocked-on-infrastructure': ['blocked'], 'in-progress': ['in-progress'], resolved: [] },
  escalation: { infrastructure: { label: 'escalated-infra', team: '@acme/infra' } },
  closeOnResolved: true,
  maxLabels: 3,
};
const marker = (hash: string) => new StatusMarker({ v: 1, issue: 1, session: 's', status: 'x', owner: 'y', category: 'z', auditHash: hash });

describe('planActions', () => {
  it('creates the comment and adds status and escalation labels on a first audit', () => {
    const plan = planActions({ analysis: analysis('blocked-on-infrastructure'), auditHash: 'h1', commentBody: 'b', currentLabels: ['bug', 'in-progress'], open: true, policy });
    expect(plan.comment.action).toBe('create');
    expect(plan.labels).toEqual({ add: ['blocked', 'escalated-infra'], remove: ['in-progress'] });
    expect(plan.summary).toEqual(['create the status comment', 'add label blocked', 'add label escalated-infra', 'remove label in-progress']);
    expect(plan.noChange).toBe(false);
  });

  it('plans nothing when the audit hash and labels are unchanged', () => {
    const plan = planActions({
      analysis: analysis('blocked-on-infrastructure'),
      auditHash: 'h1',
      commentBody: 'a different prose body',
      currentLabels: ['blocked', 'escalated-infra'],
      open: true,
      prior: { commentId: 'c1', marker: marker('h1') },
      policy,
    });
    expect(plan.comment.action).toBe('none');
    expect(plan.noChange).toBe(true);
  });

  it('edits the existing comment in place when the hash changed', () => {
    const plan = planActions({ analysis: analysis('in-progress'), auditHash: 'h2', commentBody: 'b', currentLabels: ['blocked'], open: true, prior: { commentId: 'c1', marker: marker('h1') }, policy });
    expect(plan.comment).toEqual({ action: 'update', commentId: 'c1', body: 'b' });
    expect(plan.labels).toEqual({ add: ['in-progress'], remove: ['blocked'] });
  });

  it('closes a resolved open issue only when policy allows', () => {
    expect(planActions({ analysis: analysis('resolved'), auditHash: 'h', commentBody: 'b', currentLabels: [], open: true, policy }).close).toEqual({ reason: 'completed' });
    expect(planActions({ analysis: analysis('resolved'), auditHash: 'h', commentBody: 'b', currentLabels: [], open: true, policy: { ...policy, closeOnResolved: false } }).close).toBeUndefined();
  });

  it('never adds a label outside the allow-list', () => {
    const plan = planActions({ analysis: analysis('blocked-on-infrastructure'), auditHash: 'h', commentBody: 'b', currentLabels: [], open: true, policy: { ...policy, allowed: ['blocked'] } });
    expect(plan.labels.add).toEqual(['blocked']);
  });
});
