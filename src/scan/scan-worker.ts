// Worker entry: receives the plan (it may start before the plan is ready, so its module
// loading overlaps the main thread's planning), compiles it once, then runs tasks.
import { parentPort } from 'node:worker_threads';
import type { MultiLiteral } from './multi-literal.ts';
import type { ScanPlan } from './scan-plan.ts';
import { runGzipTask, runRangeTask, type ScanTask, type TaskOutcome } from './scan-task.ts';
import { CompiledPlan, type TaskOptions } from './task-scanner.ts';

const port = parentPort!;
let cp: CompiledPlan | undefined;
let opts: TaskOptions | undefined;

port.on('message', (msg: { plan: ScanPlan; ml?: MultiLiteral; opts: TaskOptions } | { task: ScanTask; size: number }) => {
  if ('plan' in msg) {
    // The main thread built the scanner tables already: they arrive copied, not rebuilt.
    cp = new CompiledPlan(msg.plan, msg.ml);
    opts = msg.opts;
    return;
  }
  void run(msg.task, msg.size).then(
    (outcome) => port.postMessage({ id: msg.task.id, outcome }),
    (e: Error) => port.postMessage({ id: msg.task.id, failure: e.message }),
  );
});

async function run(task: ScanTask, size: number): Promise<TaskOutcome> {
  const progress = (bytes: number) => port.postMessage({ progress: bytes });
  if (task.kind === 'range') return runRangeTask(cp!, task.path, task.start, task.end, size, opts!, progress);
  return runGzipTask(cp!, task.path, opts!, progress);
}
