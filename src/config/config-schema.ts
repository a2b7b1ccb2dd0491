import { z } from 'zod';
import {
  DEFAULT_CLAIM_LABEL,
  DEFAULT_LEASE_MINUTES,
  DEFAULT_SESSION_LABEL_FORMAT,
  MAX_RECOMMENDED_LABELS,
} from '../domain/constants.ts';
import { SESSION_LABEL_TOKENS } from '../domain/session-label.ts';
import { OWNERS, STATUSES, type Status } from '../domain/vocabulary.ts';
import { probesConfigSchema } from '../probes/probe-schema.ts';
import { runSchema } from './run-schema.ts';

// The `.github/progressor.yml` schema (STYLE §5): strict everywhere, every key described
// with its default. No transforms, so `z.toJSONSchema` can publish it as
// progressor.schema.json; normalisation (absolute paths, merged defaults) is load-config.ts.

/** Labels applied per status when no `labels.status` entry overrides them. */
export const DEFAULT_STATUS_LABELS: Record<Status, string[]> = {
  resolved: [],
  'in-progress': ['in-progress'],
  'blocked-on-infrastructure': ['blocked', 'infrastructure'],
  'needs-reproduction': ['needs-reproduction'],
  'needs-info': ['needs-info'],
  'not-a-bug': ['not-a-bug'],
};

/** Placeholders `claim.sessionLabelFormat` may use (UTC). */
const SESSION_LABEL_PLACEHOLDERS = SESSION_LABEL_TOKENS.map((t) => `{${t}}`);

const labelName = z
  .string()
  .trim()
  .min(1, 'a label name cannot be empty')
  .max(50, 'GitHub label names are at most 50 characters')
  .describe('A label name as it appears on the forge (at most 50 characters).');

const teamHandle = z
  .string()
  .regex(/^@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\/[A-Za-z0-9._-]{1,100})?$/, 'a team handle such as @org/infra (or a user @login)')
  .describe('Team handle mentioned when the issue is escalated, e.g. @org/infra.');

export const claimSchema = z
  .strictObject({
    label: labelName
      .default(DEFAULT_CLAIM_LABEL)
      .describe(`Label marking an issue as claimed by a worker. Default: ${DEFAULT_CLAIM_LABEL}.`),
    sessionLabelFormat: z
      .string()
      .min(1)
      .default(DEFAULT_SESSION_LABEL_FORMAT)
      .describe(
        `Label naming the claiming session; placeholders ${SESSION_LABEL_PLACEHOLDERS.join(' ')} (UTC); without {rand} a random suffix -{rand} is appended. Default: ${DEFAULT_SESSION_LABEL_FORMAT}.`,
      ),
    leaseMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(DEFAULT_LEASE_MINUTES)
      .describe(`Minutes a claim lasts without renewal before another worker may take the issue. Default: ${DEFAULT_LEASE_MINUTES}.`),
  })
  .default({
    label: DEFAULT_CLAIM_LABEL,
    sessionLabelFormat: DEFAULT_SESSION_LABEL_FORMAT,
    leaseMinutes: DEFAULT_LEASE_MINUTES,
  })
  .describe('How a worker claims an issue (lease and labels).');

export const labelsSchema = z
  .strictObject({
    status: z
      .partialRecord(z.enum(STATUSES), z.array(labelName))
      .default(DEFAULT_STATUS_LABELS)
      .describe(
        `Labels recommended for each status; a status not listed keeps its default. Default: ${Object.entries(DEFAULT_STATUS_LABELS)
          .map(([s, l]) => `${s}: [${l.join(', ')}]`)
          .join('; ')}.`,
      ),
    allowed: z
      .array(labelName)
      .optional()
      .describe(
        'Allow-list policy: when set, progressor never adds a label outside it (issue text never creates labels). Default: unset (the labels named in this file).',
      ),
  })
  .default({ status: DEFAULT_STATUS_LABELS })
  .describe('Labels progressor may recommend or apply.');

export const escalationTargetSchema = z
  .strictObject({
    label: labelName.describe('Label added when the issue is escalated to this owner.'),
    team: teamHandle.optional(),
  })
  .describe('Where an issue goes when its root cause belongs to this owner.');

export const escalationSchema = z
  .partialRecord(z.enum(OWNERS), escalationTargetSchema)
  .default({})
  .describe(`Escalation per root-cause owner (${OWNERS.join(', ')}) → { label, team }. Default: {} (no escalation).`);

export const sourcesSchema = z
  .strictObject({
    logs: z
      .array(z.string().min(1))
      .default([])
      .describe('Globs of log files to scan, relative to the config file (e.g. ../logs/**/*.log). Default: [].'),
    tests: z
      .array(z.string().min(1))
      .default([])
      .describe('Globs of test reports (JUnit XML, TAP, vitest/jest/pytest JSON), relative to the config file. Default: [].'),
    repoDir: z
      .string()
      .min(1)
      .optional()
      .describe('Local clone to search for commits and files, relative to the config file. Default: the folder holding .github/.'),
  })
  .default({ logs: [], tests: [] })
  .describe('Evidence sources beyond the issue thread.');

export const commentSchema = z
  .strictObject({
    mentionTeams: z
      .boolean()
      .default(false)
      .describe('Mention the escalation team handle in the comment (pings people). Default: false.'),
  })
  .default({ mentionTeams: false })
  .describe('How the status comment is written.');

export const policySchema = z
  .strictObject({
    closeOnResolved: z
      .boolean()
      .default(true)
      .describe('Close the issue when the evidence shows it resolved (only with --apply). Default: true.'),
    maxLabels: z
      .number()
      .int()
      .min(0)
      .max(MAX_RECOMMENDED_LABELS)
      .default(MAX_RECOMMENDED_LABELS)
      .describe(`Most labels recommended beyond the claim/session labels (COMMENT_STYLE §8). Default: ${MAX_RECOMMENDED_LABELS}.`),
  })
  .default({ closeOnResolved: true, maxLabels: MAX_RECOMMENDED_LABELS })
  .describe('What progressor may do on its own.');

/** The whole `.github/progressor.yml`. */
export const configSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path or URL of progressor.schema.json, for editors. Ignored.'),
    claim: claimSchema,
    labels: labelsSchema,
    escalation: escalationSchema,
    rules: z
      .array(z.string().min(1))
      .default([])
      .describe('Extra rule folders, relative to the config file; a rule with a built-in id replaces it. Default: [].'),
    sources: sourcesSchema,
    probes: probesConfigSchema,
    comment: commentSchema,
    policy: policySchema,
    run: runSchema,
  })
  .describe('progressor configuration (.github/progressor.yml).');

export type ConfigInput = z.input<typeof configSchema>;
export type ConfigParsed = z.output<typeof configSchema>;
