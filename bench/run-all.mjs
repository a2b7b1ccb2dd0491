#!/usr/bin/env node
// `npm run bench`: every benchmark, each printing its figures against the baseline it names
// (probes: 12 × timeout run one after another; GitHub: the request limits of issue 4; scan:
// ripgrep on the same corpus, in the same run). The scan benchmark builds 1 GiB and 4 GiB
// corpora and takes minutes, so it runs only with --scan (or alone: npm run bench:scan).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = (f) => fileURLToPath(new URL(f, import.meta.url));
const benches = [
  ['probes', [here('./probes.mjs'), '3']],
  ['github-requests', [here('./github-requests.mjs')]],
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
