// Local servers the probe tests start. Every address is loopback (127.0.0.1).
import dgram from 'node:dgram';
import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import { generate } from 'selfsigned';

export interface Running {
  port: number;
  close(): Promise<void>;
}

function track(server: net.Server): Set<net.Socket> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

async function listen(server: net.Server): Promise<Running> {
  const sockets = track(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Accepts connections and never answers (a black-holed target, on loopback). */
export function startBlackHole(): Promise<Running> {
  return listen(net.createServer(() => {}));
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const r = await listen(net.createServer());
  await r.close();
  return r.port;
}

export function startHttp(handler: http.RequestListener): Promise<Running> {
  return listen(http.createServer(handler));
}

/** Answers every connection with raw bytes (e.g. a Redis error reply), then closes. */
export function startRaw(reply: string): Promise<Running> {
  return listen(net.createServer((s) => s.end(reply)));
}

export interface Pem {
  cert: string;
  key: string;
}

/** A self-signed certificate made now, for the given names and validity window. */
export async function makeCert(options: { names: string[]; notBefore: Date; notAfter: Date }): Promise<Pem> {
  const pems = await generate([{ name: 'commonName', value: options.names[0] ?? 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: options.notBefore,
    notAfterDate: options.notAfter,
    extensions: [
      { name: 'basicConstraints', cA: true },
      {
        name: 'subjectAltName',
        altNames: options.names.map((n) => (net.isIP(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n })),
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

export function startTls(pem: Pem, onSecure?: (s: tls.TLSSocket) => void): Promise<Running> {
  return listen(tls.createServer({ cert: pem.cert, key: pem.key }, (s) => (onSecure ? onSecure(s) : s.end())));
}

/** A DNS server on 127.0.0.1 answering every query with the given RCODE (2 = SERVFAIL). */
export async function startDns(rcode: number): Promise<Running> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    if (msg.length < 12) return;
    let i = 12;
    while (i < msg.length && msg[i] !== 0) i += (msg[i] as number) + 1;
    const question = msg.subarray(12, i + 5);
    const header = Buffer.alloc(12);
    msg.copy(header, 0, 0, 2);
    header.writeUInt16BE(0x8180 | (msg.readUInt16BE(2) & 0x0100) | rcode, 2);
    header.writeUInt16BE(1, 4);
    socket.send(Buffer.concat([header, question]), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: socket.address().port, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}
