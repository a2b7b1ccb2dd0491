import { describe, expect, it } from 'vitest';
import { parseIssueRef, parseRepoLocation } from './parse-ref.ts';

describe('parseIssueRef', () => {
  it.each([
    ['acme/app#1278', { forge: 'github', location: 'acme/app', number: 1278 }],
    ['https://github.com/acme/app/issues/1278', { forge: 'github', location: 'acme/app', number: 1278 }],
    ['https://github.com/acme/my.app/issues/7#issuecomment-1', { forge: 'github', location: 'acme/my.app', number: 7 }],
    ['https://ghe.example.com/team/svc/issues/3/', { forge: 'github', location: 'team/svc', number: 3 }],
    ['./snapshots/issue.json', { forge: 'local', location: './snapshots/issue.json', number: 0 }],
    ['snapshots#12', { forge: 'local', location: 'snapshots', number: 12 }],
    ['package.json', { forge: 'local', location: 'package.json', number: 0 }],
  ])('%s', (input, want) => {
    expect(parseIssueRef(input)).toEqual(want);
  });

  it('an existing path that looks like owner/repo#N is local', () => {
    expect(parseIssueRef('src/forge#2')).toEqual({ forge: 'local', location: 'src/forge', number: 2 });
  });

  it('rejects malformed GitHub references with the fix', () => {
    expect(() => parseIssueRef('https://github.com/acme/app/pulls')).toThrow('not an issue reference');
    expect(() => parseIssueRef('acme/app#x')).toThrow('not an issue reference');
    expect(() => parseIssueRef('  ')).toThrow('empty issue reference');
  });
});

describe('parseRepoLocation', () => {
  it('tells a repository from a folder', () => {
    expect(parseRepoLocation('acme/app')).toEqual({ forge: 'github', location: 'acme/app' });
    expect(parseRepoLocation('https://github.com/acme/app.git')).toEqual({ forge: 'github', location: 'acme/app' });
    expect(parseRepoLocation('src/forge')).toEqual({ forge: 'local', location: 'src/forge' });
    expect(parseRepoLocation('./issues')).toEqual({ forge: 'local', location: './issues' });
  });
});
