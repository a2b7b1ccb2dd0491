// The forges the contract suite runs against. Add a forge by adding a factory here.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Forge, IssueRef } from '../../src/forge/forge.ts';
import { openGitHubForge } from '../../src/forge/github/open-github-forge.ts';
import { LOCAL_BOT_LOGIN, LocalForge } from '../../src/forge/local/local-forge.ts';
import { startGitHubEmulator } from '../emulator/github-emulator.ts';

export interface SeedSpec {
  number: number;
  title: string;
  body: string;
  author: string;
  labels: string[];
  comments: { author: string; body: string; authorAssociation?: 'OWNER' | 'MEMBER' | 'CONTRIBUTOR' | 'NONE' }[];
  pulls: { number: number; title: string; state: 'OPEN' | 'CLOSED' | 'MERGED'; mergedAt: string | null; checks: 'SUCCESS' | 'FAILURE' | null }[];
}

/** One forge under test, with a way to seed issues into it. */
export interface ForgeHarness {
  forge: Forge;
  /** The login the forge writes as. */
  botLogin: string;
  /** Where `listIssues` looks. */
  location: string;
  seed(spec: SeedSpec): Promise<IssueRef>;
  close(): Promise<void>;
}

export type ForgeFactory = () => Promise<ForgeHarness>;

const T0 = '2026-11-20T10:00:00Z';

export const githubEmulatorFactory: ForgeFactory = async () => {
  const em = await startGitHubEmulator();
  em.addToken('contract-token-0123456789', 'progressor-bot[bot]');
  const forge = openGitHubForge({
    env: {
      GITHUB_TOKEN: 'contract-token-0123456789',
      GITHUB_API_URL: em.url,
      PROGRESSOR_GITHUB_WRITE_INTERVAL_MS: '0',
      PROGRESSOR_GITHUB_RETRY_BASE_MS: '5',
    },
  });
  return {
    forge,
    botLogin: 'progressor-bot[bot]',
    location: 'acme/contract',
    async seed(spec) {
      em.seedIssue('acme/contract', {
        ...spec,
        createdAt: T0,
        pulls: spec.pulls.map((p) => ({ ...p, link: 'cross-reference' as const })),
      });
      return { forge: 'github', location: 'acme/contract', number: spec.number };
    },
    close: () => em.close(),
  };
};

export const localForgeFactory: ForgeFactory = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'progressor-contract-'));
  await mkdir(join(dir, 'issues'));
  return {
    forge: new LocalForge(),
    botLogin: LOCAL_BOT_LOGIN,
    location: dir,
    async seed(spec) {
      const file = join(dir, 'issues', `${spec.number}.json`);
      const url = `https://github.com/acme/contract/issues/${spec.number}`;
      const snapshot = {
        number: spec.number,
        title: spec.title,
        body: spec.body,
        state: 'OPEN',
        url,
        createdAt: T0,
        updatedAt: T0,
        author: { login: spec.author },
        labels: spec.labels.map((name) => ({ name })),
        comments: spec.comments.map((c) => ({ author: { login: c.author }, authorAssociation: c.authorAssociation ?? 'NONE', body: c.body, createdAt: T0 })),
        linkedPullRequests: spec.pulls,
      };
      await writeFile(file, JSON.stringify(snapshot, null, 2));
      return { forge: 'local', location: file, number: spec.number };
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
};

/** Every forge the contract suite covers, sorted by name. */
export const forgeFactories: [name: string, factory: ForgeFactory][] = [
  ['github-emulator', githubEmulatorFactory],
  ['local', localForgeFactory],
];
