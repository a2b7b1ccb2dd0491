#!/usr/bin/env node
// Request counts of one audit against the GitHub emulator (acceptance of issue 4):
//   GraphQL requests to read an issue with 250 comments and 30 linked PRs (≤ 3),
//   writes of a first apply (≤ 3), writes of an unchanged re-run (0).
// Counted from the emulator's request log. Usage: node bench/github-requests.mjs [--json]
//
// The apply step is the full audit pipeline when it loads (runAudit + executePlan, set up as
// src/cli/audit.ts does); otherwise (`--forge-only`, or the pipeline fails to load) the
// forge-level equivalent: getIssue, create-or-update the status comment found by marker +
// bot login, add missing labels.
import { performance } from 'node:perf_hooks';
import { startGitHubEmulator } from '../test/emulator/github-emulator.ts';
import { openGitHubForge } from '../src/forge/github/open-github-forge.ts';
import { upsertStatusComment } from '../src/forge/status-comment.ts';

const TOKEN = 'bench-token';
const em = await startGitHubEmulator();
em.addToken(TOKEN, 'progressor[bot]');
em.seedIssue('acme/bench', {
  number: 1278,
  title: 'Staging environment fails to start',
  labels: ['p0'],
  comments: Array.from({ length: 250 }, (_, i) => ({ author: `dev${i % 9}`, body: `comment ${i}`, authorAssociation: 'MEMBER' })),
  pulls: Array.from({ length: 30 }, (_, i) => ({
    number: 3000 + i,
    state: ['OPEN', 'CLOSED', 'MERGED'][i % 3],
    checks: i % 2 ? 'SUCCESS' : 'FAILURE',
    link: ['cross-reference', 'connected', 'closer'][i % 3],
  })),
});

const forge = openGitHubForge({
  env: { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: em.url, PROGRESSOR_GITHUB_WRITE_INTERVAL_MS: '0', PROGRESSOR_GITHUB_RETRY_BASE_MS: '5' },
});
const ref = { forge: 'github', location: 'acme/bench', number: 1278 };
const body = '**Status:** in-progress · **Owner:** infrastructure · medium\n<!-- progressor:status {"v":1,"issue":1278,"auditHash":"abc"} -->';

async function applyForgeLevel() {
  const issue = await forge.getIssue(ref);
  await upsertStatusComment(forge, ref, body, issue.comments);
  const missing = ['status:in-progress', 'owner:infrastructure'].filter((l) => !issue.labels.includes(l));
  if (missing.length) await forge.addLabels(ref, missing);
}

/** The audit pipeline as `progressor audit --apply` runs it, or undefined if it does not load. */
async function loadFullAudit() {
  if (process.argv.includes('--forge-only')) return undefined;
  try {
    const [{ runAudit }, { auditSettings }, { executePlan }, { loadConfig }, { loadRules }, { tmpdir }] = await Promise.all([
      import('../src/runner/run-audit.ts'),
      import('../src/cli/audit-settings.ts'),
      import('../src/actions/execute.ts'),
      import('../src/config/load-config.ts'),
      import('../src/rules/load-rules.ts'),
      import('node:os'),
    ]);
    const config = await loadConfig({ startDir: tmpdir() });
    const rules = await loadRules({ dirs: [...config.rules] });
    const now = new Date('2026-11-27T03:00:00Z');
    return async () => {
      const settings = auditSettings(config, now, 'progressor-session-20261127-030000');
      const result = await runAudit({ ...settings, ref, forge, rules });
      if (!result.plan.noChange) await executePlan(result.plan, forge, ref);
    };
  } catch (e) {
    console.error(`bench: full audit pipeline unavailable (${e.message}); measuring the forge-level apply`);
    return undefined;
  }
}
const fullAudit = await loadFullAudit();
const applyOnce = fullAudit ?? applyForgeLevel;

await forge.botLogin(); // the login lookup is a one-off REST read, not part of the audit
em.clearLog();
const t0 = performance.now();
const issue = await forge.getIssue(ref);
const readMs = performance.now() - t0;
const graphqlReads = em.requests.filter((r) => r.kind === 'graphql').length;
if (issue.comments.length !== 250 || issue.linkedPullRequests.length !== 30) {
  throw new Error(`bench fixture read back wrong: ${issue.comments.length} comments, ${issue.linkedPullRequests.length} PRs`);
}

em.clearLog();
await applyOnce();
const firstWrites = em.requests.filter((r) => r.write).length;
const firstBody = em.issue('acme/bench', 1278).comments.at(-1).body;
em.clearLog();
await applyOnce();
const rerunWrites = em.requests.filter((r) => r.write).length;
if (rerunWrites > 0) {
  // Show what the re-run changed, to find the unstable part of the comment.
  const a = firstBody.split('\n');
  const b = em.issue('acme/bench', 1278).comments.at(-1).body.split('\n');
  const diff = a.flatMap((l, i) => (l === b[i] ? [] : [`  - ${l}`, `  + ${b[i]}`]));
  console.error(`bench: the re-run edited the status comment:\n${diff.slice(0, 12).join('\n')}`);
}
await em.close();

const rows = [
  ['graphql requests, read 250 comments + 30 linked PRs', graphqlReads, 3],
  ['writes, first apply', firstWrites, 3],
  ['writes, unchanged re-run', rerunWrites, 0],
];
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ apply: fullAudit ? 'audit' : 'forge', graphqlReads, firstWrites, rerunWrites, readMs: Math.round(readMs) }));
} else {
  console.log(`github-requests (emulator request log; apply = ${fullAudit ? 'runAudit + executePlan' : 'forge-level upsert'})`);
  for (const [what, n, limit] of rows) console.log(`  ${what.padEnd(52)} ${String(n).padStart(3)}  (limit ${limit})  ${n <= limit ? 'ok' : 'OVER'}`);
  console.log(`  read time on loopback: ${Math.round(readMs)} ms`);
}
process.exitCode = rows.every(([, n, limit]) => n <= limit) ? 0 : 1;
