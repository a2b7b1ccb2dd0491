import type { ActionPlan } from '../actions/plan.ts';
import type { Redacted } from '../domain/redacted.ts';
import type { Analysis } from '../domain/types.ts';
import type { Cite, CommentModel, NextItem } from './comment-model.ts';

const ids = (cites: Cite[]) => (cites.length ? ` [${cites.map((c) => c.id).join(', ')}]` : '');

function who(n: NextItem): string {
  return n.team ? `${n.who} (${n.team.handle})` : n.who;
}

/**
 * A terminal summary that says what the status comment says: the same status, takeaway,
 * whys, patterns, impact, done / not done and Next (same steps, same commands), then the
 * evidence it cites, the decision and the planned changes.
 */
export function renderText(issue: { number: number; title: Redacted }, a: Analysis, plan: ActionPlan, m: CommentModel): string {
  const lines: string[] = [];
  const push = (...l: string[]) => lines.push(...l);
  push(`#${issue.number} ${issue.title}`);
  push(`Status: ${m.statusLine.status} · Owner: ${m.statusLine.owner} · ${m.statusLine.confidence}`);
  push(m.takeaway, '');
  push('Five Whys');
  m.whys.forEach((w, i) => {
    push(`  ${i + 1}. ${w.question}`);
    push(`     ${w.answer}${w.hypothesis ? ' (hypothesis: no evidence yet)' : ids(w.cites)}`);
  });
  for (const p of m.patterns) push(`  Pattern: ${p.text}${ids(p.cites)}`);
  push('', 'Impact');
  if (m.impact.length === 0 && m.priorityLabels.length === 0) push('  The thread does not state the impact.');
  for (const i of m.impact) push(`  "${i.quote}"${ids([i.cite])}`);
  if (m.priorityLabels.length) push(`  Priority label${m.priorityLabels.length > 1 ? 's' : ''}: ${m.priorityLabels.join(', ')}.`);
  push('', 'Done / not done');
  for (const s of m.status) push(`  ${s.label}: ${s.text.replace(/`/g, '')}${ids(s.cites)}.`);
  push('', 'Next');
  m.next.forEach((n, i) => {
    const action = n.command && n.action === 'run' ? 'run' : `${lowerFirst(n.action.replace(/\.$/, ''))}${n.command ? ':' : ''}`;
    push(`  ${i + 1}. ${who(n)}: ${action}${ids(n.cites)}`);
    if (n.command) push(`     $ ${n.command}`);
  });
  for (const [title, list] of [
    ['Monitor', m.monitor],
    ['Validate', m.validate],
  ] as const) {
    if (list.length === 0) continue;
    push(`  ${title}:`);
    for (const l of list) push(`    - ${l.who}: ${l.text}`, `      $ ${l.command}`);
  }
  if (m.folded.length) {
    push('  More (folded in the comment to keep it short):');
    for (const f of m.folded) push(`    - ${f.section}: ${f.text}`, ...(f.command ? [`      $ ${f.command}`] : []));
  }
  push('', 'Evidence cited');
  const rows = new Map(m.evidence.map((e) => [e.id, e]));
  for (const id of m.cited) {
    const e = rows.get(id)!;
    push(`  ${e.id.padEnd(4)} ${e.where}${e.url ? ` ${e.url}` : ''}`);
    push(`       ${e.excerpt.length > 140 ? `${e.excerpt.slice(0, 139)}…` : e.excerpt}`);
  }
  push('');
  push(`Decided by: status ${a.status.decidedBy.join(', ') || '-'}; owner ${a.owner.decidedBy.join(', ') || '-'}; category ${a.category.decidedBy.join(', ') || '-'}`);
  push(plan.noChange ? 'Planned changes: none (the audit is unchanged).' : 'Planned changes:');
  for (const s of plan.summary) push(`  - ${s}`);
  return lines.join('\n');
}

function lowerFirst(s: string): string {
  return /^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s;
}
