/**
 * How a portal's API key goes into the `Authorization` header (see docs/DOCSPACE-API.md,
 * "Authentication"): DocSpace API keys (`sk-…`) need `Bearer`; session tokens work raw.
 */

/** How the key is sent: `auto` picks `Bearer` for `sk-` keys and raw for anything else. */
export type AuthScheme = 'auto' | 'bearer' | 'raw';

/** The default scheme when a portal's config names none. */
export const DEFAULT_AUTH_SCHEME: AuthScheme = 'auto';

/** The prefix DocSpace gives the API keys it creates under Developer Tools. */
export const API_KEY_PREFIX = 'sk-';

/**
 * The `Authorization` header value for a key. The result is a secret: never log it.
 *
 * @param apiKey - the portal's API key or session token
 * @param scheme - `auto` (default), `bearer` or `raw`
 * @example
 * authorizationHeader('sk-abc') // 'Bearer sk-abc'
 * authorizationHeader('token')  // 'token'
 */
export function authorizationHeader(apiKey: string, scheme: AuthScheme = DEFAULT_AUTH_SCHEME): string {
  const key = apiKey.trim();
  if (scheme === 'bearer' || (scheme === 'auto' && key.startsWith(API_KEY_PREFIX))) return `Bearer ${key}`;
  return key;
}

/**
 * What an HTTP header value can carry: printable ASCII, with single spaces inside (a header value
 * may hold them; whether the portal accepts such a key is the portal's answer, a 401). Tabs, line
 * breaks, other control characters and anything beyond ASCII cannot be sent as they are.
 */
const HEADER_SAFE_KEY = /^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/;

/** The README's placeholder: `sk-` and an ellipsis (or three dots). */
const PLACEHOLDER_KEY = /^sk-(?:…|\.\.\.)$/;

/**
 * Why a key cannot be sent in the `Authorization` header, or `undefined` when it can. Surrounding
 * whitespace is allowed (it is trimmed, as `echo` leaves a line break); inside, only printable
 * ASCII and single spaces are. The answer names the kind of problem, never the key or a piece of it.
 *
 * @param apiKey - the key as read from SSM or the environment
 * @example
 * apiKeyProblem('sk-…');          // "it is the README's placeholder (sk- and an ellipsis), not a key"
 * apiKeyProblem('sk-abc\tdef');   // 'it contains a tab, a line break or a run of spaces'
 * apiKeyProblem('sk-abc123');     // undefined
 */
export function apiKeyProblem(apiKey: string): string | undefined {
  const key = apiKey.trim();
  if (key === '') return 'it is empty';
  if (HEADER_SAFE_KEY.test(key)) return undefined;
  if (PLACEHOLDER_KEY.test(key)) return "it is the README's placeholder (sk- and an ellipsis), not a key";
  if (/[\t\n\v\f\r]| {2}/.test(key)) return 'it contains a tab, a line break or a run of spaces';
  if (/\p{Cc}/u.test(key)) return 'it contains a control character';
  return 'it contains a character that is not ASCII (copied from a document or chat?)';
}

/** True when a key that looks like a DocSpace API key is sent raw, which DocSpace answers with 401. */
export function isRawApiKey(apiKey: string, scheme: AuthScheme = DEFAULT_AUTH_SCHEME): boolean {
  return scheme === 'raw' && apiKey.trim().startsWith(API_KEY_PREFIX);
}
