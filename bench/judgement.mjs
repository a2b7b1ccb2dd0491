#!/usr/bin/env node
// The fitted judgement's cost: loading data/models/judgement.json (parse, decode) and deciding one
// thread, medians of 7 runs in fresh processes, against `node -e 0` measured in the same run.
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/judgement/load-judgement.js', import.meta.url));
const script = `const t0=performance.now();const m=await import(${JSON.stringify(dist)});const t1=performance.now();m.loadJudgement();const t2=performance.now();console.log(JSON.stringify({imp:t1-t0,load:t2-t1}))`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const wall = (args) => {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  return { ms: performance.now() - t, out: r.stdout };
};
const base = [];
const load = [];
const imp = [];
for (let i = 0; i < 7; i++) {
  base.push(wall(['-e', '0']).ms);
  const r = JSON.parse(wall(['--input-type=module', '-e', script]).out);
  load.push(r.load);
  imp.push(r.imp);
}
console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(`judgement model load: median ${median(load).toFixed(1)} ms (aim < 100 ms); module import ${median(imp).toFixed(1)} ms; node -e 0 ${median(base).toFixed(1)} ms → load/baseline ${(median(load) / median(base)).toFixed(2)}×`);
