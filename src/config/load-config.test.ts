import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/errors.ts';
import { DEFAULT_STATUS_LABELS } from './config-schema.ts';
import { findConfigFile, formatPath, loadConfig, nearest, parseConfig, validKeysAt } from './load-config.ts';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'progressor-config-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function writeConfig(dir: string, text: string): Promise<string> {
  await mkdir(join(dir, '.github'), { recursive: true });
  const file = join(dir, '.github', 'progressor.yml');
  await writeFile(file, text);
  return file;
}

async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
}

describe('loadConfig: defaults', () => {
  it('returns the defaults with absolute paths when no file exists', async () => {
    const config = await loadConfig({ startDir: root });
    expect(config).toEqual({
      file: undefined,
      baseDir: root,
      claim: { label: 'actively-being-worked-on', sessionLabelFormat: 'progressor-session-{YYYYMMDD}-{HHmmss}', leaseMinutes: 20 },
      labels: { status: DEFAULT_STATUS_LABELS },
      escalation: {},
      rules: [],
      sources: { logs: [], tests: [], repoDir: root },
      probes: [],
      comment: { mentionTeams: false },
      policy: { closeOnResolved: true, maxLabels: 3 },
      run: {
        workingBranch: 'main',
        protectedBranches: ['main', 'master'],
        remote: 'origin',
        tests: { reproduce: 'node --test "$@"', timeoutSeconds: 600 },
        agent: { backend: 'none', apiKeyEnv: 'OPENAI_API_KEY', timeoutSeconds: 900, retries: 2 },
        budget: { mode: 'block', tokens: {}, usd: {} },
      },
      warnings: [],
    });
    expect(config.labels.status['blocked-on-infrastructure']).toEqual(['blocked', 'infrastructure']);
    expect(config.labels.status.resolved).toEqual([]);
  });

  it('an empty file is the defaults, with repoDir the folder holding .github', async () => {
    const file = await writeConfig(root, '# nothing configured yet\n');
    const config = await loadConfig({ startDir: root });
    expect(config.file).toBe(file);
    expect(config.baseDir).toBe(join(root, '.github'));
    expect(config.sources.repoDir).toBe(root);
    expect(config.claim.leaseMinutes).toBe(20);
  });
});

describe('loadConfig: a full file', () => {
  it('merges status labels with defaults and resolves paths against the config file', async () => {
    await mkdir(join(root, 'team-rules'));
    await writeConfig(
      root,
      [
        'claim:',
        '  label: claimed',
        '  leaseMinutes: 45',
        'labels:',
        '  status:',
        '    blocked-on-infrastructure: [blocked, infra]',
        '  allowed: [blocked, infra, in-progress, needs-reproduction, needs-info, not-a-bug, escalated]',
        'escalation:',
        '  infrastructure: { label: escalated, team: "@acme/infra" }',
        'rules: [../team-rules]',
        'sources:',
        '  logs: ["../logs/**/*.log", "!../logs/debug.log"]',
        '  tests: [../reports/*.xml]',
        'comment: { mentionTeams: true }',
        'policy: { closeOnResolved: false, maxLabels: 2 }',
        '',
      ].join('\n'),
    );
    const config = await loadConfig({ startDir: join(root, '.github') });
    expect(config.claim).toEqual({ label: 'claimed', sessionLabelFormat: 'progressor-session-{YYYYMMDD}-{HHmmss}', leaseMinutes: 45 });
    expect(config.labels.status['blocked-on-infrastructure']).toEqual(['blocked', 'infra']);
    expect(config.labels.status['needs-info']).toEqual(['needs-info']);
    expect(config.escalation).toEqual({ infrastructure: { label: 'escalated', team: '@acme/infra' } });
    expect(config.rules).toEqual([join(root, 'team-rules')]);
    expect(config.sources.logs).toEqual([`${root}/logs/**/*.log`, `!${root}/logs/debug.log`]);
    expect(config.sources.tests).toEqual([`${root}/reports/*.xml`]);
    expect(config.policy).toEqual({ closeOnResolved: false, maxLabels: 2 });
    expect(config.warnings).toEqual([]);
  });

  it('an explicit file that does not exist is an error naming it', async () => {
    const err = await configError(loadConfig({ file: 'nope.yml', startDir: root }));
    expect(err.describe()).toBe(`error[CONFIG_INVALID] ${join(root, 'nope.yml')}: (root): cannot read config file (ENOENT)\n  fix: Check the path given with --config.`);
    expect(err.exitCode).toBe(3);
  });
});

describe('findConfigFile', () => {
  it('searches upward from a nested folder', async () => {
    const file = await writeConfig(root, 'policy: { maxLabels: 2 }\n');
    const deep = join(root, 'a', 'b', 'c');
    await mkdir(deep, { recursive: true });
    expect(await findConfigFile(deep)).toBe(file);
    expect((await loadConfig({ startDir: deep })).policy.maxLabels).toBe(2);
  });

  it('returns the nearest file when several exist', async () => {
    await writeConfig(root, '');
    const inner = await writeConfig(join(root, 'pkg'), '');
    expect(await findConfigFile(join(root, 'pkg'))).toBe(inner);
  });

  it('stops at the filesystem root', async () => {
    expect(await findConfigFile(join(root, 'x'))).toBeUndefined();
  });
});

describe('loadConfig: errors', () => {
  it('unknown key: names the file, key path, line and the nearest valid key', async () => {
    const file = await writeConfig(root, 'claim:\n  lable: mine\n');
    const err = await configError(loadConfig({ startDir: root }));
    expect(err.describe()).toBe(
      `error[CONFIG_INVALID] ${file}: claim.lable: unknown key "lable" (line 2)\n` +
        '  fix: Did you mean "label"? Valid keys under claim: label, sessionLabelFormat, leaseMinutes.',
    );
    expect(err.issues).toEqual([
      {
        file,
        path: 'claim.lable',
        line: 2,
        message: 'unknown key "lable" (line 2)',
        hint: 'Did you mean "label"? Valid keys under claim: label, sessionLabelFormat, leaseMinutes.',
      },
    ]);
    expect(err.message).toBe('unknown key "lable" (line 2)');
    expect(err.file).toBe(file);
    expect(err.path).toBe('claim.lable');
  });

  it('unknown top-level key without a near match', async () => {
    const file = await writeConfig(root, 'policy: {}\nwebhooks: true\n');
    const err = await configError(loadConfig({ startDir: root }));
    expect(err.issues).toEqual([
      {
        file,
        path: 'webhooks',
        line: 2,
        message: 'unknown key "webhooks" (line 2)',
        hint: 'Remove "webhooks". Valid keys: $schema, claim, labels, escalation, rules, sources, probes, comment, policy, run.',
      },
    ]);
  });

  it('a status name that does not exist', async () => {
    const file = await writeConfig(root, 'labels:\n  status:\n    needs-info: [info]\n    blocked-on-infra: [blocked]\n');
    const err = await configError(loadConfig({ startDir: root }));
    expect(err.issues).toEqual([
      {
        file,
        path: 'labels.status.blocked-on-infra',
        line: 4,
        message: 'unknown status "blocked-on-infra" (line 4)',
        hint:
          'Did you mean "blocked-on-infrastructure"? Valid statuses under labels.status: resolved, in-progress, ' +
          'blocked-on-infrastructure, needs-reproduction, needs-info, not-a-bug.',
      },
    ]);
  });

  it('an owner that does not exist, and a bad team handle', async () => {
    await writeConfig(root, 'escalation:\n  infra: { label: x }\n  infrastructure: { label: infra, team: acme/infra }\n');
    const err = await configError(loadConfig({ startDir: root }));
    expect(err.issues.map((i) => [i.path, i.message])).toEqual([
      ['escalation.infrastructure.team', 'a team handle such as @org/infra (or a user @login) (line 3)'],
      ['escalation.infra', 'unknown owner "infra" (line 2)'],
    ]);
    expect(err.issues[1]!.hint).toMatch(/^Did you mean "infrastructure"\?/);
  });

  it('bad values: key path with index, type and range', async () => {
    await writeConfig(root, 'labels:\n  status:\n    blocked-on-infrastructure: ["", infra]\nclaim:\n  leaseMinutes: twenty\npolicy:\n  maxLabels: 5\n');
    const err = await configError(loadConfig({ startDir: root }));
    expect(err.issues.map((i) => [i.path, i.message])).toEqual([
      ['claim.leaseMinutes', 'expected number, got string "twenty" (line 5)'],
      ['labels.status.blocked-on-infrastructure[0]', 'a label name cannot be empty (line 3)'],
      ['policy.maxLabels', 'Too big: expected number to be <=3 (line 7)'],
    ]);
  });

  it('YAML syntax error: names the line', async () => {
    const file = await writeConfig(root, 'policy:\n  maxLabels: 2\nrules: [a, b\n');
    const err = await configError(loadConfig({ startDir: root }));
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]).toMatchObject({ file, path: '', line: 4 });
    expect(err.message).toBe('YAML syntax error at line 4, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]');
    const tab = await configError(loadConfig({ file: await writeConfig(root, 'claim:\n\tlabel: x\n'), startDir: root }));
    expect(tab.message).toBe('YAML syntax error at line 2, column 1: Tabs are not allowed as indentation');
  });

  it('YAML duplicate key is a syntax error', async () => {
    await writeConfig(root, 'policy: {}\npolicy: {}\n');
    const err = await configError(loadConfig({ startDir: root }));
    expect(err.message).toMatch(/^YAML syntax error at line 2, column 1: Map keys must be unique/);
  });

  it('semantic checks: missing rules folder, duplicate label, label outside the allow-list, too many labels', async () => {
    const file = await writeConfig(
      root,
      [
        'rules: [./missing-rules]',
        'labels:',
        '  allowed: [blocked, Blocked]',
        '  status:',
        '    blocked-on-infrastructure: [blocked, infra, BLOCKED, x]',
        '',
      ].join('\n'),
    );
    const err = await configError(loadConfig({ startDir: root }));
    const status = 'labels.status.blocked-on-infrastructure';
    expect(err.issues.map((i) => [i.path, i.message])).toEqual([
      [`${status}[2]`, 'label "BLOCKED" is listed twice (also at [0]) (line 5)'],
      [status, '4 labels for status blocked-on-infrastructure, but policy.maxLabels is 3 (line 5)'],
      ['labels.allowed[1]', 'label "Blocked" is listed twice (also at [0]) (line 3)'],
      // defaults merged in are checked against the allow-list too; they point at `labels.status`
      ['labels.status.in-progress[0]', 'label "in-progress" is not in labels.allowed (line 5)'],
      [`${status}[1]`, 'label "infra" is not in labels.allowed (line 5)'],
      [`${status}[3]`, 'label "x" is not in labels.allowed (line 5)'],
      ['labels.status.needs-reproduction[0]', 'label "needs-reproduction" is not in labels.allowed (line 5)'],
      ['labels.status.needs-info[0]', 'label "needs-info" is not in labels.allowed (line 5)'],
      ['labels.status.not-a-bug[0]', 'label "not-a-bug" is not in labels.allowed (line 5)'],
      ['rules[0]', `rules folder does not exist: ${join(root, '.github', 'missing-rules')} (line 1)`],
    ]);
    expect(err.issues.at(-1)).toMatchObject({
      file,
      hint: `Create the folder or fix the path; relative paths resolve against ${join(root, '.github')}.`,
    });
  });

  it('semantic checks: session label format and claim label reuse', async () => {
    await writeConfig(root, 'claim:\n  label: busy\n  sessionLabelFormat: "s-{YYYY}{Q}"\nlabels:\n  status:\n    in-progress: [busy]\n');
    const err = await configError(loadConfig({ startDir: root }));
    expect(err.issues.map((i) => [i.path, i.message])).toEqual([
      ['labels.status.in-progress[0]', 'label "busy" is also the claim label (line 6)'],
      ['claim.sessionLabelFormat', 'unknown placeholder {Q} (line 3)'],
    ]);
  });

  it('warns when mentionTeams has no team to mention', async () => {
    await writeConfig(root, 'comment: { mentionTeams: true }\n');
    const config = await loadConfig({ startDir: root });
    expect(config.warnings.map((w) => [w.path, w.message])).toEqual([['comment.mentionTeams', 'is true but no escalation entry names a team (line 1)']]);
  });

  it('a list at the top level is rejected', async () => {
    await writeConfig(root, '- a\n- b\n');
    const err = await configError(loadConfig({ startDir: root }));
    expect(err.issues.map((i) => [i.path, i.message])).toEqual([['', 'expected object, got a list (line 1)']]);
  });
});

describe('helpers', () => {
  it('formatPath', () => {
    expect(formatPath(['labels', 'status', 'blocked-on-infrastructure', 0])).toBe('labels.status.blocked-on-infrastructure[0]');
    expect(formatPath([])).toBe('');
  });
  it('validKeysAt walks the schema', () => {
    expect(validKeysAt(['sources'])).toEqual(['logs', 'tests', 'repoDir']);
    expect(validKeysAt(['escalation'])).toEqual(['application', 'infrastructure', 'configuration', 'dependency', 'test', 'unknown']);
    expect(validKeysAt(['escalation', 'test'])).toEqual(['label', 'team']);
    expect(validKeysAt(['rules'])).toEqual([]);
  });
  it('nearest', () => {
    expect(nearest('mentionTeam', ['mentionTeams'])).toBe('mentionTeams');
    expect(nearest('zzz', ['label'])).toBeUndefined();
  });
  it('parseConfig with an injected directory check', () => {
    const r = parseConfig('rules: [r]\n', '/virtual/.github/progressor.yml', { isDirectory: () => true });
    expect(r.ok && r.value.rules).toEqual(['/virtual/.github/r']);
    expect(r.ok && r.value.sources.repoDir).toBe('/virtual');
  });
});
