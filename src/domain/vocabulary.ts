// The stable vocabulary of SPEC §4. Tests, JSON output and users rely on these exact words.

export const STATUSES = [
  'resolved',
  'in-progress',
  'blocked-on-infrastructure',
  'needs-reproduction',
  'needs-info',
  'not-a-bug',
] as const;
export type Status = (typeof STATUSES)[number];

export const OWNERS = ['application', 'infrastructure', 'configuration', 'dependency', 'test', 'unknown'] as const;
export type Owner = (typeof OWNERS)[number];

export const CATEGORIES = [
  'db-connection-timeout',
  'db-connection-refused',
  'db-pool-exhaustion',
  'db-auth',
  'db-migration',
  'redis-connection',
  'dns-resolution',
  'tls-certificate',
  'network-connectivity',
  'resource-limits',
  'startup-timeout',
  'health-check-misconfig',
  'missing-env-config',
  'dependency-version',
  'code-bug',
  'flaky-test',
  'rate-limit',
  'permissions',
  'unknown',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const CERTAINTIES = ['confirmed', 'likely', 'hypothesis'] as const;
export type Certainty = (typeof CERTAINTIES)[number];

/** Where in the stack a signal lives; used to group "what is done / not done" (SPEC §7). */
export const LAYERS = [
  'database',
  'cache',
  'network',
  'load-balancer',
  'platform',
  'application',
  'test',
  'dependency',
  'configuration',
  'thread',
] as const;
export type Layer = (typeof LAYERS)[number];

export const EVIDENCE_KINDS = [
  'issue-body',
  'comment',
  'label',
  'state',
  'linked-pr',
  'log',
  'test-report',
  'commit',
  'repo-file',
  'document',
  'probe',
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export const PROBE_STATUSES = ['ok', 'failed', 'no_data', 'probe_error'] as const;
export type ProbeStatus = (typeof PROBE_STATUSES)[number];

export const AUTHOR_ASSOCIATIONS = [
  'OWNER',
  'MEMBER',
  'COLLABORATOR',
  'CONTRIBUTOR',
  'FIRST_TIME_CONTRIBUTOR',
  'FIRST_TIMER',
  'MANNEQUIN',
  'NONE',
] as const;
export type AuthorAssociation = (typeof AUTHOR_ASSOCIATIONS)[number];

export const MAINTAINER_ASSOCIATIONS: readonly AuthorAssociation[] = ['OWNER', 'MEMBER', 'COLLABORATOR'];

export function isStatus(v: unknown): v is Status {
  return typeof v === 'string' && (STATUSES as readonly string[]).includes(v);
}
export function isOwner(v: unknown): v is Owner {
  return typeof v === 'string' && (OWNERS as readonly string[]).includes(v);
}
export function isCategory(v: unknown): v is Category {
  return typeof v === 'string' && (CATEGORIES as readonly string[]).includes(v);
}
