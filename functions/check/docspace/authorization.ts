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

/** True when a key that looks like a DocSpace API key is sent raw, which DocSpace answers with 401. */
export function isRawApiKey(apiKey: string, scheme: AuthScheme = DEFAULT_AUTH_SCHEME): boolean {
  return scheme === 'raw' && apiKey.trim().startsWith(API_KEY_PREFIX);
}
