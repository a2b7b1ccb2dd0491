import { describe, expect, it } from 'vitest';
import { StatusMarker } from './status-marker.ts';

const meta = {
  v: 1 as const,
  issue: 1312,
  session: 'agent-session-20261121-090000',
  status: 'blocked-on-infrastructure',
  owner: 'infrastructure',
  category: 'network-connectivity',
  auditHash: '0123456789abcdef',
  leaseExpires: '2026-11-21T09:20:00.000Z',
  heartbeat: '2026-11-21T09:00:00.000Z',
};

describe('StatusMarker', () => {
  it('round-trips through toString and parse', () => {
    const m = new StatusMarker(meta);
    expect(StatusMarker.parse(`**Status:** x\n\n${m.toString()}\n`)?.meta).toEqual(meta);
  });

  it('is a hidden HTML comment on one line', () => {
    expect(new StatusMarker(meta).toString()).toMatch(/^<!-- progressor:status \{.*\} -->$/);
  });

  it('cannot be closed early by a value containing "-->"', () => {
    const m = new StatusMarker({ ...meta, session: 'evil --> <b>x</b>' });
    expect(m.toString().indexOf('-->')).toBe(m.toString().length - 3);
    expect(StatusMarker.parse(m.toString())?.meta.session).toBe('evil --> <b>x</b>');
  });

  it('ignores bodies without a readable marker', () => {
    expect(StatusMarker.parse('no marker here')).toBeUndefined();
    expect(StatusMarker.parse('<!-- progressor:status {not json} -->')).toBeUndefined();
    expect(StatusMarker.parse('<!-- progressor:status {"v":2,"issue":1,"auditHash":"x"} -->')).toBeUndefined();
  });
});
