import { describe, expect, it } from 'vitest';
import type { LabelEvent } from '../forge/forge.ts';
import { computeClaimState, SessionLabel } from './claim.ts';

const CLAIM = 'actively-being-worked-on';
const ev = (label: string, at: string, action: LabelEvent['action'] = 'labeled'): LabelEvent => ({ label, action, actor: 'bot', at });
const now = () => new Date('2026-11-27T10:00:00Z');

describe('SessionLabel', () => {
  it('formats the spec format with a random suffix, and parses by prefix', () => {
    const s = SessionLabel.create('progressor-session-{YYYYMMDD}-{HHmmss}', new Date('2026-11-27T02:50:11Z'), 'ab12');
    expect(s.name).toBe('progressor-session-20261127-025011-ab12');
    expect(SessionLabel.create('agent-session-{rand}', new Date(0), 'ff').name).toBe('agent-session-ff');
    expect(SessionLabel.parse('progressor-session-x', 'progressor-session-{YYYYMMDD}')?.name).toBe('progressor-session-x');
    expect(SessionLabel.parse('p0', 'progressor-session-{YYYYMMDD}')).toBeUndefined();
  });
});

describe('computeClaimState', () => {
  it('the earliest event wins a same-second tie', () => {
    const events = [ev(CLAIM, '2026-11-27T09:59:00Z'), ev('progressor-session-b', '2026-11-27T09:59:00Z'), ev('progressor-session-a', '2026-11-27T09:59:00Z')];
    const s = computeClaimState([CLAIM, 'progressor-session-a', 'progressor-session-b'], events, { now });
    expect(s.holder?.session).toBe('progressor-session-b');
  });

  it('an expired session does not hold; a heartbeat keeps it alive', () => {
    const labels = [CLAIM, 'progressor-session-old'];
    const events = [ev(CLAIM, '2026-11-27T09:00:00Z'), ev('progressor-session-old', '2026-11-27T09:00:00Z')];
    expect(computeClaimState(labels, events, { now }).holder).toBeUndefined();
    const hb = { session: 'progressor-session-old', at: Date.parse('2026-11-27T09:50:00Z') };
    expect(computeClaimState(labels, events, { now }, hb).holder).toMatchObject({ session: 'progressor-session-old', expiresAt: '2026-11-27T10:10:00.000Z' });
  });

  it('without the claim label no one holds the issue; removed session labels are ignored', () => {
    const events = [ev('progressor-session-a', '2026-11-27T09:59:00Z'), ev('progressor-session-a', '2026-11-27T09:59:30Z', 'unlabeled')];
    expect(computeClaimState(['progressor-session-a'], events, { now }).holder).toBeUndefined();
    expect(computeClaimState([CLAIM], events, { now }).sessions).toEqual([]);
  });
});
