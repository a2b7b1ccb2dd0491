import { describe, expect, it } from 'vitest';
import type { LabelEvent } from '../forge/forge.ts';
import { SessionLabelFormat } from '../domain/session-label.ts';
import { computeClaimState } from './claim.ts';

const CLAIM = 'actively-being-worked-on';
const ev = (label: string, at: string, action: LabelEvent['action'] = 'labeled'): LabelEvent => ({ label, action, actor: 'bot', at });
const now = () => new Date('2026-11-27T10:00:00Z');

describe('SessionLabelFormat', () => {
  const at = new Date('2026-11-27T02:50:11Z');
  it('formats every placeholder, appending -{rand} when the format has none', () => {
    expect(new SessionLabelFormat('progressor-session-{YYYYMMDD}-{HHmmss}').formatLabel(at, 'ab12')).toBe('progressor-session-20261127-025011-ab12');
    expect(new SessionLabelFormat('agent-{YYYY}.{MM}.{DD}-{HH}{mm}{ss}-{rand}').formatLabel(at, 'ff00')).toBe('agent-2026.11.27-025011-ff00');
  });

  it('recognises exactly the labels it formats (what claim writes, the audit ignores)', () => {
    const f = new SessionLabelFormat('agent-session-{YYYYMMDD}-{HHmmss}');
    const label = f.formatLabel(at, 'c0de');
    expect(f.matches(label)).toBe(true);
    expect(f.parse(label)).toEqual({ label, rand: 'c0de', parts: { YYYYMMDD: '20261127', HHmmss: '025011', rand: 'c0de' } });
    expect(f.matches('agent-session-20261127-025011')).toBe(false);
    expect(f.matches('agent-session-x')).toBe(false);
    expect(f.matches('progressor-session-20261127-025011-c0de')).toBe(false);
    expect(f.matches('p0')).toBe(false);
  });

  it('rejects unknown or missing placeholders and counts the suffix in the 50-character limit', () => {
    expect(SessionLabelFormat.problems('agent-session-{YYYYMMDD}-{HHmmss}-{rand}')).toEqual([]);
    expect(SessionLabelFormat.problems('agent-{date}')).toEqual(['unknown placeholder {date}']);
    expect(SessionLabelFormat.problems('agent-{rand}')).toEqual(['has no time placeholder, so sessions cannot be told apart by age']);
    // 48 characters without the suffix (the old check passed it), 53 with it.
    const long = `${'x'.repeat(32)}-{YYYYMMDD}-{HHmmss}`;
    expect(SessionLabelFormat.renderedLength(long)).toBe(53);
    expect(SessionLabelFormat.problems(long)).toEqual(['labels would be 53 characters (random suffix included); GitHub labels hold at most 50']);
  });
});

describe('computeClaimState', () => {
  it('the earliest event wins a same-second tie', () => {
    const events = [ev(CLAIM, '2026-11-27T09:59:00Z'), ev('progressor-session-20261127-095900-bbbb', '2026-11-27T09:59:00Z'), ev('progressor-session-20261127-095900-aaaa', '2026-11-27T09:59:00Z')];
    const s = computeClaimState([CLAIM, 'progressor-session-20261127-095900-aaaa', 'progressor-session-20261127-095900-bbbb'], events, { now });
    expect(s.holder?.session).toBe('progressor-session-20261127-095900-bbbb');
  });

  it('an expired session does not hold; a heartbeat keeps it alive', () => {
    const labels = [CLAIM, 'progressor-session-20261127-090000-0ld0'];
    const events = [ev(CLAIM, '2026-11-27T09:00:00Z'), ev('progressor-session-20261127-090000-0ld0', '2026-11-27T09:00:00Z')];
    expect(computeClaimState(labels, events, { now }).holder).toBeUndefined();
    const hb = { session: 'progressor-session-20261127-090000-0ld0', at: Date.parse('2026-11-27T09:50:00Z') };
    expect(computeClaimState(labels, events, { now }, hb).holder).toMatchObject({ session: 'progressor-session-20261127-090000-0ld0', expiresAt: '2026-11-27T10:10:00.000Z' });
  });

  it('without the claim label no one holds the issue; removed session labels are ignored', () => {
    const events = [ev('progressor-session-20261127-095900-aaaa', '2026-11-27T09:59:00Z'), ev('progressor-session-20261127-095900-aaaa', '2026-11-27T09:59:30Z', 'unlabeled')];
    expect(computeClaimState(['progressor-session-20261127-095900-aaaa'], events, { now }).holder).toBeUndefined();
    expect(computeClaimState([CLAIM], events, { now }).sessions).toEqual([]);
  });
});
