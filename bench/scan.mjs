#!/usr/bin/env node
// Benchmark: `progressor scan` against `rg -c -f patterns` on generated log corpora (1 GiB and
// 4 GiB by default; BENCH_SIZES=1024,4096 in MiB). Prints median wall times of 3 runs each,
// the ratio progressor/rg, peak RSS, and checks that per-rule counts equal ripgrep's.
import { Buffer } from 'node:buffer';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { clearInterval, setInterval } from 'node:timers';
import { existsSync, mkdirSync, readFileSync, statfsSync, writeFileSync, unlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const corpusDir = join(root, 'bench/.corpus');
// The shared corpus generator when it is there, else the project's own (bench/gen-corpus.mjs).
const sharedGen = resolve(root, '../shared/bench/gen-logs.mjs');
const gen = existsSync(sharedGen) ? sharedGen : join(root, 'bench/gen-corpus.mjs');
const sizes = (process.env.BENCH_SIZES ?? '1024,4096').split(',').map(Number);
const runs = Number(process.env.BENCH_RUNS ?? 3);
// The built CLI (what `progressor` runs); built here so the numbers are for current code.
// Type errors elsewhere in the tree do not stop tsc from emitting.
if (!process.env.BENCH_CLI) {
  spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'ignore' });
}
const cli = process.env.BENCH_CLI ?? join(root, 'dist/cli/main.js');
if (!existsSync(cli)) {
  console.error(`cannot find the CLI at ${cli}: run npm run build`);
  process.exit(1);
}

if (spawnSync('rg', ['--version']).status !== 0) {
  console.error('ripgrep (rg) is not installed. Install it with: apt-get install ripgrep');
  console.error('(other systems: brew install ripgrep, or see https://github.com/BurntSushi/ripgrep#installation)');
  process.exit(1);
}
const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
mkdirSync(corpusDir, { recursive: true });

function corpus(mb) {
  const file = join(corpusDir, `corpus-${mb}mb.log`);
  if (existsSync(file)) return file;
  const { bavail, bsize } = statfsSync(corpusDir);
  const free = bavail * bsize;
  if (free < mb * 2 ** 20 * 1.2) {
    console.error(`not enough disk for a ${mb} MiB corpus (${Math.round(free / 2 ** 20)} MiB free); skipping`);
    return undefined;
  }
  console.log(`building ${file} (${mb} MiB)…`);
  execFileSync(process.execPath, [gen, file, String(mb)], { stdio: 'inherit' });
  return file;
}

/** Runs a command, returning wall seconds, peak RSS (KiB) and stdout. */
function measure(cmd, args, stdoutFile) {
  return new Promise((resolveRun, reject) => {
    const tfile = join(corpusDir, `.time-${process.pid}`);
    const full = timeBin ? [timeBin, ['-f', '%e %M', '-o', tfile, cmd, ...args]] : [cmd, args];
    const t0 = process.hrtime.bigint();
    const child = spawn(full[0], full[1], { stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks = [];
    let peak = 0;
    // Without /usr/bin/time, poll /proc for the high-water mark.
    const poll = timeBin
      ? undefined
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) peak = Math.max(peak, Number(m[1]));
          } catch {
            // the process may have exited between polls
          }
        }, 20);
    child.stdout.on('data', (d) => chunks.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (poll) clearInterval(poll);
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      let rss = peak;
      if (timeBin) {
        const [, m] = readFileSync(tfile, 'utf8').trim().split('\n').pop().split(' ');
        rss = Number(m);
        unlinkSync(tfile);
      }
      if (code !== 0 && !(cmd === 'rg' && code === 1)) reject(new Error(`${cmd} exited ${code}`));
      const out = Buffer.concat(chunks);
      if (stdoutFile) writeFileSync(stdoutFile, out);
      resolveRun({ wall, rss, out: out.toString('utf8') });
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// 1. Export the built-in rules as a ripgrep pattern file (and tsv for per-rule checks).
const tsvFile = join(corpusDir, 'patterns.tsv');
const rgFile = join(corpusDir, 'patterns.rg');
execFileSync(process.execPath, [cli, 'rules', 'export', '--format', 'tsv', '-o', tsvFile], { stdio: ['ignore', 'inherit', 'inherit'] });
execFileSync(process.execPath, [cli, 'rules', 'export', '--format', 'rg', '-o', rgFile], { stdio: ['ignore', 'inherit', 'ignore'] });
const rules = readFileSync(tsvFile, 'utf8').trim().split('\n').map((l) => {
  const [rule, pattern, suppress] = l.split('\t');
  return { rule, pattern, suppress: suppress || undefined };
});
console.log(`${rules.length} rule patterns exported (rg ${execFileSync('rg', ['--version']).toString().split('\n')[0]}); progressor CLI: ${cli}`);

const summary = [];
for (const mb of sizes) {
  const file = corpus(mb);
  if (!file) continue;
  const rg = [];
  const pr = [];
  let lastJson;
  for (let i = 0; i < runs; i++) {
    rg.push(await measure('rg', ['-c', '-f', rgFile, file]));
    const r = await measure(process.execPath, [cli, 'scan', file, '--format', 'json']);
    pr.push(r);
    lastJson = r.out;
    console.log(`  ${mb} MiB run ${i + 1}: rg ${rg[i].wall.toFixed(2)} s (${Math.round(rg[i].rss / 1024)} MB), progressor ${r.wall.toFixed(2)} s (${Math.round(r.rss / 1024)} MB); load ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}`);
  }
  const rgMed = median(rg.map((r) => r.wall));
  const prMed = median(pr.map((r) => r.wall));
  const peak = Math.max(...pr.map((r) => r.rss));
  // 2. Per-rule counts: progressor's JSON vs rg -c per pattern. rg runs once over the corpus
  // to keep the lines any pattern matches; per-rule counts are then taken on that subset.
  const ours = new Map(JSON.parse(lastJson).rules.map((r) => [r.rule, r.count]));
  const subset = join(corpusDir, `.matched-${mb}.txt`);
  execFileSync('sh', ['-c', `rg --no-filename --no-line-number -f '${rgFile}' '${file}' > '${subset}' || true`]);
  let mismatches = 0;
  for (const { rule, pattern, suppress } of rules) {
    const cmd = suppress
      ? `rg --no-line-number -e "$P" "$F" | rg -c -v -e "$S" || true`
      : `rg -c -e "$P" "$F" || true`;
    const theirs = Number(execFileSync('sh', ['-c', cmd], { env: { ...process.env, P: pattern, S: suppress ?? '', F: subset } }).toString().trim() || 0);
    const mine = ours.get(rule) ?? 0;
    if (theirs !== mine) {
      mismatches++;
      console.log(`  COUNT MISMATCH ${rule}: progressor ${mine}, rg ${theirs}`);
    }
  }
  unlinkSync(subset);
  summary.push({ mb, rgMed, prMed, ratio: prMed / rgMed, peakMB: peak / 1024, rgPeakMB: Math.max(...rg.map((r) => r.rss)) / 1024, mismatches });
}

console.log('\ncorpus    rg median   progressor median   ratio   progressor peak RSS   per-rule counts');
for (const s of summary) {
  console.log(
    `${String(s.mb).padStart(5)} MiB  ${s.rgMed.toFixed(2).padStart(8)} s  ${s.prMed.toFixed(2).padStart(15)} s  ${s.ratio.toFixed(2).padStart(6)}×  ${s.peakMB.toFixed(0).padStart(12)} MB (rg ${s.rgPeakMB.toFixed(0)} MB)  ${s.mismatches === 0 ? `equal (${rules.length} rules)` : `${s.mismatches} differ`}`,
  );
}
console.log(`load average at end: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} (${(await import('node:os')).availableParallelism()} cores)`);
