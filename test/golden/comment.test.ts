import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_VISIBLE_WORDS } from '../../src/domain/constants.ts';
import { visibleWords } from '../../src/report/lint-comment.ts';
import { cli, copyExample, EXAMPLE, NOW } from '../e2e/cli.ts';

// The whole status comment for the bundled example, Markdown and text, is kept here as a
// golden file: any change to what an on-call engineer reads is reviewed as a diff.
// Regenerate after an intended change with: UPDATE_GOLDEN=1 npx vitest run test/golden
const GOLDEN = import.meta.dirname;

function golden(name: string, actual: string): void {
  const file = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

interface AuditJson {
  nextSteps: { owner: string; action: string; command?: string; ownerEvidence?: string[] }[];
  heldSteps: { rule: string; text: string; reason: string; doneBy?: string[]; missing?: string[]; platform?: string }[];
  platforms: string[];
  whys: { question: string; answer: string; evidence: string[]; certainty: string; supported: boolean }[];
  patterns: { name: string }[];
  status: string;
  owner: string;
  diagnostics: { command: string; held?: string }[];
  comment: string;
}

const md = cli(['audit', 'examples/staging-outage', '--format', 'md', '--now', NOW]);
const text = cli(['audit', 'examples/staging-outage', '--format', 'text', '--now', NOW]);
const json = JSON.parse(cli(['audit', 'examples/staging-outage', '--format', 'json', '--now', NOW]).stdout) as AuditJson;
const visible = md.stdout.slice(0, md.stdout.indexOf('<details>'));
const nextSection = visible.slice(visible.indexOf('### Next'));

describe('the bundled example comment (golden)', () => {
  it('Markdown matches test/golden/staging-outage.md', () => {
    expect(md.code).toBe(0);
    golden('staging-outage.md', md.stdout);
  });

  it('text matches test/golden/staging-outage.txt', () => {
    expect(text.code).toBe(0);
    golden('staging-outage.txt', text.stdout);
  });
});

describe('an on-call engineer acts on it in one minute', () => {
  it(`keeps the visible part within ${MAX_VISIBLE_WORDS} words`, () => {
    const words = visibleWords(md.stdout);
    expect(words).toBeGreaterThan(200);
    expect(words).toBeLessThanOrEqual(MAX_VISIBLE_WORDS);
    // Rule ids, scores and margins are folded.
    expect(visible).not.toMatch(/decide-|runner-up|margin/);
  });

  it('starts Next with the connector describe command, filled from the facts of other rules', () => {
    const first = json.nextSteps[0]!;
    // The connector comes from the VPC connector rule, region and project from the Cloud SQL socket path.
    expect(first.command).toBe('gcloud compute networks vpc-access connectors describe orbit-staging-connector --region=europe-west1 --project=orbit-staging');
    expect(first.owner).toBe('infrastructure');
    expect(nextSection.split('\n')[2]).toBe(
      '1. Infrastructure (`@orbit-labs/platform`): run `gcloud compute networks vpc-access connectors describe orbit-staging-connector --region=europe-west1 --project=orbit-staging` ([E7](https://github.com/orbit-labs/orbit/issues/1312#issuecomment-9106), E22)',
    );
    expect(json.nextSteps.length).toBeLessThanOrEqual(5);
  });

  it('shows no command with a placeholder, for another platform, or that the thread already ran', () => {
    expect(visible).not.toMatch(/\{\{|\bPOD\b|\bSERVICE\b|\$PORT|\bapp\.log\b/);
    expect(json.platforms).toEqual(['cloud-run', 'gcp']);
    expect(visible).not.toMatch(/\bkubectl\b|\bheroku\b|\baws\b|127\.0\.0\.1|\bls -l\b/);
    // The thread reports the instance RUNNABLE (sam-sre); the check is not asked again.
    expect(visible).not.toMatch(/Check that the instance is RUNNABLE/i);
    expect(json.heldSteps).toContainEqual({
      rule: 'cloudsql-socket-missing',
      text: 'Check that the instance is RUNNABLE.',
      reason: 'done-in-thread',
      doneBy: ['E4'],
    });
    expect(json.heldSteps.find((h) => h.text.startsWith('kubectl logs'))).toMatchObject({ reason: 'placeholders', missing: ['pod'] });
    // An IAM grant needs IAM evidence.
    expect(json.heldSteps.find((h) => h.text.includes('roles/cloudsql.client'))).toMatchObject({ reason: 'no-evidence' });
    expect(visible).not.toContain('roles/cloudsql.client');
    // The service name comes from the Cloud Run revision names in the log.
    expect(visible).toContain('`gcloud run services describe orbit-api --region=europe-west1 --project=orbit-staging');
  });

  it('names an owner only where the evidence says who acts', () => {
    // sam-sre: "I can't change it myself; it needs the platform team." (E7) names the connector's owner.
    const connector = json.nextSteps.filter((s) => s.command?.includes('vpc-access') || s.action.includes('VPC connector'));
    expect(connector.length).toBeGreaterThan(0);
    for (const s of connector) expect(s).toMatchObject({ owner: 'infrastructure', ownerEvidence: ['E7'] });
    // Nothing in the thread says who checks the Cloud SQL instance.
    expect(json.nextSteps.find((s) => s.command?.startsWith('gcloud sql instances describe'))).toMatchObject({ owner: 'maintainers', ownerEvidence: [] });
  });

  it('keeps five cited whys down the chain, the timeout tuning as a pattern, and the verdict', () => {
    expect(json.status).toBe('blocked-on-infrastructure');
    expect(json.owner).toBe('infrastructure');
    expect(json.whys).toHaveLength(5);
    for (const w of json.whys) {
      expect(w.supported).toBe(true);
      expect(w.evidence.length).toBeGreaterThan(0);
    }
    expect(json.whys[4]).toMatchObject({ question: 'What changed before it failed?', certainty: 'likely', evidence: ['E7'] });
    expect(json.patterns.map((p) => p.name)).toEqual(['symptom tuning', 'recurrence after a fix']);
    expect(json.diagnostics.map((d) => d.command)).toContain(
      'gcloud sql instances describe orbit-pg-staging --project=orbit-staging --format="value(connectionName,state)"  # expect orbit-staging:europe-west1:orbit-pg-staging RUNNABLE',
    );
  });

  it('draws the chain as it is: patterns are side nodes, labels cut on a word with an ellipsis', () => {
    const chart = md.stdout.slice(md.stdout.indexOf('```mermaid'));
    expect(chart).toContain('  W3 --> W4\n');
    // The timeout tuning hangs off the why about the 75 s init timeout, as a side node.
    expect(chart).toContain('  P0(["Pattern: symptom tuning: The timeout was raised repeatedly (8 → 20… [E2 E5 E11]"])\n  W1 -.- P0\n');
    expect(chart).toContain('  W2["3. The Cloud SQL socket /cloudsql/orbit-staging:europe-west1… [E1 E6 E14]"]\n');
    const labels = chart.match(/"[^"]*"/g) ?? [];
    expect(labels.filter((l) => l.includes('…')).length).toBeGreaterThan(3);
    // Every cut ends a whole word (or a whole path segment) before the ellipsis.
    for (const l of labels) if (l.includes('…')) expect(l).toMatch(/[\w)]… \[/);
  });

  it('writes the team handle in a code span, with no invisible characters', () => {
    expect(md.stdout).toContain('(`@orbit-labs/platform`)');
    expect(md.stdout).not.toMatch(/&#8203;orbit-labs|\u200b/);
  });

  it('text says what the Markdown says: the same Next and the evidence it cites', () => {
    for (const s of json.nextSteps) if (s.command) expect(text.stdout).toContain(`     $ ${s.command}\n`);
    const cited = [...new Set([...visible.matchAll(/\b(E\d+)\b/g)].map((m) => m[1]!))];
    const list = text.stdout.slice(text.stdout.indexOf('Evidence cited'));
    for (const id of cited) expect(list).toMatch(new RegExp(`^ {2}${id} +\\S`, 'm'));
    expect(text.stdout).toContain('Pattern: The timeout was raised repeatedly (8 → 20 → 75 s)');
  });

  it('passes progressor lint', () => {
    const dir = mkdtempSync(join(tmpdir(), 'progressor-golden-'));
    const file = join(dir, 'comment.md');
    writeFileSync(file, md.stdout);
    const r = cli(['lint', file]);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('the same comment wherever progressor runs', () => {
  it('is byte-identical from another directory (absolute path) and from the project root (relative path)', () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'progressor-cwd-'));
    for (const format of ['md', 'text']) {
      const fromRoot = cli(['audit', 'examples/staging-outage', '--format', format, '--now', NOW]);
      const fromElsewhere = cli(['audit', EXAMPLE, '--format', format, '--now', NOW], { cwd: elsewhere });
      expect(fromElsewhere.code).toBe(0);
      expect(fromElsewhere.stdout).toBe(fromRoot.stdout);
    }
    expect(md.stdout).not.toContain('examples/staging-outage');
    expect(md.stdout).not.toContain(tmpdir());
  });

  it('a --logs or --tests input that matches nothing is a warning on stderr, and no local path reaches the comment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'progressor-missing-'));
    const missing = join(dir, 'nope/app.log');
    const r = cli(['audit', 'examples/staging-outage', '--format', 'md', '--now', NOW, '--logs', missing, '--tests', join(dir, '*.xml')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`warning: --logs: no files match ${missing}\n`);
    expect(r.stderr).toContain(`warning: --tests: no test reports match ${join(dir, '*.xml')}\n`);
    expect(r.stdout).not.toContain(dir);
    expect(r.stdout).toBe(md.stdout);
  });

  it('exits 6 when no --logs/--tests input matched at all', () => {
    const dir = copyExample();
    writeFileSync(join(dir, '.github/progressor.yml'), readFileSync(join(dir, '.github/progressor.yml'), 'utf8').replace(/^sources:[\s\S]*$/m, ''));
    const r = cli(['audit', dir, '--format', 'md', '--now', NOW, '--logs', join(dir, 'missing/*.log')]);
    expect(r.code).toBe(6);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error\[INPUT_INVALID\]: no --logs\/--tests input matched a file \(1 given/m);
  });

  it('names files outside the snapshot folder by their own folder, not by a local path', () => {
    const dir = copyExample();
    const logs = mkdtempSync(join(tmpdir(), 'progressor-logs-'));
    writeFileSync(join(logs, 'extra.log'), readFileSync(join(EXAMPLE, 'logs/orbit-api.log')));
    const r = cli(['audit', dir, '--format', 'md', '--now', NOW, '--logs', join(logs, '*.log')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('`extra.log:');
    expect(r.stdout).not.toContain(logs);
  });
});

describe('mentionTeams: true', () => {
  it('pings the configured team where the evidence names it', () => {
    const dir = copyExample();
    const cfg = join(dir, '.github/progressor.yml');
    writeFileSync(cfg, readFileSync(cfg, 'utf8').replace('mentionTeams: false', 'mentionTeams: true'));
    const r = cli(['audit', dir, '--format', 'md', '--now', NOW]);
    expect(r.stdout).toContain('1. Infrastructure (@orbit-labs/platform): run `gcloud compute networks vpc-access connectors describe');
  });
});
