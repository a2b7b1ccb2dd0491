// Issue 10: a probe derived from issue text carries no ambient credentials. The process has
// PGPASSWORD and a ~/.pgpass-style file for the target; a loopback server speaking the
// PostgreSQL wire protocol asks for a cleartext password and records what it is sent.
import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectProbes } from '../../src/evidence/probes.ts';

const AMBIENT = 'ambient-Pgpass-9f3a7c';

function fakePostgres(received: string[]): Server {
  return createServer((sock: Socket) => {
    let buf = Buffer.alloc(0);
    let started = false;
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (!started && buf.length >= 8) {
        const len = buf.readInt32BE(0);
        if (buf.length < len) return;
        buf = buf.subarray(len);
        started = true;
        // AuthenticationCleartextPassword
        sock.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3]));
      }
      if (started && buf.length >= 5 && buf[0] === 0x70) {
        const len = buf.readInt32BE(1);
        if (buf.length < len + 1) return;
        received.push(buf.subarray(5, len).toString('utf8').replace(/\0$/, ''));
        // ErrorResponse: 28P01 password authentication failed
        const fields = Buffer.from('SFATAL\0C28P01\0Mpassword authentication failed\0\0');
        const head = Buffer.alloc(5);
        head[0] = 0x45;
        head.writeInt32BE(fields.length + 4, 1);
        sock.end(Buffer.concat([head, fields]));
      }
    });
    sock.on('error', () => undefined);
  });
}

describe('derived probes and ambient credentials', () => {
  const received: string[] = [];
  let server: Server;
  let port: number;
  const saved = { PGPASSWORD: process.env.PGPASSWORD, PGPASSFILE: process.env.PGPASSFILE };

  beforeAll(async () => {
    server = fakePostgres(received);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
    const dir = mkdtempSync(join(tmpdir(), 'progressor-pgpass-'));
    const passfile = join(dir, 'pgpass');
    writeFileSync(passfile, `127.0.0.1:${port}:*:*:${AMBIENT}-file\n`);
    chmodSync(passfile, 0o600);
    process.env.PGPASSWORD = AMBIENT;
    process.env.PGPASSFILE = passfile;
  });
  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('sends neither PGPASSWORD nor the .pgpass entry to a server named in the issue', async () => {
    const issueText = `psql: error: connection to server at "127.0.0.1" (127.0.0.1), port ${port} failed: Connection refused`;
    const out = await collectProbes({ timeoutMs: 2_000, allow: [`127.0.0.1:${port}`], checks: [] }, { rules: [], env: {}, issueText });
    expect(out.probes?.map((p) => [p.id, p.status, p.code])).toEqual([[`issue-postgres-127.0.0.1-${port}`, 'failed', 'PG_AUTH_FAILED']]);
    expect(received).toEqual(['']);
    expect(JSON.stringify(out)).not.toContain(AMBIENT);
  });

  it('an allow entry for another port of the same host probes nothing', async () => {
    received.length = 0;
    const issueText = `psql: error: connection to server at "127.0.0.1" (127.0.0.1), port ${port} failed: Connection refused`;
    const out = await collectProbes({ timeoutMs: 2_000, allow: [`127.0.0.1:${port + 1}`], checks: [] }, { rules: [], env: {}, issueText });
    expect(out.probes).toEqual([]);
    expect(received).toEqual([]);
    expect(out.gaps.map((g) => g.message)).toEqual([`not probed: 127.0.0.1:${port} is named in the issue but is not in probes.allow`]);
  });
});
