/**
 * The alert's subject line, e.g. `[CRITICAL] DocSpace backup acme-prod: BACKUP_OVERDUE (+1 more)`,
 * `[CRITICAL] Reminder: DocSpace backup acme-prod: …` or
 * `[RESOLVED] DocSpace backup acme-prod: back to OK (was CRITICAL)`.
 * Pure. SNS wants ASCII without control characters and "less than 100 characters", so the
 * subject enforces its own charset and length whatever the verdict holds.
 */
import { NoticeState } from '../notify/types.ts';
import type { Finding, Severity, Verdict } from '../policy/types.ts';
import { alertedFindings, alertedStatus, alertState, resolvedStatus, silencedOf, type AlertContext } from './alert-context.ts';

/** The longest subject we send: SNS accepts subjects shorter than 100 characters. */
export const MAX_SUBJECT_LENGTH = 99;

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { critical: 0, warning: 1 };

/** The findings, most severe first; findings of the same severity keep their order. */
export function mostSevereFirst(findings: readonly Finding[]): Finding[] {
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => (SEVERITY_RANK[a.finding.severity] ?? 2) - (SEVERITY_RANK[b.finding.severity] ?? 2) || a.index - b.index)
    .map(({ finding }) => finding);
}

/** A finding's short label: its code, and for `CHECK_FAILED` its cause (`CHECK_FAILED AUTH_REJECTED`). */
export function findingLabel(finding: Finding): string {
  return finding.cause === undefined ? finding.code : `${finding.code} ${finding.cause}`;
}

/** Characters without an ASCII decomposition, and their usual ASCII spelling. */
const ASCII_STANDINS: Readonly<Record<string, string>> = {
  Æ: 'AE', æ: 'ae', Ø: 'O', ø: 'o', ß: 'ss', Œ: 'OE', œ: 'oe', Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', Þ: 'Th', þ: 'th', ð: 'd', ı: 'i',
  '\u2018': "'", '\u2019': "'", '\u201c': '"', '\u201d': '"', '\u2013': '-', '\u2014': '-', '\u2026': '...', '\u20ac': 'EUR',
};

/**
 * Makes text safe for a subject: accents become their base letter, other characters outside
 * printable ASCII become `?`, and runs of whitespace (line breaks included) become one space.
 */
export function toPrintableAscii(text: string): string {
  let out = '';
  for (const char of text.normalize('NFKC')) {
    if (/^[\x20-\x7e]$/.test(char)) out += char;
    else if (/^\s$/u.test(char) || /^\p{Cc}$/u.test(char)) out += ' ';
    else if (/^[\p{Cf}\p{M}]$/u.test(char)) continue;
    else if (ASCII_STANDINS[char] !== undefined) out += ASCII_STANDINS[char];
    else {
      const base = char.normalize('NFD').replace(/\p{M}/gu, '');
      out += /^[\x20-\x7e]+$/.test(base) ? base : '?';
    }
  }
  return out.replace(/ {2,}/g, ' ').trim();
}

function cut(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  return maxLength <= 3 ? text.slice(0, maxLength) : `${text.slice(0, maxLength - 3).trimEnd()}...`;
}

/**
 * Renders the subject: status, portal and the most severe finding alerted (silenced ones left
 * out), with how many more there are; a reminder says so after the status, and a `resolved`
 * notice says what the portal is back from. The portal name is shortened first when the whole
 * would be too long.
 *
 * @param verdict - one portal's outcome
 * @param context - the notice and the silenced findings; without them, a `firing` alert
 * @returns at most {@link MAX_SUBJECT_LENGTH} printable ASCII characters
 */
export function renderSubject(verdict: Verdict, context: AlertContext = {}): string {
  const state = alertState(context);
  if (state === NoticeState.RESOLVED && context.notice !== undefined) {
    return fitPortal('[RESOLVED] DocSpace backup ', verdict.portal, `: back to OK (was ${toPrintableAscii(resolvedStatus(context.notice))})`);
  }
  const silenced = silencedOf(context);
  const status = toPrintableAscii(alertedStatus(verdict, silenced));
  const head = `[${status}] ${state === NoticeState.REMINDER ? 'Reminder: ' : ''}DocSpace backup `;
  const [first, ...others] = mostSevereFirst(alertedFindings(verdict, silenced));
  const what = first !== undefined ? toPrintableAscii(findingLabel(first)) : silenced.length > 0 ? 'only silenced findings' : 'all checks passed';
  const more = others.length > 0 ? ` (+${others.length} more)` : '';
  return fitPortal(head, verdict.portal, `: ${what}${more}`);
}

/** `head + portal + tail`, the portal shortened so the whole fits, then cut if it still does not. */
function fitPortal(head: string, portalName: string, tail: string): string {
  const portal = toPrintableAscii(portalName) || '?';
  const room = MAX_SUBJECT_LENGTH - head.length - tail.length;
  return cut(`${head}${cut(portal, Math.max(room, 12))}${tail}`, MAX_SUBJECT_LENGTH);
}
