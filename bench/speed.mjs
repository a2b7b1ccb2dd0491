#!/usr/bin/env node
// The speed table of issue 16, each row against a baseline measured in the same run:
// `node -e 0` for start-up rows, `rg -c -f <exported rules>` for the scan and the big audit.
// Runs are paired and interleaved (baseline and subject alternate, order flipped each time)
// so machine load drifts hit both alike; medians of BENCH_RUNS (default 5) runs; one
// untimed warm-up run each, so caches (page cache, rule cache, V8 code cache) are warm.
// The load average is printed beside every row: on a busy machine, read the CPU ratio.
// Inputs: the 1 GiB corpus from ../shared/bench/gen-logs.mjs (OUT 1024 7; or BENCH_GEN) when it is there,
// else this project's own generator (bench/gen-corpus.mjs); built in BENCH_DIR (default a
// folder in the system temp dir, reused across runs), never in the repository.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
const scanMb = Number(process.env.BENCH_SCAN_MB ?? 1024);
const work = process.env.BENCH_DIR ?? join(tmpdir(), `progressor-bench-${userInfo().uid}`);
mkdirSync(work, { recursive: true });
const node = process.execPath;
const cli = join(root, 'dist/cli/main.js');
if (!process.env.BENCH_NO_BUILD) spawnSync(node, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'ignore' });
if (!existsSync(cli)) {
  console.error(`cannot find the CLI at ${cli}: run npm run build`);
  process.exit(1);
}
const hasRg = spawnSync('rg', ['--version']).status === 0;
const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** One run: wall and CPU seconds, peak RSS in MB (CPU and RSS need /usr/bin/time). */
function run([cmd, ...args], cwd = root) {
  const tfile = join(work, `.time-${process.pid}`);
  const full = timeBin ? [timeBin, '-f', '%U %S %M', '-o', tfile, cmd, ...args] : [cmd, ...args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(full[0], full.slice(1), { cwd, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const ok = r.status === 0 || (cmd === 'rg' && r.status === 1);
  if (!ok) throw new Error(`${[cmd, ...args].join(' ')} exited ${r.status}: ${r.stderr.toString().slice(0, 400)}`);
  if (!timeBin) return { wall };
  const [u, s, m] = readFileSync(tfile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  rmSync(tfile, { force: true });
  return { wall, cpu: u + s, rss: m / 1024 };
}

/** Paired, interleaved runs of a subject and its baseline. */
function pair(subject, baseline, cwd) {
  run(subject, cwd);
  run(baseline, cwd);
  const a = [];
  const b = [];
  const l0 = load();
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      b.push(run(baseline, cwd));
      a.push(run(subject, cwd));
    } else {
      a.push(run(subject, cwd));
      b.push(run(baseline, cwd));
    }
  }
  const m = (xs, k) => (xs[0][k] === undefined ? undefined : median(xs.map((x) => x[k])));
  return { wall: m(a, 'wall'), cpu: m(a, 'cpu'), rss: m(a, 'rss'), bWall: m(b, 'wall'), bCpu: m(b, 'cpu'), load: `${l0}→${load()}` };
}

// Inputs.
// BENCH_GEN names the shared generator when the checkout is not beside ../shared (a worktree).
const sharedGen = process.env.BENCH_GEN ?? resolve(root, '../shared/bench/gen-logs.mjs');
let corpus;
let corpusNote;
if (existsSync(sharedGen)) {
  corpus = join(work, `shared-gen-logs-${scanMb}-7.log`);
  corpusNote = `gen-logs.mjs OUT ${scanMb} 7 (${sharedGen})`;
  if (!existsSync(corpus) || statSync(corpus).size < scanMb * 2 ** 20) {
    console.log(`building ${corpus} (${corpusNote})…`);
    execFileSync(node, [sharedGen, corpus, String(scanMb), '7'], { stdio: 'inherit' });
  }
} else {
  corpus = join(work, `own-corpus-${scanMb}-16.log`);
  corpusNote = `bench/gen-corpus.mjs OUT ${scanMb} (../shared is not there: the project's own corpus)`;
  if (!existsSync(corpus) || statSync(corpus).size < scanMb * 2 ** 20) {
    console.log(`building ${corpus} (${corpusNote})…`);
    execFileSync(node, [join(root, 'bench/gen-corpus.mjs'), corpus, String(scanMb), '16'], { stdio: 'inherit' });
  }
}
const small = join(work, 'small-40k.log');
{
  const fd = openSync(corpus, 'r');
  const b = Buffer.alloc(41_000);
  readSync(fd, b, 0, b.length, 0);
  closeSync(fd);
  writeFileSync(small, b.subarray(0, b.lastIndexOf(10, 40_000) + 1));
}
const patterns = join(work, 'rules.rg');
execFileSync(node, [cli, 'rules', 'export', '--format', 'rg', '-o', patterns], { stdio: ['ignore', 'ignore', 'ignore'] });
const exported = readFileSync(patterns, 'utf8').trim().split('\n').length;

// The 1,000-comment snapshot with the example's configuration; its logs are the corpus.
const example = join(root, 'examples/staging-outage');
const big = join(work, 'audit-1000');
rmSync(big, { recursive: true, force: true });
mkdirSync(join(big, 'issues'), { recursive: true });
mkdirSync(join(big, '.github'), { recursive: true });
const snap = JSON.parse(readFileSync(join(example, 'issues/1312.json'), 'utf8'));
const base = Date.parse(snap.createdAt);
snap.comments = Array.from({ length: 1000 }, (_, i) => {
  const c = snap.comments[i % snap.comments.length];
  return { ...c, id: `IC_bench${i}`, createdAt: new Date(base + (i + 1) * 60_000).toISOString(), body: i < snap.comments.length ? c.body : `${c.body}\n\n(update ${i})` };
});
writeFileSync(join(big, 'issues/1312.json'), JSON.stringify(snap));
cpSync(join(example, 'reports'), join(big, 'reports'), { recursive: true });
const config = readFileSync(join(example, '.github/progressor.yml'), 'utf8').replace(/logs: \[[^\]]*\]/, `logs: [${JSON.stringify(corpus)}]`);
writeFileSync(join(big, '.github/progressor.yml'), config);

const cores = availableParallelism();
console.log(`issue 16 speed table · ${runs} paired runs per row, medians · ${cores} cores · corpus ${corpusNote} · ${exported} exported rules · rg ${hasRg ? execFileSync('rg', ['--version']).toString().split('\n')[0] : 'missing'}`);
if (!timeBin) console.log('(no /usr/bin/time: CPU and peak RSS are not shown)');
const NODE0 = [node, '-e', '0'];
const RG = ['rg', '-c', '-f', patterns, corpus];
const rows = [
  { what: 'progressor --version', subject: [node, cli, '--version'], baseline: NODE0, bname: 'node -e 0', aim: (r) => [r.wall <= 0.12, '≤ 0.12 s'] },
  { what: 'audit examples/staging-outage --format json', subject: [node, cli, 'audit', example, '--format', 'json'], baseline: NODE0, bname: 'node -e 0', aim: (r) => [r.wall <= 0.35, '≤ 0.35 s'] },
  { what: 'audit 1,000 comments, logs = corpus', subject: [node, cli, 'audit', big, '--format', 'json'], baseline: RG, bname: 'rg -c -f', rg: true, aim: (r) => [r.wall <= r.bWall + 0.3, '≤ 1.0 × rg + 0.3 s'] },
  { what: `scan ${scanMb} MiB`, subject: [node, cli, 'scan', corpus, '--format', 'json'], baseline: RG, bname: 'rg -c -f', rg: true, aim: (r) => [r.wall <= r.bWall * 1.1 && (r.rss ?? 0) <= 200, '≤ 1.0 × rg wall (must: ≤ 1.1), ≤ 200 MB'] },
  { what: 'scan a 40 KB log', subject: [node, cli, 'scan', small], baseline: NODE0, bname: 'node -e 0', aim: (r) => [r.wall <= 0.3, '≤ 0.3 s'] },
];
const f2 = (x) => (x === undefined ? '-' : x.toFixed(2));
console.log(`\n${'row'.padEnd(44)} ${'wall'.padStart(7)} ${'cpu'.padStart(6)} ${'RSS'.padStart(7)}   ${'baseline'.padEnd(10)} ${'wall'.padStart(6)} ${'cpu'.padStart(6)}   ${'wall ×'.padStart(7)} ${'cpu ×'.padStart(6)}   aim                                        load`);
let failed = 0;
for (const row of rows) {
  if (row.rg && !hasRg) {
    console.log(`${row.what.padEnd(44)} skipped: ripgrep (rg) is not installed (apt-get install ripgrep)`);
    continue;
  }
  let r;
  try {
    r = pair(row.subject, row.baseline, root);
  } catch (e) {
    failed++;
    console.log(`${row.what.padEnd(44)} failed: ${e.message}`);
    continue;
  }
  const [holds, aim] = row.aim(r);
  const cpuRatio = r.cpu !== undefined && r.bCpu ? f2(r.cpu / r.bCpu) : '-';
  console.log(
    `${row.what.padEnd(44)} ${f2(r.wall).padStart(5)} s ${f2(r.cpu).padStart(4)} s ${(r.rss === undefined ? '-' : r.rss.toFixed(0)).padStart(4)} MB   ${row.bname.padEnd(10)} ${f2(r.bWall).padStart(4)} s ${f2(r.bCpu).padStart(4)} s   ${f2(r.wall / r.bWall).padStart(6)}× ${cpuRatio.padStart(5)}×   ${`${aim}: ${holds ? 'holds' : 'not met'}`.padEnd(42)} ${r.load}`,
  );
}
console.log(`\nload average at end: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} (${cores} cores). Ratios are subject ÷ baseline medians of the same run.`);
process.exitCode = failed ? 1 : 0;
