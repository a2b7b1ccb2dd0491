import { createLogUpdate } from 'log-update';
import { pickNextIssue } from '../actions/claim.ts';
import { readEnv } from '../config/read-env.ts';
import { EXIT_CODES, ProgressorError } from '../errors/errors.ts';
import type { Forge, IssueRef } from '../forge/forge.ts';
import { parseRepoLocation } from '../forge/parse-ref.ts';
import { redact } from '../redact/redact.ts';
import { runIssue, type RunReport } from '../runner/run-issue.ts';
import { openStore } from '../stores/open-store.ts';
import type { CliIo } from './output.ts';
import type { PrepareRun, RunCliOptions, StepRangeOf } from './run.ts';

interface Row {
  issue: string;
  step: string;
  state: string;
  startedAt: number;
  tokens: number;
  costUsd: number;
  done?: RunReport;
}

/** The live table: issue, step, elapsed, tokens, cost (a terminal only). */
export function renderFleetTable(rows: Row[], now: number): string {
  const lines = ['issue'.padEnd(28) + 'step'.padEnd(18) + 'elapsed'.padStart(9) + 'tokens'.padStart(9) + 'cost'.padStart(10)];
  for (const r of rows) {
    const step = r.done ? r.done.state : `${r.step} ${r.state}`;
    lines.push(r.issue.slice(0, 27).padEnd(28) + step.slice(0, 17).padEnd(18) + `${((now - r.startedAt) / 1000).toFixed(0)} s`.padStart(9) + String(r.tokens).padStart(9) + `$${r.costUsd.toFixed(4)}`.padStart(10));
  }
  return lines.join('\n');
}

/**
 * `progressor run --repo R --workers N --max-issues M`: takes issues the way `next` does,
 * runs up to N at once with one shared run budget, starting workers `staggerMs` apart. Each
 * issue is claimed by its own run (step 0), so other machines' workers back off as usual.
 */
export async function runFleet(opts: RunCliOptions, io: CliIo, envVars: NodeJS.ProcessEnv, deps: { prepare: PrepareRun; stepRange: StepRangeOf }): Promise<number> {
  const workers = opts.workers ?? 2;
  const maxIssues = opts.maxIssues ?? 10;
  const staggerMs = opts.staggerMs ?? 1000;
  for (const [name, v] of [['--workers', workers], ['--max-issues', maxIssues]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ProgressorError('USAGE', `${name}: not a positive whole number: ${v}`, { hint: `e.g. ${name} 2` });
  }
  const { from, until } = deps.stepRange(opts);
  const target = parseRepoLocation(opts.repo!);
  const forge: Forge =
    target.forge === 'github'
      ? (await import('../forge/github/open-github-forge.ts')).openGitHubForge({ log: (m) => io.err(`warning: ${m}`) })
      : new (await import('../forge/local/local-forge.ts')).LocalForge();
  const configStart = target.forge === 'github' ? process.cwd() : target.location;
  const p = await deps.prepare(opts, configStart, envVars);
  const store = await openStore(readEnv(envVars));
  const shared = { tokens: 0, costUsd: 0 };
  const taken = new Set<string>();
  const keyOf = (ref: IssueRef) => `${ref.location}#${ref.number}`;
  const rows: Row[] = [];
  const live = io.isTTY ? createLogUpdate(process.stdout) : undefined;
  const timer = live ? setInterval(() => live(renderFleetTable(rows, Date.now())), 500) : undefined;
  const emit = (event: Record<string, unknown>) => {
    if (!live) io.out(redact(JSON.stringify(event)));
  };
  let picking = Promise.resolve();
  let started = 0;
  let exitCode: number = EXIT_CODES.OK;

  // One pick at a time, so two workers never take the same issue from this pool.
  const next = async (): Promise<IssueRef | undefined> => {
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const before = picking;
    picking = mine;
    await before;
    try {
      if (started >= maxIssues) return undefined;
      const n = await pickNextIssue(forge, target.location, {
        claimLabel: p.config.claim.label,
        sessionFormat: p.config.claim.sessionLabelFormat,
        leaseMinutes: p.config.claim.leaseMinutes,
        focus: opts.focus,
        skip: (ref) => taken.has(keyOf(ref)),
      });
      if (!n) return undefined;
      taken.add(keyOf(n.issue.ref));
      started++;
      return n.issue.ref;
    } finally {
      release();
    }
  };

  const worker = async (w: number): Promise<void> => {
    await new Promise((r) => setTimeout(r, w * staggerMs));
    for (let ref = await next(); ref; ref = await next()) {
      const label = ref.forge === 'github' ? `${ref.location}#${ref.number}` : `#${ref.number}`;
      const row: Row = { issue: label, step: '0 claim', state: 'running', startedAt: Date.now(), tokens: 0, costUsd: 0 };
      rows.push(row);
      let report: RunReport;
      try {
        report = await runIssue({
          ref,
          forge,
          store,
          config: p.config,
          rules: p.rules,
          audit: p.audit,
          agent: p.agent,
          repoDir: p.repoDir,
          stateDir: p.stateDir,
          apply: Boolean(opts.apply),
          from,
          until,
          now: () => new Date(),
          env: envVars,
          log: () => undefined,
          sharedRun: shared,
          onStep: (e) => {
            row.step = `${e.step} ${e.name}`;
            row.state = e.state;
            row.tokens += e.tokens;
            row.costUsd += e.costUsd;
            emit({ issue: label, step: e.step, name: e.name, state: e.state, elapsedMs: Date.now() - row.startedAt, tokens: row.tokens, costUsd: row.costUsd });
          },
        });
      } catch (e) {
        const err = e instanceof ProgressorError ? e : new ProgressorError('INTERNAL', (e as Error).message);
        emit({ issue: label, state: 'error', code: err.code, message: err.message });
        if (exitCode === EXIT_CODES.OK) exitCode = err.exitCode;
        row.state = `error ${err.code}`;
        continue;
      }
      row.done = report;
      if (report.exitCode !== 0 && exitCode === EXIT_CODES.OK) exitCode = report.exitCode;
      emit({ issue: label, state: report.state, message: report.message, exitCode: report.exitCode, tokens: report.totals.tokens, costUsd: report.totals.costUsd, ...(report.pr ? { pr: report.pr } : {}), elapsedMs: Date.now() - row.startedAt });
    }
  };
  try {
    await Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
  } finally {
    if (timer) clearInterval(timer);
    if (live) {
      live(renderFleetTable(rows, Date.now()));
      live.done();
    }
    await store.close();
  }
  io.err(`fleet: ${rows.length} issue(s) in ${target.location}, ${shared.tokens} tokens, $${shared.costUsd.toFixed(4)} in all`);
  if (rows.length === 0) io.err(`no open issue to take in ${target.location}${opts.focus ? ` with focus ${opts.focus}` : ''}`);
  return exitCode;
}
