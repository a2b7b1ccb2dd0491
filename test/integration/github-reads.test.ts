import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openGitHubForge } from '../../src/forge/github/open-github-forge.ts';
import { createGitHubClient } from '../../src/forge/github/client.ts';
import { ISSUE_QUERY } from '../../src/forge/github/queries.ts';
import { upsertStatusComment } from '../../src/forge/status-comment.ts';
import { withWriteBudget } from '../../src/forge/write-budget.ts';
import { startGitHubEmulator, type GitHubEmulator } from '../emulator/github-emulator.ts';

const TOKEN = 'ghp_readsTestToken000000000000000000000';
let em: GitHubEmulator;
const env = () => ({ GITHUB_TOKEN: TOKEN, GITHUB_API_URL: em.url, PROGRESSOR_GITHUB_WRITE_INTERVAL_MS: '0', PROGRESSOR_GITHUB_RETRY_BASE_MS: '5' });

beforeAll(async () => {
  em = await startGitHubEmulator();
  em.addToken(TOKEN, 'progressor-bot[bot]');
  em.seedIssue('acme/big', {
    number: 1278,
    title: 'Staging environment fails to start',
    comments: Array.from({ length: 250 }, (_, i) => ({ author: `dev${i % 7}`, body: `comment ${i}`, authorAssociation: 'MEMBER' })),
    pulls: Array.from({ length: 30 }, (_, i) => ({
      number: 2000 + i,
      state: (['OPEN', 'CLOSED', 'MERGED'] as const)[i % 3],
      checks: i % 2 ? 'SUCCESS' : 'FAILURE',
      link: (['cross-reference', 'connected', 'closer'] as const)[i % 3],
    })),
  });
});
afterAll(() => em.close());

describe('GitHub forge reads', () => {
  it('reads an issue with 250 comments and 30 linked PRs in at most 3 GraphQL requests', async () => {
    const forge = openGitHubForge({ env: env() });
    em.clearLog();
    const issue = await forge.getIssue({ forge: 'github', location: 'acme/big', number: 1278 });
    expect(issue.comments).toHaveLength(250);
    expect(issue.comments[249]!.body).toBe('comment 249');
    expect(issue.linkedPullRequests).toHaveLength(30);
    expect(issue.linkedPullRequests.filter((p) => p.state === 'MERGED').every((p) => p.mergedAt)).toBe(true);
    const graphql = em.requests.filter((r) => r.kind === 'graphql');
    expect(graphql.length).toBeLessThanOrEqual(3);
    expect(em.requests.filter((r) => r.kind === 'rest')).toEqual([]);
  });

  it('a first apply costs at most 3 writes and an unchanged re-run 0', async () => {
    const forge = openGitHubForge({ env: env() });
    const ref = { forge: 'github' as const, location: 'acme/big', number: 1278 };
    const body = 'status\n<!-- progressor:status {"v":1} -->';
    const apply = async () => {
      const issue = await forge.getIssue(ref);
      await upsertStatusComment(forge, ref, body, issue.comments);
      const want = ['actively-being-worked-on', 'status:in-progress'].filter((l) => !issue.labels.includes(l));
      if (want.length) await forge.addLabels(ref, want);
    };
    em.clearLog();
    await apply();
    expect(em.requests.filter((r) => r.write).length).toBeLessThanOrEqual(3);
    em.clearLog();
    await apply();
    expect(em.requests.filter((r) => r.write)).toEqual([]);
  });

  it('rejects a query with a wrong field exactly as GitHub does (schema validation)', async () => {
    const client = createGitHubClient({ auth: { kind: 'token', token: TOKEN, source: 'GITHUB_TOKEN' }, baseUrl: em.url, retryAfterBaseMs: 5 });
    await expect(client.graphql('query { repository(owner: "acme", name: "big") { issue(number: 1278) { titel } } }')).rejects.toThrow(
      /Cannot query field "titel" on type "Issue". Did you mean "title"/,
    );
    // The query progressor ships validates.
    const res = await client.graphql<{ repository: { issue: { number: number } } }>(ISSUE_QUERY, {
      owner: 'acme',
      name: 'big',
      number: 1278,
      withIssue: true,
      withComments: false,
      withTimeline: false,
    });
    expect(res.repository.issue.number).toBe(1278);
  });

  it('--max-writes stops loudly, naming what was left undone', async () => {
    const forge = withWriteBudget(openGitHubForge({ env: env() }), 1);
    const ref = { forge: 'github' as const, location: 'acme/big', number: 1278 };
    await forge.addLabels(ref, ['triaged']);
    const err = await forge.removeLabel(ref, 'triaged').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BUDGET_EXHAUSTED', exitCode: 10 });
    expect((err as Error).message).toBe(
      'write budget exhausted (--max-writes 1): not done: remove label triaged from acme/big#1278; done: add label triaged to acme/big#1278',
    );
    expect(em.issue('acme/big', 1278)!.labels).toContain('triaged');
  });
});
