#!/usr/bin/env node
// The project's own benchmark corpus: `node bench/gen-corpus.mjs OUT SIZE_MB [SEED]`.
// Deterministic service logs (plain key=value lines, JSON lines, debug chatter) with about 3%
// failure lines taken from the built-in rules' must-match examples, so every log rule has
// lines to count. Used by `npm run bench` when ../shared is not there, and by the scan
// equality test (small sizes).
import { closeSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const rulesDir = resolve(dirname(fileURLToPath(import.meta.url)), '../rules');

/** Must-match examples of the text rules that read logs. */
export function failureLines() {
  const out = [];
  for (const ent of readdirSync(rulesDir, { recursive: true, withFileTypes: true })) {
    if (!ent.isFile() || !/\.ya?ml$/.test(ent.name)) continue;
    const spec = parse(readFileSync(join(ent.parentPath, ent.name), 'utf8'));
    if ((spec.kind ?? 'text') !== 'text' || (spec.scope && !spec.scope.includes('log'))) continue;
    for (const ex of spec.examples?.match ?? []) if (!ex.includes('\n')) out.push(ex);
  }
  return out.sort();
}

/** Writes `bytes` bytes (whole lines) of corpus to `file`. */
export function writeCorpus(file, bytes, seed = 16) {
  let s = seed >>> 0;
  const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const any = (a) => a[Math.floor(rnd() * a.length)];
  const hex = () => Math.floor(rnd() * 2 ** 32).toString(16).padStart(8, '0');
  const fails = failureLines();
  const apps = ['billing', 'search-api', 'ingest', 'web', 'scheduler', 'mailer'];
  const routes = ['/v2/orders', '/v2/orders/{id}', '/search', '/healthz', '/login', '/static/app.js', '/v2/carts'];
  let clock = Date.UTC(2026, 10, 20, 6, 0, 0);
  const at = () => new Date((clock += Math.floor(rnd() * 250))).toISOString();
  const shapes = [
    () => `${at()} INFO ${any(apps)} http method=${any(['GET', 'GET', 'POST', 'PUT'])} route=${any(routes)} code=${any([200, 200, 200, 204, 301, 304])} took=${Math.floor(rnd() * 900)}ms rid=${hex()}`,
    () => JSON.stringify({ ts: at(), lvl: 'info', app: any(apps), msg: `job ${hex()} done in ${(rnd() * 9).toFixed(3)}s`, attempt: 1 + Math.floor(rnd() * 3) }),
    () => `${at()} DEBUG ${any(apps)} pool stats active=${Math.floor(rnd() * 20)} idle=${Math.floor(rnd() * 20)} waiting=0`,
    () => `${at()} INFO ${any(apps)} user ${hex()} signed in from 10.${Math.floor(rnd() * 255)}.${Math.floor(rnd() * 255)}.7`,
    () => `${at()} WARN ${any(apps)} slow query took=${Math.floor(1000 + rnd() * 4000)}ms table=orders rows=${Math.floor(rnd() * 5000)}`,
  ];
  const fd = openSync(file, 'w');
  let written = 0;
  try {
    while (written < bytes) {
      const parts = [];
      let n = 0;
      while (n < 1 << 20 && written + n < bytes) {
        const line = `${rnd() < 0.03 ? `${at()} ERROR ${any(apps)} ${any(fails)}` : any(shapes)()}\n`;
        parts.push(line);
        n += Buffer.byteLength(line);
      }
      const chunk = Buffer.from(parts.join(''));
      writeSync(fd, chunk);
      written += chunk.length;
    }
  } finally {
    closeSync(fd);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [out, mb, seed] = process.argv.slice(2);
  if (!out || !mb) {
    console.error('usage: gen-corpus.mjs OUT_FILE SIZE_MB [SEED]');
    process.exit(2);
  }
  writeCorpus(out, Number(mb) * 2 ** 20, seed === undefined ? undefined : Number(seed));
}
