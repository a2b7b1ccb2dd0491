#!/usr/bin/env node
// `npm run bench`: every benchmark, each printing its figures against the baseline it names
// (speed: the start-up, audit and scan table of issue 16 against `node -e 0` and ripgrep;
// probes: 12 × timeout run one after another; GitHub: the request limits of issue 4; run:
// progressor's own time per step of `progressor run`). The 1 GiB / 4 GiB scan benchmark with
// per-rule count checks takes many minutes, so it runs only with --scan (or alone: npm run bench:scan).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = (f) => fileURLToPath(new URL(f, import.meta.url));
const benches = [
  ['speed', [here('./speed.mjs')]],
  ['probes', [here('./probes.mjs'), '3']],
  ['github-requests', [here('./github-requests.mjs')]],
  ['judgement', [here('./judgement.mjs')]],
  ['run-overhead', [here('./run-overhead.mjs'), '3']],
];
if (process.argv.includes('--scan')) benches.push(['scan', [here('./scan.mjs')]]);

let failed = 0;
for (const [name, args] of benches) {
  console.log(`\n== ${name}`);
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.log(`== ${name}: exited ${r.status}`);
  }
}
process.exitCode = failed ? 1 : 0;
