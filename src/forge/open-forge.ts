import { dirname, resolve } from 'node:path';
import type { Forge, IssueRef } from './forge.ts';
import { LocalForge, resolveLocalRef } from './local/local-forge.ts';
import { parseIssueRef } from './parse-ref.ts';

export interface OpenedForge {
  forge: Forge;
  ref: IssueRef;
  /** Folder the configuration search starts from. */
  configStart: string;
}

/**
 * Opens the forge a reference names: `owner/repo#N` or an issue URL (GitHub, credentials
 * from the environment), else a local snapshot file or folder.
 * @throws ProgressorError SNAPSHOT_INVALID / FORGE_AUTH / FORGE_REQUEST
 */
export async function openForge(
  refText: string,
  opts: { issue?: number; now: () => Date; log?: (message: string) => void },
): Promise<OpenedForge> {
  const parsed = parseIssueRef(refText);
  if (parsed.forge === 'github') {
    // Loaded lazily: local audits should not pay for Octokit's imports.
    const { openGitHubForge } = await import('./github/open-github-forge.ts');
    return { forge: openGitHubForge({ log: opts.log }), ref: parsed, configStart: process.cwd() };
  }
  const ref = await resolveLocalRef(refText, opts.issue);
  return { forge: new LocalForge(opts.now), ref, configStart: dirname(resolve(ref.location)) };
}
