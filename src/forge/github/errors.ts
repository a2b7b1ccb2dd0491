// Every Octokit failure is converted here, at the boundary (STYLE §4); nothing outside
// forge/ sees a RequestError. Messages never include the token or request headers.
import { ProgressorError } from '../../errors/errors.ts';
import { describeAuthSource, type GitHubAuth } from './auth.ts';

interface HttpErrorLike {
  name: string;
  status: number;
  message: string;
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
}
// Duck-typed so only @octokit/rest is a direct dependency (RequestError is named "HttpError").
function isHttpError(e: unknown): e is HttpErrorLike {
  return e instanceof Error && e.name === 'HttpError' && typeof (e as { status?: unknown }).status === 'number';
}
function isGraphqlResponseError(e: unknown): e is Error & { errors?: { message?: string; type?: string }[] } {
  return e instanceof Error && e.name === 'GraphqlResponseError';
}

/** Converts any error thrown by Octokit into a ProgressorError. */
export function toForgeError(e: unknown, what: string, auth: GitHubAuth): ProgressorError {
  if (e instanceof ProgressorError) return e;
  if (isHttpError(e)) {
    const headers = e.response?.headers ?? {};
    const requestId = headers['x-github-request-id'];
    const reset = headers['x-ratelimit-reset'];
    const data = e.response?.data as { message?: string } | undefined;
    const detail = data?.message ?? e.message;
    if (e.status === 401) {
      return new ProgressorError('FORGE_AUTH', `GitHub rejected ${describeAuthSource(auth)} while trying to ${what} (401 ${detail})`, {
        hint:
          auth.kind === 'token'
            ? `The token in ${auth.source} is invalid, expired or revoked. Create a new one with "Issues: read and write" (fine-grained) or the "repo" scope, then put the new token in ${auth.source}${auth.source === 'GITHUB_TOKEN' ? ' (or unset GITHUB_TOKEN to use GH_TOKEN)' : ''}.`
            : 'Check GITHUB_APP_ID, the private key and GITHUB_APP_INSTALLATION_ID against the App settings; regenerate the private key if it was revoked.',
      });
    }
    const parts = [`GitHub answered ${e.status} while trying to ${what}: ${detail}`];
    if (requestId) parts.push(`request id ${requestId}`);
    let hint: string | undefined;
    if (reset && (e.status === 403 || e.status === 429) && headers['x-ratelimit-remaining'] === '0') {
      const at = new Date(Number(reset) * 1000).toISOString();
      parts.push(`rate limit resets at ${at}`);
      hint = `Wait until ${at} or use a GitHub App installation token (higher limits).`;
    } else if (e.status === 403 || e.status === 404) {
      hint = `Check that ${describeAuthSource(auth)} can read and write issues in this repository.`;
    } else if (e.status >= 500 || e.status === 0) {
      hint = 'GitHub or the network failed after retries; run again later (writes are safe to repeat).';
    }
    return new ProgressorError('FORGE_REQUEST', parts.join('; '), { hint });
  }
  if (isGraphqlResponseError(e)) {
    const first = e.errors?.[0];
    const type = first?.type;
    return new ProgressorError('FORGE_REQUEST', `GitHub GraphQL error while trying to ${what}: ${first?.message ?? e.message}`, {
      hint: type === 'NOT_FOUND' ? `Check the repository and issue number, and that ${describeAuthSource(auth)} can see them.` : undefined,
    });
  }
  const msg = e instanceof Error ? e.message : String(e);
  return new ProgressorError('FORGE_REQUEST', `request to GitHub failed while trying to ${what}: ${msg}`, {
    hint: 'Check the network and GITHUB_API_URL; run again (writes are safe to repeat).',
  });
}
