// Imported first by the CLI entry: turns on V8's on-disk code cache (Node ≥ 22.1) in the user
// cache folder, so later runs skip compiling progressor's and its libraries' modules.
import module from 'node:module';
import { join } from 'node:path';
import { userCacheDir } from './cache-dir.ts';

const dir = userCacheDir();
if (dir && typeof module.enableCompileCache === 'function') {
  try {
    module.enableCompileCache(join(dir, 'v8'));
  } catch {
    // A cache that cannot be set up only costs speed.
  }
}
