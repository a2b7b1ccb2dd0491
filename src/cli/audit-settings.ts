import type { Config } from '../config/load-config.ts';
import type { Owner } from '../domain/vocabulary.ts';
import type { AuditRequest } from '../runner/run-audit.ts';
import { formatSession, sessionLabelMatcher } from './output.ts';

/**
 * The parts of an audit request that come from the configuration, shared by every command
 * that audits (`audit`, `validate`): label policy, escalation teams, lease, own labels.
 */
export function auditSettings(
  config: Config,
  now: Date,
  session?: string,
): Pick<AuditRequest, 'policy' | 'teams' | 'mentionTeams' | 'session' | 'leaseMinutes' | 'ownLabels' | 'isSessionLabel' | 'now'> {
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
    session: session ?? formatSession(config.claim.sessionLabelFormat, now),
    leaseMinutes: config.claim.leaseMinutes,
    ownLabels: [config.claim.label],
    isSessionLabel: sessionLabelMatcher(config.claim.sessionLabelFormat),
  };
}
