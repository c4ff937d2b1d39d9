import { describe, expect, it } from 'vitest';
import { secretForms } from '../../../functions/check/redaction/secret-forms.ts';

describe('secretForms', () => {
  it('holds the secret, its form-encoded spelling and the base64 and base64url cores at the three alignments', () => {
    // Act
    const forms = secretForms('tok en+key/123');

    // Assess
    expect(forms.slice(0, 2)).toEqual(['tok en+key/123', 'tok+en+key/123']);
    for (const before of ['', ':', 'u:', 'us:', 'user:']) {
      const encoded = Buffer.from(`${before}tok en+key/123 and more`);
      expect(forms.some((form) => encoded.toString('base64').includes(form)), `base64 after ${JSON.stringify(before)}`).toBe(true);
      expect(forms.some((form) => encoded.toString('base64url').includes(form)), `base64url after ${JSON.stringify(before)}`).toBe(true);
    }
  });

  it('holds only characters the secret decides: no base64 core depends on what is around it', () => {
    // Act
    const forms = secretForms('abcdefgh');

    // Assess
    for (const [before, after] of [
      ['', ''],
      ['x', 'y'],
      ['\u00ff\u00ff', '\u00ff'],
    ] as const) {
      const encoded = Buffer.from(`${before}abcdefgh${after}`, 'latin1').toString('base64');
      expect(forms.filter((form) => encoded.includes(form)).length).toBeGreaterThan(0);
    }
    expect(Math.min(...forms.map((form) => form.length))).toBeGreaterThanOrEqual(8);
  });
});
