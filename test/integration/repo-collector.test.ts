import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { collectRepo } from '../../src/evidence/repo.ts';
import type { CompiledRule } from '../../src/rules/compile-rule.ts';
import { loadRules } from '../../src/rules/load-rules.ts';

let rules: CompiledRule[];
beforeAll(async () => {
  rules = await loadRules({ noBuiltin: true, dirs: [join(import.meta.dirname, '../../rules/reports')] });
});

function repo(): { dir: string; git: (...args: string[]) => string; commit: (msg: string, at: string) => void } {
  const dir = mkdtempSync(join(tmpdir(), 'repo-'));
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'dev@example.com');
  git('config', 'user.name', 'Dev');
  const commit = (msg: string, at: string) => {
    git('add', '-A');
    execFileSync('git', ['-C', dir, 'commit', '-q', '--allow-empty', '-m', msg], {
      env: { ...process.env, GIT_AUTHOR_DATE: at, GIT_COMMITTER_DATE: at },
    });
  };
  return { dir, git, commit };
}

describe('repository evidence', () => {
  it('finds commits and merges mentioning #N, checks mentioned files, lists documents', async () => {
    const { dir, git, commit } = repo();
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src/db.py'), 'POOL = 5\n');
    writeFileSync(join(dir, 'src/cache.py'), 'TTL = 1\n');
    commit('initial', '2026-11-01T10:00:00Z');
    git('checkout', '-q', '-b', 'fix-1278');
    writeFileSync(join(dir, 'src/db.py'), 'POOL = 20\n');
    commit('Raise pool size (refs #1278)', '2026-11-21T10:00:00Z');
    git('checkout', '-q', 'main');
    execFileSync('git', ['-C', dir, 'merge', '-q', '--no-ff', 'fix-1278', '-m', 'Merge branch fix-1278: fixes #1278'], {
      env: { ...process.env, GIT_AUTHOR_DATE: '2026-11-22T10:00:00Z', GIT_COMMITTER_DATE: '2026-11-22T10:00:00Z' },
    });
    writeFileSync(join(dir, 'INCIDENT.md'), '# Staging outage\n\nTracked in #1278; see also #12780.\n');
    commit('docs: incident notes for #12780', '2026-11-23T10:00:00Z');
    const out = await collectRepo({ dir, issueNumber: 1278, issueCreatedAt: '2026-11-20T00:00:00Z', mentionedPaths: ['src/db.py', 'src/cache.py', 'src/gone.py'], rules });
    const commits = out.items.filter((i) => i.kind === 'commit').map((i) => i.excerpt.replace(/[0-9a-f]{12}/, 'SHA'));
    expect(commits).toEqual(['merge SHA: Merge branch fix-1278: fixes #1278', 'commit SHA: Raise pool size (refs #1278)']);
    const files = Object.fromEntries(out.items.filter((i) => i.kind === 'repo-file').map((i) => [i.source.path, [i.meta!.exists, i.meta!.changesSinceIssue]]));
    expect(files).toEqual({ 'src/cache.py': [true, 0], 'src/db.py': [true, 1], 'src/gone.py': [false, 0] });
    const docs = out.items.filter((i) => i.kind === 'document' && i.key.startsWith('doc:'));
    expect(docs.map((d) => [d.source.path, d.source.line])).toEqual([['INCIDENT.md', 3]]);
    expect(out.signals).toEqual([]);
    expect(out.gaps).toEqual([]);
  });

  it('many documents and no commit is a signal', async () => {
    const { dir, commit } = repo();
    mkdirSync(join(dir, 'reports'));
    for (let i = 1; i <= 4; i++) writeFileSync(join(dir, 'reports', `startup-${i}.md`), `Startup failed again (issue #1278), attempt ${i}.\n`);
    commit('add reports', '2026-11-21T10:00:00Z');
    const out = await collectRepo({ dir, issueNumber: 1278, issueCreatedAt: '2026-11-20T00:00:00Z', mentionedPaths: [], rules });
    expect(out.signals).toMatchObject([{ rule: 'repeated-reports-no-code-change', count: 1, facts: { documents: '4', issue: '1278' } }]);
    expect(out.items.filter((i) => i.key.startsWith('doc:'))).toHaveLength(4);
  });

  it('a folder that is not a clone is a gap', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'norepo-'));
    const out = await collectRepo({ dir, issueNumber: 1, issueCreatedAt: '2026-11-20T00:00:00Z', mentionedPaths: [] });
    expect(out.gaps[0]!.message).toMatch(/is not a git clone/);
  });
});
