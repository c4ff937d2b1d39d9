import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIN_SECRET_LENGTH, REDACTED, Redactor } from '../../../functions/check/redaction/redactor.ts';
import { findCanaryLeaks } from '../../support/canary.ts';

/** A session token with the characters encodings change. Not registered: these tests print nothing. */
const TOKEN = 'tok+Ab3/xY9=z';
const SK_KEY = 'sk-0123456789abcdef0123456789abcdef';

/** Every form a portal can echo a key in, by name: the monitor must redact each. */
const FORMS: Readonly<Record<string, (key: string) => string>> = {
  'as written': (key) => key,
  'glued to words': (key) => `Invalid${key}token`,
  'JSON-escaped as .NET writes + (\\u002B, \\/)': (key) => key.replace(/\+/g, '\\u002B').replace(/\//g, '\\/'),
  'JSON-escaped, every character, lower-case hex': (key) => [...key].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
  'JSON-escaped, every character, upper-case hex': (key) => [...key].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`).join(''),
  'URL-encoded, upper-case hex': (key) => encodeURIComponent(key),
  'URL-encoded, lower-case hex': (key) => encodeURIComponent(key).replace(/%[0-9A-F]{2}/g, (code) => code.toLowerCase()),
  'URL-encoded, every byte': (key) => [...Buffer.from(key)].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join(''),
  'base64': (key) => Buffer.from(key).toString('base64'),
  'base64 after one byte': (key) => Buffer.from(`:${key}`).toString('base64'),
  'base64 after two bytes': (key) => Buffer.from(`u:${key}!`).toString('base64'),
  'base64url': (key) => Buffer.from(`user:${key}`).toString('base64url'),
  'base64, URL-encoded': (key) => encodeURIComponent(Buffer.from(`x${key}`).toString('base64')),
  'split by zero-width characters': (key) => [...key].map((char, index) => `${char}${['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff'][index % 5]}`).join(''),
  'split across a line break (wrapped base64)': (key) => Buffer.from(key).toString('base64').replace(/(.{6})/, '$1\r\n'),
  'split by spaces (zero-width characters once a portal string is cleaned)': (key) => `${key.slice(0, 4)} ${key.slice(4, 9)}  ${key.slice(9)}`,
};

describe('Redactor', () => {
  describe('redact', () => {
    it.each(Object.entries(FORMS))('removes a raw token and an sk- key %s, whatever is around it', (_name, form) => {
      // Prepare
      const redactor = new Redactor([TOKEN, SK_KEY]);

      // Act
      const texts = [TOKEN, SK_KEY].map((key) => redactor.redact(`Token ${form(key)} may not write`));

      // Assess
      for (const [index, text] of texts.entries()) {
        expect(text).toContain(REDACTED);
        expect(text).toMatch(/^Token .*may not write$/);
        expect(findCanaryLeaks(text, [TOKEN, SK_KEY]), text).toEqual([]);
        expect(text).not.toContain([TOKEN, SK_KEY][index]!.slice(4, 12));
      }
    });

    it('removes a key with a space in its form-encoded form (+ for the space), and keeps a plus that is one', () => {
      // Prepare
      const key = 'session token+42/x';
      const redactor = new Redactor([key]);

      // Act
      const text = redactor.redact(`t=${new URLSearchParams({ t: key }).toString().slice(2)}&a=1+1`);

      // Assess
      expect(text).toBe(`t=${REDACTED}&a=1+1`);
    });

    it('finds a key that itself looks like an escape (%41, \\/) as written and as encoded', () => {
      // Prepare
      const key = 'pass%41word\\/x';
      const redactor = new Redactor([key]);

      // Act
      const texts = [key, JSON.stringify(key).slice(1, -1), encodeURIComponent(key)].map((form) => redactor.redact(`[${form}]`));

      // Assess
      expect(texts).toEqual([`[${REDACTED}]`, `[${REDACTED}]`, `[${REDACTED}]`]);
    });

    it('cuts whole escapes only, so a redacted JSON text stays valid JSON', () => {
      // Prepare
      const redactor = new Redactor([TOKEN]);
      const json = JSON.stringify({ error: `a ${TOKEN} b` }).replace('+', '\\u002B');

      // Act
      const redacted = redactor.redact(json);

      // Assess
      expect(JSON.parse(redacted)).toEqual({ error: `a ${REDACTED} b` });
    });

    it('joins overlapping matches (a key inside a key) into one', () => {
      // Prepare
      const redactor = new Redactor(['abcdefgh12', 'efgh12345678']);

      // Act
      const text = redactor.redact('x abcdefgh12345678 y');

      // Assess
      expect(text).toBe(`x ${REDACTED} y`);
    });

    it('returns the very same text when it holds no key, and any text when it has none', () => {
      // Prepare
      const text = 'HTTP 403 from getbackupschedule: access denied %41 \\u0041 dG9rZW4=';

      // Assess
      expect(new Redactor([SK_KEY]).redact(text)).toBe(text);
      expect(new Redactor().redact(`${SK_KEY} ${text}`)).toBe(`${SK_KEY} ${text}`);
    });

    it(`ignores secrets shorter than ${MIN_SECRET_LENGTH} characters and blank ones, which would match innocent text`, () => {
      // Prepare
      const redactor = new Redactor(['abc1234', '   ', '']);

      // Assess
      expect(redactor.size).toBe(0);
      expect(redactor.redact('abc1234 abc1234')).toBe('abc1234 abc1234');
    });

    it('holds each secret once, trimmed as it is sent', () => {
      // Prepare
      const redactor = new Redactor([` ${SK_KEY}\n`, SK_KEY]);

      // Assess
      expect(redactor.size).toBe(1);
      expect(redactor.redact(`a ${SK_KEY} b`)).toBe(`a ${REDACTED} b`);
    });

    it('leaves no form of any key behind, for any key and any form (property)', () => {
      const keyCharacters = fc.constantFrom(...'ABCXYZabcxyz0189+/=_-. ~'.split(''));
      fc.assert(
        fc.property(
          fc.array(keyCharacters, { minLength: 12, maxLength: 48 }).map((characters) => characters.join('')),
          fc.constantFrom(...Object.values(FORMS)),
          fc.string({ maxLength: 20 }),
          fc.string({ maxLength: 20 }),
          (key, form, before, after) => {
            fc.pre(key.trim() === key && /[A-Za-z0-9]/.test(key));
            const text = new Redactor([key]).redact(`${before}${form(key)}${after}`);
            expect(findCanaryLeaks(text, [key])).toEqual([]);
          },
        ),
        { numRuns: 400 },
      );
    });
  });

  describe('redactDeep', () => {
    it('redacts every string of a JSON-like value, member names too, and keeps the rest', () => {
      // Prepare
      const redactor = new Redactor([TOKEN]);
      const when = new Date('2026-03-02T09:00:00Z');

      // Act
      const value = redactor.redactDeep({ list: [`x${TOKEN}`, 7, null, true], [TOKEN]: { nested: encodeURIComponent(TOKEN) }, when });

      // Assess
      expect(value).toEqual({ list: [`x${REDACTED}`, 7, null, true], [REDACTED]: { nested: REDACTED }, when });
      expect(value.when).toBe(when);
    });

    it('returns the value itself when nothing changed', () => {
      // Prepare
      const value = { a: ['b', { c: 'd' }] };

      // Assess
      expect(new Redactor([TOKEN]).redactDeep(value)).toBe(value);
    });
  });
});
