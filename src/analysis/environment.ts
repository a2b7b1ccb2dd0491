import type { EvidenceItem, Signal } from '../domain/types.ts';

// What the evidence says about where the failing service runs: the platforms (so a Cloud Run
// service gets no kubectl command) and the environment facts every rule's templates may use
// (project, region, service…), whichever rule extracted them.

const PLATFORM_SIGNS: readonly (readonly [string, RegExp])[] = [
  ['cloud-run', /\bcloud[ -]run\b|\bcloud_run_revision\b|\brun\.googleapis\.com\b|\bK_SERVICE\b|\bgcloud run\b/i],
  ['app-engine', /\bapp ?engine\b|\bgcloud app\b/i],
  [
    'kubernetes',
    /\bkubectl\b|\bkubernetes\b|\bk8s\b|\bCrashLoopBackOff\b|\bOOMKilled\b|\bpods?\/[\w-]+|\bkube-(?:dns|proxy|system|apiserver)\b|\bcoredns\b|\bhelm\b|\b(?:GKE|EKS|AKS)\b|\.svc\.cluster\.local\b|\b(?:liveness|readiness|startup) probe failed\b/i,
  ],
  ['heroku', /\bheroku\b|\bdynos?\b/i],
  ['aws', /\bAWS\b|amazonaws\.com|\b(?:RDS|ElastiCache|ECS|EKS|ELB|ALB)\b|\belbv2\b|\bsecurity group\b/],
  ['azure', /\bAzure\b|\.azurewebsites\.net|\bAKS\b/],
  ['docker', /\bdocker(?:-compose)?\b|\bcompose\.ya?ml\b/i],
  ['gcp', /\/cloudsql\/|\bcloud ?sql\b|\bgcloud\b|\bgoogleapis\.com\b|\bGCP\b|\bGoogle Cloud\b|\bmemorystore\b|\b(?:serverless )?VPC (?:access )?connector\b|\bGKE\b/i],
];
/** Platforms that imply another. */
const IMPLIES: Record<string, string[]> = { 'cloud-run': ['gcp'], 'app-engine': ['gcp'] };

/** Facts that name the environment, not one failure: any rule's template may use them. */
export const ENVIRONMENT_FACTS = ['project', 'region', 'zone', 'connector', 'service', 'namespace', 'cluster', 'deployment', 'pod', 'app'] as const;

/** Service names as Cloud Run and Kubernetes print them. */
const SERVICE_SIGNS: readonly RegExp[] = [
  // Cloud Run revision names: <service>-<5 digits>-<3 characters>.
  /\brevision[=: ]+([a-z][a-z0-9-]*?)-\d{5}-[a-z0-9]{3}\b/g,
  /\bK_SERVICE=([a-z][\w-]*)/g,
  /\bservices\/([a-z][a-z0-9-]*)\b/g,
];

export interface Environment {
  platforms: string[];
  /** Environment facts with exactly one value in the evidence (an ambiguous fact is left out). */
  facts: Record<string, string>;
  /** Facts with several candidate values, for saying why a placeholder stayed empty. */
  ambiguous: Record<string, string[]>;
}

export function detectEnvironment(items: readonly EvidenceItem[], signals: readonly Signal[]): Environment {
  const human = items.filter((i) => i.role !== 'bot');
  const platforms = new Set<string>();
  for (const i of human) {
    const text = String(i.text);
    for (const [p, re] of PLATFORM_SIGNS) if (re.test(text)) platforms.add(p);
  }
  for (const p of [...platforms]) for (const q of IMPLIES[p] ?? []) platforms.add(q);

  const values = new Map<string, Set<string>>();
  const note = (k: string, v: string | undefined) => {
    if (!v) return;
    const set = values.get(k) ?? new Set<string>();
    set.add(v);
    values.set(k, set);
  };
  for (const s of signals) for (const k of ENVIRONMENT_FACTS) note(k, s.facts[k]);
  if (!values.has('service')) {
    for (const i of human) for (const re of SERVICE_SIGNS) for (const m of String(i.text).matchAll(re)) note('service', m[1]);
  }
  const facts: Record<string, string> = {};
  const ambiguous: Record<string, string[]> = {};
  for (const [k, set] of [...values].sort(([a], [b]) => a.localeCompare(b))) {
    if (set.size === 1) facts[k] = [...set][0]!;
    else ambiguous[k] = [...set].sort();
  }
  return { platforms: [...platforms].sort(), facts, ambiguous };
}

/** The platform a command is for, from the tool it runs (undefined: any). */
export function commandPlatform(command: string): string | undefined {
  const c = command.trim();
  if (/^(?:kubectl|istioctl|helm|kubens)\b/.test(c)) return 'kubernetes';
  if (/^gcloud\s+run\b/.test(c) || /\bcloud_run_revision\b/.test(c)) return 'cloud-run';
  if (/^gcloud\s+app\b/.test(c)) return 'app-engine';
  if (/^(?:gcloud|gsutil|bq)\b/.test(c)) return 'gcp';
  if (/^aws\b/.test(c)) return 'aws';
  if (/^az\b/.test(c)) return 'azure';
  if (/^heroku\b/.test(c)) return 'heroku';
  if (/^docker(?:-compose)?\b/.test(c)) return 'docker';
  return undefined;
}

/** Commands that need a shell on the failing instance itself (its files, env, loopback). */
const INSTANCE_SHELL = /^(?:ls|env|echo|cat|jcmd|ss|netstat|ps)\b|\b(?:127\.0\.0\.1|localhost)\b|^[^|]*\/proc\//;
/** Managed platforms that give no shell on the instance. */
const NO_SHELL = ['cloud-run', 'app-engine', 'heroku'];
const HAS_SHELL = ['kubernetes', 'docker', 'aws', 'azure'];

/**
 * Why a command does not fit the platforms the evidence shows, or undefined when it fits.
 * With no platform evidence at all, only platform-specific commands are held back.
 */
export function platformMismatch(command: string, platforms: readonly string[]): string | undefined {
  const p = commandPlatform(command);
  if (p && !platforms.includes(p)) return p;
  if (!p && INSTANCE_SHELL.test(command.trim()) && platforms.some((x) => NO_SHELL.includes(x)) && !platforms.some((x) => HAS_SHELL.includes(x)))
    return 'a shell on the instance';
  return undefined;
}
