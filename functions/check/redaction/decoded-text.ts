/**
 * A text as the encodings a portal may wrap a key in would decode it, and where each decoded
 * character came from, so that a match in the decoded text can be cut out of the text as written.
 * Undoes JSON escapes (`\u002B`, `\/`, `\"`, `\\`), URL-encoding (`%2B`, `%2b`, UTF-8 byte runs)
 * and drops zero-width characters and white space (what sanitizing makes of a zero-width
 * character, a wrapped base64 line), in one pass; `+` stays a `+` (a secret's form-encoded
 * spelling is one of its forms instead). Pure.
 */

/**
 * Characters that are dropped: invisible ones a key can be split by, and white space (a zero-width
 * character becomes a space once a portal string is cleaned; base64 is wrapped in lines).
 */
const DROPPED: ReadonlySet<number> = new Set([0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x00ad, 0x20, 0x09, 0x0a, 0x0d]);

/** A decoded text, and where each of its parts was written. */
export interface DecodedText {
  readonly text: string;
  /**
   * Where `text.slice(start, end)` was written: `[from, to)` in the written text, whole escapes
   * included (a match never leaves half an escape behind).
   */
  writtenSpan(start: number, end: number): [number, number];
}

function hexAt(written: string, at: number, digits: number): number | undefined {
  const hex = written.slice(at, at + digits);
  return hex.length === digits && /^[0-9a-fA-F]+$/.test(hex) ? Number.parseInt(hex, 16) : undefined;
}

/** A `%XX` run at `at` that is one UTF-8 character: its code point and where it ends. */
function percentCharAt(written: string, at: number): { codePoint: number; end: number } | undefined {
  const lead = hexAt(written, at + 1, 2);
  if (lead === undefined || written[at] !== '%') return undefined;
  if (lead < 0x80) return { codePoint: lead, end: at + 3 };
  const extra = lead >= 0xc2 && lead <= 0xdf ? 1 : lead >= 0xe0 && lead <= 0xef ? 2 : lead >= 0xf0 && lead <= 0xf4 ? 3 : 0;
  if (extra === 0) return undefined;
  let codePoint = lead & (0x3f >> extra);
  let end = at + 3;
  for (let index = 0; index < extra; index += 1) {
    const next = written[end] === '%' ? hexAt(written, end + 1, 2) : undefined;
    if (next === undefined || next < 0x80 || next > 0xbf) return undefined;
    codePoint = (codePoint << 6) | (next & 0x3f);
    end += 3;
  }
  return codePoint > 0x10ffff ? undefined : { codePoint, end };
}

/** The decoded character (as UTF-16 units) at `at`, and where its spelling ends. */
function decodeAt(written: string, at: number): { units: string; end: number } {
  const char = written[at]!;
  if (char === '\\') {
    const next = written[at + 1];
    if (next === 'u') {
      const unit = hexAt(written, at + 2, 4);
      if (unit !== undefined) return { units: String.fromCharCode(unit), end: at + 6 };
    }
    if (next === '/' || next === '"' || next === '\\') return { units: next, end: at + 2 };
  }
  if (char === '%') {
    const decoded = percentCharAt(written, at);
    if (decoded !== undefined) return { units: String.fromCodePoint(decoded.codePoint), end: decoded.end };
  }
  return { units: char, end: at + 1 };
}

/** Where decoding can change anything; a text without these is its own decoding. */
const ENCODED = /[\\%\u200b-\u200d\u2060\ufeff\u00ad \t\n\r]/;

/**
 * Decodes a text in one pass.
 *
 * @param written - the text as written (a body, a header, a rendered message)
 * @example
 * decodeText('a\\u002Bb%2Fc\u200bd e').text; // 'a+b/cde'
 */
export function decodeText(written: string): DecodedText {
  if (!ENCODED.test(written)) return { text: written, writtenSpan: (start, end) => [start, end] };
  const chunks: string[] = [];
  const from = new Int32Array(written.length);
  const to = new Int32Array(written.length);
  let length = 0;
  let plainFrom = 0;
  for (let at = 0; at < written.length; ) {
    const code = written.charCodeAt(at);
    if (code !== 0x5c && code !== 0x25 && !DROPPED.has(code)) {
      from[length] = at;
      to[length] = at + 1;
      length += 1;
      at += 1;
      continue;
    }
    chunks.push(written.slice(plainFrom, at));
    const { units, end } = decodeAt(written, at);
    // By UTF-16 unit, so that `from` and `to` line up with the decoded text.
    for (let index = 0; index < units.length; index += 1) {
      if (DROPPED.has(units.charCodeAt(index))) continue;
      chunks.push(units[index]!);
      from[length] = at;
      to[length] = end;
      length += 1;
    }
    at = end;
    plainFrom = end;
  }
  chunks.push(written.slice(plainFrom));
  return { text: chunks.join(''), writtenSpan: (start, end) => [from[start]!, to[end - 1]!] };
}
