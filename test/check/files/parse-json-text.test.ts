import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonSyntaxReason, parseJsonText } from '../../../functions/check/files/parse-json-text.ts';

describe('parseJsonText', () => {
  it('parses valid JSON, and skips a leading UTF-8 byte order mark', () => {
    // Act & Assess
    expect(parseJsonText('{"a": [1, true, null, "x"]}')).toEqual({ ok: true, value: { a: [1, true, null, 'x'] } });
    expect(parseJsonText('\uFEFF{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
  });

  it.each([
    ['a key pasted without quotes', '{"apiKey": {"env":sk-live-SECRET1234"}}', 1, 19, JsonSyntaxReason.UNEXPECTED],
    ['a trailing comma in an object', '{\n  "portals": [\n    {"name": "a",}\n  ]\n}', 3, 18, JsonSyntaxReason.PROPERTY_NAME],
    ['a missing comma in an array', '[1 2]', 1, 4, JsonSyntaxReason.ARRAY_NEXT],
    ['a missing comma in an object', '{"a": 1 "b": 2}', 1, 9, JsonSyntaxReason.OBJECT_NEXT],
    ['a missing colon', '{"a" 1}', 1, 6, JsonSyntaxReason.COLON],
    ['text cut short in a string', '{"a": "x', 1, 9, JsonSyntaxReason.END],
    ['an empty text', '', 1, 1, JsonSyntaxReason.END],
    ['a line break inside a string', '{"a": "b\nc"}', 1, 9, JsonSyntaxReason.STRING_CONTROL],
    ['a bad escape', '{"a": "\\q"}', 1, 8, JsonSyntaxReason.STRING_ESCAPE],
    ['a malformed number', '[-x]', 1, 2, JsonSyntaxReason.NUMBER],
    ['text after the value', '{} sk-live-SECRET1234', 1, 4, JsonSyntaxReason.TRAILING],
    ['a byte order mark in the middle', '{"a": \uFEFF1}', 1, 7, JsonSyntaxReason.UNEXPECTED],
  ])('names the line, column and a fixed reason for %s', (_case, text, line, column, reason) => {
    // Act & Assess
    expect(parseJsonText(text)).toEqual({ ok: false, line, column, reason });
  });

  it('locates an error in any text the parser refuses, and never quotes the text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json().map((json) => json.slice(0, Math.max(0, json.length - 1)))), (text) => {
        let valid = true;
        try {
          JSON.parse(text.replace(/^\uFEFF/, ''));
        } catch {
          valid = false;
        }
        const parsed = parseJsonText(text);
        expect(parsed.ok).toBe(valid);
        if (!parsed.ok) {
          expect(Object.values(JsonSyntaxReason)).toContain(parsed.reason);
          expect(parsed.reason).not.toBe(JsonSyntaxReason.UNKNOWN);
          expect(parsed.line).toBeGreaterThanOrEqual(1);
          expect(parsed.column).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 500 },
    );
  });
});
