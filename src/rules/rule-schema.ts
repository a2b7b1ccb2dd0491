import { z } from 'zod';
import { CATEGORIES, EVIDENCE_KINDS, LAYERS, OWNERS, STATUSES } from '../domain/vocabulary.ts';

// The rule file format (SPEC §6). One rule per YAML file; the file name is the id.
// Text rules match named-group regexes over evidence text; thread rules read the
// discussion (who said it, when, with which detector); probe rules map probe results.

const weights = <T extends readonly [string, ...string[]]>(values: T) =>
  z.partialRecord(z.enum(values), z.number().min(-10).max(10));

export const effectsSchema = z
  .strictObject({
    status: weights(STATUSES).optional().describe('Score added to each status when this rule fires.'),
    owner: weights(OWNERS).optional().describe('Score added to each owner when this rule fires.'),
    category: weights(CATEGORIES).optional().describe('Score added to each category when this rule fires.'),
  })
  .describe('Contributions to the scored decision table (SPEC §4, decisions).');

export const matcherSchema = z.strictObject({
  regex: z.string().min(1).describe('JavaScript regular expression; named groups become facts.'),
  flags: z
    .string()
    .regex(/^[imsu]*$/, 'flags may only contain i, m, s, u')
    .optional()
    .describe('Regex flags (i, m, s, u). Default: i.'),
});

export const threadConditionSchema = z.strictObject({
  author: z
    .enum(['maintainer', 'reporter', 'participant', 'any', 'not-reporter'])
    .default('any')
    .describe('Whose words count: maintainer (OWNER/MEMBER/COLLABORATOR or judged from content), the reporter, anyone.'),
  detector: z
    .enum([
      'text',
      'merged-pr',
      'open-pr',
      'closed-unmerged-pr',
      'unanswered-request',
      'recurrence-after-fix',
      'repeated-fix',
      'zero-tests',
      'issue-closed',
      'issue-closed-not-planned',
      'label',
      'latest-comment',
    ])
    .default('text')
    .describe('How the rule reads the thread: plain text over comments, or a built-in structural detector.'),
  labels: z.array(z.string()).optional().describe('For detector "label": label names (case-insensitive regex).'),
  last: z
    .boolean()
    .optional()
    .describe('Only the last matching statement counts; later statements overturn earlier ones.'),
});

/** A small thread for thread-rule examples: enough to run a detector on. */
export const threadExampleSchema = z.strictObject({
  body: z.string().default(''),
  state: z.enum(['OPEN', 'CLOSED']).default('OPEN'),
  stateReason: z.enum(['completed', 'not_planned']).optional(),
  labels: z.array(z.string()).default([]),
  comments: z
    .array(
      z.strictObject({
        role: z.enum(['maintainer', 'reporter', 'participant', 'bot']).default('participant'),
        body: z.string(),
      }),
    )
    .default([]),
  prs: z
    .array(z.strictObject({ state: z.enum(['OPEN', 'CLOSED', 'MERGED']), title: z.string().default('') }))
    .default([]),
});
export type ThreadExample = z.output<typeof threadExampleSchema>;
const exampleSchema = z.union([z.string(), threadExampleSchema]);

/**
 * One step of a rule's diagnose / remediate / monitor / validate list. A string is the step
 * itself (a command for `diagnose`, a hint for the others); the object form adds the command
 * that performs or measures it and when the step is already done or does not apply.
 * Placeholders are `{{fact}}`: a step whose placeholders cannot all be filled is not shown.
 */
export const stepSchema = z.union([
  z.string().min(1),
  z.strictObject({
    do: z.string().min(1).optional().describe('The step, imperative or a noun phrase for monitor/validate, templated with facts.'),
    run: z.string().min(1).optional().describe('The command or query that performs or measures the step, templated with facts.'),
    done: z
      .string()
      .min(1)
      .optional()
      .describe('Regex (case-insensitive) over the thread\'s own statements: when one matches, the thread already did this step and it is left out.'),
    needs: z
      .array(z.string())
      .optional()
      .describe('Rule ids or categories: the step is shown only when one of them has a signal (e.g. an IAM grant needs a permissions signal).'),
  }).refine((o) => o.do !== undefined || o.run !== undefined, 'a step needs "do" or "run"'),
]);
export type StepInput = z.output<typeof stepSchema>;

export const ruleSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'id must be kebab-case').describe('Equals the file name.'),
    title: z.string().min(3).describe('Short human name of the signature.'),
    kind: z.enum(['text', 'thread', 'probe']).default('text'),
    category: z.enum(CATEGORIES),
    layer: z.enum(LAYERS),
    owner: z.enum(OWNERS),
    /** Depth in a causal chain: symptoms are shallow, root causes deep. */
    depth: z.number().int().min(1).max(5).default(2).describe('1 = outward symptom … 5 = root cause.'),
    match: z.array(matcherSchema).default([]).describe('Any one regex matching fires the rule.'),
    notMatch: z.array(matcherSchema).default([]).describe('Any of these matching the same text suppresses the rule.'),
    scope: z
      .array(z.enum(EVIDENCE_KINDS))
      .optional()
      .describe('Evidence kinds the rule reads; default: every text kind.'),
    when: threadConditionSchema.optional().describe('Thread rules only: whose statements and which detector.'),
    probe: z
      .strictObject({
        kind: z.string().optional(),
        status: z.enum(['ok', 'failed', 'no_data', 'probe_error']).optional(),
        code: z.string().optional().describe('Regex over the probe result code (e.g. ^ECONNREFUSED$).'),
      })
      .optional()
      .describe('Probe rules only: which probe results this rule explains.'),
    causes: z
      .array(z.string())
      .default([])
      .describe('Deeper causes: rule ids or categories. The Five Whys walks these edges.'),
    why: z
      .strictObject({
        question: z.string().optional().describe('Question this rule answers, e.g. "Why did startup time out?"'),
        answer: z.string().describe('Answer templated with facts: {{name}}.'),
      })
      .optional(),
    effects: effectsSchema.optional(),
    diagnose: z.array(stepSchema).default([]).describe('Diagnostic commands templated with facts (a string is the command).'),
    remediate: z.array(stepSchema).default([]).describe('Remediation hints, imperative, templated with facts (a string is the hint).'),
    monitor: z.array(stepSchema).default([]).describe('What to watch while the fix lands, with the command or query that measures it.'),
    validate: z.array(stepSchema).default([]).describe('How to prove the fix, with the command or query that shows it.'),
    references: z.array(z.string()).default([]),
    examples: z
      .strictObject({
        match: z.array(exampleSchema).min(1, 'every rule needs at least one must-match example'),
        noMatch: z.array(exampleSchema).min(1, 'every rule needs at least one must-not-match example'),
      })
      .describe(
        'Run as tests: each match example must fire the rule, each noMatch example must not. Text and probe rules take strings (for probe rules, "CODE: message"); thread rules take strings (a comment by the role in `when.author`) or small threads.',
      ),
  })
  .describe('A progressor rule.');

export type RuleInput = z.input<typeof ruleSchema>;
export type RuleSpec = z.output<typeof ruleSchema>;
