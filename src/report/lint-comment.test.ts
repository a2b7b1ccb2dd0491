import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatFindings, lintComment, type LintFinding } from './lint-comment.ts';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../../test/fixtures/lint/${name}`, import.meta.url)), 'utf8');
const ids = (findings: LintFinding[]) => findings.map((f) => `${f.line} ${f.rule}`);

const GOOD_HEAD = [
  '**Status:** in-progress · **Owner:** application · medium confidence',
  'The retry loop in `src/db.ts:42` exhausts the pool; a fix is open in [E2](https://x.test/2).',
  '',
];
const GOOD_NEXT = ['### Next', '', '- Application: merge the pool fix after review.'];
const lint = (...body: string[]) => lintComment([...GOOD_HEAD, ...body, '', ...GOOD_NEXT, ''].join('\n'));

describe('lintComment: fixtures', () => {
  it('a good progressor comment (SPEC §7 shape) is clean', () => {
    expect(lintComment(fixture('clean.md'))).toEqual([]);
  });

  it('the seed-style comment breaks every rule, at exact lines', () => {
    expect(ids(lintComment(fixture('seed-style.md')))).toEqual([
      '1 takeaway-first',
      '1 no-hype',
      '2 takeaway-first',
      '4 no-hype',
      '4 cite-numbers',
      '5 no-hype',
      '7 no-noise',
      '9 no-noise',
      '11 no-hype',
      '13 cite-numbers',
      '14 cite-numbers',
      '15 no-hype',
      '15 no-noise',
      '16 cite-numbers',
      '20 ends-with-next',
      '21 ends-with-next',
      '24 max-labels',
      '26 ends-with-next',
      '28 no-hype',
      '28 cite-numbers',
      '30 no-noise',
      '32 no-noise',
      '32 no-noise',
    ]);
  });

  it('messages say what is wrong and how to fix it', () => {
    const text = formatFindings('c.md', lintComment(fixture('seed-style.md')));
    expect(text.split('\n').slice(0, 3)).toEqual([
      'c.md:1 takeaway-first line 1 must be the status line "**Status:** <status> · **Owner:** <owner> · <confidence>"',
      'c.md:1 no-hype "Comprehensive": state the fact and cite it instead of praising or shouting',
      'c.md:2 takeaway-first line 2 must be the one-sentence takeaway',
    ]);
    expect(text).toContain('c.md:9 no-noise 2 emoji in a heading (🔥 🚨); at most one\n');
    expect(text).toContain('c.md:13 cite-numbers "312 times" states a number without evidence: cite it ([E1](…)) or quote the exact value in a code span\n');
    expect(text).toContain('c.md:20 ends-with-next the Next item for "Platform Team" is not an imperative ("scaling"); start with a verb: "Platform Team: raise …"\n');
    expect(text).toContain('c.md:21 ends-with-next a Next item must name who acts: "Owner: verb …" (e.g. "Infrastructure: raise …")\n');
    expect(text).toContain('c.md:24 max-labels recommends 5 labels (payments, p0, platform, needs-triage, escalated); at most 3 beyond the claim/session labels\n');
    expect(text).toContain('c.md:26 ends-with-next the visible part must end with the Next section; "OUTLOOK" comes after it\n');
    expect(text).toContain('c.md:28 no-hype "flawless", "95% done": state the fact and cite it instead of praising or shouting\n');
  });
});

describe('takeaway-first', () => {
  it('checks the status vocabulary', () => {
    const findings = lintComment('**Status:** done · **Owner:** devs · high\nOne sentence.\n\n### Next\n\n- Team: ship it.\n');
    expect(findings).toEqual([
      { rule: 'takeaway-first', line: 1, message: 'unknown status "done" (use one of resolved, in-progress, blocked-on-infrastructure, needs-reproduction, needs-info, not-a-bug)' },
      { rule: 'takeaway-first', line: 1, message: 'unknown owner "devs" (use one of application, infrastructure, configuration, dependency, test, unknown)' },
    ]);
  });

  it('line 2 is one sentence of prose', () => {
    const base = '**Status:** resolved · **Owner:** test · high confidence\n';
    const tail = '\n\n### Next\n\n- Maintainers: close the issue.\n';
    expect(lintComment(`${base}It was fixed. Then it broke again.${tail}`)).toEqual([
      { rule: 'takeaway-first', line: 2, message: 'the takeaway has 2 sentences; keep one' },
    ]);
    expect(lintComment(`${base}- a list${tail}`)[0]?.message).toBe('line 2 must be the one-sentence takeaway, not a heading, list, quote, table or block');
    expect(lintComment(`${base}The fix (e.g. raising v1.2 limits) landed in \`a.b. C\`.${tail}`)).toEqual([]);
  });
});

describe('no-hype / no-noise', () => {
  it('ignores code, quotes from the thread, and the hidden part', () => {
    expect(lint('The log says `CRITICAL: pool exhausted`.', '> Reporter: "this is CRITICAL" ([E1](https://x.test/1))')).toEqual([]);
    const hidden = lintComment(
      [...GOOD_HEAD, ...GOOD_NEXT, '', '<details>', '<summary>Evidence</summary>', '', '| E1 | CRITICAL comprehensive |', '', '</details>', ''].join('\n'),
    );
    expect(hidden).toEqual([]);
  });

  it('flags shouting only in capitals, and completeness percentages', () => {
    expect(ids(lint('This is critical for checkout.'))).toEqual([]);
    expect(lint('Work is 80% complete.')).toEqual([
      { rule: 'no-hype', line: 4, message: '"80% complete": state the fact and cite it instead of praising or shouting' },
      { rule: 'cite-numbers', line: 4, message: '"80%" states a number without evidence: cite it ([E1](…)) or quote the exact value in a code span' },
    ]);
  });

  it('one emoji per heading is fine; emoji in text and sign-offs are not', () => {
    expect(ids(lint('## 🔍 Findings', '', 'Plain text.'))).toEqual([]);
    expect(ids(lint('Done ✅', 'Best regards,', 'Hello everyone'))).toEqual(['4 no-noise', '5 no-noise', '6 no-noise']);
  });
});

describe('cite-numbers', () => {
  it.each([
    ['649 startup failures since Monday.', '649 startup failures'],
    ['Startup takes 75.0s now.', '75.0s'],
    ['15/16 tests pass.', '15/16 tests'],
    ['Costs $500K+ in pipeline.', '$500K+'],
    ['Memory peaks at 512 MB.', '512 MB'],
  ])('flags %j', (line, number) => {
    expect(lint(line)).toEqual([
      { rule: 'cite-numbers', line: 4, message: `"${number}" states a number without evidence: cite it ([E1](…)) or quote the exact value in a code span` },
    ]);
  });

  it.each([
    '649 startup failures in [E4](https://x.test/4).',
    '649 startup failures (E4).',
    'The timeout is `75.0s`.',
    'See #1263 and us-central1 on 2025-09-16 at 09:00:24.',
    '1. Why? Because of step 2.',
    'Version v2.3.4 of the driver.',
  ])('keeps %j', (line) => {
    expect(lint(line)).toEqual([]);
  });
});

describe('ends-with-next', () => {
  it('requires a Next section', () => {
    expect(lintComment([...GOOD_HEAD, '### Impact', '', 'Checkout is down ([E1](https://x.test/1)).', ''].join('\n'))).toEqual([
      { rule: 'ends-with-next', line: 6, message: 'the visible part must end with a "### Next" section of actions naming who acts' },
    ]);
  });

  it('requires items, owners and imperatives; sub-headings belong to Next', () => {
    const text = [
      ...GOOD_HEAD,
      '## Next',
      '',
      '### Infrastructure',
      '',
      '- **Infrastructure:** raise the connector limit.',
      '- @acme/infra: check `gcloud sql instances describe db`.',
      '- Infrastructure: is looking into it.',
      '- Platform: raises quotas.',
      '- We will monitor it.',
      '  - nested detail lines are not items',
      '',
      '```bash',
      '- not an item',
      '```',
      '',
    ].join('\n');
    expect(lintComment(text)).toEqual([
      { rule: 'ends-with-next', line: 10, message: 'the Next item for "Infrastructure" is not an imperative ("is"); start with a verb: "Infrastructure: raise …"' },
      { rule: 'ends-with-next', line: 11, message: 'the Next item for "Platform" is not an imperative ("raises"); start with a verb: "Platform: raise …"' },
      { rule: 'ends-with-next', line: 12, message: 'a Next item must name who acts: "Owner: verb …" (e.g. "Infrastructure: raise …")' },
    ]);
    expect(lintComment([...GOOD_HEAD, '### Next', '', 'Nothing.', ''].join('\n'))).toEqual([
      { rule: 'ends-with-next', line: 4, message: 'the Next section has no items; list actions as "- Owner: verb …"' },
    ]);
  });
});

describe('max-labels', () => {
  it('counts labels beyond claim/session labels, with the configured limit', () => {
    const line = '**Labels:** `a`, `b`, `actively-being-worked-on`, `progressor-session-20250101-000000`, `c`';
    expect(lint(line)).toEqual([]);
    expect(lintComment([...GOOD_HEAD, line, '', ...GOOD_NEXT].join('\n'), { maxLabels: 2 })).toEqual([
      { rule: 'max-labels', line: 4, message: 'recommends 3 labels (a, b, c); at most 2 beyond the claim/session labels' },
    ]);
    expect(ids(lint('Suggested labels: one, two, three and four'))).toEqual(['4 max-labels']);
  });
});

describe('max-length', () => {
  it('flags a comment longer than GitHub accepts at the line that crosses the limit', () => {
    const filler = Array.from({ length: 700 }, () => `Filler line with words only and no numbers here ${'x'.repeat(50)}.`);
    const findings = lintComment([...GOOD_HEAD, ...GOOD_NEXT, '', '<details>', '<summary>Bulk</summary>', '', ...filler, '</details>'].join('\n'));
    expect(findings.map((f) => f.rule)).toEqual(['max-length']);
    // 10 lines (256 characters) before the filler, then 100 characters per line: line 663 crosses 65,536.
    expect(findings[0]!.line).toBe(663);
    expect(findings[0]!.message).toMatch(/^the comment is \d+ characters; GitHub accepts at most 65536 \(fold or trim the details\)$/);
  });
});
