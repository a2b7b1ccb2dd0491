import { describe, expect, it } from 'vitest';
import { escapeMarkdown, isInline, MarkdownBuilder, md } from './markdown.ts';

describe('escapeMarkdown', () => {
  it('escapes formatting, HTML, math and entities', () => {
    expect(escapeMarkdown('*bold* _it_ `code` [x](y) a|b ~~s~~ $x$ &amp; <img src=x onerror=1>')).toBe(
      '\\*bold\\* \\_it\\_ \\`code\\` \\[x\\](y) a\\|b \\~\\~s\\~\\~ \\$x\\$ \\&amp; &lt;img src=x onerror=1&gt;',
    );
  });

  it('neutralises @mentions but keeps e-mail addresses', () => {
    expect(escapeMarkdown('ping @octocat and @acme/infra, mail a@b.io')).toBe('ping @&#8203;octocat and @&#8203;acme/infra, mail a@b.io');
    expect(escapeMarkdown('@here')).toBe('@&#8203;here');
  });

  it('escapes line starts that would open a block, and collapses blank lines', () => {
    expect(escapeMarkdown('# h\n- item\n+ x\n> q\n===\n12. n\n    indented\n\n\nnext')).toBe(
      '\\# h\n\\- item\n\\+ x\n&gt; q\n\\===\n12\\. n\nindented\nnext',
    );
  });

  it('leaves issue references and plain text readable', () => {
    expect(escapeMarkdown('See #1263 (fixed 8.0s to 75.0s).')).toBe('See #1263 (fixed 8.0s to 75.0s).');
  });
});

describe('inline fragments', () => {
  it('code spans handle backticks and newlines', () => {
    expect(md.code('a`b').markdown).toBe('``a`b``');
    expect(md.code('`x`').markdown).toBe('`` `x` ``');
    expect(md.code('a\nb').markdown).toBe('`a b`');
    expect(md.code('').markdown).toBe('` `');
    expect(md.code('<b>@x</b>').markdown).toBe('`<b>@x</b>`');
  });

  it('links only for http(s) URLs', () => {
    expect(md.link('E3', 'https://github.com/o/r/issues/1#issuecomment-9').markdown).toBe('[E3](https://github.com/o/r/issues/1#issuecomment-9)');
    expect(md.link('x', 'https://e.com/a b(c)').markdown).toBe('[x](https://e.com/a%20b%28c%29)');
    expect(md.link('click [me]', 'javascript:alert(1)').markdown).toBe('click \\[me\\]');
    expect(md.link('f', 'file:///etc/passwd').markdown).toBe('f');
    expect(md.link('n', 'not a url').markdown).toBe('n');
  });

  it('mention only through mention(), and only valid handles', () => {
    expect(md.mention('@acme/infra').markdown).toBe('@acme/infra');
    expect(md.mention('@octocat').markdown).toBe('@octocat');
    expect(md.mention('@x y').markdown).toBe('@&#8203;x y');
  });

  it('composes without double escaping', () => {
    const status = md.inline`**Status:** ${'blocked-on-infrastructure'} · **Owner:** ${'infra_*team*'} · ${md.code('a|b')}`;
    expect(status.markdown).toBe('**Status:** blocked-on-infrastructure · **Owner:** infra\\_\\*team\\* · `a|b`');
    expect(md.inline`${3} of ${md.bold('x*')}`.markdown).toBe('3 of **x\\***');
    expect(md.join(['a*', md.code('b')], ', ').markdown).toBe('a\\*, `b`');
    expect(md.italic('hypothesis').markdown).toBe('*hypothesis*');
    expect(md.text('@a').toString()).toBe('@&#8203;a');
    expect(isInline(md.raw('**x**'))).toBe(true);
    expect(isInline('**x**')).toBe(false);
  });
});

describe('MarkdownBuilder', () => {
  it('builds a status comment shape', () => {
    const whys = [md.inline`Startup fails: ${md.code('connection refused')} ${md.link('E3', 'https://x.test/3')}`, md.inline`*hypothesis*: the pool is too small`];
    const out = md
      .builder()
      .raw('**Status:** blocked-on-infrastructure · **Owner:** infrastructure · high confidence')
      .paragraph('The database refuses connections during startup.')
      .heading(3, 'Five Whys')
      .orderedList(whys)
      .heading(3, 'Next')
      .list([md.inline`Infrastructure: raise the connector limit (diagnose: ${md.code('gcloud sql instances describe db')}).`])
      .details('Evidence (2 items)', md.table(['id', 'excerpt'], [[md.link('E3', 'https://x.test/3'), 'a | b\nc']]))
      .toString();
    expect(out).toBe(
      [
        '**Status:** blocked-on-infrastructure · **Owner:** infrastructure · high confidence',
        '',
        'The database refuses connections during startup.',
        '',
        '### Five Whys',
        '',
        '1. Startup fails: `connection refused` [E3](https://x.test/3)',
        '2. *hypothesis*: the pool is too small',
        '',
        '### Next',
        '',
        '- Infrastructure: raise the connector limit (diagnose: `gcloud sql instances describe db`).',
        '',
        '<details>',
        '<summary>Evidence (2 items)</summary>',
        '',
        '| id | excerpt |',
        '| --- | --- |',
        '| [E3](https://x.test/3) | a \\| b<br>c |',
        '',
        '</details>',
        '',
      ].join('\n'),
    );
  });

  it('headings are one escaped line and validate the level', () => {
    expect(md.heading(2, '# Big\nnews @all').toString()).toBe('## \\# Big news @&#8203;all\n');
    expect(() => md.heading(7 as 1, 'x')).toThrow('heading level 7 is not 1-6');
  });

  it('tables escape pipes (also in code spans), pad short rows, reject long ones', () => {
    expect(md.table(['a', 'b'], [[md.code('x|y')], ['p||q', md.raw('r|s')]]).toString()).toBe(
      '| a | b |\n| --- | --- |\n| `x\\|y` |  |\n| p\\|\\|q | r\\|s |\n',
    );
    expect(() => md.table(['a'], [['1', '2']])).toThrow('table row has 2 cells for 1 columns');
    expect(() => md.table([], [])).toThrow('a table needs at least one column');
  });

  it('details summaries are HTML-escaped and cannot break out', () => {
    expect(md.details('</summary><script>*x* @y', 'body').toString()).toBe(
      '<details>\n<summary>&lt;/summary&gt;&lt;script&gt;&#42;x&#42; @&#8203;y</summary>\n\nbody\n\n</details>\n',
    );
  });

  it('code blocks pick a longer fence and sanitise the language', () => {
    expect(md.codeBlock('echo ```\n', 'bash').toString()).toBe('````bash\necho ```\n````\n');
    expect(md.codeBlock('x', 'js\n<script>').toString()).toBe('```jsscript\nx\n```\n');
  });

  it('nested list items are indented; multi-line strings stay inside the item', () => {
    const nested = md.list(['child']);
    expect(md.orderedList(['one\ntwo', nested], 3).toString()).toBe('3. one\n   two\n4. - child\n');
  });

  it('paragraph joins contents; empty lists and paragraphs add nothing; append and rule', () => {
    const b = new MarkdownBuilder().paragraph('a', md.code('b')).list([]).orderedList([]).paragraph('').rule();
    expect(b.toString()).toBe('a `b`\n\n---\n');
    expect(md.builder().isEmpty()).toBe(true);
    expect(md.paragraph('x').append(md.paragraph('y')).toString()).toBe('x\n\ny\n');
    expect(md.builder().toString()).toBe('');
  });
});
