/**
 * Makes strings from a portal safe to put in a message. Neutral ground: the DocSpace client, the
 * state stores, the verdict and the alerts all use it, and it uses none of them.
 */

/** How long a portal string may be in a message, in characters, unless a caller says otherwise. */
export const DEFAULT_PORTAL_TEXT_LENGTH = 200;

/**
 * Where a server stack trace starts: a .NET frame (`   at Namespace.Type.Method(…)`, generics and
 * compiler names included), a JavaScript-style frame (`at Type.method (file:1:2)`), or .NET's
 * `--- End of … stack trace …` separator.
 */
const STACK_TRACE_START =
  /(?:^|\s)at\s+[\p{L}_<$][\w`<>$|@]*(?:\.[\w`<>$|@]+)+(?:\[[^\]\r\n]*\])?\s*\(|---\s*End of [^\r\n]*stack trace/iu;

/** Control, format (bidi overrides, zero-width) and line/paragraph separator characters. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/** Credentials that must never be echoed, even when a portal reflects them back. */
const SECRETS: readonly [RegExp, string][] = [
  [/\bBearer\s+\S+/gi, 'Bearer (redacted)'],
  [/\bsk-[A-Za-z0-9_-]{6,}/g, 'sk-(redacted)'],
];

/**
 * Makes a string from a portal (a progress `error`, a file name, a time zone id) safe to put in a
 * message: cuts off any server stack trace, replaces control and invisible characters with
 * spaces, redacts anything that looks like an API key or a Bearer token, collapses whitespace
 * and truncates to `maxLength` characters (the last one then being `…`).
 *
 * @param text - the raw portal string
 * @param maxLength - the longest result, in characters (code points)
 * @returns the cleaned text; `''` when nothing readable is left
 * @example
 * sanitizePortalText('Access denied\r\n   at ASC.Core.Demand(...)', 200); // 'Access denied'
 */
export function sanitizePortalText(text: string, maxLength: number = DEFAULT_PORTAL_TEXT_LENGTH): string {
  const stackAt = text.search(STACK_TRACE_START);
  let clean = stackAt === -1 ? text : text.slice(0, stackAt);
  clean = clean.replace(INVISIBLE, ' ');
  for (const [pattern, replacement] of SECRETS) clean = clean.replace(pattern, replacement);
  clean = clean.replace(/\s+/g, ' ').trim();
  return truncate(clean, Math.max(0, Math.floor(maxLength)));
}

function truncate(text: string, maxLength: number): string {
  const characters = Array.from(text);
  if (characters.length <= maxLength) return text;
  if (maxLength === 0) return '';
  return `${characters.slice(0, maxLength - 1).join('').trimEnd()}…`;
}
