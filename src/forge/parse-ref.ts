import { existsSync } from 'node:fs';
import { ProgressorError } from '../errors/errors.ts';
import type { IssueRef } from './forge.ts';

const REPO = '([A-Za-z0-9][\\w.-]*)/([\\w.-]+)';
const SHORT = new RegExp(`^${REPO}#(\\d+)$`);
const URL_RE = new RegExp(`^https?://[^/]+/${REPO}/(?:issues|pull)/(\\d+)/?(?:[?#].*)?$`);

/**
 * Parses an issue reference: `owner/repo#N`, `https://github.com/owner/repo/issues/N`
 * (any host: GitHub Enterprise), otherwise a local snapshot path (number 0 until the local
 * forge resolves it).
 * @throws ProgressorError USAGE for an empty string or a GitHub-looking ref without a number.
 */
export function parseIssueRef(input: string): IssueRef {
  const text = input.trim();
  if (!text) throw new ProgressorError('USAGE', 'empty issue reference', { hint: 'Pass owner/repo#N, an issue URL, or a snapshot path.' });
  const local = /^(.*?)(?:#(\d+))?$/.exec(text)!;
  // An existing path is local even when it looks like owner/repo#N.
  if (existsSync(local[1]!)) return { forge: 'local', location: local[1]!, number: local[2] ? Number(local[2]) : 0 };
  const short = SHORT.exec(text);
  if (short) return { forge: 'github', location: `${short[1]}/${short[2]}`, number: Number(short[3]) };
  const url = URL_RE.exec(text);
  if (url) return { forge: 'github', location: `${url[1]}/${url[2]}`, number: Number(url[3]) };
  if (/^https?:\/\//.test(text) || /^[\w.-]+\/[\w.-]+#/.test(text)) {
    throw new ProgressorError('USAGE', `not an issue reference: "${text}"`, {
      hint: 'Write owner/repo#123 or https://github.com/owner/repo/issues/123.',
    });
  }
  return { forge: 'local', location: local[1]!, number: local[2] ? Number(local[2]) : 0 };
}

/** Parses `owner/repo` (for `next`), or returns a local folder location. */
export function parseRepoLocation(input: string): { forge: 'github' | 'local'; location: string } {
  const text = input.trim().replace(/\/+$/, '');
  const url = /^https?:\/\/[^/]+\/([\w.-]+)\/([\w.-]+?)(?:\.git)?$/.exec(text);
  if (url) return { forge: 'github', location: `${url[1]}/${url[2]}` };
  if (/^[A-Za-z0-9][\w.-]*\/[\w.-]+$/.test(text) && !existsSync(text)) return { forge: 'github', location: text };
  return { forge: 'local', location: text };
}
