import type { EvidenceItem, ProbeResult, Signal } from '../domain/types.ts';
import type { ClaimKind } from './claim-schema.ts';
import type { ExtractedClaim } from './extract.ts';

// Claim checking (pure): each claim kind has one checker that reads the evidence an audit
// collected (thread, linked PRs, test reports, logs, repository files, probes) and returns
// verified | contradicted | unverifiable with the evidence ids that decided it. A verdict
// other than unverifiable always cites at least one evidence id.

export const VERDICTS = ['verified', 'contradicted', 'unverifiable'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface CheckedClaim {
  id: string;
  text: string;
  span: string;
  line: number;
  kind: ClaimKind;
  pattern?: string;
  verdict: Verdict;
  evidence: string[];
  reason: string;
  /** Which comment the claim comes from (a file path, comment id or URL). */
  comment: string;
}

/** A failure signal as counted since the fix (log scan from the fix time on). */
export interface SinceFix {
  /** ISO time the scan starts (the latest merged linked PR). */
  since: string;
  pr?: number;
  signals: { rule: string; title: string; count: number; lastSeen?: string; evidence: string[] }[];
}

export interface VerifyEvidence {
  items: readonly EvidenceItem[];
  signals: readonly Signal[];
  probes: readonly ProbeResult[];
  /** Evidence ids that must not support a claim (the checked comment itself). */
  excluded?: ReadonlySet<string>;
  sinceFix?: SinceFix;
  /** Rules whose signals read a recurrence after a fix (from the audit). */
  recurrenceRules?: readonly string[];
}

interface Outcome {
  verdict: Verdict;
  evidence: string[];
  reason: string;
}

const unverifiable = (reason: string, evidence: string[] = []): Outcome => ({ verdict: 'unverifiable', evidence, reason });

/** Checks every claim; ids are `C1`… in comment order. */
export function checkClaims(claims: readonly (ExtractedClaim & { comment: string })[], ev: VerifyEvidence): CheckedClaim[] {
  const ctx = new Context(ev);
  return claims.map((c, i) => {
    const o = ctx.check(c);
    // The invariant the JSON promises: a decided verdict cites evidence.
    const decided = o.verdict !== 'unverifiable' && o.evidence.length === 0 ? unverifiable(`${o.reason} (no evidence item to cite)`) : o;
    return { id: `C${i + 1}`, text: c.text, span: c.span, line: c.line, kind: c.kind, pattern: c.pattern, verdict: decided.verdict, evidence: [...new Set(decided.evidence)], reason: decided.reason, comment: c.comment };
  });
}

/** "8.0s" → { value: 8, unit: 's' }; time units are normalised to seconds. */
export function parseQuantity(text: string | undefined): { value: number; unit: string } | undefined {
  if (!text) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s?([a-z%]*)$/i.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const u = m[2]!.toLowerCase();
  if (['ms'].includes(u)) return { value: n / 1000, unit: 's' };
  if (['s', 'sec', 'secs', 'second', 'seconds'].includes(u)) return { value: n, unit: 's' };
  if (['m', 'min', 'mins', 'minute', 'minutes'].includes(u)) return { value: n * 60, unit: 's' };
  if (['h', 'hr', 'hrs', 'hour', 'hours'].includes(u)) return { value: n * 3600, unit: 's' };
  return { value: n, unit: u };
}

const QUANTITY = /(?<![\w.])(\d+(?:\.\d+)?)\s?(ms|s|sec|secs|seconds?|m|min|mins|minutes?|h|hrs?|hours?|gb|mb|gi|mi|%)?(?![\w.])/gi;

const KIND_PREFERENCE: EvidenceItem['kind'][] = ['probe', 'linked-pr', 'commit', 'repo-file', 'test-report', 'log', 'document', 'comment', 'issue-body'];
const byPreference = (a: EvidenceItem, b: EvidenceItem) => KIND_PREFERENCE.indexOf(a.kind) - KIND_PREFERENCE.indexOf(b.kind);

const STOP = new Set(
  'the a an and or of to in on at for with from by as is are was were be been being this that these those it its not no into onto over under than then there their our your we they he she them has have had which who what when where why how very more most also only just all any some such about after before during because confirmed identified determined found root cause issue problem'.split(
    ' ',
  ),
);

function terms(text: string): string[] {
  return [
    ...new Set(
      text
        .toLowerCase()
        .split(/[^a-z0-9_-]+/)
        .map(stem)
        .filter((w) => w.length >= 3 && !STOP.has(w)),
    ),
  ];
}

/** A crude singular: failures → failure, retries → retry, crashes → crash, status stays. */
function stem(word: string): string {
  const w = word.toLowerCase();
  if (/[a-z]{2}ies$/.test(w)) return `${w.slice(0, -3)}y`;
  if (/[a-z]{2}(?:ss|sh|ch|x)es$/.test(w)) return w.slice(0, -2);
  if (/[a-z]{3}[^su]s$/.test(w)) return w.slice(0, -1);
  return w;
}

class Context {
  private readonly ev: VerifyEvidence;
  /** Evidence that may support a claim: not the checked comment itself, not a bot's. */
  private readonly usable: EvidenceItem[];
  /** Configuration lines read from the repository; they count for configuration claims only. */
  private readonly configLines: EvidenceItem[];
  constructor(ev: VerifyEvidence) {
    this.ev = ev;
    const ok = ev.items.filter((i) => !ev.excluded?.has(i.id) && i.role !== 'bot');
    this.usable = ok.filter((i) => i.meta?.config !== true);
    this.configLines = ok.filter((i) => i.meta?.config === true);
  }

  check(c: ExtractedClaim): Outcome {
    switch (c.kind) {
      case 'test-outcome':
        return this.testOutcome(c.facts);
      case 'pr-commit':
        return this.prCommit(c.facts);
      case 'configuration':
        return this.configuration(c.facts);
      case 'artefact':
        return this.artefact(c.facts);
      case 'system-state':
        return this.systemState(c.facts);
      case 'resolution':
        return this.resolution(c.facts);
      case 'cause':
        return this.cause(c.facts);
      case 'number':
        return this.number(c.facts);
      case 'completeness':
        return unverifiable('completeness and praise are not facts: no evidence can confirm them; state what was done and cite it');
      case 'unrecognised':
        return unverifiable(`no claim pattern recognises this sentence (it ${c.facts.feature ?? 'looks checkable'}); check it by hand`);
    }
  }

  private testOutcome(f: Record<string, string>): Outcome {
    const reports = this.usable.filter((i) => i.kind === 'test-report' && typeof i.meta?.total === 'number');
    if (reports.length === 0) {
      const prs = this.usable.filter((i) => i.kind === 'linked-pr' && typeof i.meta?.checks === 'string');
      if (f.outcome === 'all-pass' && prs.length > 0) {
        const failing = prs.filter((p) => p.meta?.checks !== 'SUCCESS');
        return failing.length > 0
          ? { verdict: 'contradicted', evidence: failing.map((p) => p.id), reason: `CI checks of ${failing.map((p) => `PR #${String(p.meta?.number)} are ${String(p.meta?.checks)}`).join(', ')}` }
          : { verdict: 'verified', evidence: prs.map((p) => p.id), reason: `CI checks of ${prs.map((p) => `PR #${String(p.meta?.number)}`).join(', ')} are SUCCESS` };
      }
      return unverifiable('no test report among the evidence (configure sources.tests or pass --tests)');
    }
    const sum = (k: string) => reports.reduce((n, r) => n + Number(r.meta?.[k] ?? 0), 0);
    const total = sum('total');
    const passed = sum('passed');
    const failed = sum('failed');
    const skipped = sum('skipped');
    const infra = sum('infrastructureFailures');
    const ids = reports.map((r) => r.id);
    const failures = this.usable.filter((i) => i.kind === 'test-report' && i.meta?.failure === true).slice(0, 3).map((i) => i.id);
    const said = `${reports.length === 1 ? 'the test report says' : `${reports.length} test reports say`} ${total} tests, ${passed} passed, ${failed} failed, ${skipped} skipped`;
    const infraNote = failed > 0 && infra > 0 ? `; ${infra} of ${failed} failures are infrastructure` : '';
    if (total === 0) return { verdict: f.outcome === 'fail' ? 'unverifiable' : 'contradicted', evidence: ids, reason: 'the test report executed zero tests, which is never evidence of passing' };
    const claimedPassed = f.passed !== undefined ? Number(f.passed) : undefined;
    const claimedTotal = f.total !== undefined ? Number(f.total) : undefined;
    const claimedFailed = f.failed !== undefined ? Number(f.failed) : undefined;
    const decide = (ok: boolean, claim: string): Outcome =>
      ok
        ? { verdict: 'verified', evidence: ids, reason: `${said}` }
        : { verdict: 'contradicted', evidence: [...ids, ...(failed > 0 ? failures : [])], reason: `${said}${infraNote}; the comment says ${claim}` };
    if (f.outcome === 'fail') {
      if (claimedFailed !== undefined) return decide(claimedFailed === failed, `${claimedFailed} failed`);
      return decide(failed > 0, 'tests fail');
    }
    if (f.outcome === 'all-pass') {
      return decide(failed === 0 && passed > 0 && (claimedTotal === undefined || claimedTotal === passed), claimedTotal !== undefined ? `all ${claimedTotal} pass` : 'all tests pass');
    }
    if (claimedPassed !== undefined && claimedTotal !== undefined)
      return decide(claimedPassed === passed && claimedTotal === total, `${claimedPassed} of ${claimedTotal} passed`);
    if (claimedPassed !== undefined) return decide(claimedPassed === passed, `${claimedPassed} passed`);
    return decide(failed === 0 && passed > 0, 'the tests pass');
  }

  private pr(n: number): EvidenceItem | undefined {
    return this.usable.find((i) => i.kind === 'linked-pr' && i.meta?.number === n);
  }

  private prCommit(f: Record<string, string>): Outcome {
    if (f.sha) {
      const sha = f.sha.toLowerCase();
      const c = this.usable.find((i) => i.kind === 'commit' && String(i.meta?.sha ?? '').startsWith(sha));
      return c ? { verdict: 'verified', evidence: [c.id], reason: `commit ${sha} is in the repository (${c.excerpt})` } : unverifiable(`commit ${sha} is not among the commits that mention the issue`);
    }
    const n = Number(f.number);
    const pr = this.pr(n);
    // The words a comment uses for a state ("Merged", "landed", "shipped") map to the state checked.
    const said = (f.state ?? 'merged').toLowerCase();
    const state = ['merged', 'landed'].includes(said) ? 'merged' : ['deployed', 'released', 'shipped', 'rolled out'].includes(said) ? 'deployed' : said;
    if (!pr) {
      const commits = this.usable.filter((i) => i.kind === 'commit' && new RegExp(`#${n}(?!\\d)`).test(i.text));
      if (commits.length > 0 && (state === 'merged' || state === 'exists'))
        return { verdict: 'verified', evidence: commits.slice(0, 2).map((c) => c.id), reason: `a commit in the repository references #${n}` };
      return unverifiable(`#${n} is not linked to this issue, so its state is unknown`);
    }
    const actual = String(pr.meta?.state);
    const mergedAt = pr.meta?.mergedAt ? String(pr.meta.mergedAt) : undefined;
    if (state === 'exists') return { verdict: 'verified', evidence: [pr.id], reason: `PR #${n} is linked (${actual})` };
    if (state === 'merged')
      return actual === 'MERGED'
        ? { verdict: 'verified', evidence: [pr.id], reason: `PR #${n} merged at ${mergedAt ?? 'an unknown time'}` }
        : { verdict: 'contradicted', evidence: [pr.id], reason: `PR #${n} is ${actual}, not merged` };
    if (state === 'deployed') {
      if (actual !== 'MERGED') return { verdict: 'contradicted', evidence: [pr.id], reason: `PR #${n} is ${actual}: not merged, so not deployed` };
      const deploy = this.usable.find(
        (i) => (i.kind === 'comment' || i.kind === 'log' || i.kind === 'commit') && /\b(?:deployed|rolled out|released|deploy(?:ment)? (?:succeeded|finished|completed))\b/i.test(i.text) && (!mergedAt || !i.at || i.at >= mergedAt),
      );
      return deploy
        ? { verdict: 'verified', evidence: [pr.id, deploy.id], reason: `PR #${n} merged at ${mergedAt}; the deploy is stated in ${deploy.id}${deploy.author ? ` by @${deploy.author}` : ''}` }
        : unverifiable(`PR #${n} merged at ${mergedAt}, but no evidence shows the deploy`, [pr.id]);
    }
    return unverifiable(`no check for PR state "${state}"`, [pr.id]);
  }

  private configuration(f: Record<string, string>): Outcome {
    const to = parseQuantity(f.to);
    if (!to) return unverifiable('the claimed value is not a number');
    const words = (f.setting ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const key = stem(words.at(-1) ?? 'timeout');
    const supporting: EvidenceItem[] = [];
    const seen = new Set<number>();
    for (const item of [...this.usable, ...this.configLines]) {
      for (const line of item.text.split('\n').slice(0, 400)) {
        if (!line.toLowerCase().includes(key.replace(/_/g, '_'))) continue;
        for (const m of line.matchAll(QUANTITY)) {
          // A key such as timeout_seconds or init_timeout_ms gives a bare number its unit.
          const keyUnit = m[2] ? '' : /(?:_|\b)(?:ms|millis\w*)\b/i.test(line) ? 'ms' : /(?:_|\b)(?:s|secs?|seconds)\b/i.test(line) ? 's' : '';
          const q = parseQuantity(`${m[1]}${m[2] ?? keyUnit}`);
          if (!q || (to.unit !== '' && q.unit !== '' && q.unit !== to.unit)) continue;
          if (q.unit === '' && to.unit === 's') continue;
          seen.add(q.value);
          if (q.value === to.value && !supporting.includes(item)) supporting.push(item);
        }
      }
    }
    const unit = to.unit === 's' ? ' s' : to.unit;
    if (supporting.length > 0) {
      const cite = supporting.sort(byPreference).slice(0, 3);
      return { verdict: 'verified', evidence: cite.map((i) => i.id), reason: `${cite.map((i) => i.id).join(', ')} show the ${key} at ${to.value}${unit}` };
    }
    if (seen.size > 0) return unverifiable(`the evidence shows the ${key} at ${[...seen].sort((a, b) => a - b).join(', ')}${unit}, never ${to.value}${unit}`);
    return unverifiable(`no evidence mentions the ${key} with a value`);
  }

  private artefact(f: Record<string, string>): Outcome {
    const rel = (f.path ?? '').replace(/^\.?\//, '');
    const file = this.usable.find((i) => i.kind === 'repo-file' && i.source.path === rel);
    if (!file) return unverifiable(`no repository clone among the sources to check ${rel} (pass --repo-dir)`);
    return file.meta?.exists === true
      ? { verdict: 'verified', evidence: [file.id], reason: `${rel} exists in the repository` }
      : { verdict: 'contradicted', evidence: [file.id], reason: `${rel} does not exist in the repository` };
  }

  private probeItems(target: string): EvidenceItem[] {
    const probes = this.usable.filter((i) => i.kind === 'probe');
    const want = terms(target).filter((t) => !['staging', 'production', 'prod', 'environment', 'service', 'system'].includes(t));
    const named = probes.filter((p) => want.some((w) => `${p.source.probe ?? ''} ${String(p.meta?.target ?? '')} ${String(p.meta?.probeKind ?? '')}`.toLowerCase().includes(w)));
    return named.length > 0 ? named : probes;
  }

  private failureSignals(): Signal[] {
    return this.ev.signals.filter((s) => s.layer !== 'thread' && s.count > 0 && s.lastSeen);
  }

  private systemState(f: Record<string, string>): Outcome {
    const target = f.target ?? '';
    const probes = this.probeItems(target);
    const ran = probes.filter((p) => p.meta?.status === 'ok' || p.meta?.status === 'failed');
    if (f.code) {
      const code = f.code;
      const byProbe = ran.filter((p) => String(p.meta?.code ?? '') === `HTTP_${code}` || new RegExp(`\\b${code}\\b`).test(p.text));
      if (byProbe.length > 0) return { verdict: 'verified', evidence: byProbe.map((p) => p.id), reason: `probe ${byProbe.map((p) => p.source.probe).join(', ')} observed ${code}` };
      const httpProbes = ran.filter((p) => p.meta?.probeKind === 'http');
      if (httpProbes.length > 0) return { verdict: 'contradicted', evidence: httpProbes.map((p) => p.id), reason: `probe ${httpProbes.map((p) => `${p.source.probe} is ${String(p.meta?.status)}`).join(', ')}; none observed ${code}` };
      const lines = this.usable.filter((i) => i.kind !== 'comment' && i.kind !== 'issue-body' && new RegExp(`(?:HTTP|GET|POST|health|status)[^\\n]{0,40}\\b${code}\\b`, 'i').test(i.text)).sort(byPreference);
      const said = lines.length > 0 ? lines : this.usable.filter((i) => new RegExp(`(?:HTTP|GET|POST|health|status|returns?|answers?)[^\\n]{0,40}\\b${code}\\b`, 'i').test(i.text));
      const sig = this.failureSignals().find((s) => s.facts.status === code);
      if (said.length > 0)
        return { verdict: 'verified', evidence: said.slice(0, 3).map((i) => i.id), reason: `${said.slice(0, 3).map((i) => i.id).join(', ')} show ${code}${sig ? ` (${sig.rule}: ${sig.count} matches, last seen ${sig.lastSeen})` : ''}; no probe checked the current state` };
      return unverifiable(`no probe ran and no evidence shows ${code}`);
    }
    const healthyWords = ['healthy', 'up', 'online', 'operational', 'running', 'stable', 'available', 'reachable', 'responding'];
    const claimsHealthy = healthyWords.includes((f.state ?? '').toLowerCase());
    if (ran.length > 0) {
      const failed = ran.filter((p) => p.meta?.status === 'failed');
      const healthy = failed.length === 0;
      return healthy === claimsHealthy
        ? { verdict: 'verified', evidence: ran.map((p) => p.id), reason: `probes ${ran.map((p) => `${p.source.probe} ${String(p.meta?.status)}`).join(', ')}` }
        : { verdict: 'contradicted', evidence: (healthy ? ran : failed).map((p) => p.id), reason: `probes ${(healthy ? ran : failed).map((p) => `${p.source.probe} ${String(p.meta?.status)}`).join(', ')}` };
    }
    const last = this.failureSignals().sort((a, b) => String(b.lastSeen).localeCompare(String(a.lastSeen)))[0];
    return unverifiable(`no probe ran (configure probes: and pass --probe)${last ? `; the last failure signal, ${last.rule}, was seen at ${last.lastSeen}` : ''}`, []);
  }

  private resolution(f: Record<string, string>): Outcome {
    const named = f.pr ? this.pr(Number(f.pr)) : undefined;
    const merged = this.usable
      .filter((i) => i.kind === 'linked-pr' && i.meta?.state === 'MERGED' && i.meta?.mergedAt)
      .sort((a, b) => String(a.meta?.mergedAt).localeCompare(String(b.meta?.mergedAt)));
    const fix = named && named.meta?.mergedAt ? named : merged.at(-1);
    if (f.pr && !named) return unverifiable(`#${f.pr} is not linked to this issue, so when the fix landed is unknown`);
    if (!fix) return unverifiable('no merged linked PR to measure the fix from, and no probe or log window says it holds');
    const at = String(fix.meta?.mergedAt);
    const prNo = String(fix.meta?.number);
    const after = this.failureSignals().filter((s) => String(s.lastSeen) > at);
    const recurred = this.ev.signals.find((s) => (this.ev.recurrenceRules ?? []).includes(s.rule));
    if (after.length > 0) {
      const since = this.ev.sinceFix;
      const post = since ? since.signals.filter((s) => after.some((a) => a.rule === s.rule)).flatMap((s) => s.evidence.slice(0, 1)) : [];
      const thread = this.usable.filter((i) => (i.kind === 'comment' || i.kind === 'issue-body') && i.at && i.at > at && after.some((s) => s.evidence.includes(i.id)));
      const top = after.sort((a, b) => b.count - a.count).slice(0, 3);
      return {
        verdict: 'contradicted',
        evidence: [fix.id, ...post.slice(0, 3), ...thread.slice(0, 2).map((i) => i.id)],
        reason: `failure signals continue after PR #${prNo} merged at ${at}: ${top.map((s) => `${s.rule} last seen ${s.lastSeen}`).join(', ')}${since ? `; ${since.signals.reduce((n, s) => n + s.count, 0)} failure lines in the logs since then` : ''}`,
      };
    }
    if (recurred && recurred.lastSeen && recurred.lastSeen > at) return { verdict: 'contradicted', evidence: [fix.id, ...recurred.evidence.slice(-2)], reason: `the thread reports the failure again after PR #${prNo} merged` };
    const probes = this.usable.filter((i) => i.kind === 'probe' && (i.meta?.status === 'ok' || i.meta?.status === 'failed'));
    if (probes.length > 0) {
      const failed = probes.filter((p) => p.meta?.status === 'failed');
      return failed.length > 0
        ? { verdict: 'contradicted', evidence: failed.map((p) => p.id), reason: `probes still fail: ${failed.map((p) => p.source.probe).join(', ')}` }
        : { verdict: 'verified', evidence: [fix.id, ...probes.map((p) => p.id)], reason: `PR #${prNo} merged at ${at}; no failure signal since, and every probe is healthy` };
    }
    return unverifiable(`no failure signal after PR #${prNo} merged at ${at}, but no probe confirms the system is healthy`, [fix.id]);
  }

  private cause(f: Record<string, string>): Outcome {
    const cause = (f.cause ?? '').split(/\s[-–—]\s|,?\s+(?:not|rather than|instead of)\s+/i)[0]!.trim();
    const want = terms(cause);
    if (want.length === 0) return unverifiable('hypothesis: the stated cause names nothing evidence could show');
    const need = Math.max(Math.min(2, want.length), Math.ceil(want.length * 0.6));
    const found = this.usable
      .filter((i) => i.kind !== 'label' && i.kind !== 'state')
      .map((i) => ({ i, hits: want.filter((w) => i.text.toLowerCase().includes(w)).length }))
      .filter((x) => x.hits >= need)
      .sort((a, b) => b.hits - a.hits || byPreference(a.i, b.i));
    if (found.length > 0) {
      const cite = found.slice(0, 2).map((x) => x.i);
      return { verdict: 'verified', evidence: cite.map((i) => i.id), reason: `${cite.map((i) => `${i.id}${i.author ? ` (@${i.author})` : ''}`).join(' and ')} state${cite.length === 1 ? 's' : ''} it: ${cite[0]!.excerpt.slice(0, 120)}` };
    }
    return unverifiable(`hypothesis: no evidence states "${cause.slice(0, 80)}"`);
  }

  private number(f: Record<string, string>): Outcome {
    const raw = f.value ?? '';
    if (/\$|%/.test(raw) || /\b(?:ARR|MRR|revenue|pipeline|budget|cost)\b/i.test(f.noun ?? '')) return unverifiable('no counted source for money, rates or business figures');
    const value = Number(raw.replace(/,/g, ''));
    const plus = f.plus === '+';
    const noun = stem(f.noun ?? '');
    const sources: { what: string; count: number; evidence: string[] }[] = [];
    const generic = ['failure', 'error', 'occurrence', 'match', 'line', 'event', 'exception'];
    for (const s of this.ev.signals) {
      if (s.layer === 'thread') continue;
      // Rule ids and categories are kebab-case: their parts are the words (db-init-timeout → timeout).
      const words = terms(`${s.rule} ${s.title} ${s.category}`.replace(/-/g, ' '));
      if (generic.includes(noun) || words.includes(noun)) sources.push({ what: `${s.rule} (${s.count} matches)`, count: s.count, evidence: s.evidence });
    }
    const summary = this.usable.find((i) => i.source.path === '.' && i.kind === 'document' && typeof i.meta?.documents === 'number');
    if (summary && (noun === 'document' || noun === 'doc')) sources.push({ what: `documents mentioning the issue (${String(summary.meta?.documents)})`, count: Number(summary.meta?.documents), evidence: [summary.id] });
    if (summary && noun === 'commit') sources.push({ what: `commits mentioning the issue (${String(summary.meta?.commits)})`, count: Number(summary.meta?.commits), evidence: [summary.id] });
    const hit = sources.find((s) => s.count === value || (plus && s.count >= value));
    if (hit) return { verdict: 'verified', evidence: hit.evidence.slice(0, 3), reason: `counted: ${hit.what}` };
    if (sources.length > 0) return unverifiable(`the evidence counts ${sources.slice(0, 3).map((s) => s.what).join(', ')}, not ${raw}${plus ? '+' : ''}; the comment does not say where ${raw} was counted`);
    return unverifiable(`no counted source for ${raw}${plus ? '+' : ''} ${f.noun ?? ''}`.trim());
  }
}
