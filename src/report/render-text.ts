import type { ActionPlan } from '../actions/plan.ts';
import type { Redacted } from '../domain/redacted.ts';
import type { Analysis } from '../domain/types.ts';

/** A terminal summary: verdict, chain, next actions, planned changes. */
export function renderText(issue: { number: number; title: Redacted }, a: Analysis, plan: ActionPlan): string {
  const lines: string[] = [];
  lines.push(`#${issue.number} ${issue.title}`);
  lines.push(`status ${a.status.value} · owner ${a.owner.value} · category ${a.category.value} · confidence ${a.confidence}`);
  lines.push(`decided by: status ${a.status.decidedBy.join(', ') || '-'}; owner ${a.owner.decidedBy.join(', ') || '-'}`);
  lines.push('');
  lines.push(a.takeaway);
  lines.push('');
  lines.push('Five Whys');
  a.whys.forEach((w, i) => {
    const cite = w.evidence.length ? ` [${w.evidence.join(', ')}]` : '';
    lines.push(`  ${i + 1}. ${w.question}`);
    lines.push(`     ${w.answer}${cite} (${w.certainty})`);
  });
  if (a.nextSteps.length || a.diagnostics.length) {
    lines.push('');
    lines.push('Next');
    for (const s of a.nextSteps) lines.push(`  - ${s.owner}: ${s.action}`);
    for (const d of a.diagnostics) lines.push(`  $ ${d.command}`);
  }
  lines.push('');
  lines.push(plan.noChange ? 'Planned changes: none (the audit is unchanged).' : 'Planned changes:');
  for (const s of plan.summary) lines.push(`  - ${s}`);
  return lines.join('\n');
}
