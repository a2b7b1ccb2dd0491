// `progressor audit owner/repo#N` and issue URLs against the GitHub emulator: the full audit
// pipeline, --apply, an unchanged re-run that writes nothing, and 30 audits under 20% faults.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executePlan } from '../../src/actions/execute.ts';
import { openGitHubForge } from '../../src/forge/github/open-github-forge.ts';
import { loadRules } from '../../src/rules/load-rules.ts';
import { runAudit } from '../../src/runner/run-audit.ts';
import { startGitHubEmulator, type GitHubEmulator } from '../emulator/github-emulator.ts';
import { emulatorEnv, ROOT, runCli } from './helpers/github-env.ts';

const TOKEN = 'ghp_auditTestToken00000000000000000000';
let em: GitHubEmulator;

// The bundled example's thread, seeded on the emulator.
const example = JSON.parse(readFileSync(join(ROOT, 'examples/staging-outage/issues/1312.json'), 'utf8')) as {
  title: string;
  body: string;
  labels: { name: string }[];
  comments: { author: { login: string }; authorAssociation: string; body: string; createdAt: string }[];
  linkedPullRequests: { number: number; title: string; state: 'MERGED'; mergedAt: string }[];
};
const seed = (repo: string, number: number) =>
  em.seedIssue(repo, {
    number,
    title: example.title,
    body: example.body,
    author: 'mira-qa',
    labels: example.labels.map((l) => l.name),
    comments: example.comments.map((c) => ({ author: c.author.login, body: c.body, authorAssociation: c.authorAssociation, createdAt: c.createdAt })),
    pulls: example.linkedPullRequests.map((p) => ({ number: p.number + number * 1000, title: p.title, state: p.state, mergedAt: p.mergedAt })),
    createdAt: '2026-11-16T09:02:11Z',
  });

beforeAll(async () => {
  em = await startGitHubEmulator();
  em.addToken(TOKEN, 'progressor-bot[bot]');
});
afterAll(() => em.close());

const policy = {
  statusLabels: { 'blocked-on-infrastructure': ['blocked'], resolved: [] },
  escalation: { infrastructure: { label: 'escalated-infra', team: '@acme/infra' } },
  closeOnResolved: true,
  maxLabels: 3,
};

describe('progressor audit on GitHub', () => {
  it('audits owner/repo#N with --apply, then an issue URL re-run writes nothing', { timeout: 120_000 }, async () => {
    seed('acme/orbit', 7);
    const env = emulatorEnv(em, TOKEN);
    const first = await runCli(['audit', 'acme/orbit#7', '--apply', '--format', 'json', '--now', '2026-11-21T09:00:00Z'], env, 'main');
    expect(first.stderr).toMatch(/^applied: created the status comment/m);
    expect(first.code).toBe(0);
    const json = JSON.parse(first.stdout) as { status: string; owner: string };
    expect(json.status).toBe('blocked-on-infrastructure');
    expect(json.owner).toBe('infrastructure');
    const issue = em.issue('acme/orbit', 7)!;
    expect(issue.comments.filter((c) => c.author === 'progressor-bot[bot]')).toHaveLength(1);
    const writes = em.requests.filter((r) => r.method !== 'GET' && !r.path.includes('graphql')).length;

    const url = `https://github.com/acme/orbit/issues/7`;
    const second = await runCli(['audit', url, '--apply', '--now', '2026-11-21T10:00:00Z'], env, 'main');
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/^no change: /m);
    expect(em.requests.filter((r) => r.method !== 'GET' && !r.path.includes('graphql')).length).toBe(writes);
    expect(first.stdout + first.stderr + second.stdout + second.stderr).not.toContain(TOKEN);
  });

  it('30 audits with --apply under 20% injected faults all finish with one status comment each', { timeout: 180_000 }, async () => {
    for (let n = 1; n <= 10; n++) seed('acme/faulty', n);
    const forge = openGitHubForge({ env: emulatorEnv(em, TOKEN) });
    const rules = await loadRules();
    em.setFaults({ rate: 0.2, seed: 7, retryAfterSeconds: 1 });
    const audit = async (n: number, round: number) => {
      const ref = { forge: 'github' as const, location: 'acme/faulty', number: n };
      const result = await runAudit({
        ref,
        forge,
        rules,
        policy,
        teams: {},
        now: new Date(Date.UTC(2026, 10, 21, 9, round)),
        session: `s-${round}`,
        leaseMinutes: 20,
      });
      if (!result.plan.noChange) await executePlan(result.plan, forge, ref);
    };
    await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        for (let round = 1; round <= 3; round++) await audit(i + 1, round);
      }),
    );
    em.setFaults({ rate: 0 });
    expect(em.requests.filter((r) => r.fault).length).toBeGreaterThan(0);
    for (let n = 1; n <= 10; n++) {
      const issue = em.issue('acme/faulty', n)!;
      expect(issue.comments.filter((c) => c.author === 'progressor-bot[bot]')).toHaveLength(1);
      expect(issue.labels).toContain('blocked');
    }
  });
});
