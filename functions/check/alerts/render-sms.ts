/**
 * The alert as one SMS: at most 160 GSM-7 units, so it goes out as a single segment. One
 * character outside GSM 03.38 would switch the whole message to UCS-2 (70 characters), so
 * every character outside it is transliterated or replaced by `?`. Pure.
 */
import { NoticeState } from '../notify/types.ts';
import type { Verdict } from '../policy/types.ts';
import { alertedFindings, alertedStatus, alertState, resolvedStatus, silencedOf, type AlertContext } from './alert-context.ts';
import { findingLabel, mostSevereFirst } from './render-subject.ts';

/** The most GSM-7 units one SMS segment holds. */
export const MAX_SMS_UNITS = 160;

/** How many codes the SMS names before it says `+N`. */
const MAX_SMS_CODES = 3;

/** How many characters of the portal name the SMS keeps, so the codes and the fact still fit. */
const MAX_SMS_PORTAL_LENGTH = 40;

/** GSM 03.38 basic character set (each counts 1), without the escape character. */
const GSM_BASIC = new Set(
  Array.from(
    '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
  ),
);

/** GSM 03.38 extension table (each counts 2: escape + character), without form feed. */
const GSM_EXTENSION = new Set(Array.from('^{}\\[~]|€'));

/** Common characters outside GSM-7 and what they become. */
const TRANSLITERATIONS: Readonly<Record<string, string>> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u00ab': '"',
  '\u00bb': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
  '\u2026': '...',
  '\u2022': '*',
  '\u00b0': 'o',
  '`': "'",
  œ: 'oe',
  Œ: 'OE',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ı: 'i',
  þ: 'th',
  Þ: 'Th',
  ð: 'd',
};

/** The GSM-7 units a character costs, or `undefined` when it is not in GSM-7. */
function gsmUnits(char: string): number | undefined {
  if (GSM_BASIC.has(char)) return 1;
  if (GSM_EXTENSION.has(char)) return 2;
  return undefined;
}

/**
 * Makes text fit GSM-7: accents a GSM-7 letter lacks are dropped (`á` → `a`, `ç` → `c`), a few
 * typographic characters get ASCII stand-ins, control characters and line breaks become spaces,
 * and anything else becomes `?`.
 */
export function toGsm7(text: string): string {
  let out = '';
  for (const char of text) {
    if (/^[\s\p{Cc}]$/u.test(char)) out += ' ';
    else if (gsmUnits(char) !== undefined) out += char;
    else if (TRANSLITERATIONS[char] !== undefined) out += TRANSLITERATIONS[char];
    else if (/^[\p{Cf}\p{M}]$/u.test(char)) continue;
    else {
      const base = char.normalize('NFKD').replace(/\p{M}/gu, '');
      out += base !== '' && Array.from(base).every((c) => gsmUnits(c) !== undefined && c !== '\n' && c !== '\r') ? base : '?';
    }
  }
  return out.replace(/ {2,}/g, ' ').trim();
}

/** Cuts GSM-7 text to `maxUnits`, ending with `...` when it had to cut. */
function cutGsm7(text: string, maxUnits: number): string {
  let units = 0;
  for (const char of text) units += gsmUnits(char) ?? 1;
  if (units <= maxUnits) return text;
  let out = '';
  let used = 0;
  for (const char of text) {
    const cost = gsmUnits(char) ?? 1;
    if (used + cost > maxUnits - 3) break;
    out += char;
    used += cost;
  }
  return `${out.trimEnd()}...`;
}

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/** `03-01 01:07Z`: month, day and time in UTC, short enough for an SMS. */
function shortUtc(date: Date): string {
  if (Number.isNaN(date.getTime())) return '?';
  return `${twoDigits(date.getUTCMonth() + 1)}-${twoDigits(date.getUTCDate())} ${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())}Z`;
}

/** The one fact worth the SMS: when the last backup ran (or that none did). */
function keyFact(verdict: Verdict): string {
  if (verdict.lastBackupTime === null) return 'no backup ever ran';
  if (verdict.lastBackupTime !== undefined) return `last ${shortUtc(verdict.lastBackupTime)}`;
  return `checked ${shortUtc(verdict.checkedAt)}`;
}

/**
 * Renders the SMS: status, portal, the codes alerted (most severe first, silenced ones left out)
 * and the last backup time, e.g.
 * `CRITICAL DocSpace acme-prod: BACKUP_OVERDUE ARCHIVE_MISSING; last 03-01 01:07Z`. A reminder
 * starts with `REMINDER`; a `resolved` notice reads
 * `RESOLVED DocSpace acme-prod back to OK (was CRITICAL); last 03-02 01:07Z`.
 *
 * @param verdict - one portal's outcome
 * @param context - the notice and the silenced findings; without them, a `firing` alert
 * @returns at most {@link MAX_SMS_UNITS} GSM-7 units, only GSM-7 characters
 */
export function renderSms(verdict: Verdict, context: AlertContext = {}): string {
  const state = alertState(context);
  const portal = cutGsm7(toGsm7(verdict.portal) || '?', MAX_SMS_PORTAL_LENGTH);
  if (state === NoticeState.RESOLVED && context.notice !== undefined) {
    return cutGsm7(`RESOLVED DocSpace ${portal} back to OK (was ${toGsm7(resolvedStatus(context.notice))}); ${keyFact(verdict)}`, MAX_SMS_UNITS);
  }
  const silenced = silencedOf(context);
  const findings = mostSevereFirst(alertedFindings(verdict, silenced));
  const named = findings.slice(0, MAX_SMS_CODES).map(findingLabel);
  if (findings.length > MAX_SMS_CODES) named.push(`+${findings.length - MAX_SMS_CODES}`);
  const codes = named.length > 0 ? named.join(' ') : silenced.length > 0 ? 'only silenced findings' : 'all checks passed';
  const reminder = state === NoticeState.REMINDER ? 'REMINDER ' : '';
  const text = `${reminder}${toGsm7(alertedStatus(verdict, silenced))} DocSpace ${portal}: ${toGsm7(codes)}; ${keyFact(verdict)}`;
  return cutGsm7(text, MAX_SMS_UNITS);
}
