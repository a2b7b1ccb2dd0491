import { describe, expect, it } from 'vitest';
import { SECRET_FORMS } from '../fixtures/secrets/corpus.ts';
import { redact } from '../../src/redact/redact.ts';

describe('redact: the secret corpus (issue 10)', () => {
  it('holds at least 100 real forms', () => {
    expect(SECRET_FORMS.length).toBeGreaterThanOrEqual(100);
  });
  it.each(SECRET_FORMS.map((f) => [f.name, f] as const))('%s', (_name, f) => {
    const out = redact(f.text);
    for (const s of f.secrets) expect(out).not.toContain(s);
    expect(redact(out)).toBe(out);
  });
});
