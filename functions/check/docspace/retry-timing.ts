/**
 * When to try a portal request again: exponential backoff with full jitter, and the
 * `Retry-After` header of a 429 (seconds or an HTTP-date). Pure: the clock is a parameter.
 */

/**
 * The delay before retry number `retry` (0 for the first retry): a random point in
 * `[0, min(maxDelayMs, baseDelayMs * 2^retry))` ("full jitter").
 *
 * @param retry - 0 for the first retry, 1 for the second, …
 * @param baseDelayMs - the upper bound of the first delay
 * @param maxDelayMs - the cap on the upper bound
 * @param random - a number in `[0, 1)`, such as `Math.random()`
 */
export function backoffDelayMs(retry: number, baseDelayMs: number, maxDelayMs: number, random: number): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, retry));
  const fraction = Math.min(Math.max(random, 0), 1);
  return Math.floor(ceiling * fraction);
}

/**
 * How long a `Retry-After` header asks to wait, in milliseconds: delta-seconds (`"120"`) or an
 * HTTP-date (`"Wed, 21 Oct 2026 07:28:00 GMT"`). A date in the past means 0.
 *
 * @param value - the header's value, if any
 * @param nowMs - the current time, as epoch milliseconds
 * @returns the delay, or `undefined` when the header is absent or unreadable
 */
export function retryAfterMs(value: string | undefined, nowMs: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP-date always names its month; without letters the text is no date (Date.parse would try).
  if (!/[A-Za-z]{3}/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
