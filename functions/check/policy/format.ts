/**
 * Text helpers for findings and alerts: portal strings are made safe before they reach a message.
 */

import { DEFAULT_PORTAL_TEXT_LENGTH, sanitizePortalText } from '../text/portal-text.ts';

export { DEFAULT_PORTAL_TEXT_LENGTH, sanitizePortalText } from '../text/portal-text.ts';

/** Quotes a portal string for a message, sanitized; `fallback` when nothing readable is left. */
export function quotePortalText(text: string, fallback: string, maxLength: number = DEFAULT_PORTAL_TEXT_LENGTH): string {
  const clean = sanitizePortalText(text, maxLength);
  return clean === '' ? fallback : `"${clean}"`;
}

/** A duration in minutes for people: `60 min`. */
export function formatMinutes(minutes: number): string {
  return `${minutes} min`;
}

/** A duration in hours for people, to one decimal: `49.1 h`. */
export function formatHours(hours: number): string {
  return `${Math.round(hours * 10) / 10} h`;
}

/** Lists names for people: `a`, `a and b`, `a, b and c`. */
export function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
