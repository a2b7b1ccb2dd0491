import { describe, expect, it } from 'vitest';
import { loadRules } from '../rules/load-rules.ts';
import { parseProbeExample, probeRuleMatches } from './match-probe-rules.ts';

// Probe rules test themselves (STYLE §6): each example "CODE: message" must (not) fire its rule.
const rules = (await loadRules()).filter((r) => r.kind === 'probe');

describe('probe rules', () => {
  it('ships a rule for each failure the probes report', () => {
    expect(rules.map((r) => r.id)).toEqual(
      expect.arrayContaining([
        'probe-postgres-role-connection-limit',
        'probe-postgres-socket-missing',
        'probe-postgres-too-many-clients',
        'probe-dns-temporary-failure',
        'probe-dns-not-found',
        'probe-connection-refused',
        'probe-http-503',
        'probe-http-timeout',
        'probe-http-slow',
        'probe-tls-cert-expired',
        'probe-tls-hostname-mismatch',
        'probe-redis-max-clients',
      ]),
    );
  });

  for (const rule of rules) {
    it(`${rule.id}: examples`, () => {
      for (const ex of rule.spec.examples.match) {
        expect(typeof ex).toBe('string');
        const { code, message } = parseProbeExample(ex as string);
        expect(probeRuleMatches(rule, { status: rule.spec.probe?.status ?? 'failed', code, message }), `${rule.id} must match ${String(ex)}`).toBe(true);
      }
      for (const ex of rule.spec.examples.noMatch) {
        const { code, message } = parseProbeExample(ex as string);
        expect(probeRuleMatches(rule, { status: rule.spec.probe?.status ?? 'failed', code, message }), `${rule.id} must not match ${String(ex)}`).toBe(false);
      }
    });
  }

  it('never explains a healthy or unrunnable probe', () => {
    for (const rule of rules) {
      expect(probeRuleMatches(rule, { kind: 'postgres', status: 'ok', code: 'ECONNREFUSED', message: '' })).toBe(false);
      expect(probeRuleMatches(rule, { kind: 'postgres', status: 'probe_error', code: 'ENV_MISSING', message: '' })).toBe(false);
    }
  });
});
