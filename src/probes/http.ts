import { redactEvidence } from '../redact/redact.ts';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { JSONPath } from 'jsonpath-plus';
import type { HttpProbeCheck } from './probe-schema.ts';
import { parseDuration } from './duration.ts';
import { errorCode, errorMessage, firstError, type Observed, type Probe, type ProbeContext, type ProbeOutcome, ProbeSetupError, requireEnv } from './probe.ts';
import { checkCertificate, readCa, sniName } from './tls.ts';

/** Body bytes read at most; a health endpoint answering more is cut here. */
export const HTTP_MAX_BODY_BYTES = 65_536;
const EXCERPT_CHARS = 300;

/** The URL without user info (never shown). */
export function displayUrl(raw: string): string {
  const u = new URL(raw);
  u.username = '';
  u.password = '';
  return u.toString();
}

interface HttpAnswer {
  res: IncomingMessage;
  body: string;
  elapsedMs: number;
  cert?: ProbeOutcome;
}

function request(check: HttpProbeCheck, headers: Record<string, string>, ca: string | undefined, ctx: ProbeContext): Promise<HttpAnswer> {
  const url = new URL(check.url);
  const isHttps = url.protocol === 'https:';
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const options: https.RequestOptions = {
      method: check.method,
      headers: { 'user-agent': 'progressor-probe', accept: 'application/json, */*', ...headers },
      agent: false,
      signal: ctx.signal,
    };
    if (isHttps) {
      options.rejectUnauthorized = false;
      options.servername = sniName(url.hostname);
      if (ca !== undefined) options.ca = ca;
    }
    const req = (isHttps ? https : http).request(url, options, (res) => {
      let cert: ProbeOutcome | undefined;
      if (isHttps) {
        cert = checkCertificate(res.socket as TLSSocket, {
          servername: url.hostname.replace(/^\[|\]$/g, ''),
          now: ctx.now(),
          minValidDays: 0,
          insecure: check.insecure,
        });
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (d: Buffer) => {
        if (size < HTTP_MAX_BODY_BYTES) chunks.push(d);
        size += d.length;
        if (size >= HTTP_MAX_BODY_BYTES) res.destroy();
      });
      const done = () => resolve({ res, body: Buffer.concat(chunks).subarray(0, HTTP_MAX_BODY_BYTES).toString('utf8'), elapsedMs: performance.now() - started, cert });
      res.once('end', done);
      res.once('close', done);
      res.once('error', (e) => (size >= HTTP_MAX_BODY_BYTES ? done() : reject(e)));
    });
    req.on('socket', (s) => ctx.track(() => s.destroy()));
    ctx.track(() => req.destroy());
    req.once('error', (e) => reject(firstError(e)));
    req.end();
  });
}

// Redacted before it is cut (issue 10): a cut must never leave half a secret behind.
function excerpt(body: string): string {
  const one = redactEvidence(body).replace(/\s+/g, ' ').trim();
  return one.length > EXCERPT_CHARS ? `${one.slice(0, EXCERPT_CHARS)}…` : one;
}

function runJsonChecks(check: HttpProbeCheck, body: string): string | undefined {
  if (check.json.length === 0) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return 'body is not JSON';
  }
  for (const c of check.json) {
    let values: unknown[];
    try {
      values = JSONPath({ path: c.path, json: json as object, wrap: true }) as unknown[];
    } catch (e) {
      throw new ProbeSetupError('CONFIG_INVALID', `json path ${c.path}: ${errorMessage(e)}`);
    }
    const exists = values.length > 0;
    if (c.exists === false) {
      if (exists) return `${c.path} exists`;
      continue;
    }
    if (!exists) return `${c.path} is missing`;
    const v = values[0];
    if (c.equals !== undefined && v !== c.equals) return `${c.path} is ${JSON.stringify(v)}, expected ${JSON.stringify(c.equals)}`;
    if (c.matches !== undefined) {
      let re: RegExp;
      try {
        re = new RegExp(c.matches);
      } catch (e) {
        throw new ProbeSetupError('CONFIG_INVALID', `json ${c.path}: invalid regex: ${errorMessage(e)}`);
      }
      if (!re.test(typeof v === 'string' ? v : JSON.stringify(v))) return `${c.path} is ${JSON.stringify(v)}, expected to match /${c.matches}/`;
    }
  }
  return undefined;
}

export const httpProbe: Probe<HttpProbeCheck> = {
  kind: 'http',
  target: (c) => `${c.method} ${displayUrl(c.url)}`,
  async run(check, ctx) {
    const url = new URL(check.url);
    if (url.username || url.password) {
      throw new ProbeSetupError('CONFIG_INVALID', 'url: credentials in the URL are not allowed; use headersEnv');
    }
    const headers: Record<string, string> = { ...check.headers };
    for (const [name, env] of Object.entries(check.headersEnv)) headers[name] = requireEnv(ctx, env, `headersEnv.${name}`);
    const ca = await readCa(check.ca);
    const shown = displayUrl(check.url);
    let answer: HttpAnswer;
    try {
      answer = await request(check, headers, ca, ctx);
    } catch (e) {
      if (ctx.signal.aborted) {
        return { status: 'failed', observed: {}, code: 'ETIMEDOUT', message: `${check.method} ${shown} did not answer within ${ctx.timeoutMs} ms` };
      }
      return { status: 'failed', observed: {}, code: errorCode(e, 'HTTP_ERROR'), message: `${check.method} ${shown}: ${errorMessage(e)}` };
    }
    const { res, body, elapsedMs, cert } = answer;
    const status = res.statusCode ?? 0;
    const observed: Observed = {
      httpStatus: status,
      contentType: res.headers['content-type'] ?? null,
      bodyBytes: Buffer.byteLength(body),
      body: excerpt(body),
      elapsedMs: Math.round(elapsedMs),
    };
    if (cert) for (const [k, v] of Object.entries(cert.observed)) observed[`tls.${k}`] = v;
    if (cert && cert.status !== 'ok') return { ...cert, observed, message: `${shown}: ${cert.message ?? ''}` };
    const healthy = check.expectStatus ? check.expectStatus.includes(status) : status >= 100 && status < 400;
    if (!healthy) {
      const text = excerpt(body);
      return {
        status: 'failed',
        observed,
        code: `HTTP_${status}`,
        message: `${check.method} ${shown} answered ${status} ${res.statusMessage ?? ''}${text ? `: ${text}` : ''}`.trim(),
      };
    }
    const bodyProblem = runJsonChecks(check, body);
    if (bodyProblem) {
      return { status: 'failed', observed, code: 'HTTP_BODY_CHECK', message: `${check.method} ${shown} answered ${status} but ${bodyProblem}` };
    }
    const slowMs = check.slow === undefined ? undefined : parseDuration(check.slow);
    if (slowMs !== undefined && elapsedMs > slowMs) {
      return { status: 'failed', observed, code: 'HTTP_SLOW', message: `${check.method} ${shown} answered ${status} in ${Math.round(elapsedMs)} ms (slower than ${slowMs} ms)` };
    }
    return { status: 'ok', observed };
  },
};
