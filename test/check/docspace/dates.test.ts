import { describe, expect, it } from 'vitest';
import { parseDocSpaceTimestamp } from '../../../functions/check/docspace/dates.ts';

describe('parseDocSpaceTimestamp', () => {
  it.each([
    { text: '2026-03-02T01:07:41', instant: '2026-03-02T01:07:41.000Z' },
    { text: '2026-03-02 01:07:41', instant: '2026-03-02T01:07:41.000Z' },
    { text: '  2026-03-02T01:07:41  ', instant: '2026-03-02T01:07:41.000Z' },
    { text: '2026-03-02T01:07', instant: '2026-03-02T01:07:00.000Z' },
  ])('reads $text without an offset as UTC', ({ text, instant }) => {
    // Act
    const parsed = parseDocSpaceTimestamp(text);

    // Assess
    expect(parsed?.toISOString()).toBe(instant);
  });

  it.each([
    { text: '2026-03-02T01:07:41.1', millis: 100 },
    { text: '2026-03-02T01:07:41.12', millis: 120 },
    { text: '2026-03-02T01:07:41.123', millis: 123 },
    { text: '2026-03-02T01:07:41.1234', millis: 123 },
    { text: '2026-03-02T01:07:41.12345', millis: 123 },
    { text: '2026-03-02T01:07:41.123456', millis: 123 },
    { text: '2026-03-02T01:07:41.1234567', millis: 123 },
    { text: '2026-03-02T01:07:41.9999999', millis: 999 },
  ])('reads the fraction of $text to the millisecond', ({ text, millis }) => {
    // Act
    const parsed = parseDocSpaceTimestamp(text);

    // Assess
    expect(parsed?.getTime()).toBe(Date.UTC(2026, 2, 2, 1, 7, 41, millis));
  });

  it.each([
    { text: '2026-03-02T01:07:41Z', instant: '2026-03-02T01:07:41.000Z' },
    { text: '2026-03-02T01:07:41z', instant: '2026-03-02T01:07:41.000Z' },
    { text: '2026-03-02T01:07:41.5Z', instant: '2026-03-02T01:07:41.500Z' },
    { text: '2026-03-02T03:07:41+02:00', instant: '2026-03-02T01:07:41.000Z' },
    { text: '2026-03-02T03:07:41+0200', instant: '2026-03-02T01:07:41.000Z' },
    { text: '2026-03-02T03:07:41+02', instant: '2026-03-02T01:07:41.000Z' },
    { text: '2026-03-01T20:07:41-0500', instant: '2026-03-02T01:07:41.000Z' },
    { text: '2026-03-02T06:37:41+05:30', instant: '2026-03-02T01:07:41.000Z' },
    { text: '2026-03-01T23:37:41-01:30', instant: '2026-03-02T01:07:41.000Z' },
  ])('applies the offset of $text', ({ text, instant }) => {
    // Act
    const parsed = parseDocSpaceTimestamp(text);

    // Assess
    expect(parsed?.toISOString()).toBe(instant);
  });

  it.each(['0001-01-01T00:00:00', '0001-01-01T00:00:00Z', '0001-01-01T00:00:00.0000000', '0001-01-01 00:00:00'])(
    'reads year 0001 (%s) as null: never dispatched',
    (text) => {
      // Act
      const parsed = parseDocSpaceTimestamp(text);

      // Assess
      expect(parsed).toBeNull();
    },
  );

  it('reads a leap day in a leap year', () => {
    // Act
    const parsed = parseDocSpaceTimestamp('2028-02-29T12:00:00');

    // Assess
    expect(parsed?.toISOString()).toBe('2028-02-29T12:00:00.000Z');
  });

  it.each([
    '2026-02-30T01:00:00',
    '2026-02-29T01:00:00',
    '2026-04-31T01:00:00',
    '2026-13-01T01:00:00',
    '2026-00-10T01:00:00',
    '2026-01-00T01:00:00',
    '2026-01-01T24:00:00',
    '2026-01-01T23:60:00',
    '2026-01-01T23:59:60',
    '2026-03-02',
    '2026-03-02T1:07:41',
    '02.03.2026 01:07:41',
    '2026-03-02T01:07:41+2',
    '2026-03-02T01:07:41 CET',
    'yesterday',
    '',
  ])('rejects %j as not a timestamp', (text) => {
    // Act
    const parsed = parseDocSpaceTimestamp(text);

    // Assess
    expect(parsed).toBeUndefined();
  });
});
