/**
 * DocSpace writes UTC timestamps usually without an offset (`2026-03-02T01:07:41`); other
 * database back-ends add fractions and `Z`. Year 0001 is .NET's `DateTime.MinValue`: "never".
 */
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** A parsed DocSpace timestamp: an instant, or `null` for "never" (year 0001). */
export type DocSpaceTimestamp = Date | null;

/**
 * Parses a DocSpace timestamp. Without an offset it is UTC.
 *
 * @returns the instant, `null` for year 0001, or `undefined` when the text is not a valid timestamp
 */
export function parseDocSpaceTimestamp(text: string): DocSpaceTimestamp | undefined {
  const match = TIMESTAMP.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s = '0', fraction = '', offset] = match;
  const year = Number(y);
  if (year === 1) return null;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  // Reject rolled-over dates such as 2026-02-30.
  if (date.getUTCDate() !== day || date.getUTCMonth() !== month - 1) return undefined;
  return new Date(date.getTime() - offsetMinutes(offset) * 60_000);
}

function offsetMinutes(offset: string | undefined): number {
  if (!offset || offset.toUpperCase() === 'Z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
}
