import { dirname, resolve } from 'node:path';
import type { Forge, IssueRef } from './forge.ts';
import { LocalForge, resolveLocalRef } from './local/local-forge.ts';

export interface OpenedForge {
  forge: Forge;
  ref: IssueRef;
  /** Folder the configuration search starts from. */
  configStart: string;
}

/**
 * Opens the forge a reference names: a local snapshot file or folder. (GitHub references,
 * `owner/repo#N` and issue URLs, are resolved by the GitHub forge.)
 * @throws ProgressorError SNAPSHOT_INVALID / FORGE_*
 */
export async function openForge(refText: string, opts: { issue?: number; now: () => Date }): Promise<OpenedForge> {
  const ref = await resolveLocalRef(refText, opts.issue);
  const path = resolve(ref.location);
  return { forge: new LocalForge(opts.now), ref, configStart: dirname(path) };
}
