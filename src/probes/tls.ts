import { readFile } from 'node:fs/promises';
import net from 'node:net';
import tls, { type PeerCertificate, type TLSSocket } from 'node:tls';
import type { TlsProbeCheck } from './probe-schema.ts';
import { errorCode, errorMessage, firstError, type Observed, type Probe, type ProbeContext, type ProbeOutcome, ProbeSetupError } from './probe.ts';

const DAY_MS = 86_400_000;

/** Reads a CA PEM file named in the config. @throws ProbeSetupError CA_UNREADABLE */
export async function readCa(file: string | undefined): Promise<string | undefined> {
  if (file === undefined) return undefined;
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new ProbeSetupError('CA_UNREADABLE', `ca: cannot read ${file}: ${errorMessage(e)}`);
  }
}

/** SNI must be a host name, never an IP address (RFC 6066). */
export function sniName(name: string): string | undefined {
  return net.isIP(name) ? undefined : name;
}

export interface CertificateCheckOptions {
  servername: string;
  now: Date;
  minValidDays: number;
  /** Accept an untrusted chain (expiry and hostname are still checked). */
  insecure?: boolean;
}

/**
 * Judges the peer certificate of a connected TLS socket (made with rejectUnauthorized:
 * false so that we see the certificate) in a fixed order — expired, not yet valid, hostname,
 * chain, expiring soon — so the verdict does not depend on which check OpenSSL reports first.
 */
export function checkCertificate(socket: TLSSocket, options: CertificateCheckOptions): ProbeOutcome {
  const cert = socket.getPeerCertificate(true);
  if (!cert || Object.keys(cert).length === 0) {
    return { status: 'failed', observed: {}, code: 'CERT_MISSING', message: 'the server sent no certificate' };
  }
  const validTo = new Date(cert.valid_to);
  const validFrom = new Date(cert.valid_from);
  const daysLeft = Math.floor((validTo.getTime() - options.now.getTime()) / DAY_MS);
  const observed: Observed = {
    subject: nameOf(cert.subject?.CN),
    issuer: nameOf(cert.issuer?.CN),
    altNames: cert.subjectaltname ?? null,
    validFrom: validFrom.toISOString(),
    validTo: validTo.toISOString(),
    daysLeft,
    protocol: socket.getProtocol(),
    chainDepth: chainDepth(cert),
    authorized: socket.authorized,
    fingerprint256: cert.fingerprint256 ?? null,
  };
  if (validTo.getTime() < options.now.getTime()) {
    return { status: 'failed', observed, code: 'CERT_EXPIRED', message: `certificate for ${nameOf(cert.subject?.CN) ?? '?'} expired on ${validTo.toISOString()} (${-daysLeft} days ago)` };
  }
  if (validFrom.getTime() > options.now.getTime()) {
    return { status: 'failed', observed, code: 'CERT_NOT_YET_VALID', message: `certificate is not valid before ${validFrom.toISOString()}` };
  }
  const mismatch = tls.checkServerIdentity(options.servername, cert);
  if (mismatch) {
    return {
      status: 'failed',
      observed,
      code: 'CERT_HOSTNAME_MISMATCH',
      message: `certificate does not match ${options.servername}: names are ${cert.subjectaltname ?? `CN=${nameOf(cert.subject?.CN) ?? '?'}`}`,
    };
  }
  if (!socket.authorized && !options.insecure) {
    const reason = String(socket.authorizationError ?? 'UNTRUSTED');
    const code = /SELF_SIGNED/.test(reason) ? 'CERT_SELF_SIGNED' : /UNABLE_TO_(GET_ISSUER|VERIFY_LEAF)/.test(reason) ? 'CERT_UNTRUSTED' : `CERT_${reason.replace(/^CERT_/, '')}`;
    return { status: 'failed', observed, code, message: `certificate chain is not trusted: ${reason}` };
  }
  if (daysLeft < options.minValidDays) {
    return { status: 'failed', observed, code: 'CERT_EXPIRING_SOON', message: `certificate expires in ${daysLeft} days (on ${validTo.toISOString()})` };
  }
  return { status: 'ok', observed };
}

function nameOf(v: string | string[] | undefined): string | null {
  return v === undefined ? null : Array.isArray(v) ? v.join(',') : v;
}

function chainDepth(cert: tls.DetailedPeerCertificate): number {
  let depth = 1;
  let c: PeerCertificate & { issuerCertificate?: tls.DetailedPeerCertificate } = cert;
  while (c.issuerCertificate && c.issuerCertificate !== c && depth < 10) {
    c = c.issuerCertificate;
    depth++;
  }
  return depth;
}

/** Connects with TLS (certificate judged afterwards by checkCertificate). */
export function connectTls(options: { host: string; port: number; servername: string; ca?: string }, ctx: ProbeContext): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: options.host,
      port: options.port,
      servername: sniName(options.servername),
      ca: options.ca === undefined ? undefined : [...tls.rootCertificates, options.ca],
      rejectUnauthorized: false,
    });
    ctx.track(() => socket.destroy());
    const onAbort = () => reject(Object.assign(new Error('aborted'), { code: 'ETIMEDOUT' }));
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => {
      ctx.signal.removeEventListener('abort', onAbort);
      resolve(socket);
    });
    socket.once('error', (e) => {
      ctx.signal.removeEventListener('abort', onAbort);
      reject(firstError(e));
    });
  });
}

export const tlsProbe: Probe<TlsProbeCheck> = {
  kind: 'tls',
  target: (c) => `tls://${c.host.includes(':') ? `[${c.host}]` : c.host}:${c.port}${c.servername ? ` (${c.servername})` : ''}`,
  async run(check, ctx) {
    const ca = await readCa(check.ca);
    const servername = check.servername ?? check.host;
    let socket: TLSSocket;
    try {
      socket = await connectTls({ host: check.host, port: check.port, servername, ca }, ctx);
    } catch (e) {
      const code = errorCode(e, 'TLS_HANDSHAKE_FAILED');
      return { status: 'failed', observed: {}, code, message: `TLS connect ${check.host}:${check.port}: ${errorMessage(e)}` };
    }
    try {
      return checkCertificate(socket, { servername, now: ctx.now(), minValidDays: check.minValidDays });
    } finally {
      socket.destroy();
    }
  },
};
