// `progressor run` for one issue (SPEC §3 steps 0–9), checkpointed in the store. Each step
// is started (state running) and finished in the store; a resumed run skips finished steps
// and redoes an in-flight one only where its effect is absent: the commit, the push, the PR
// and the comment are each looked up before they are made.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { claimIssue, releaseClaim, type ClaimPolicy } from '../actions/claim.ts';
import { SessionLabelFormat } from '../domain/session-label.ts';
import { executePlanOrThrow, executePullRequest } from '../actions/execute.ts';
import type { ActionPlan } from '../actions/plan.ts';
import type { AgentBackend, AgentOutput, AgentStep } from '../agents/agent-backend.ts';
import { buildPrompt } from '../agents/prompt.ts';
import type { Config } from '../config/load-config.ts';
import { EXIT_CODES, ProgressorError } from '../errors/errors.ts';
import type { Forge, Issue, IssueRef, PullRequest } from '../forge/forge.ts';
import { renderRunSection, withRunSection, type RunSectionStep } from '../report/render-run-section.ts';
import { StatusMarker } from '../report/status-marker.ts';
import type { CompiledRule } from '../rules/compile-rule.ts';
import type { RunRow, StepRow, StepState, Store } from '../stores/store.ts';
import { BranchName, assertPushable } from './branch-name.ts';
import { checkBudget, costOf } from './budget.ts';
import { failpoint } from './failpoint.ts';
import { changedFiles, commit, commitsSince, commitsWithTrailer, discardChanges, ensureWorktree, filesBetween, git, gitOk, headSha, isGitRepo } from './git.ts';
import { runAudit, type AuditRequest, type AuditResult } from './run-audit.ts';
import { describeTestRun, runTests, type TestRun } from './run-tests.ts';
import { runShell } from './shell-command.ts';
import { issueKey, STEPS } from './steps.ts';

export const STEP_TITLES = ['Claim', 'Audit', 'Decide', 'Plan tests', 'Run tests', 'Plan remediation', 'Apply remediation', 'Prove', 'Deploy to staging', 'Pull request'] as const;

export interface RunIssueRequest {
  ref: IssueRef;
  forge: Forge;
  store: Store;
  config: Config;
  rules: CompiledRule[];
  audit: Omit<AuditRequest, 'ref' | 'forge' | 'rules' | 'session' | 'now'>;
  agent: AgentBackend;
  /** Local clone the worktree is made from. */
  repoDir?: string;
  /** Folder for worktrees (beside the store). */
  stateDir: string;
  apply: boolean;
  from?: number;
  until?: number;
  now: () => Date;
  /** Environment for configured commands and agents. */
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  /** A spend shared with other runs (fleet mode). */
  sharedRun?: { tokens: number; costUsd: number };
  /** Called when a step starts and when it ends (fleet table, JSON lines). */
  onStep?: (e: { step: number; name: string; state: StepState; tokens: number; costUsd: number }) => void;
}

export interface StepReport {
  step: number;
  name: string;
  title: string;
  state: StepState | 'planned' | 'pending';
  summary: string;
  durationMs?: number | null;
  tokens: number;
  costUsd: number;
  attempt?: number;
  result?: Record<string, unknown> | null;
}

export interface RunReport {
  runId?: string;
  issue: { number: number; title: string; url: string };
  session: string;
  branch?: string;
  state: RunRow['state'] | 'planned' | 'nothing-to-do';
  message: string;
  exitCode: number;
  dryRun: boolean;
  steps: StepReport[];
  totals: { tokens: number; costUsd: number };
  pr?: { number: number; url: string };
  /** The living comment as written (or as it would be). */
  comment?: string;
}

interface Outcome {
  state: Exclude<StepState, 'running'>;
  summary: string;
  result?: Record<string, unknown>;
  artefacts?: { kind: string; ref: string; url?: string }[];
  tokens?: number;
  costUsd?: number;
  /** Stop the run after this step. */
  stop?: { state: RunRow['state']; exitCode: number; message: string };
}

const TRAILER_RUN = 'Progressor-Run:';
const hash = (v: unknown): string => createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 16);

/** Runs (or plans, without `apply`) SPEC §3 for one issue. Library code: never exits. */
export async function runIssue(req: RunIssueRequest): Promise<RunReport> {
  const key = issueKey(req.ref);
  const latest = (await req.store.listRuns({ issueKey: key, limit: 1 }))[0];
  const resumable = latest && ['running', 'paused', 'failed', 'blocked'].includes(latest.state) ? latest : undefined;
  const now = req.now();
  const sessionFormat = req.config.claim.sessionLabelFormat;
  const session = resumable?.session ?? new SessionLabelFormat(sessionFormat).formatLabel(now, randomBytes(2).toString('hex'));
  // The branch carries the session's variable part: the format's fixed prefix adds nothing.
  const prefix = sessionFormat.includes('{') ? sessionFormat.slice(0, sessionFormat.indexOf('{')) : '';
  const branch = resumable?.branch ?? BranchName.forSession(req.ref.number, session, prefix).toString();

  const audit = await runAudit({ ...req.audit, ref: req.ref, forge: req.forge, rules: req.rules, session, now });
  const issue = audit.issue;
  const base: Omit<RunReport, 'state' | 'message' | 'exitCode' | 'steps'> = {
    issue: { number: issue.number, title: issue.title, url: issue.url },
    session,
    branch,
    dryRun: !req.apply,
    totals: { tokens: 0, costUsd: 0 },
  };

  // A finished run whose draft PR is still open: the issue is in review, nothing to do.
  if (latest?.state === 'done' && req.from === undefined && latest.branch) {
    const pr = await req.forge.findPullRequest(req.ref, latest.branch);
    if (pr && pr.state === 'OPEN') {
      const steps = (await req.store.listSteps(latest.id)).map(stepReport);
      return {
        ...base,
        runId: latest.id,
        session: latest.session,
        branch: latest.branch,
        state: 'nothing-to-do',
        message: `nothing to do: run ${latest.id} opened draft PR #${pr.number}, still open (${pr.url}; checks: ${pr.checks ?? 'none reported'})`,
        exitCode: 0,
        steps,
        totals: { tokens: latest.tokens, costUsd: latest.costUsd },
        pr: { number: pr.number, url: pr.url },
      };
    }
  }
  // A run stopped by the status decision, on an unchanged audit: SPEC §3 step 2 says wait for a new signal.
  if (latest?.state === 'stopped' && req.from === undefined) {
    const steps = await req.store.listSteps(latest.id);
    const decided = steps.find((s) => s.step === 2 && s.state === 'done');
    const audited = steps.find((s) => s.step === 1);
    if (decided && decided.result?.decision !== 'continue' && audited?.result?.auditHash === audit.auditHash) {
      return {
        ...base,
        runId: latest.id,
        state: 'nothing-to-do',
        message: `nothing to do: run ${latest.id} stopped at the status decision (${String(decided.result?.decision)}) and the audit is unchanged since`,
        exitCode: 0,
        steps: steps.map(stepReport),
        totals: { tokens: latest.tokens, costUsd: latest.costUsd },
      };
    }
  }

  if (!req.apply) return planRun(req, audit, base, resumable);

  let run = resumable;
  if (!run) {
    run = await req.store.createRun({
      id: randomUUID(),
      issueKey: key,
      session,
      branch,
      state: 'running',
      startedAt: now.toISOString(),
      updatedAt: now.toISOString(),
      options: { agent: req.agent.name, until: req.until ?? null, from: req.from ?? null },
    });
    await req.store.saveSession({ id: session, issueKey: key, startedAt: now.toISOString(), worker: `${process.pid}` });
    req.log(`run ${run.id}: new, session ${session}`);
  } else {
    await req.store.updateRun(run.id, { state: 'running', updatedAt: now.toISOString() });
    req.log(`run ${run.id}: resuming`);
  }
  await req.store.saveAudit({
    id: randomUUID(),
    issueKey: key,
    session,
    runId: run.id,
    auditHash: audit.auditHash,
    status: audit.analysis.status.value,
    owner: audit.analysis.owner.value,
    category: audit.analysis.category.value,
    at: now.toISOString(),
    summary: { confidence: audit.analysis.confidence },
  });

  const ctx = new RunContext(req, run, audit, branch);
  return ctx.execute(base);
}

function stepReport(s: StepRow): StepReport {
  return {
    step: s.step,
    name: s.name,
    title: STEP_TITLES[s.step] ?? s.name,
    state: s.state,
    summary: typeof s.result?.summary === 'string' ? s.result.summary : '',
    durationMs: s.durationMs,
    tokens: s.tokens,
    costUsd: s.costUsd,
    attempt: s.attempt,
    result: s.result,
  };
}

/** Without --apply: what each step would do, and nothing written anywhere. */
async function planRun(req: RunIssueRequest, audit: AuditResult, base: Omit<RunReport, 'state' | 'message' | 'exitCode' | 'steps'>, resumable: RunRow | undefined): Promise<RunReport> {
  const cfg = req.config.run;
  const done = new Map((resumable ? await req.store.listSteps(resumable.id) : []).filter((s) => s.state === 'done' || s.state === 'skipped').map((s) => [s.step, s]));
  const status = audit.analysis.status.value;
  const stops = status === 'resolved' || status === 'blocked-on-infrastructure' || status === 'not-a-bug';
  const agentOn = req.agent.enabled;
  const plans: string[] = [
    `claim with session ${base.session} (claim label ${req.config.claim.label})`,
    audit.plan.noChange ? 'audit: no change to the status comment or labels' : `audit: ${audit.plan.summary.join('; ')}`,
    stops ? `stop: status ${status}${status === 'resolved' ? ', close the issue' : status === 'blocked-on-infrastructure' ? ', escalate and release the claim' : ''}` : `continue: status ${status}`,
    agentOn ? `ask agent ${req.agent.name} for reproduction tests, commit them on ${base.branch}` : 'skip: no agent (agent: none)',
    `run ${agentOn ? `the reproduction tests (${cfg.tests.reproduce}) and ` : ''}${cfg.tests.command ? `the tests (${cfg.tests.command})` : 'no full test command (run.tests.command unset)'} in a worktree of ${req.repoDir ?? '(no repository)'}`,
    agentOn ? `ask agent ${req.agent.name} for a remediation plan` : 'skip: no agent (agent: none)',
    agentOn ? `ask agent ${req.agent.name} to apply it; commit on ${base.branch}` : 'skip: no agent (agent: none)',
    `re-run the tests${cfg.startup ? ` and the startup check (${cfg.startup.command})` : ''}; reproduction tests must pass, zero executed tests fails`,
    cfg.deploy ? `deploy with ${cfg.deploy.command} unless deployed within ${cfg.deploy.skipWithinMinutes} min, then probes and logs decide` : 'skip: no deploy command (run.deploy)',
    `push ${base.branch} to ${cfg.remote} and open a draft PR against ${cfg.workingBranch} with "Closes #${audit.issue.number}"; release the claim`,
  ];
  const steps: StepReport[] = STEPS.map((name, i) => {
    const d = done.get(i);
    if (d) return { ...stepReport(d), summary: `already ${d.state}: ${stepReport(d).summary}` };
    const outside = (req.from !== undefined && i < req.from) || (req.until !== undefined && i > req.until) || (stops && i > 2);
    return { step: i, name, title: STEP_TITLES[i]!, state: outside ? 'pending' : 'planned', summary: plans[i]!, tokens: 0, costUsd: 0 };
  });
  return { ...base, runId: resumable?.id, state: 'planned', message: 'dry run: nothing written (run with --apply to write)', exitCode: 0, steps, comment: audit.comment };
}

class RunContext {
  private readonly req: RunIssueRequest;
  private readonly run: RunRow;
  private readonly audit: AuditResult;
  private readonly branch: string;
  private readonly cfg: Config['run'];
  private steps = new Map<number, StepRow>();
  private commentId: string | undefined;
  private lastComment: string | undefined;
  private worktree: string | undefined;
  private pr: PullRequest | undefined;
  /** Time the current step spent waiting for the agent and configured commands (not progressor's own). */
  private externalMs = 0;

  constructor(req: RunIssueRequest, run: RunRow, audit: AuditResult, branch: string) {
    this.req = req;
    this.run = run;
    this.audit = audit;
    this.branch = branch;
    this.cfg = req.config.run;
  }

  private get issue(): Issue {
    return this.audit.issue;
  }

  private env(): NodeJS.ProcessEnv {
    return { ...this.req.env, PROGRESSOR_RUN_PID: String(process.pid), PROGRESSOR_BRANCH: this.branch, PROGRESSOR_ISSUE: String(this.issue.number) };
  }

  private result<T = Record<string, unknown>>(step: number): T | undefined {
    return (this.steps.get(step)?.result ?? undefined) as T | undefined;
  }

  async execute(base: Omit<RunReport, 'state' | 'message' | 'exitCode' | 'steps'>): Promise<RunReport> {
    for (const s of await this.req.store.listSteps(this.run.id)) this.steps.set(s.step, s);
    // The status comment as written (the audit reads it from the raw issue, not the redacted view).
    this.commentId = this.audit.priorCommentId;
    this.lastComment = this.audit.priorBody;
    if (this.req.from !== undefined) {
      for (let i = 0; i < this.req.from; i++) {
        const s = this.steps.get(i);
        if (!s || (s.state !== 'done' && s.state !== 'skipped')) {
          throw new ProgressorError('USAGE', `--from ${this.req.from}: step ${i} (${STEPS[i]}) has not finished in run ${this.run.id}`, { hint: 'Run without --from, or with a lower --from.' });
        }
      }
    }
    let stop: Outcome['stop'];
    for (let i = 0; i < STEPS.length; i++) {
      if (this.req.until !== undefined && i > this.req.until) {
        stop = { state: 'paused', exitCode: 0, message: `paused after step ${this.req.until} (${STEPS[this.req.until]}): run again to continue` };
        break;
      }
      const prev = this.steps.get(i);
      const redo = this.req.from !== undefined && i >= this.req.from;
      if (prev && (prev.state === 'done' || prev.state === 'skipped') && !redo) {
        if (prev.result && typeof prev.result.commentId === 'string') this.commentId = prev.result.commentId;
        continue;
      }
      const inFlight = prev?.state === 'running';
      const startedAt = this.req.now();
      if (i > 0 && !(await this.req.store.renewLease(issueKey(this.req.ref), this.run.session, startedAt, this.req.config.claim.leaseMinutes * 60_000))) {
        // Lost (expired and taken) or released by an earlier stop: take it again or give up.
        const again = await this.req.store.acquireLease(issueKey(this.req.ref), this.run.session, startedAt, this.req.config.claim.leaseMinutes * 60_000);
        if (!again) {
          stop = { state: 'failed', exitCode: EXIT_CODES.CLAIM_LOST, message: `the lease on #${this.issue.number} was taken by another worker before step ${i}` };
          break;
        }
      }
      const t0 = performance.now();
      const started = await this.req.store.startStep(this.run.id, i, STEPS[i]!, hash({ step: i, audit: this.audit.auditHash, prev: this.steps.get(i - 1)?.result ?? null }), startedAt.toISOString());
      this.steps.set(i, started);
      this.req.log(`step ${i} ${STEPS[i]}: ${inFlight ? 'redo (was in flight)' : 'start'}`);
      this.req.onStep?.({ step: i, name: STEPS[i]!, state: 'running', tokens: 0, costUsd: 0 });
      let out: Outcome;
      this.externalMs = 0;
      try {
        out = await this.step(i, inFlight);
      } catch (e) {
        const err = e instanceof ProgressorError ? e : new ProgressorError('INTERNAL', (e as Error).message, { cause: e });
        const state = err.code === 'BUDGET_EXHAUSTED' ? 'blocked' : 'failed';
        out = { state, summary: `${state === 'blocked' ? 'blocked' : 'failed'}: ${err.message}`, result: { error: err.code }, stop: { state, exitCode: err.exitCode, message: err.message } };
      }
      const finish = {
        state: out.state,
        endedAt: this.req.now().toISOString(),
        durationMs: performance.now() - t0,
        tokens: out.tokens ?? 0,
        costUsd: out.costUsd ?? 0,
        result: { ...(out.result ?? {}), summary: out.summary, externalMs: Math.round(this.externalMs) },
        artefacts: out.artefacts ?? [],
      };
      await this.req.store.finishStep(this.run.id, i, finish);
      this.steps.set(i, { ...started, ...finish, tokens: started.tokens + finish.tokens, costUsd: started.costUsd + finish.costUsd });
      if (this.req.sharedRun) {
        this.req.sharedRun.tokens += finish.tokens;
        this.req.sharedRun.costUsd += finish.costUsd;
      }
      this.req.log(`step ${i} ${STEPS[i]}: ${out.state}: ${out.summary}`);
      this.req.onStep?.({ step: i, name: STEPS[i]!, state: out.state, tokens: finish.tokens, costUsd: finish.costUsd });
      if (i >= 1) await this.writeComment();
      if (out.stop) {
        stop = out.stop;
        break;
      }
    }
    const final = stop ?? { state: 'done' as const, exitCode: 0, message: this.pr ? `done: draft PR #${this.pr.number} ${this.pr.url}` : 'done' };
    if (final.state === 'stopped') {
      // A stopped run is over (a gate said no, or the status decision): its claim goes, so the
      // next run (or another worker) can take the issue. Resumable states keep it.
      await releaseClaim(this.req.forge, this.req.ref, this.run.session, this.claimPolicy());
      await this.req.store.releaseLease(issueKey(this.req.ref), this.run.session);
    }
    const at = this.req.now().toISOString();
    await this.req.store.updateRun(this.run.id, { state: final.state, updatedAt: at, ...(final.state === 'paused' ? {} : { endedAt: at }) });
    const rows = [...this.steps.values()].sort((a, b) => a.step - b.step);
    const totals = rows.reduce((t, s) => ({ tokens: t.tokens + s.tokens, costUsd: t.costUsd + s.costUsd }), { tokens: 0, costUsd: 0 });
    return {
      ...base,
      runId: this.run.id,
      state: final.state,
      message: final.message,
      exitCode: final.exitCode,
      steps: STEPS.map((name, i) => {
        const s = this.steps.get(i);
        return s ? stepReport(s) : { step: i, name, title: STEP_TITLES[i]!, state: 'pending', summary: '', tokens: 0, costUsd: 0 };
      }),
      totals,
      ...(this.pr ? { pr: { number: this.pr.number, url: this.pr.url } } : {}),
      comment: this.lastComment,
    };
  }

  private step(i: number, inFlight: boolean): Promise<Outcome> {
    switch (i) {
      case 0:
        return this.claim();
      case 1:
        return this.auditStep();
      case 2:
        return this.decide();
      case 3:
        return this.planTests(inFlight);
      case 4:
        return this.runTestsStep();
      case 5:
        return this.planRemediation();
      case 6:
        return this.apply(inFlight);
      case 7:
        return this.prove();
      case 8:
        return this.deploy(inFlight);
      default:
        return this.pullRequest();
    }
  }

  /** Runs an agent call or a configured command, counting its time as external. */
  private async external<T>(fn: () => Promise<T>): Promise<T> {
    const t = performance.now();
    try {
      return await fn();
    } finally {
      this.externalMs += performance.now() - t;
    }
  }

  private claimPolicy(): ClaimPolicy {
    return { claimLabel: this.req.config.claim.label, sessionFormat: this.req.config.claim.sessionLabelFormat, leaseMinutes: this.req.config.claim.leaseMinutes, now: this.req.now };
  }

  // ---------------------------------------------------------------- 0–2

  private async claim(): Promise<Outcome> {
    const key = issueKey(this.req.ref);
    const lease = await this.req.store.acquireLease(key, this.run.session, this.req.now(), this.req.config.claim.leaseMinutes * 60_000);
    if (!lease) {
      const held = await this.req.store.getLease(key);
      throw new ProgressorError('CLAIM_LOST', `#${this.issue.number} is leased in the store by ${held?.holder ?? 'another session'} until ${held?.expiresAt ?? '?'}`, { hint: 'Another worker has it; pick another issue.' });
    }
    const r = await claimIssue(this.req.forge, this.req.ref, { ...this.claimPolicy(), session: this.run.session });
    failpoint('claimed', this.req.env);
    if (!r.won) {
      await this.req.store.releaseLease(key, this.run.session);
      throw new ProgressorError('CLAIM_LOST', `#${this.issue.number} is held by ${r.holder} (${r.reason})`, { hint: 'Another worker has it; pick another issue.' });
    }
    return { state: 'done', summary: `claimed by ${this.run.session} until ${r.expiresAt}`, result: { expiresAt: r.expiresAt }, artefacts: [{ kind: 'label', ref: this.run.session }] };
  }

  private async auditStep(): Promise<Outcome> {
    const a = this.audit;
    // The status comment and labels; closing waits for step 2.
    const plan: ActionPlan = { ...a.plan, close: undefined };
    const written = (await executePlanOrThrow({ ...plan, comment: { action: 'none', body: '' } }, this.req.forge, this.req.ref)).written;
    return {
      state: 'done',
      summary: `status ${a.analysis.status.value}, owner ${a.analysis.owner.value}, category ${a.analysis.category.value}${written.length ? `; ${written.join('; ')}` : ''}`,
      result: { status: a.analysis.status.value, owner: a.analysis.owner.value, category: a.analysis.category.value, auditHash: a.auditHash },
    };
  }

  private async decide(): Promise<Outcome> {
    const status = this.audit.analysis.status.value;
    if (status === 'resolved' || status === 'blocked-on-infrastructure' || status === 'not-a-bug') {
      const written: string[] = [];
      if (status === 'resolved' && this.audit.plan.close) {
        written.push(...(await executePlanOrThrow({ comment: { action: 'none', body: '' }, labels: { add: [], remove: [] }, close: this.audit.plan.close, noChange: false, summary: [] }, this.req.forge, this.req.ref)).written);
      }
      await releaseClaim(this.req.forge, this.req.ref, this.run.session, this.claimPolicy());
      await this.req.store.releaseLease(issueKey(this.req.ref), this.run.session);
      const decision = status === 'resolved' ? 'close' : status === 'blocked-on-infrastructure' ? 'escalate' : 'stop';
      const what = status === 'resolved' ? 'resolved: closed the issue with the evidence' : status === 'blocked-on-infrastructure' ? `blocked on ${this.audit.analysis.owner.value}: escalated, claim released; no re-audit until a new signal` : 'not a bug: stopped, claim released';
      return { state: 'done', summary: `${what}${written.length ? ` (${written.join('; ')})` : ''}`, result: { decision }, stop: { state: 'stopped', exitCode: 0, message: what } };
    }
    return { state: 'done', summary: `status ${status}: continue to the fix`, result: { decision: 'continue' } };
  }

  // ---------------------------------------------------------------- worktree, agent

  private async ensureWorktree(): Promise<string> {
    if (this.worktree) return this.worktree;
    const repo = this.req.repoDir;
    if (!repo || !(await isGitRepo(repo))) {
      throw new ProgressorError('CONFIG_INVALID', `run needs a local git clone, and ${repo ?? 'none'} is not one`, {
        path: 'sources.repoDir',
        hint: 'Pass --repo-dir DIR (a clone of the issue\'s repository) or set sources.repoDir.',
      });
    }
    const top = await gitOk(repo, ['rev-parse', '--show-toplevel']);
    const baseRef = (await git(top, ['rev-parse', '--verify', '--quiet', `refs/heads/${this.cfg.workingBranch}`])).code === 0 ? this.cfg.workingBranch : `${this.cfg.remote}/${this.cfg.workingBranch}`;
    const path = join(this.req.stateDir, 'worktrees', hash(resolve(top)), this.branch.replace(/\//g, '_'));
    await ensureWorktree(top, path, this.branch, baseRef);
    this.worktree = path;
    return path;
  }

  /** The commit the branch started from (the working branch's head when the run began). */
  private async baseCommit(dir: string): Promise<string> {
    const mb = await git(dir, ['merge-base', 'HEAD', this.cfg.workingBranch]);
    if (mb.code === 0) return mb.stdout.trim();
    return gitOk(dir, ['merge-base', 'HEAD', `${this.cfg.remote}/${this.cfg.workingBranch}`]);
  }

  private skipNoAgent(): Outcome {
    return { state: 'skipped', summary: 'skipped: no agent (agent: none)' };
  }

  private spend(step: number): { step: { tokens: number; costUsd: number }; run: { tokens: number; costUsd: number } } {
    const s = this.steps.get(step);
    const run = [...this.steps.values()].reduce((t, x) => ({ tokens: t.tokens + x.tokens, costUsd: t.costUsd + x.costUsd }), { tokens: 0, costUsd: 0 });
    const shared = this.req.sharedRun ?? run;
    return { step: { tokens: s?.tokens ?? 0, costUsd: s?.costUsd ?? 0 }, run: this.req.sharedRun ? shared : run };
  }

  /** One agent call with budgets, timeout and retries with backoff; tokens and cost accumulate. */
  private async callAgent(step: number, agentStep: AgentStep, context: string[], evidence: { label: string; text: string }[]): Promise<{ output: AgentOutput; tokens: number; costUsd: number; warning?: string }> {
    const cwd = await this.ensureWorktree();
    const prompt = buildPrompt({ step: agentStep, issue: { number: this.issue.number, title: this.issue.title, url: this.issue.url }, context, evidence });
    let tokens = 0;
    let costUsd = 0;
    const budgetNow = async () => {
      const sp = this.spend(step);
      const issueTotals = await this.req.store.issueTotals(issueKey(this.req.ref));
      return checkBudget(this.cfg.budget, {
        step: { tokens: sp.step.tokens + tokens, costUsd: sp.step.costUsd + costUsd },
        run: { tokens: sp.run.tokens + tokens, costUsd: sp.run.costUsd + costUsd },
        issue: { tokens: issueTotals.tokens + tokens, costUsd: issueTotals.costUsd + costUsd },
      });
    };
    const notDone = `not done: steps ${step}–9 (${STEPS.slice(step).join(', ')})`;
    const before = await budgetNow();
    if (before.exceeded && before.mode === 'block') {
      throw new ProgressorError('BUDGET_EXHAUSTED', `${before.exceeded} before ${STEPS[step]}; ${notDone}`, { hint: 'Raise run.budget in .github/progressor.yml (or set mode: warn) and run again; finished steps are not repeated.' });
    }
    const attempts = this.cfg.agent.retries + 1;
    for (let attempt = 1; ; attempt++) {
      try {
        const reply = await this.external(() => this.req.agent.run({ step: agentStep, prompt, cwd, env: this.env(), timeoutMs: this.cfg.agent.timeoutSeconds * 1000 }));
        tokens += reply.usage.inputTokens + reply.usage.outputTokens;
        costUsd += costOf(reply.usage, this.cfg.agent.pricing);
        const after = await budgetNow();
        if (after.exceeded && after.mode === 'block') {
          // Paid for, but not used: the step's result is dropped and the spend recorded.
          const e = new ProgressorError('BUDGET_EXHAUSTED', `${after.exceeded} during ${STEPS[step]}: its result was not used; ${notDone}`, { hint: 'Raise run.budget (or set mode: warn) and run again.' });
          (e as ProgressorError & { spent?: unknown }).spent = { tokens, costUsd };
          throw e;
        }
        return { output: reply.output, tokens, costUsd, ...(after.exceeded ? { warning: `budget warning: ${after.exceeded}` } : {}) };
      } catch (e) {
        const err = e as ProgressorError;
        if (err.code === 'BUDGET_EXHAUSTED') throw err;
        if (err.code !== 'AGENT_FAILED' || attempt >= attempts) throw err;
        const wait = Math.min(500 * 2 ** (attempt - 1), 30_000);
        this.req.log(`agent ${this.req.agent.name}: ${err.message}; retry ${attempt}/${attempts - 1} in ${wait} ms`);
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  private evidence(): { label: string; text: string }[] {
    const i = this.issue;
    const out = [{ label: 'issue body', text: `${i.title}\n\n${i.body}` }];
    const botComment = this.commentId;
    for (const c of i.comments.slice(-10)) if (c.id !== botComment) out.push({ label: `comment by ${c.author}`, text: c.body.slice(0, 8000) });
    for (const e of this.audit.items.slice(0, 20)) out.push({ label: `evidence ${e.id} (${e.kind})`, text: String(e.excerpt) });
    return out;
  }

  private facts(): string[] {
    const a = this.audit.analysis;
    return [`status ${a.status.value}, owner ${a.owner.value}, category ${a.category.value}`, `work on branch ${this.branch}; progressor commits your changes`];
  }

  /** Writes the agent's `edits` (backends that cannot edit files) inside the worktree only. */
  private async writeEdits(dir: string, edits: AgentOutput['edits']): Promise<void> {
    for (const e of edits ?? []) {
      const target = resolve(dir, e.path);
      if (!target.startsWith(resolve(dir) + '/')) throw new ProgressorError('AGENT_OUTPUT_INVALID', `agent: edit outside the repository: ${e.path}`, { file: '(agent)' });
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, e.content, 'utf8');
    }
  }

  // ---------------------------------------------------------------- 3–6

  private async planTests(inFlight: boolean): Promise<Outcome> {
    if (!this.req.agent.enabled) return this.skipNoAgent();
    const dir = await this.ensureWorktree();
    const base = await this.baseCommit(dir);
    const trailer = `${TRAILER_RUN} ${this.run.id} step-3`;
    const made = await commitsWithTrailer(dir, base, trailer);
    if (made[0]) {
      // The crash came after the commit: the tests exist; do not ask or commit again.
      const files = await filesBetween(dir, `${made[0]}^`, made[0]);
      return { state: 'done', summary: `reproduction tests already committed (${made[0].slice(0, 7)}): ${files.join(', ')}`, result: { testFiles: files, commit: made[0] }, artefacts: [{ kind: 'commit', ref: made[0] }] };
    }
    if (inFlight) await discardChanges(dir);
    const a = await this.callAgent(3, 'plan-tests', this.facts(), this.evidence());
    await this.writeEdits(dir, a.output.edits);
    const files = (a.output.testFiles ?? []).filter((f) => existsSync(resolve(dir, f)));
    if (files.length === 0) {
      return { state: 'failed', summary: 'the agent wrote no reproduction test file', tokens: a.tokens, costUsd: a.costUsd, result: { agentSummary: a.output.summary }, stop: { state: 'stopped', exitCode: 1, message: 'gate: no reproduction test was written' } };
    }
    const sha = await commit(dir, `test: reproduce #${this.issue.number}\n\n${a.output.summary}\n\n${trailer}`, files);
    failpoint('tests-committed', this.req.env);
    // Anything else the agent touched in this step is not part of the tests: discarded.
    await discardChanges(dir);
    return { state: 'done', summary: `${files.length} reproduction test file(s) committed (${sha.slice(0, 7)}): ${files.join(', ')}${a.warning ? `; ${a.warning}` : ''}`, tokens: a.tokens, costUsd: a.costUsd, result: { testFiles: files, commit: sha, agentSummary: a.output.summary }, artefacts: [{ kind: 'commit', ref: sha }] };
  }

  private async runTestsStep(): Promise<Outcome> {
    const files = this.result<{ testFiles?: string[] }>(3)?.testFiles ?? [];
    if (files.length === 0 && !this.cfg.tests.command) return { state: 'skipped', summary: 'skipped: no reproduction tests and no test command (run.tests.command)' };
    const dir = await this.ensureWorktree();
    const timeoutMs = this.cfg.tests.timeoutSeconds * 1000;
    const env = this.env();
    let repro: TestRun | undefined;
    if (files.length > 0) repro = await this.external(() => runTests(this.cfg.tests.reproduce, { cwd: dir, env, timeoutMs, files }));
    failpoint('repro-run', this.req.env);
    const full = this.cfg.tests.command ? await this.external(() => runTests(this.cfg.tests.command!, { cwd: dir, env, timeoutMs, reportFile: this.cfg.tests.report })) : undefined;
    const parts = [repro ? `reproduction ${describeTestRun(repro)}` : undefined, full ? `tests ${describeTestRun(full)}` : undefined].filter(Boolean).join('; ');
    const result = { repro, full };
    if (repro && repro.executed === 0) {
      return { state: 'failed', summary: `rejected: the reproduction tests executed zero tests (${parts})`, result, stop: { state: 'stopped', exitCode: 1, message: 'gate: the reproduction tests executed zero tests; zero executed tests is never a pass' } };
    }
    if (repro && repro.failed === 0) {
      return { state: 'failed', summary: `rejected: the reproduction tests pass before the fix, so they do not reproduce the issue (${parts})`, result, stop: { state: 'stopped', exitCode: 1, message: 'gate: the reproduction tests pass before the fix' } };
    }
    return { state: 'done', summary: parts, result };
  }

  private async planRemediation(): Promise<Outcome> {
    if (!this.req.agent.enabled) return this.skipNoAgent();
    const dir = await this.ensureWorktree();
    const repro = this.result<{ repro?: TestRun }>(4)?.repro;
    const a = await this.callAgent(5, 'plan-remediation', [...this.facts(), `reproduction tests: ${(this.result<{ testFiles?: string[] }>(3)?.testFiles ?? []).join(', ')}`], [
      ...this.evidence(),
      ...(repro ? [{ label: 'reproduction test output', text: repro.tail }] : []),
    ]);
    failpoint('remediation-planned', this.req.env);
    const touched = await changedFiles(dir);
    if (touched.length > 0) await discardChanges(dir);
    const plan = a.output.plan ?? [a.output.summary];
    return { state: 'done', summary: `${plan.length} change(s) planned: ${a.output.summary}${touched.length ? `; edits made while planning were discarded (${touched.join(', ')})` : ''}${a.warning ? `; ${a.warning}` : ''}`, tokens: a.tokens, costUsd: a.costUsd, result: { plan, agentSummary: a.output.summary } };
  }

  private async apply(inFlight: boolean): Promise<Outcome> {
    if (!this.req.agent.enabled) return this.skipNoAgent();
    const dir = await this.ensureWorktree();
    const testsCommit = this.result<{ commit?: string }>(3)?.commit ?? (await this.baseCommit(dir));
    const testFiles = this.result<{ testFiles?: string[] }>(3)?.testFiles ?? [];
    const since = await commitsSince(dir, testsCommit);
    if (since.length > 0) {
      // The fix was committed before a crash (by progressor or by the agent): not again.
      const files = await filesBetween(dir, testsCommit, 'HEAD');
      return { state: 'done', summary: `fix already committed (${since[0]!.slice(0, 7)}): ${files.join(', ')}`, result: { commit: since[0], files }, artefacts: [{ kind: 'commit', ref: since[0]! }] };
    }
    if (inFlight) await discardChanges(dir);
    const plan = this.result<{ plan?: string[] }>(5)?.plan ?? [];
    const a = await this.callAgent(6, 'apply', [...this.facts(), `reproduction tests (do not edit): ${testFiles.join(', ')}`, ...plan.map((p) => `plan: ${p}`)], this.evidence());
    await this.writeEdits(dir, a.output.edits);
    const agentCommits = await commitsSince(dir, testsCommit);
    const changed = [...new Set([...(agentCommits.length ? await filesBetween(dir, testsCommit, 'HEAD') : []), ...(await changedFiles(dir))])];
    const claims = a.output.claims ?? [];
    if (changed.length === 0) {
      return { state: 'failed', summary: `the agent changed nothing${claims.length ? ` (it claimed: ${claims.join('; ')})` : ''}`, tokens: a.tokens, costUsd: a.costUsd, result: { claims }, stop: { state: 'stopped', exitCode: 1, message: 'gate: the agent made no change' } };
    }
    const editedTests = changed.filter((f) => testFiles.includes(f));
    if (editedTests.length > 0) {
      await discardChanges(dir);
      return { state: 'failed', summary: `rejected: the fix edited the reproduction tests (${editedTests.join(', ')})`, tokens: a.tokens, costUsd: a.costUsd, result: { claims }, stop: { state: 'stopped', exitCode: 1, message: 'gate: the fix edited the reproduction tests' } };
    }
    let sha = await headSha(dir);
    if ((await changedFiles(dir)).length > 0) sha = await commit(dir, `fix: ${a.output.summary.split('\n')[0]!.slice(0, 72)} (#${this.issue.number})\n\n${TRAILER_RUN} ${this.run.id} step-6`);
    failpoint('fix-committed', this.req.env);
    return { state: 'done', summary: `changed ${changed.join(', ')} (${sha.slice(0, 7)})${claims.length ? `; the agent claims: ${claims.join('; ')} (not evidence: step 7 re-runs)` : ''}${a.warning ? `; ${a.warning}` : ''}`, tokens: a.tokens, costUsd: a.costUsd, result: { commit: sha, files: changed, claims, agentSummary: a.output.summary }, artefacts: [{ kind: 'commit', ref: sha }] };
  }

  // ---------------------------------------------------------------- 7–9

  private async prove(): Promise<Outcome> {
    const files = this.result<{ testFiles?: string[] }>(3)?.testFiles ?? [];
    if (files.length === 0 && !this.cfg.tests.command && !this.cfg.startup) return { state: 'skipped', summary: 'skipped: nothing to prove with (no reproduction tests, run.tests.command or run.startup)' };
    const dir = await this.ensureWorktree();
    const env = this.env();
    const timeoutMs = this.cfg.tests.timeoutSeconds * 1000;
    const repro = files.length > 0 ? await this.external(() => runTests(this.cfg.tests.reproduce, { cwd: dir, env, timeoutMs, files })) : undefined;
    const full = this.cfg.tests.command ? await this.external(() => runTests(this.cfg.tests.command!, { cwd: dir, env, timeoutMs, reportFile: this.cfg.tests.report })) : undefined;
    const startup = this.cfg.startup ? await this.external(() => runShell(this.cfg.startup!.command, { cwd: dir, env, timeoutMs: this.cfg.startup!.timeoutSeconds * 1000 })) : undefined;
    failpoint('proved', this.req.env);
    const problems: string[] = [];
    if (repro && repro.executed === 0) problems.push('the reproduction tests executed zero tests');
    else if (repro && repro.failed > 0) problems.push(`the reproduction tests still fail (${describeTestRun(repro)})`);
    if (full && full.executed === 0) problems.push(`the test command executed zero tests (${describeTestRun(full)})`);
    else if (full && (full.failed > 0 || full.exitCode !== 0)) problems.push(`the test command fails (${describeTestRun(full)})`);
    if (startup && startup.code !== 0) problems.push(`the startup check failed (exit ${startup.timedOut ? 'timeout' : startup.code})`);
    const ran = [repro ? `reproduction ${describeTestRun(repro)}` : undefined, full ? `tests ${describeTestRun(full)}` : undefined, startup ? `startup check exit ${startup.code}` : undefined].filter(Boolean).join('; ');
    const claims = this.result<{ claims?: string[] }>(6)?.claims ?? [];
    const result = { repro, full, startup: startup ? { command: this.cfg.startup!.command, exitCode: startup.code, timedOut: startup.timedOut } : undefined, claims };
    if (problems.length > 0) {
      const claimed = claims.length ? `; the agent claimed "${claims.join('; ')}", progressor's own run disagrees` : '';
      return { state: 'failed', summary: `not proven: ${problems.join('; ')}${claimed}`, result, stop: { state: 'stopped', exitCode: 1, message: `gate: ${problems.join('; ')}` } };
    }
    return { state: 'done', summary: `proven by progressor's own run: ${ran}`, result };
  }

  private async deploy(inFlight: boolean): Promise<Outcome> {
    const d = this.cfg.deploy;
    if (!d) return { state: 'skipped', summary: 'skipped: no deploy command (run.deploy)' };
    const dir = await this.ensureWorktree();
    const sha = await headSha(dir);
    const previous = await this.lastDeploy(sha);
    const skipMs = d.skipWithinMinutes * 60_000;
    let deployedAt: string;
    let ran = false;
    if (previous && this.req.now().getTime() - Date.parse(previous) < skipMs) {
      deployedAt = previous;
    } else {
      deployedAt = this.req.now().toISOString();
      // Recorded before the command runs: a crash during the deploy must not deploy twice.
      await this.noteDeploy(sha, deployedAt);
      const r = await this.external(() => runShell(d.command, { cwd: dir, env: this.env(), timeoutMs: d.timeoutSeconds * 1000 }));
      failpoint('deployed', this.req.env);
      if (r.code !== 0) return { state: 'failed', summary: `the deploy command failed (exit ${r.timedOut ? 'timeout' : r.code})`, result: { sha, deployedAt }, artefacts: this.steps.get(8)?.artefacts, stop: { state: 'stopped', exitCode: 1, message: 'the deploy to staging failed' } };
      ran = true;
    }
    void inFlight; // the deploy artefact, not the crash, decides whether to deploy again
    const artefacts = this.steps.get(8)?.artefacts ?? [];
    const verdict = await this.stagingVerdict(deployedAt);
    const how = ran ? `deployed ${sha.slice(0, 7)}` : `skipped: ${sha.slice(0, 7)} was deployed at ${deployedAt}, less than ${d.skipWithinMinutes} min ago`;
    if (verdict.verdict === 'not-fixed') return { state: 'failed', summary: `${how}; staging not healthy: ${verdict.reasons.join('; ')}`, result: { sha, deployedAt, ...verdict }, artefacts, stop: { state: 'stopped', exitCode: 1, message: 'gate: staging is not healthy after the deploy' } };
    return { state: 'done', summary: `${how}; ${verdict.reasons.join('; ') || 'no probes or logs configured to check staging'}`, result: { sha, deployedAt, ...verdict }, artefacts };
  }

  /** When this commit was last deployed by any run (the store keeps it in step 8's artefacts). */
  private async lastDeploy(sha: string): Promise<string | undefined> {
    const s = this.steps.get(8);
    const mine = s?.artefacts.find((a) => a.kind === 'deploy' && a.ref === sha);
    return mine?.url;
  }

  private async noteDeploy(sha: string, at: string): Promise<void> {
    // A `deploy` artefact on the running step: ref = the commit, url = when.
    const row = this.steps.get(8)!;
    const artefacts = [...row.artefacts.filter((a) => a.kind !== 'deploy'), { kind: 'deploy', ref: sha, url: at }];
    await this.req.store.recordArtefacts(this.run.id, 8, artefacts);
    this.steps.set(8, { ...row, artefacts });
  }

  private async stagingVerdict(since: string): Promise<{ verdict: 'fixed' | 'not-fixed' | 'unknown'; reasons: string[] }> {
    const cfg = this.req.config;
    const hasProbes = Array.isArray(cfg.probes) ? cfg.probes.length > 0 : Boolean(cfg.probes && (cfg.probes as { checks?: unknown[] }).checks?.length);
    if (!hasProbes && cfg.sources.logs.length === 0) return { verdict: 'unknown', reasons: [] };
    const { collectProbes } = await import('../evidence/probes.ts');
    const { normaliseProbes } = await import('../probes/load-probe-file.ts');
    const { collectLogs } = await import('../evidence/logs.ts');
    const { decideFixed } = await import('../probes/decide-fixed.ts');
    const probes = hasProbes ? await collectProbes(normaliseProbes(cfg.probes, cfg.file ?? '.github/progressor.yml'), { rules: this.req.rules, env: this.req.env }) : undefined;
    const logs = cfg.sources.logs.length > 0 ? await collectLogs({ globs: cfg.sources.logs, rules: this.req.rules, since, cwd: process.cwd() }) : undefined;
    const decision = decideFixed(probes?.probes ?? [], logs?.signals.map(({ rule, title, category, count, firstSeen, lastSeen }) => ({ rule, title, category, count, firstSeen, lastSeen })));
    return { verdict: decision.verdict, reasons: decision.reasons };
  }

  private async pullRequest(): Promise<Outcome> {
    const fix = this.result<{ commit?: string; files?: string[]; agentSummary?: string }>(6);
    if (!fix?.commit) {
      await releaseClaim(this.req.forge, this.req.ref, this.run.session, this.claimPolicy());
      await this.req.store.releaseLease(issueKey(this.req.ref), this.run.session);
      return { state: 'skipped', summary: 'skipped: no change to propose (no fix was committed); claim released' };
    }
    const dir = await this.ensureWorktree();
    const defaultBranch = (await git(dir, ['symbolic-ref', '--short', `refs/remotes/${this.cfg.remote}/HEAD`])).stdout.trim().replace(`${this.cfg.remote}/`, '');
    assertPushable(this.branch, [this.cfg.workingBranch, ...this.cfg.protectedBranches, ...(defaultBranch ? [defaultBranch] : [])]);
    // No "+" in the refspec and no --force: a push that is not a fast-forward fails.
    const push = await git(dir, ['push', '--porcelain', this.cfg.remote, `refs/heads/${this.branch}:refs/heads/${this.branch}`], this.env());
    if (push.code !== 0) {
      throw new ProgressorError('BRANCH_UNSAFE', `git push of ${this.branch} to ${this.cfg.remote} failed (never forced): ${push.stderr.trim().split('\n').slice(-1)[0] ?? ''}`, { hint: 'Someone else pushed to the branch; inspect it, progressor never force-pushes.' });
    }
    failpoint('pushed', this.req.env);
    const existing = await this.req.forge.findPullRequest(this.req.ref, this.branch);
    const pr = existing ?? (await executePullRequest(this.prPlan(fix), this.req.forge, this.req.ref));
    this.pr = pr;
    failpoint('pr-created', this.req.env);
    await releaseClaim(this.req.forge, this.req.ref, this.run.session, this.claimPolicy());
    await this.req.store.releaseLease(issueKey(this.req.ref), this.run.session);
    return { state: 'done', summary: `${existing ? 'found' : 'opened'} draft PR #${pr.number} against ${pr.base}; claim released`, result: { pr: pr.number, url: pr.url, reused: Boolean(existing) }, artefacts: [{ kind: 'branch', ref: this.branch }, { kind: 'pull-request', ref: String(pr.number), url: pr.url }] };
  }

  private prPlan(fix: { files?: string[]; agentSummary?: string }): { head: string; base: string; title: string; body: string; draft: true } {
    const repro = this.result<{ repro?: TestRun }>(4)?.repro;
    const proven = this.result<{ repro?: TestRun; full?: TestRun; startup?: { command: string; exitCode: number | null } }>(7);
    const staging = this.steps.get(8);
    const summary = (fix.agentSummary ?? 'apply the fix').split('\n')[0]!.replace(/\.$/, '');
    const title = `[fix] ${summary.charAt(0).toUpperCase()}${summary.slice(1)} - reproduction test${repro?.files && repro.files.length > 1 ? 's' : ''} now pass${repro?.files && repro.files.length > 1 ? '' : 'es'}`.slice(0, 120);
    const check = (ok: boolean, text: string) => `- [${ok ? 'x' : ' '}] ${text}`;
    const lines = [
      `Closes #${this.issue.number}`,
      '',
      '## Changes',
      ...(fix.files ?? []).map((f) => `- \`${f}\``),
      '',
      '## Value',
      `Fixes #${this.issue.number} (${this.issue.title.replace(/[<>]/g, '')}) on the evidence in the [status comment](${this.issue.url}).`,
      '',
      '## Testing (run by progressor, not claimed by the agent)',
      ...(repro ? [check(true, `reproduction \`${(repro.files ?? []).join(' ')}\` failed before the fix: \`${describeTestRun(repro)}\``)] : []),
      ...(proven?.repro ? [check(proven.repro.failed === 0 && proven.repro.executed > 0, `reproduction passes after the fix: \`${describeTestRun(proven.repro)}\``)] : []),
      ...(proven?.full ? [check(proven.full.failed === 0, `\`${proven.full.command}\`: \`${describeTestRun(proven.full)}\``)] : []),
      ...(proven?.startup ? [check(proven.startup.exitCode === 0, `startup check \`${proven.startup.command}\`: exit \`${proven.startup.exitCode}\``)] : []),
      check(staging?.state === 'done', `staging: ${typeof staging?.result?.summary === 'string' ? staging.result.summary : 'not deployed'}`),
      '',
      '## Breaking changes',
      'None known; not assessed by progressor (hypothesis).',
      '',
      `Branch \`${this.branch}\`, run \`${this.run.id}\`.`,
    ];
    return { head: this.branch, base: this.cfg.workingBranch, title, body: lines.join('\n'), draft: true };
  }

  // ---------------------------------------------------------------- the living comment

  private async writeComment(): Promise<void> {
    const rows: RunSectionStep[] = [...this.steps.values()]
      .sort((a, b) => a.step - b.step)
      .map((s) => ({ step: s.step, title: STEP_TITLES[s.step]!, state: s.state, summary: typeof s.result?.summary === 'string' ? s.result.summary : '', durationMs: s.durationMs, tokens: s.tokens, costUsd: s.costUsd }));
    const totals = rows.reduce((t, s) => ({ tokens: t.tokens + s.tokens, costUsd: t.costUsd + s.costUsd }), { tokens: 0, costUsd: 0 });
    const section = renderRunSection({ session: this.run.session, branch: this.branch, steps: rows, totals, ...(this.pr ? { pr: { number: this.pr.number, url: this.pr.url } } : {}) });
    // Every write of the living comment is also the claim's heartbeat (SPEC §3 step 0).
    const now = this.req.now();
    const marker = StatusMarker.parse(this.audit.comment);
    const comment = marker
      ? this.audit.comment.replace(marker.toString(), marker.with({ heartbeat: now.toISOString(), leaseExpires: new Date(now.getTime() + this.req.config.claim.leaseMinutes * 60_000).toISOString() }).toString())
      : this.audit.comment;
    const body = withRunSection(comment, section);
    if (body === this.lastComment) return;
    const plan: ActionPlan = {
      comment: this.commentId ? { action: 'update', commentId: this.commentId, body } : { action: 'create', body },
      labels: { add: [], remove: [] },
      noChange: false,
      summary: [],
    };
    const r = await executePlanOrThrow(plan, this.req.forge, this.req.ref);
    this.commentId = r.commentId ?? this.commentId;
    this.lastComment = body;
    failpoint('comment-written', this.req.env);
  }
}
