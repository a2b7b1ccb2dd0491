// `npm run eval`: runs the audit over the development cases in ../shared/eval/cases (or
// --cases DIR) and prints per-field accuracy, confusion matrices, citation share and each
// miss with the deciding rule ids. A development tool: it reads ../shared, users never need it.
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { assignIds } from '../analysis/assign-ids.ts';
import { buildAnalysis } from '../analysis/build-analysis.ts';
import { collectThread } from '../evidence/thread.ts';
import { LOCAL_BOT_LOGIN, snapshotToIssue } from '../forge/local/local-forge.ts';
import { snapshotSchema } from '../forge/local/snapshot-schema.ts';
import { loadRules } from '../rules/load-rules.ts';

interface Case {
  id: string;
  source: { repo: string; number: number; url: string };
  thread: {
    title: string;
    body: string;
    labels: string[];
    state: string;
    author: string | null;
    createdAt: string | null;
    comments: { author: string; authorAssociation: string | null; createdAt: string | null; body: string }[];
    linkedPullRequests: { number: number; title: string; state: string; mergedAt: string | null }[];
  };
  expected: {
    status: string;
    owner: string;
    category: string;
    evidence: string;
    acceptableStatuses?: string[];
    acceptableOwners?: string[];
    acceptableCategories?: string[];
  };
}

/** Converts a case to the snapshot the tool reads, field by field as the eval README says. */
export function caseToSnapshot(c: Case): unknown {
  const t = c.thread;
  const fallback = t.comments.find((x) => x.createdAt)?.createdAt ?? '2000-01-01T00:00:00Z';
  return {
    number: c.source.number,
    title: t.title,
    body: t.body ?? '',
    state: t.state.toUpperCase(),
    url: c.source.url,
    createdAt: t.createdAt ?? fallback,
    author: { login: t.author ?? 'ghost' },
    labels: t.labels.map((name) => ({ name })),
    comments: t.comments.map((x) => ({
      author: { login: x.author },
      body: x.body,
      createdAt: x.createdAt ?? t.createdAt ?? fallback,
      ...(x.authorAssociation ? { authorAssociation: x.authorAssociation } : {}),
    })),
    linkedPullRequests: t.linkedPullRequests.map((p) => ({
      number: p.number,
      title: p.title,
      state: p.state.toUpperCase(),
      mergedAt: p.mergedAt,
    })),
  };
}

const FIELDS = ['status', 'owner', 'category'] as const;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { cases: { type: 'string' }, verbose: { type: 'boolean', short: 'v' } } });
  const dir = resolve(values.cases ?? join(import.meta.dirname, '../../../shared/eval/cases'));
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  } catch {
    console.error(`eval: cannot read cases folder ${dir} (pass --cases DIR)`);
    process.exitCode = 6;
    return;
  }
  const rules = await loadRules();
  const strict: Record<string, number> = { status: 0, owner: 0, category: 0 };
  const lenient: Record<string, number> = { status: 0, owner: 0, category: 0 };
  const confusion: Record<string, Map<string, number>> = { status: new Map(), owner: new Map(), category: new Map() };
  let supportedWhys = 0;
  let citedWhys = 0;
  let wrongResolved = 0;
  let evidenceCited = 0;
  const misses: string[] = [];
  for (const f of files) {
    const c = JSON.parse(await readFile(join(dir, f), 'utf8')) as Case;
    const snap = snapshotSchema.parse(caseToSnapshot(c));
    const issue = snapshotToIssue({ forge: 'local', location: f, number: snap.number }, snap);
    const thread = collectThread(issue, LOCAL_BOT_LOGIN);
    const { items, signals } = assignIds([thread.output]);
    const a = buildAnalysis({ issueTitle: issue.title, open: issue.state === 'OPEN', items, rules, collectedSignals: signals });
    const got = { status: a.status.value, owner: a.owner.value, category: a.category.value } as Record<string, string>;
    const acceptable: Record<string, string[]> = {
      status: [c.expected.status, ...(c.expected.acceptableStatuses ?? [])],
      owner: [c.expected.owner, ...(c.expected.acceptableOwners ?? [])],
      category: [c.expected.category, ...(c.expected.acceptableCategories ?? [])],
    };
    for (const field of FIELDS) {
      const exp = (c.expected as unknown as Record<string, string>)[field]!;
      if (got[field] === exp) strict[field]! += 1;
      if (acceptable[field]!.includes(got[field]!)) lenient[field]! += 1;
      const key = `${exp} -> ${got[field]}`;
      confusion[field]!.set(key, (confusion[field]!.get(key) ?? 0) + 1);
      if (!acceptable[field]!.includes(got[field]!)) {
        const d = a[field];
        misses.push(
          `${c.id} ${field}: expected ${exp}, got ${got[field]} (decidedBy ${d.decidedBy.join(',') || '-'}; runner-up ${d.runnerUp ? `${d.runnerUp.value} ${d.runnerUp.score}` : '-'}; margin ${d.margin})`,
        );
      }
    }
    if (got.status === 'resolved' && !acceptable.status!.includes('resolved')) wrongResolved++;
    for (const w of a.whys) {
      if (!w.supported) continue;
      supportedWhys++;
      if (w.evidence.length > 0 && w.evidence.every((id) => items.some((i) => i.id === id))) citedWhys++;
    }
    const holder = items.find((i) => String(i.text).includes(c.expected.evidence.slice(0, 60)));
    const cited = holder && (a.whys.some((w) => w.evidence.includes(holder.id)) || [...a.signals, ...a.threadSignals].some((s) => s.evidence.includes(holder.id)));
    if (cited) evidenceCited++;
    if (values.verbose) {
      console.log(`${c.id}: ${got.status}/${got.owner}/${got.category} (expected ${c.expected.status}/${c.expected.owner}/${c.expected.category})`);
      console.log(`   signals: ${[...a.signals, ...a.threadSignals].map((s) => `${s.rule}×${s.count}`).join(' ') || '-'}`);
      console.log(`   settling evidence ${holder ? holder.id : '(not found)'} cited: ${cited ? 'yes' : 'no'}`);
      console.log(`   roles: ${items.filter((i) => i.kind === 'comment').map((i) => `${i.id}=${i.role}`).join(' ') || '-'}`);
      console.log(`   decidedBy: status ${a.status.decidedBy.join(',') || '-'} (margin ${a.status.margin}); owner ${a.owner.decidedBy.join(',') || '-'}; category ${a.category.decidedBy.join(',') || '-'}`);
    }
  }
  const n = files.length;
  const pct = (x: number) => (n ? (x / n).toFixed(2) : '0.00');
  console.log(`cases: ${n} from ${dir}`);
  console.log('accuracy      strict  lenient');
  for (const field of FIELDS) console.log(`  ${field.padEnd(10)}  ${pct(strict[field]!)}    ${pct(lenient[field]!)}`);
  for (const field of FIELDS) {
    console.log(`confusion (${field}): expected -> got`);
    for (const [k, v] of [...confusion[field]!.entries()].sort()) console.log(`  ${k}: ${v}`);
  }
  console.log(`supported whys citing evidence: ${citedWhys}/${supportedWhys}`);
  console.log(`cases whose settling evidence is cited: ${evidenceCited}/${n}`);
  console.log(`misses (${misses.length}):`);
  for (const m of misses) console.log(`  ${m}`);
  const cited = supportedWhys ? citedWhys / supportedWhys : 1;
  console.log(
    `eval n=${n} status=${pct(lenient.status!)} owner=${pct(lenient.owner!)} category=${pct(lenient.category!)} cited=${cited.toFixed(2)} wrong-resolved=${wrongResolved}`,
  );
}

await main();
