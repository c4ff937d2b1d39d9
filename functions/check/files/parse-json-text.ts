/**
 * Parses JSON text from a local file (the config, the state) and, when it is not valid, says
 * where and why in fixed words of our own. The parser's message is never reused: V8 quotes the
 * text around the error, which may be an API key pasted without quotes. A UTF-8 byte order mark
 * (which editors on Windows write) is skipped.
 */

/** The outcome of {@link parseJsonText}: the value, or where the first syntax error is. */
export type JsonTextParse =
  | { readonly ok: true; readonly value: unknown }
  | {
      readonly ok: false;
      /** 1-based line of the first error. */
      readonly line: number;
      /** 1-based column (in UTF-16 code units) of the first error. */
      readonly column: number;
      /** What is wrong there, in fixed words that never quote the text. */
      readonly reason: string;
    };

/** The fixed reasons a syntax error is given. */
export const JsonSyntaxReason = {
  END: 'the text ends too early (cut short, or a bracket or quote not closed?)',
  UNEXPECTED: 'unexpected character (a value that is not quoted, or a missing comma?)',
  TRAILING: 'unexpected text after the end of the JSON value',
  PROPERTY_NAME: 'expected a property name in double quotes (a trailing comma?)',
  COLON: "expected ':' after a property name",
  OBJECT_NEXT: "expected ',' or '}' after a property value",
  ARRAY_NEXT: "expected ',' or ']' after an element",
  STRING_CONTROL: 'a control character or a line break inside a string (escape it)',
  STRING_ESCAPE: 'an invalid escape sequence in a string',
  NUMBER: 'a malformed number',
  /** The scanner found nothing although the parser refused: should not happen. */
  UNKNOWN: 'not valid JSON',
} as const;

const BYTE_ORDER_MARK = '\uFEFF';
const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

/** Where the first syntax error of `text` is, or `undefined` when there is none. */
function locateSyntaxError(text: string): { offset: number; reason: string } | undefined {
  let i = 0;
  const open: ('{' | '[')[] = [];
  const fail = (reason: string, at = i) => ({ offset: at, reason: at >= text.length ? JsonSyntaxReason.END : reason });
  const skipWhitespace = () => {
    while (i < text.length && WHITESPACE.has(text[i]!)) i += 1;
  };
  /** Scans the string starting at `i`; returns an error or moves `i` past its closing quote. */
  const scanString = () => {
    for (i += 1; i < text.length; i += 1) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i += 1;
        return undefined;
      }
      if (c < 0x20) return fail(JsonSyntaxReason.STRING_CONTROL);
      if (c === 0x5c) {
        const next = text[i + 1];
        if (next === 'u') {
          if (!/^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6))) return fail(JsonSyntaxReason.STRING_ESCAPE);
          i += 5;
        } else if (next !== undefined && ESCAPES.has(next)) i += 1;
        else return fail(JsonSyntaxReason.STRING_ESCAPE, i + 1 >= text.length ? text.length : i);
      }
    }
    return fail(JsonSyntaxReason.END);
  };
  const scanNumber = () => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (match === null) return fail(JsonSyntaxReason.NUMBER);
    i += match[0].length;
    return undefined;
  };

  let expect: 'value' | 'key' | 'after' = 'value';
  for (;;) {
    skipWhitespace();
    const c = text[i];
    if (expect === 'after' && open.length === 0) return i < text.length ? fail(JsonSyntaxReason.TRAILING) : undefined;
    if (c === undefined) return fail(JsonSyntaxReason.END);
    if (expect === 'value') {
      if (c === '{' || c === '[') {
        i += 1;
        skipWhitespace();
        if (text[i] === (c === '{' ? '}' : ']')) {
          i += 1;
          expect = 'after';
        } else {
          open.push(c);
          expect = c === '{' ? 'key' : 'value';
        }
        continue;
      }
      let problem;
      if (c === '"') problem = scanString();
      else if (c === '-' || (c >= '0' && c <= '9')) problem = scanNumber();
      else {
        const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, i));
        if (literal === undefined) problem = fail(JsonSyntaxReason.UNEXPECTED);
        else i += literal.length;
      }
      if (problem !== undefined) return problem;
      expect = 'after';
    } else if (expect === 'key') {
      if (c !== '"') return fail(JsonSyntaxReason.PROPERTY_NAME);
      const problem = scanString();
      if (problem !== undefined) return problem;
      skipWhitespace();
      if (text[i] !== ':') return fail(JsonSyntaxReason.COLON);
      i += 1;
      expect = 'value';
    } else {
      const inObject = open.at(-1) === '{';
      if (c === ',') {
        i += 1;
        expect = inObject ? 'key' : 'value';
      } else if (c === (inObject ? '}' : ']')) {
        i += 1;
        open.pop();
      } else return fail(inObject ? JsonSyntaxReason.OBJECT_NEXT : JsonSyntaxReason.ARRAY_NEXT);
    }
  }
}

/**
 * Parses JSON text; a leading byte order mark is skipped. A syntax error is told by line, column
 * and a fixed reason, never by the parser's message (which quotes the text).
 *
 * @param text - the file's content
 * @example
 * const parsed = parseJsonText(text);
 * if (!parsed.ok) throw new Error(`not valid JSON: ${parsed.reason} at line ${parsed.line}, column ${parsed.column}`);
 */
export function parseJsonText(text: string): JsonTextParse {
  const json = text.startsWith(BYTE_ORDER_MARK) ? text.slice(BYTE_ORDER_MARK.length) : text;
  try {
    return { ok: true, value: JSON.parse(json) as unknown };
  } catch {
    // Deliberately no use of the parser's error: its message quotes the text.
    const found = locateSyntaxError(json) ?? { offset: json.length, reason: JsonSyntaxReason.UNKNOWN };
    const before = json.slice(0, found.offset);
    const line = before.split('\n').length;
    const column = found.offset - before.lastIndexOf('\n');
    return { ok: false, line, column, reason: found.reason };
  }
}
