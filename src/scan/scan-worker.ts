// Worker entry: compiles the plan once, then runs the tasks the main thread sends.
import { parentPort, workerData } from 'node:worker_threads';
import type { ScanPlan } from './scan-plan.ts';
import { runGzipTask, runRangeTask, type ScanTask, type TaskOutcome } from './scan-task.ts';
import { CompiledPlan, type TaskOptions } from './task-scanner.ts';

const { plan, opts } = workerData as { plan: ScanPlan; opts: TaskOptions };
const cp = new CompiledPlan(plan);
const port = parentPort!;

port.on('message', (msg: { task: ScanTask; size: number } | 'stop') => {
  if (msg === 'stop') {
    port.close();
    return;
  }
  void run(msg.task, msg.size).then(
    (outcome) => port.postMessage({ id: msg.task.id, outcome }),
    (e: Error) => port.postMessage({ id: msg.task.id, failure: e.message }),
  );
});

async function run(task: ScanTask, size: number): Promise<TaskOutcome> {
  const progress = (bytes: number) => port.postMessage({ progress: bytes });
  if (task.kind === 'range') return runRangeTask(cp, task.path, task.start, task.end, size, opts, progress);
  return runGzipTask(cp, task.path, opts, progress);
}
