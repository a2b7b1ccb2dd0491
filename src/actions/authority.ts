import type { Analysis, EvidenceItem } from '../domain/types.ts';
import { MAINTAINER_ASSOCIATIONS, type Status } from '../domain/vocabulary.ts';

/**
 * Statuses that write something consequential (issue 10): closing the issue, a `not-a-bug`
 * label, an escalation that pings a team.
 */
export const AUTHORITY_GATED_STATUSES: readonly Status[] = ['resolved', 'not-a-bug', 'blocked-on-infrastructure'];

/**
 * Whether an evidence item may move the status. Comments are statements: only those by
 * OWNER/MEMBER/COLLABORATOR, or by the reporter (about their own setup), carry authority; an
 * unknown association never does, whatever the wording. Everything else (the issue body,
 * linked PRs, logs, reports, probes, the repository) is not a drive-by statement.
 */
export function hasAuthority(item: EvidenceItem): boolean {
  if (item.kind !== 'comment') return true;
  if (item.role === 'reporter') return true;
  return item.authorAssociation !== undefined && MAINTAINER_ASSOCIATIONS.includes(item.authorAssociation);
}

/**
 * The authority gate, applied after the verdict is built and before anything is rendered or
 * planned (the scoring itself is left alone). When the verdict is a gated status and the
 * thread holds statements without authority, the verdict is rebuilt from the evidence with
 * those statements left out; if that does not reach the same status, the rebuilt verdict is
 * used and the comment says why. Others' statements stay in the evidence table.
 */
export function gateAuthority(
  analysis: Analysis,
  items: readonly EvidenceItem[],
  rebuild: (items: EvidenceItem[]) => Analysis,
): { analysis: Analysis; gated: boolean } {
  if (!AUTHORITY_GATED_STATUSES.includes(analysis.status.value)) return { analysis, gated: false };
  const without = items.filter(hasAuthority);
  if (without.length === items.length) return { analysis, gated: false };
  const alt = rebuild(without);
  if (alt.status.value === analysis.status.value) return { analysis, gated: false };
  const reason = `the statements that would make it ${analysis.status.value} come from people without authority on this repository (not owner, member, collaborator or the reporter); they are evidence, not a decision`;
  return {
    analysis: { ...alt, confidence: 'low', confidenceReasons: [...alt.confidenceReasons, reason] },
    gated: true,
  };
}
