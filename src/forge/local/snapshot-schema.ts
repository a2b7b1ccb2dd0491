import { z } from 'zod';
import { AUTHOR_ASSOCIATIONS } from '../../domain/vocabulary.ts';

// The JSON `gh issue view N --json number,title,body,state,url,createdAt,updatedAt,closedAt,
// author,labels,comments` prints, plus `linkedPullRequests` and `authorAssociation` on
// comments. gh prints more fields than we read (reactionGroups, isMinimized…), so nested
// objects are loose; fields we read are validated.

const actor = z.looseObject({ login: z.string().min(1) });

export const snapshotCommentSchema = z.looseObject({
  id: z.string().optional(),
  author: actor.nullable().describe('null for a deleted ("ghost") user'),
  authorAssociation: z.enum(AUTHOR_ASSOCIATIONS).nullable().optional(),
  body: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }).optional(),
  url: z.string().optional(),
});

export const snapshotPrSchema = z.looseObject({
  number: z.number().int().positive(),
  title: z.string(),
  state: z.enum(['OPEN', 'CLOSED', 'MERGED']),
  mergedAt: z.iso.datetime({ offset: true }).nullable().optional(),
  url: z.string().optional(),
  checks: z.string().nullable().optional(),
});

export const snapshotSchema = z.looseObject({
  number: z.number().int().positive(),
  title: z.string(),
  body: z.string(),
  state: z.enum(['OPEN', 'CLOSED']),
  stateReason: z.string().nullable().optional(),
  url: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }).optional(),
  closedAt: z.iso.datetime({ offset: true }).nullable().optional(),
  author: actor.nullable(),
  labels: z.array(z.looseObject({ name: z.string().min(1) })),
  comments: z.array(snapshotCommentSchema),
  linkedPullRequests: z.array(snapshotPrSchema).optional(),
});

export type Snapshot = z.output<typeof snapshotSchema>;
export type SnapshotComment = z.output<typeof snapshotCommentSchema>;

/** A pull request file (`pulls/<n>.json`): the fields `gh pr view --json` names them by. */
export const pullSnapshotSchema = z.looseObject({
  number: z.number().int().positive(),
  url: z.string(),
  state: z.enum(['OPEN', 'CLOSED', 'MERGED']),
  isDraft: z.boolean(),
  headRefName: z.string().min(1),
  baseRefName: z.string().min(1),
  title: z.string(),
  body: z.string(),
});
