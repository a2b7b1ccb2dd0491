#!/usr/bin/env node
// Probe timing (issue 6): twelve probes with a 2 s hard timeout against black-holed local
// targets (servers on 127.0.0.1 that accept and never answer) must finish in about 2 s,
// not 12 × 2 s. Also times one round of healthy probes against the local PostgreSQL/Redis.
// Run: node bench/probes.mjs [rounds]   (Node >= 22.18 runs the TypeScript sources directly)
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { runProbes } from '../src/probes/run-probes.ts';

const rounds = Number(process.argv[2] ?? 3);
const TIMEOUT = '2s';

function blackHole() {
  const sockets = new Set();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: server.address().port,
        close: () => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(r); }),
      }),
    ),
  );
}

const holes = await Promise.all(Array.from({ length: 12 }, blackHole));
const kinds = ['http', 'postgres', 'redis', 'tls'];
const checks = holes.map((h, i) => {
  const id = `hole-${i}`;
  switch (kinds[i % 4]) {
    case 'http':
      return { id, kind: 'http', timeout: TIMEOUT, url: `http://127.0.0.1:${h.port}/healthz`, method: 'GET', headers: {}, headersEnv: {}, json: [], insecure: false };
    case 'postgres':
      return { id, kind: 'postgres', timeout: TIMEOUT, host: '127.0.0.1', port: h.port, ssl: false, maxUsedPct: 90 };
    case 'redis':
      return { id, kind: 'redis', timeout: TIMEOUT, host: '127.0.0.1', port: h.port, tls: false, maxClientsPct: 90, maxMemoryPct: 95 };
    default:
      return { id, kind: 'tls', timeout: TIMEOUT, host: '127.0.0.1', port: h.port, minValidDays: 7 };
  }
});

const times = [];
for (let r = 0; r < rounds; r++) {
  const t0 = performance.now();
  const results = await runProbes(checks, {});
  const ms = performance.now() - t0;
  const timedOut = results.filter((x) => x.status === 'failed' && x.code === 'ETIMEDOUT').length;
  times.push(ms);
  console.log(JSON.stringify({ bench: 'probes-blackholed', round: r + 1, probes: checks.length, timeoutMs: 2000, timedOut, wallMs: Math.round(ms) }));
}
await Promise.all(holes.map((h) => h.close()));

const healthy = [
  { id: 'db', kind: 'postgres', host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test', ssl: false, maxUsedPct: 90 },
  { id: 'db-socket', kind: 'postgres', host: '/var/run/postgresql', port: 5432, user: 'postgres', database: 'test', ssl: false, maxUsedPct: 90 },
  { id: 'cache', kind: 'redis', host: '127.0.0.1', port: 6379, tls: false, maxClientsPct: 90, maxMemoryPct: 95 },
  { id: 'tcp', kind: 'tcp', host: '127.0.0.1', port: 5432 },
];
const t1 = performance.now();
const ok = await runProbes(healthy, {});
console.log(JSON.stringify({ bench: 'probes-healthy-round', probes: ok.length, ok: ok.filter((x) => x.status === 'ok').length, wallMs: Math.round(performance.now() - t1), latencyMs: Object.fromEntries(ok.map((x) => [x.id, x.latencyMs])) }));
const sorted = [...times].sort((a, b) => a - b);
console.log(JSON.stringify({ bench: 'probes-blackholed-summary', rounds, minMs: Math.round(sorted[0]), medianMs: Math.round(sorted[Math.floor(sorted.length / 2)]), maxMs: Math.round(sorted.at(-1)), sequentialWouldBeMs: checks.length * 2000, baseline: 'sequential probes (12 x timeout)', ratioVsBaseline: Number((sorted[Math.floor(sorted.length / 2)] / (checks.length * 2000)).toFixed(3)) }));
