import { describe, expect, it } from 'vitest';
import { assignIds } from '../../src/analysis/assign-ids.ts';
import { buildAnalysis } from '../../src/analysis/build-analysis.ts';
import type { AuthorAssociation } from '../../src/domain/vocabulary.ts';
import { collectThread } from '../../src/evidence/thread.ts';
import type { Issue } from '../../src/forge/forge.ts';
import { loadRules } from '../../src/rules/load-rules.ts';
import { loadJudgement } from '../../src/judgement/load-judgement.ts';

// Reading the discussion end to end: small threads written for these tests (not taken from
// any real issue), through role inference, thread rules and the scored decision table.
const rules = await loadRules({ checkSafety: false });
const judgement = loadJudgement();
const BOT = 'progressor-bot';

interface C {
  who: string;
  body: string;
  assoc?: AuthorAssociation;
}

function audit(t: {
  title?: string;
  body: string;
  state?: 'OPEN' | 'CLOSED';
  labels?: string[];
  comments?: C[];
  prs?: { title: string; state: 'OPEN' | 'CLOSED' | 'MERGED' }[];
}) {
  const issue: Issue = {
    ref: { forge: 'local', location: 'x.json', number: 1 },
    number: 1,
    title: t.title ?? 'Service fails',
    body: t.body,
    state: t.state ?? 'OPEN',
    url: 'https://example.test/o/r/issues/1',
    createdAt: '2026-01-01T00:00:00Z',
    author: 'rep',
    labels: t.labels ?? [],
    comments: (t.comments ?? []).map((c, i) => ({
      id: String(i + 1),
      author: c.who,
      body: c.body,
      createdAt: '2026-01-02T00:00:00Z',
      ...(c.assoc ? { authorAssociation: c.assoc } : {}),
    })),
    linkedPullRequests: (t.prs ?? []).map((p, i) => ({ number: 10 + i, title: p.title, state: p.state, mergedAt: null })),
  };
  const thread = collectThread(issue, BOT);
  const { items, signals } = assignIds([thread.output]);
  const a = buildAnalysis({ issueTitle: issue.title, open: issue.state === 'OPEN', items, rules, collectedSignals: signals, judgement });
  return { a, items };
}

describe('role inference without author association', () => {
  it('treats someone who announces a release as a maintainer in all their comments', () => {
    const { items } = audit({
      body: 'Requests hang after the upgrade.',
      comments: [
        { who: 'dev', body: 'Looking at it.' },
        { who: 'dev', body: 'We just released 4.2 with a patch for the socket handling.' },
      ],
    });
    expect(items.filter((i) => i.kind === 'comment').map((i) => i.role)).toEqual(['maintainer', 'maintainer']);
  });

  it('keeps another affected user a participant', () => {
    const { items } = audit({
      body: 'Login fails.',
      comments: [{ who: 'other', body: 'Same problem here. Closing this would be premature, it is not fixed.' }],
    });
    expect(items.find((i) => i.kind === 'comment')?.role).toBe('participant');
  });

  it('ignores an automated tracker note', () => {
    const { items } = audit({ body: 'Login fails.', comments: [{ who: 'mirror', body: 'Internal Ref: OPS-1234' }] });
    expect(items.filter((i) => i.kind === 'comment')).toEqual([]);
  });
});

describe('status from the discussion', () => {
  it('a maintainer naming the fix and a later reporter thanks give resolved with a deciding rule id', () => {
    const { a } = audit({
      body: 'Workers crash with "too many clients already".',
      state: 'CLOSED',
      comments: [
        { who: 'lead', assoc: 'MEMBER', body: 'The sync job leaks connections when a batch fails.' },
        { who: 'lead', assoc: 'MEMBER', body: 'Fixed in #31, released in 2.4.1.' },
        { who: 'rep', body: 'Thanks!' },
      ],
    });
    expect(a.status.value).toBe('resolved');
    expect(a.status.decidedBy.some((f) => f.startsWith('act:fix-shipped') || f === 'rule:maintainer-confirms-fixed')).toBe(true);
    expect(a.owner.value).toBe('application');
  });

  it('a restart that only mitigates is not resolved', () => {
    const { a } = audit({
      body: 'The API returns 500 with "remaining connection slots are reserved".',
      comments: [{ who: 'rep', body: 'Restarting the pod made it work again, for now.' }],
    });
    expect(a.status.value).not.toBe('resolved');
  });

  it('a failure that came back after a fix is not resolved', () => {
    const { a } = audit({
      body: 'Uploads fail with ETIMEDOUT.',
      comments: [
        { who: 'lead', assoc: 'OWNER', body: 'Fixed in #12, deployed.' },
        { who: 'rep', body: 'Still failing on 1.4.2 with the same error.' },
      ],
    });
    expect(a.status.value).not.toBe('resolved');
  });

  it('the reporter fixing their own setup is not-a-bug, even when it "works now"', () => {
    const { a } = audit({
      body: 'Worker gets "connection refused" from the cache.',
      state: 'CLOSED',
      comments: [{ who: 'rep', body: 'I changed the host in my settings.toml to the service name and now it works.' }],
    });
    expect(a.status.value).toBe('not-a-bug');
    expect(a.owner.value).toBe('configuration');
  });

  it('a request for logs that went unanswered, closed for no response, is needs-info with owner unknown', () => {
    const { a } = audit({
      body: 'Random disconnects.',
      state: 'CLOSED',
      comments: [
        { who: 'lead', body: 'Could you please share the full logs with tracing enabled?' },
        { who: 'lead', body: 'Closing as there was no response.' },
      ],
    });
    expect(a.status.value).toBe('needs-info');
    expect(a.owner.value).toBe('unknown');
  });

  it('"cannot reproduce" is needs-reproduction', () => {
    const { a } = audit({
      body: 'Sometimes the client cannot connect.',
      comments: [{ who: 'lead', assoc: 'COLLABORATOR', body: 'I cannot reproduce this with the same versions.' }],
    });
    expect(a.status.value).toBe('needs-reproduction');
  });

  it('a closed issue is never in-progress', () => {
    const { a } = audit({ body: 'Something broke.', state: 'CLOSED', labels: ['bug'] });
    expect(a.status.value).not.toBe('in-progress');
    expect(a.status.value).not.toBe('resolved');
  });

  it('an open issue waiting on an outside host is blocked-on-infrastructure', () => {
    const { a } = audit({
      body: 'Cannot download the reference files.',
      comments: [{ who: 'lead', body: 'Our download server is down, our hosting provider is investigating.' }],
    });
    expect(a.status.value).toBe('blocked-on-infrastructure');
    expect(a.owner.value).toBe('infrastructure');
  });

  it('a closed issue with no proof is never resolved', () => {
    const { a } = audit({
      body: 'Timeouts against the database.',
      state: 'CLOSED',
      comments: [{ who: 'other', body: 'Any update on this?' }],
    });
    expect(a.status.value).not.toBe('resolved');
  });
});

describe('owner from the kind of fix', () => {
  it('a merged code fix makes an operational limit the application\'s fault', () => {
    const { a } = audit({
      body: 'Image pulls fail: "You have reached your pull rate limit".',
      state: 'CLOSED',
      prs: [{ title: 'fix(registry.py): log in and pull as the same user', state: 'MERGED' }],
    });
    expect(a.status.value).toBe('resolved');
    expect(a.owner.value).toBe('application');
    expect(a.category.value).toBe('rate-limit');
  });

  it('a named cause in the discussion beats the loudest error string', () => {
    const { a } = audit({
      body: 'Knex: Timeout acquiring a connection. The pool is probably full.',
      comments: [{ who: 'lead', assoc: 'MEMBER', body: 'This was caused by a security group that dropped traffic to 5432.' }],
    });
    expect(a.category.value).toBe('network-connectivity');
    expect(a.category.decidedBy.length).toBeGreaterThan(0);
  });
});

describe('low margins', () => {
  it('lower confidence and say why', () => {
    const { a } = audit({ body: 'It fails sometimes.' });
    expect(a.confidence).not.toBe('high');
    expect(a.confidenceReasons.length).toBeGreaterThan(0);
  });
});

describe('confirmations', () => {
  it('the reporter confirming a maintainer\'s setup advice is not-a-bug, not resolved', () => {
    const { a } = audit({
      body: 'Error 111 connecting to localhost:6379. Connection refused.',
      state: 'CLOSED',
      comments: [
        { who: 'lead', assoc: 'MEMBER', body: 'You need to point the cache URL at the service name, not localhost.' },
        { who: 'rep', body: 'Thanks, that works now!' },
      ],
    });
    expect(a.status.value).toBe('not-a-bug');
    expect(a.status.decidedBy.some((f) => f === 'rule:maintainer-not-a-bug' || f.startsWith('act:not-a-defect') || f.startsWith('act:own-setup-fix'))).toBe(true);
  });

  it('a workaround that works is not a fix', () => {
    const { a } = audit({
      body: 'Downloads from the primary host fail.',
      comments: [{ who: 'rep', body: 'Fetching from the backup bucket instead works now.' }],
    });
    expect(a.status.value).not.toBe('resolved');
  });
});

describe('recurrence and later fixes', () => {
  it('"still OOMKilled" after a merged fix keeps it unresolved', () => {
    const { a } = audit({
      body: 'The importer is OOMKilled on large files.',
      comments: [
        { who: 'lead', assoc: 'MEMBER', body: 'Fixed in #40.' },
        { who: 'rep', body: 'Still OOMKilled on 3.2 with a 2 GB file.' },
      ],
      prs: [{ title: 'Stream rows instead of buffering the file', state: 'MERGED' }],
    });
    expect(a.status.value).not.toBe('resolved');
  });

  it('a description saying an earlier fix did not hold is answered by a later merged fix', () => {
    const { a } = audit({
      body: 'The earlier fix did not help: uploads still fail with ETIMEDOUT.',
      state: 'CLOSED',
      prs: [{ title: 'Reuse the keep-alive agent for uploads', state: 'MERGED' }],
    });
    expect(a.status.value).toBe('resolved');
  });
});
