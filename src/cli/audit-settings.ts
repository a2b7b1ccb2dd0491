import type { Config } from '../config/load-config.ts';
import type { Owner } from '../domain/vocabulary.ts';
import type { AuditRequest } from '../runner/run-audit.ts';
import { SessionLabelFormat } from '../domain/session-label.ts';

/**
 * The parts of an audit request that come from the configuration, shared by every command
 * that audits (`audit`, `validate`): label policy, escalation teams, lease, own labels.
 */
export function auditSettings(
  config: Config,
  now: Date,
  session?: string,
): Pick<AuditRequest, 'policy' | 'teams' | 'mentionTeams' | 'session' | 'leaseMinutes' | 'ownLabels' | 'isSessionLabel' | 'now'> {
  const format = new SessionLabelFormat(config.claim.sessionLabelFormat);
  const teams: Partial<Record<Owner, string>> = {};
  for (const [owner, e] of Object.entries(config.escalation)) if (e?.team) teams[owner as Owner] = e.team;
  return {
    policy: {
      statusLabels: config.labels.status,
      escalation: config.escalation,
      closeOnResolved: config.policy.closeOnResolved,
      maxLabels: config.policy.maxLabels,
      allowed: config.labels.allowed,
    },
    teams,
    mentionTeams: config.comment.mentionTeams,
    now,
    // Without --session the audit names a session of its own; "0000" keeps --now output reproducible.
    session: session ?? format.formatLabel(now, '0000'),
    leaseMinutes: config.claim.leaseMinutes,
    ownLabels: [config.claim.label],
    isSessionLabel: (label) => format.matches(label),
  };
}
