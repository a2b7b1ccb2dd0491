import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { RgUnsupported, toRgRegex } from '../../src/rules/export-rg.ts';

const hasRg = spawnSync('rg', ['--version']).status === 0;

describe('rules export --format rg', () => {
  it('translates JavaScript regex syntax to ripgrep 13', () => {
    expect(toRgRegex('connect ECONNREFUSED (?<host>[\\d.]+):(?<port>\\d+)', 'ig', 'r1m0_')).toBe(
      '(?i:connect ECONNREFUSED (?P<r1m0_host>[0-9.]+):(?P<r1m0_port>[0-9]+))',
    );
    expect(toRgRegex('socket "\\/cloudsql\\/[^"\\/]+" \\{x\\}', 'g', 'p_')).toBe('(?:socket "/cloudsql/[^"/]+" \\{x\\})');
    expect(() => toRgRegex('foo(?=bar)', 'i', 'p_')).toThrow(RgUnsupported);
    expect(() => toRgRegex('(a)\\1', 'i', 'p_')).toThrow(/back-reference/);
  });

  it.skipIf(!hasRg)('the translated patterns match what the JavaScript regexes match, in one rg -f file', () => {
    const cases: [string, string, string[], string[]][] = [
      ['Error -3 connecting to (?<host>[\\w.-]+):(?<port>\\d+)', 'i', ['error -3 connecting to redis:6379'], ['Error 111 connecting to redis:6379']],
      ['GET (?<path>\\/health\\S*) 503', 'i', ['"GET /healthz 503"'], ['GET /health 200']],
      ['timeout after (?<s>\\d+(?:\\.\\d+)?) ?s\\b', '', ['timeout after 75.0s'], ['TIMEOUT after 75.0s', 'timeout after 75.0ms']],
    ];
    const lines = cases.map(([src, flags], i) => toRgRegex(src, flags, `r${i}_`));
    for (const [i, [src, flags, yes, no]] of cases.entries()) {
      const js = new RegExp(src, flags);
      for (const text of [...yes, ...no]) {
        const rg = spawnSync('rg', ['-c', '-e', lines[i]!], { input: `${text}\n` });
        expect([text, rg.status === 0]).toEqual([text, js.test(text)]);
      }
    }
    // Several patterns with the same group names in one file: names stay unique.
    const out = execFileSync('sh', ['-c', 'printf "%s\\n" "$1" "$2" "$3" > /tmp/progressor-rg-export.txt && printf "error -3 connecting to a:1\\nx\\n" | rg -c -f /tmp/progressor-rg-export.txt', 'sh', ...lines]);
    expect(out.toString().trim()).toBe('1');
  });
});
