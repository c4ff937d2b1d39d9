import { describe, expect, it } from 'vitest';
import { decodeText } from '../../../functions/check/redaction/decoded-text.ts';

describe('decodeText', () => {
  it.each([
    ['JSON escapes, upper and lower hex', 'a\\u002Bb\\u002bc\\/d\\"e\\\\f', 'a+b+c/d"e\\f'],
    ['URL-encoding, upper and lower hex, and UTF-8 runs', 'a%2Bb%2fc%C3%A9d', 'a+b/céd'],
    ['zero-width characters, raw, JSON-escaped and URL-encoded', 'a\u200bb\u200cc\u200dd\u2060e\ufefff\u00adg\\u200Bh%E2%80%8Bi', 'abcdefghi'],
    ['white space (what cleaning makes of a zero-width character, a wrapped base64 line)', 'ab\r\ncd\ne f\tg', 'abcdefg'],
    ['a + (kept: it may be one)', 'a+b', 'a+b'],
    ['nothing of what only looks like an escape', '100%-\\u12-%zz-%C3-\\x', '100%-\\u12-%zz-%C3-\\x'],
  ])('undoes %s', (_name, written, decoded) => {
    expect(decodeText(written).text).toBe(decoded);
  });

  it('maps a decoded span to the written one, whole escapes included', () => {
    // Prepare
    const written = 'x\\u002Bab%2Fc\u200by';
    const decoded = decodeText(written);

    // Act
    const span = decoded.writtenSpan(1, 6);

    // Assess
    expect(decoded.text).toBe('x+ab/cy');
    expect(written.slice(...span)).toBe('\\u002Bab%2Fc');
  });

  it('maps a text without escapes onto itself', () => {
    // Prepare
    const decoded = decodeText('plain-text');

    // Assess
    expect(decoded.text).toBe('plain-text');
    expect(decoded.writtenSpan(2, 5)).toEqual([2, 5]);
  });
});
