// The public library API (the only barrel): what a program embedding progressor needs to
// audit an issue without the CLI.
export * from './domain/vocabulary.ts';
export type * from './domain/types.ts';
export type { Redacted } from './domain/redacted.ts';
export { ProgressorError, ConfigError, EXIT_CODES } from './errors/errors.ts';
export { loadConfig, type Config } from './config/load-config.ts';
export { loadRules, BUILTIN_RULES_DIR } from './rules/load-rules.ts';
export type { CompiledRule } from './rules/compile-rule.ts';
export type { Forge, Issue, IssueRef } from './forge/forge.ts';
export { LocalForge } from './forge/local/local-forge.ts';
export { openForge } from './forge/open-forge.ts';
export { runAudit, type AuditRequest, type AuditResult } from './runner/run-audit.ts';
export { buildAnalysis } from './analysis/build-analysis.ts';
export { loadJudgement } from './judgement/load-judgement.ts';
export type { Judgement } from './judgement/judge.ts';
export { planActions, type ActionPlan, type AuditPolicy } from './actions/plan.ts';
export { executePlan } from './actions/execute.ts';
export { renderComment } from './report/render-comment.ts';
export { renderJson } from './report/render-json.ts';
export { StatusMarker } from './report/status-marker.ts';
export { lintComment } from './report/lint-comment.ts';
export { redact } from './redact/redact.ts';
export { runProbes } from './probes/run-probes.ts';
export { collectLogs } from './evidence/logs.ts';
