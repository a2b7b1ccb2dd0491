import type { Category, Owner } from '../domain/vocabulary.ts';
import type { StatementInput } from './text-features.ts';

/**
 * What the decision layer sees of a thread, built by the analysis from evidence and rules
 * (before any fitted model runs): statements in order, the thread rules that fired, the
 * failure signatures with where they matched, the causal chain's root, PRs and probes.
 */
export interface ThreadView {
  open: boolean;
  statements: (StatementInput & { id: string; position: number })[];
  /** Fired thread rules (stale recurrences excluded), with their data-defined effects. */
  threadRules: {
    id: string;
    /** The rule's detector (text, merged-pr …). */
    detector: string;
    lastPosition: number;
    status: Record<string, number>;
    owner: Record<string, number>;
    category: Record<string, number>;
  }[];
  failures: {
    rule: string;
    category: Category;
    owner: Owner;
    /** 0..1 */
    strength: number;
    depth: number;
    inTitle: boolean;
    inBody: boolean;
    inComments: boolean;
    /** Counted by a collector (logs, reports, repository, probes). */
    inCollected: boolean;
  }[];
  root?: { category: Category; owner: Owner; chainNodes: number };
  start?: { category: Category };
  mergedPrs: number;
  openPrs: number;
  probesFailing: number;
  probesHealthy: number;
  recurrence: boolean;
  /** A thread rule whose data says it proves a fix (a positive `resolved` effect) fired. */
  ruleProof: boolean;
  /** Title, description and comments, for the keyword features. */
  title: string;
  text: string;
}
