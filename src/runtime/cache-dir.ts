import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * progressor's folder in the user cache (compiled rules, V8 code cache):
 * `$PROGRESSOR_CACHE_DIR`, else `$XDG_CACHE_HOME/progressor`, else `~/.cache/progressor`.
 * `PROGRESSOR_CACHE_DIR=off` turns caching off (undefined is returned).
 */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const own = env.PROGRESSOR_CACHE_DIR;
  if (own === 'off') return undefined;
  if (own) return own;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'progressor');
  try {
    return join(homedir(), '.cache', 'progressor');
  } catch {
    return undefined;
  }
}
