import type { ActionPlan } from '../actions/plan.ts';
import type { Redacted } from '../domain/redacted.ts';
import type { Analysis, EvidenceItem, Gap, ProbeResult } from '../domain/types.ts';

export interface AuditJsonInput {
  issue: { number: number; title: Redacted; url: string; state: string };
  session: string;
  analysis: Analysis;
  items: EvidenceItem[];
  probes: ProbeResult[];
  gaps: Gap[];
  plan: ActionPlan;
  auditHash: string;
  comment: string;
  applied?: { written: string[]; notWritten?: string[]; noChange: boolean };
}

/**
 * The audit as JSON (stable field names; tests and users rely on them). Every string in
 * it comes from redacted evidence or from rule text.
 */
export function renderJson(input: AuditJsonInput): Record<string, unknown> {
  const { analysis: a, plan } = input;
  return {
    issue: input.issue,
    session: input.session,
    status: a.status.value,
    owner: a.owner.value,
    category: a.category.value,
    confidence: a.confidence,
    confidenceReasons: a.confidenceReasons,
    takeaway: a.takeaway,
    decisions: { status: a.status, owner: a.owner, category: a.category },
    acts: a.acts ?? [],
    gates: a.gates ?? [],
    whys: a.whys.map((w) => ({
      question: w.question,
      answer: w.answer,
      evidence: w.evidence,
      certainty: w.certainty,
      supported: w.supported,
      rule: w.rule ?? null,
    })),
    evidence: input.items.map((i) => ({
      id: i.id,
      kind: i.kind,
      source: i.source,
      at: i.at ?? null,
      author: i.author ?? null,
      authorAssociation: i.authorAssociation ?? null,
      role: i.role ?? null,
      excerpt: i.excerpt,
      ...(i.meta ? { meta: i.meta } : {}),
    })),
    signals: [...a.signals, ...a.threadSignals],
    probes: input.probes,
    gaps: input.gaps,
    actions: {
      comment: plan.comment.action,
      commentId: plan.comment.commentId ?? null,
      labels: plan.labels,
      close: plan.close ?? null,
      escalate: plan.escalate ?? null,
      noChange: plan.noChange,
      summary: plan.summary,
    },
    nextSteps: a.nextSteps,
    heldSteps: a.heldSteps,
    diagnostics: a.diagnostics,
    monitor: a.monitor,
    validate: a.validate,
    patterns: a.patterns,
    lead: a.lead ?? null,
    platforms: a.platforms,
    auditHash: input.auditHash,
    applied: input.applied ?? null,
    comment: input.comment,
  };
}
