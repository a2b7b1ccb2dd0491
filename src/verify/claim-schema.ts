import { z } from 'zod';
import { matcherSchema } from '../rules/rule-schema.ts';

// The claim-pattern file format (claims/*.yaml): like a rule, a pattern is data with
// must-match and must-not-match examples that run as tests. A pattern recognises one kind
// of claim in a sentence of a status comment; the kind decides how it is checked.

export const CLAIM_KINDS = [
  'test-outcome',
  'pr-commit',
  'configuration',
  'artefact',
  'system-state',
  'resolution',
  'cause',
  'number',
  'completeness',
] as const;
export type ClaimPatternKind = (typeof CLAIM_KINDS)[number];
/** Kinds in the output: the pattern kinds plus sentences no pattern recognised. */
export type ClaimKind = ClaimPatternKind | 'unrecognised';

const exampleSchema = z.union([
  z.string(),
  z.strictObject({
    text: z.string().describe('The sentence.'),
    context: z.string().optional().describe('The heading or lead-in line the sentence sits under.'),
    facts: z.record(z.string(), z.string()).optional().describe('Facts the match must extract (subset).'),
  }),
]);
export type ClaimExample = z.output<typeof exampleSchema>;

export const claimPatternSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'id must be kebab-case').describe('Equals the file name.'),
    title: z.string().min(3).describe('What the pattern recognises.'),
    kind: z.enum(CLAIM_KINDS).describe('Which checker verifies the claim.'),
    match: z.array(matcherSchema).min(1, 'a pattern needs at least one match regex').describe('Any one regex matching the sentence recognises the claim; named groups become facts.'),
    notMatch: z.array(matcherSchema).default([]).describe('Any of these matching the sentence suppresses the pattern.'),
    context: z
      .array(matcherSchema)
      .default([])
      .describe('When given, one of these must match the sentence or the heading/lead-in it sits under.'),
    facts: z.record(z.string(), z.string()).default({}).describe('Constant facts added to every match, e.g. outcome: pass.'),
    examples: z
      .strictObject({
        match: z.array(exampleSchema).min(1, 'every pattern needs at least one must-match example'),
        noMatch: z.array(exampleSchema).min(1, 'every pattern needs at least one must-not-match example'),
      })
      .describe('Run as tests: each match example must be recognised (with its facts), each noMatch example must not.'),
  })
  .describe('A progressor claim pattern.');

export type ClaimPatternSpec = z.output<typeof claimPatternSchema>;
