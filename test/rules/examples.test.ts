import { describe, expect, it } from 'vitest';
import { matchText, renderTemplate } from '../../src/rules/compile-rule.ts';
import { loadRules } from '../../src/rules/load-rules.ts';

// Rules test themselves (Semgrep annotations, ESLint RuleTester): every text rule's
// string examples must and must not match. Thread and probe rules are tested elsewhere.
const rules = (await loadRules({ checkSafety: false })).filter((r) => r.kind === 'text');

describe.each(rules.map((r) => [r.id, r] as const))('rule %s', (_id, rule) => {
  const match = rule.spec.examples.match.filter((x): x is string => typeof x === 'string');
  const noMatch = rule.spec.examples.noMatch.filter((x): x is string => typeof x === 'string');

  it.each(match)('matches %s', (example) => {
    expect(matchText(rule, example)).not.toEqual([]);
  });

  it.each(noMatch)('does not match %s', (example) => {
    expect(matchText(rule, example)).toEqual([]);
  });
});

describe('facts feed the diagnostics', () => {
  it('turns a Cloud SQL socket path into the gcloud command for that instance', () => {
    const rule = rules.find((r) => r.id === 'cloudsql-socket-missing')!;
    const [hit] = matchText(
      rule,
      'psycopg2.OperationalError: connection to server on socket "/cloudsql/shop-prod:europe-west1:orders-db/.s.PGSQL.5432" failed: No such file or directory',
    );
    expect(hit?.groups).toEqual({
      path: '/cloudsql/shop-prod:europe-west1:orders-db/.s.PGSQL.5432',
      project: 'shop-prod',
      region: 'europe-west1',
      instance: 'orders-db',
    });
    const commands = rule.spec.diagnose.map((d) => renderTemplate(typeof d === 'string' ? d : (d.run ?? ''), hit!.groups));
    // Instance, project and region all come from the socket path.
    expect(commands).toContain(
      'gcloud sql instances describe orders-db --project=shop-prod --format="value(connectionName,state)"  # expect shop-prod:europe-west1:orders-db RUNNABLE',
    );
  });

  it('extracts the seconds of a database initialisation timeout', () => {
    const rule = rules.find((r) => r.id === 'db-init-timeout')!;
    expect(matchText(rule, 'Error: Database initialization timeout after 75.0s')[0]?.groups).toEqual({ seconds: '75.0' });
  });
});
