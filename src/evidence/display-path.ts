import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * How a local file is named in the comment: relative to `base` (the repository root or the
 * snapshot folder) when it lies inside it, else relative to the folder its input names (a
 * file's own folder, a directory, a glob's fixed prefix), so that neither the current
 * directory nor any other local path reaches the comment. Without a base (the `scan`
 * command, a terminal tool), paths stay relative to the current directory.
 */
export function displayPath(abs: string, o: { base?: string; cwd: string; input: string }): string {
  if (o.base === undefined) {
    const r = relative(o.cwd, abs);
    return r && !r.startsWith('..') && !isAbsolute(r) ? r : abs;
  }
  const inside = relative(o.base, abs);
  if (inside && !inside.startsWith('..') && !isAbsolute(inside)) return inside.split(sep).join('/');
  return relative(inputRoot(o.input, o.cwd, abs), abs).split(sep).join('/') || abs.split(sep).at(-1)!;
}

/** The fixed folder an input names: its folder for a file, itself for a directory, a glob's prefix. */
function inputRoot(input: string, cwd: string, abs: string): string {
  const parts = input.split('/');
  const fixed: string[] = [];
  for (const p of parts) {
    if (/[*?[\]{}]/.test(p)) break;
    fixed.push(p);
  }
  if (fixed.length === parts.length) {
    const whole = resolve(cwd, input);
    return whole === abs ? dirname(abs) : whole;
  }
  return resolve(cwd, fixed.join('/') || '.');
}
