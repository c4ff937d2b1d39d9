/**
 * The alert's subject line, e.g. `[CRITICAL] DocSpace backup acme-prod: BACKUP_OVERDUE (+1 more)`.
 * Pure. SNS wants ASCII without control characters and "less than 100 characters", so the
 * subject enforces its own charset and length whatever the verdict holds.
 */
import type { Finding, Severity, Verdict } from '../policy/types.ts';

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
 * Renders the subject: status, portal and the most severe finding's code, with how many more
 * there are. The portal name is shortened first when the whole would be too long.
 *
 * @param verdict - one portal's outcome
 * @returns at most {@link MAX_SUBJECT_LENGTH} printable ASCII characters
 */
export function renderSubject(verdict: Verdict): string {
  const head = `[${toPrintableAscii(verdict.status)}] DocSpace backup `;
  const [first, ...others] = mostSevereFirst(verdict.findings);
  const what = first === undefined ? 'all checks passed' : toPrintableAscii(findingLabel(first));
  const more = others.length > 0 ? ` (+${others.length} more)` : '';
  const tail = `: ${what}${more}`;
  const portal = toPrintableAscii(verdict.portal) || '?';
  const room = MAX_SUBJECT_LENGTH - head.length - tail.length;
  return cut(`${head}${cut(portal, Math.max(room, 12))}${tail}`, MAX_SUBJECT_LENGTH);
}
