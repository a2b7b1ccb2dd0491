import net from 'node:net';
import type { TcpProbeCheck } from './probe-schema.ts';
import { errorCode, errorMessage, firstError, type Probe, type ProbeContext, ProbeSetupError } from './probe.ts';

/** Opens a TCP connection; resolves once connected. Rejects with the socket error or on abort. */
export function connectTcp(host: string, port: number, ctx: ProbeContext): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    ctx.track(() => socket.destroy());
    const onAbort = () => reject(Object.assign(new Error('aborted'), { code: 'ETIMEDOUT' }));
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      ctx.signal.removeEventListener('abort', onAbort);
      resolve(socket);
    });
    socket.once('error', (e) => {
      ctx.signal.removeEventListener('abort', onAbort);
      reject(firstError(e));
    });
  });
}

export const tcpProbe: Probe<TcpProbeCheck> = {
  kind: 'tcp',
  target: (c) => `tcp://${c.host.includes(':') ? `[${c.host}]` : c.host}:${c.port}`,
  async run(check, ctx) {
    let expect: RegExp | undefined;
    try {
      expect = check.expect === undefined ? undefined : new RegExp(check.expect);
    } catch (e) {
      throw new ProbeSetupError('CONFIG_INVALID', `expect: invalid regex: ${errorMessage(e)}`);
    }
    let socket: net.Socket;
    try {
      socket = await connectTcp(check.host, check.port, ctx);
    } catch (e) {
      return { status: 'failed', observed: {}, code: errorCode(e), message: `connect ${check.host}:${check.port}: ${errorMessage(e)}` };
    }
    const observed = { remoteAddress: socket.remoteAddress ?? null };
    if (!expect) {
      socket.destroy();
      return { status: 'ok', observed };
    }
    const banner = await new Promise<string>((resolve) => {
      let buf = '';
      socket.setEncoding('utf8');
      socket.on('data', (d: string) => {
        buf += d;
        if (expect.test(buf) || buf.length > 4096) resolve(buf);
      });
      socket.once('close', () => resolve(buf));
      socket.once('error', () => resolve(buf));
    });
    socket.destroy();
    const line = banner.split('\n')[0]?.slice(0, 200) ?? '';
    if (expect.test(banner)) return { status: 'ok', observed: { ...observed, banner: line } };
    return { status: 'failed', observed: { ...observed, banner: line }, code: 'TCP_BANNER_MISMATCH', message: `banner ${JSON.stringify(line)} does not match ${check.expect}` };
  },
};
