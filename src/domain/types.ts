import type { Redacted } from './redacted.ts';
import type {
  AuthorAssociation,
  Category,
  Certainty,
  EvidenceKind,
  Layer,
  Owner,
  ProbeStatus,
  Status,
} from './vocabulary.ts';

/** Where an evidence item can be opened: a URL, a file and line, or a probe id. */
export interface EvidenceSource {
  url?: string;
  path?: string;
  line?: number;
  probe?: string;
}

/**
 * One piece of evidence (SPEC §4). `text` is the whole redacted text rules match over;
 * `excerpt` is the short redacted form shown to readers. Ids (`E1`…) are assigned after
 * a deterministic sort and are stable within one audit.
 */
export interface EvidenceItem {
  id: string;
  kind: EvidenceKind;
  source: EvidenceSource;
  at?: string;
  author?: string;
  authorAssociation?: AuthorAssociation;
  /** Role inferred for the author within the thread. */
  role?: 'reporter' | 'maintainer' | 'participant' | 'bot';
  /** Position in the thread (0 = body, 1.. = comments); for ordering, as timestamps may tie. */
  position?: number;
  excerpt: Redacted;
  text: Redacted;
  /** Kind-specific structured facts, e.g. a PR's state or a probe's status. */
  meta?: Record<string, string | number | boolean | null>;
}

export type Facts = Record<string, string>;

/** A rule's match over evidence (SPEC §4). */
export interface Signal {
  rule: string;
  title: string;
  category: Category;
  layer: Layer;
  owner: Owner;
  count: number;
  firstSeen?: string;
  lastSeen?: string;
  /** The first value of each named group, in evidence order. */
  facts: Facts;
  /** Every distinct value of each named group, with its count. */
  factValues: Record<string, Record<string, number>>;
  evidence: string[];
}

/** One answer of the Five Whys chain (SPEC §4). */
export interface Why {
  question: string;
  answer: string;
  evidence: string[];
  certainty: Certainty;
  supported: boolean;
  /** The rule whose signal (or inference) produced this answer. */
  rule?: string;
}

/** A live probe's outcome (SPEC §4, §8). "Could not run" is never "the system failed". */
export interface ProbeResult {
  id: string;
  kind: string;
  target: string;
  status: ProbeStatus;
  latencyMs: number;
  observed: Record<string, string | number | boolean | null>;
  /** A stable code such as ECONNREFUSED, ENOENT, EAI_AGAIN, ETIMEDOUT, HTTP_503, CERT_EXPIRED. */
  code?: string;
  error?: Redacted;
  /** Rule id this result maps to, when the failure is a known signature. */
  rule?: string;
  at: string;
}

export interface Decision<T extends string> {
  value: T;
  /** The named features that carried the decision, strongest first. */
  decidedBy: string[];
  /** Each carrying feature's contribution to the chosen value's score. */
  contributions?: { feature: string; contribution: number }[];
  score: number;
  runnerUp?: { value: T; score: number; decidedBy: string[] };
  margin: number;
}

/** A gap: a source that could not be gathered; the comment says so. */
export interface Gap {
  collector: string;
  code: string;
  message: string;
}

export interface Diagnostic {
  rule: string;
  command: string;
  owner: Owner;
  /** Why it is not in Next, when it is not. */
  held?: HeldStep['reason'];
}

export interface NextStep {
  /** Who acts: the owner the evidence names for this step (`maintainers` when it names none). */
  owner: Owner | 'maintainers' | 'reporter';
  action: string;
  rule?: string;
  /** The exact command that performs or checks the step, every placeholder filled. */
  command?: string;
  /** Evidence behind the step (its rule's signal). */
  evidence?: string[];
  /** Evidence that says who does it; empty when the owner is not named by the evidence. */
  ownerEvidence?: string[];
}

/** A step that is not shown in Next, and why (folded into the comment's details). */
export interface HeldStep {
  rule: string;
  text: string;
  reason: 'placeholders' | 'invalid-fact' | 'platform' | 'done-in-thread' | 'no-evidence' | 'ranked-out' | 'duplicate';
  /** Placeholders no fact could fill. */
  missing?: string[];
  /** For `done-in-thread`: the statements that report it done. */
  doneBy?: string[];
  /** For `platform`: the platform the command is for. */
  platform?: string;
}

/** A monitor or validate line: what to watch or check, and the command or query that measures it. */
export interface CheckLine {
  /** Who watches or checks: as for the rule's Next steps, named only by the evidence. */
  owner: NextStep['owner'];
  text: string;
  command: string;
  rule: string;
}

/** A side finding about the thread (not a cause in the chain), e.g. a timeout raised again and again. */
export interface Pattern {
  rule: string;
  /** Short name, e.g. "symptom tuning". */
  name: string;
  text: string;
  evidence: string[];
  /** Index of the why it hangs off in the chain diagram. */
  attachTo: number;
}

/** The strongest lead: a change the thread reports on the failing component, quoted. */
export interface Lead {
  quote: string;
  evidence: string;
  /** Index of the why whose evidence holds it. */
  why: number;
}

export interface Analysis {
  status: Decision<Status>;
  owner: Decision<Owner>;
  category: Decision<Category>;
  confidence: 'high' | 'medium' | 'low';
  confidenceReasons: string[];
  takeaway: string;
  whys: Why[];
  signals: Signal[];
  threadSignals: Signal[];
  diagnostics: Diagnostic[];
  /** Ranked, at most five, root cause first. */
  nextSteps: NextStep[];
  /** Steps not shown, with the reason. */
  heldSteps: HeldStep[];
  monitor: CheckLine[];
  validate: CheckLine[];
  patterns: Pattern[];
  lead?: Lead;
  /** Platforms the evidence shows (cloud-run, kubernetes, gcp, aws, heroku, …). */
  platforms: string[];
  /** Per statement, the speech acts the act model read in it (probability ≥ 0.5). */
  acts?: { id: string; acts: { act: string; p: number }[] }[];
  /** A merged linked PR that a thread rule counts as a fix (not only a timeout or retry change). */
  fixMerged?: boolean;
  /** Thread rules that read a recurrence after a fix ("still failing since the fix"). */
  recurrenceRules?: string[];
  /** The rubric's gates that removed a status from the choice. */
  gates?: string[];
}

/** An evidence item before ids are assigned; `key` is unique within its collector. */
export type EvidenceDraft = Omit<EvidenceItem, 'id'> & { key: string };

/** A signal counted by a collector itself (logs, test reports, probes); refers to drafts by key. */
export type SignalDraft = Omit<Signal, 'evidence'> & { evidenceKeys: string[] };

/**
 * What a collector hands the audit. Items carrying `meta.prematched: true` were already
 * matched by the collector (its signals count them) and are not matched again.
 */
export interface CollectorOutput {
  collector: string;
  items: EvidenceDraft[];
  signals: SignalDraft[];
  gaps: Gap[];
  probes?: ProbeResult[];
  /** For stderr only (never the comment): e.g. an input that matched no file, named as given. */
  warnings?: string[];
  /** File inputs (`--logs`, `--tests`): how many were given and how many matched a file. */
  inputs?: { given: number; matched: number };
}
