import type { Analysis, CollectorOutput, EvidenceItem, Gap, ProbeResult } from '../domain/types.ts';
import type { Owner } from '../domain/vocabulary.ts';
import { planActions, plannedLabels, type ActionPlan, type AuditPolicy } from '../actions/plan.ts';
import { assignIds } from '../analysis/assign-ids.ts';
import { loadJudgement } from '../judgement/load-judgement.ts';
import type { Judgement } from '../judgement/judge.ts';
import { buildAnalysis } from '../analysis/build-analysis.ts';
import { applyDeployedFixReport } from '../analysis/decide-after-fix.ts';
import { gateAuthority } from '../actions/authority.ts';
import { collectThread } from '../evidence/thread.ts';
import type { Forge, Issue, IssueRef } from '../forge/forge.ts';
import { computeAuditHash } from '../report/audit-hash.ts';
import type { CommentModel } from '../report/comment-model.ts';
import { commentModelOf, renderComment } from '../report/render-comment.ts';
import { renderNotice } from '../report/render-notice.ts';
import { StatusMarker } from '../report/status-marker.ts';
import type { CompiledRule } from '../rules/compile-rule.ts';
import { carryClaimsSection } from '../verify/render-verify.ts';
import { redactEvidence } from '../redact/redact.ts';
import { redactIssue, type RedactedIssue } from '../redact/redact-issue.ts';

export interface AuditRequest {
  ref: IssueRef;
  forge: Forge;
  rules: CompiledRule[];
  policy: AuditPolicy;
  teams: Partial<Record<Owner, string>>;
  /** The fitted judgement; the shipped one (data/models/judgement.json) when absent. */
  judgement?: Judgement;
  mentionTeams?: boolean;
  now: Date;
  session: string;
  leaseMinutes: number;
  /** Labels progressor writes besides status/escalation labels (the claim label). */
  ownLabels?: string[];
  /** Recognises progressor's session labels. */
  isSessionLabel?: (label: string) => boolean;
  /** Extra sources (logs, test reports, repository, probes), given the issue. */
  collectors?: ((issue: Issue) => Promise<CollectorOutput>)[];
  /**
   * Post-decision steps applied after the built-in ones (e.g. `validate`'s confirmed fix);
   * each returns a corrected analysis.
   */
  afterDecision?: ((analysis: Analysis, items: readonly EvidenceItem[]) => Analysis)[];
}

/** Post-decision steps every audit runs, in order (src/analysis/decide-after-fix.ts). */
const POST_DECISION_STEPS = [applyDeployedFixReport];

export interface AuditResult {
  /** The issue as rendered: every outsider-written text redacted (issue 10). */
  issue: RedactedIssue;
  items: EvidenceItem[];
  analysis: Analysis;
  probes: ProbeResult[];
  gaps: Gap[];
  auditHash: string;
  comment: string;
  /** For stderr: inputs that matched nothing (local paths, never in the comment). */
  warnings: string[];
  /** File inputs given and matched, over all collectors. */
  inputs: { given: number; matched: number };
  /** What the comment says, as data: the text format renders the same. */
  model: CommentModel;
  plan: ActionPlan;
  priorCommentId?: string;
  /** progressor's own earlier status comment as written (not the redacted view: its marker is intact). */
  priorBody?: string;
}

/**
 * One audit (SPEC §3 step 1): read the issue, gather evidence, analyse, render, plan.
 * Reads only; `executePlan` writes.
 */
export async function runAudit(req: AuditRequest): Promise<AuditResult> {
  const raw = await req.forge.getIssue(req.ref);
  // The evidence boundary: analysis, rendering and every collector see the redacted view;
  // the raw issue is used only for what is written back (current labels, the prior comment).
  const issue = redactIssue(raw);
  const botLogin = await req.forge.botLogin();
  const own = new Set<string>(req.ownLabels ?? []);
  for (const labels of Object.values(req.policy.statusLabels)) for (const l of labels ?? []) own.add(l);
  for (const e of Object.values(req.policy.escalation)) if (e?.label) own.add(e.label);
  const thread = collectThread(raw, botLogin, (l) => own.has(l) || (req.isSessionLabel?.(l) ?? false), issue);
  const outputs: CollectorOutput[] = [thread.output];
  const gaps: Gap[] = [];
  // Collectors (logs, reports, repository, probes) run at once; results keep their order.
  const settled = await Promise.allSettled((req.collectors ?? []).map(async (c) => c(issue)));
  for (const r of settled) {
    if (r.status === 'fulfilled') outputs.push(r.value);
    else {
      // A failed collector is recorded and the audit goes on (STYLE §4).
      const e = r.reason as { code?: string; message?: string };
      gaps.push({ collector: 'collector', code: e?.code ?? 'ERROR', message: e?.message ?? String(r.reason) });
    }
  }
  for (const o of outputs) gaps.push(...o.gaps);
  for (const g of gaps) g.message = redactEvidence(g.message);
  const probes = outputs.flatMap((o) => o.probes ?? []);
  const warnings = outputs.flatMap((o) => o.warnings ?? []);
  const inputs = outputs.reduce((t, o) => ({ given: t.given + (o.inputs?.given ?? 0), matched: t.matched + (o.inputs?.matched ?? 0) }), { given: 0, matched: 0 });
  const { items, signals } = assignIds(outputs);
  const judgement = req.judgement ?? loadJudgement();
  const analyse = (evidence: typeof items) =>
    [...POST_DECISION_STEPS, ...(req.afterDecision ?? [])].reduce(
      (a, step) => step(a, evidence),
      buildAnalysis({
        issueTitle: issue.title,
        open: issue.state === 'OPEN',
        items: evidence,
        rules: req.rules,
        collectedSignals: signals,
        probes,
        teams: req.teams,
        judgement,
      }),
    );
  // Only people with authority move the status (issue 10): a gate before render and plan.
  const { analysis } = gateAuthority(analyse(items), items, analyse);
  const auditHash = computeAuditHash(analysis, items);
  const prior = thread.prior[0];
  const marker = new StatusMarker({
    v: 1,
    issue: issue.number,
    session: req.session,
    status: analysis.status.value,
    owner: analysis.owner.value,
    category: analysis.category.value,
    auditHash,
    heartbeat: req.now.toISOString(),
    leaseExpires: new Date(req.now.getTime() + req.leaseMinutes * 60_000).toISOString(),
  });
  const commentInput = {
    issue: { number: issue.number, title: issue.title, url: issue.url, labels: issue.labels },
    analysis,
    items,
    probes,
    gaps,
    marker,
    teams: req.teams,
    mentionTeams: req.mentionTeams,
    plannedLabels: plannedLabels(analysis, req.policy),
  };
  // A "Claims checked" section written by `progressor verify --apply` survives re-renders.
  const comment = carryClaimsSection(prior?.body, renderComment(commentInput));
  const model = commentModelOf(commentInput);
  const priorComment = prior ? issue.comments.find((c) => c.id === prior.commentId) : undefined;
  const notice = prior
    ? renderNotice({
        status: analysis.status.value,
        previous: prior.marker?.meta.status ?? 'unknown',
        takeaway: analysis.takeaway,
        statusCommentUrl: priorComment?.url ?? `${issue.url}#issuecomment-${prior.commentId}`,
      })
    : undefined;
  const plan = planActions({
    notice,
    analysis,
    auditHash,
    commentBody: comment,
    currentLabels: raw.labels,
    open: issue.state === 'OPEN',
    prior: prior ? { commentId: prior.commentId, marker: prior.marker } : undefined,
    policy: req.policy,
  });
  return { issue, items, analysis, probes, gaps, auditHash, comment, model, warnings, inputs, plan, priorCommentId: prior?.commentId, priorBody: prior?.body };
}
