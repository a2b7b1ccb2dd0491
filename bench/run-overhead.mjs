#!/usr/bin/env node
// progressor's own overhead per step of `progressor run` (issue 13): the step's wall time
// minus the time spent waiting for the agent and the configured commands (tests, startup,
// deploy), which the runner records per step as `externalMs`. The fixture is the e2e one: a
// real git repository with a known bug, the scripted agent, a SQLite store. Aim: < 300 ms.
// Usage: node bench/run-overhead.mjs [runs=3]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { makeRunFixture } from '../test/e2e/run-fixture.ts';

const runs = Number(process.argv[2] ?? 3);
const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const AIM_MS = 300;
const per = new Map();
const walls = [];
const before = [];
for (let i = 0; i < runs; i++) {
  const f = makeRunFixture();
  f.config(`  tests:\n    command: node --test\n  deploy:\n    command: "true"\n  agent:\n    backend: command\n    command: ["${process.execPath}", "${fileURLToPath(new URL('../test/agents/scripted-agent.mjs', import.meta.url))}"]\n    retries: 0\n`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [main, 'run', f.forge, '--apply', '--format', 'json'], { env: { ...process.env, ...f.env }, encoding: 'utf8' });
  const wall = performance.now() - t0;
  if (r.status !== 0) {
    console.error(r.stderr);
    process.exit(1);
  }
  const report = JSON.parse(r.stdout);
  walls.push(wall);
  const inSteps = report.steps.reduce((n, s) => n + (s.durationMs ?? 0), 0);
  before.push(wall - inSteps);
  for (const s of report.steps) {
    const row = per.get(s.step) ?? { name: s.name, total: [], external: [] };
    row.total.push(s.durationMs ?? 0);
    row.external.push(s.result?.externalMs ?? 0);
    per.set(s.step, row);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (n) => `${n.toFixed(0).padStart(6)} ms`;
console.log(`progressor run, ${runs} runs (median per step): total = agent/commands + progressor's own overhead`);
console.log(`step              total      agent+cmds   overhead   (aim < ${AIM_MS} ms)`);
let worst = 0;
for (const [step, row] of [...per.entries()].sort((a, b) => a[0] - b[0])) {
  const total = median(row.total);
  const external = median(row.external);
  const overhead = Math.max(0, total - external);
  worst = Math.max(worst, overhead);
  console.log(`${String(step).padEnd(2)}${row.name.padEnd(16)}${ms(total)}  ${ms(external)}  ${ms(overhead)}  ${overhead < AIM_MS ? 'ok' : 'over'}`);
}
console.log(`whole process: ${ms(median(walls))}; before step 0 (node start-up, config, rules, audit): ${ms(median(before))}`);
console.log(`worst step overhead: ${worst.toFixed(0)} ms (aim < ${AIM_MS} ms)`);
