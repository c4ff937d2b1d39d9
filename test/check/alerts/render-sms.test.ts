import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SMS_UNITS, renderSms, toGsm7 } from '../../../functions/check/alerts/render-sms.ts';
import { arbitraryAlertCase, firingNotice, firstNotice, overdueSilenced, reminderNotice, resolvedNotice, retentionSilenced } from './sample-notices.ts';
import { arbitraryVerdict, criticalVerdict, neverRanVerdict, okVerdict, overdue, unknownVerdict, warningVerdict } from './sample-verdicts.ts';

// An independent GSM 03.38 counter: the default alphabet by position 0x00-0x7F, then the
// extension table (escape + character, 2 units each).
const DEFAULT_ALPHABET =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ' +
  ' !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§' +
  '¿abcdefghijklmnopqrstuvwxyzäöñüà';
const EXTENSION = '\f^{}\\[~]|€';

/** GSM-7 units of `text`, or `undefined` when a character is outside GSM-7. */
function gsm7Units(text: string): number | undefined {
  let units = 0;
  for (const char of text) {
    if (char !== '\u001b' && DEFAULT_ALPHABET.includes(char)) units += 1;
    else if (EXTENSION.includes(char)) units += 2;
    else return undefined;
  }
  return units;
}

describe('gsm7Units (the test counter itself)', () => {
  it('knows the 128 positions of the default alphabet and counts the extension twice', () => {
    // Assess
    expect(Array.from(DEFAULT_ALPHABET)).toHaveLength(128);
    expect(gsm7Units('a€[')).toBe(5);
    expect(gsm7Units('ç')).toBeUndefined();
  });
});

describe('renderSms', () => {
  it.each([
    ['OK', okVerdict, 'OK DocSpace acme-prod: all checks passed; last 03-01 01:07Z'],
    ['WARNING', warningVerdict, 'WARNING DocSpace acme-prod: RETENTION_TOO_LOW; last 03-01 01:07Z'],
    ['CRITICAL', criticalVerdict, 'CRITICAL DocSpace acme-prod: BACKUP_OVERDUE ARCHIVE_MISSING RETENTION_TOO_LOW; last 03-01 01:07Z'],
    ['UNKNOWN', unknownVerdict, 'UNKNOWN DocSpace acme-prod: CHECK_FAILED AUTH_REJECTED; checked 03-02 07:00Z'],
    ['never-ran', neverRanVerdict, 'CRITICAL DocSpace acme-prod: NEVER_RAN; no backup ever ran'],
  ])('renders a %s verdict as status, portal, codes and the key fact', (_case, verdict, expected) => {
    // Act
    const sms = renderSms(verdict);

    // Assess
    expect(sms).toBe(expected);
  });

  it('names three codes and counts the rest', () => {
    // Prepare
    const verdict = { ...criticalVerdict, findings: [overdue, overdue, overdue, overdue, overdue] };

    // Act
    const sms = renderSms(verdict);

    // Assess
    expect(sms).toContain('BACKUP_OVERDUE BACKUP_OVERDUE BACKUP_OVERDUE +2;');
  });

  it('keeps the last backup time when the portal name is long', () => {
    // Prepare
    const verdict = { ...criticalVerdict, portal: 'p'.repeat(200) };

    // Act
    const sms = renderSms(verdict);

    // Assess
    expect(gsm7Units(sms)).toBeLessThanOrEqual(MAX_SMS_UNITS);
    expect(sms).toMatch(/last 03-01 01:07Z$/);
  });

  it('counts extension characters twice when it cuts', () => {
    // Prepare: 200 '€' cost 400 units
    const verdict = { ...okVerdict, portal: '€'.repeat(200) };

    // Act
    const sms = renderSms(verdict);

    // Assess
    expect(gsm7Units(sms)).toBeLessThanOrEqual(MAX_SMS_UNITS);
    expect(sms).toContain('€€€...');
  });

  it('stays within one GSM-7 segment, in GSM-7 characters only, for any verdict', () => {
    fc.assert(
      fc.property(arbitraryVerdict, (verdict) => {
        // Act
        const sms = renderSms(verdict);

        // Assess
        const units = gsm7Units(sms);
        expect(units, `not GSM-7: ${JSON.stringify(sms)}`).toBeDefined();
        expect(units).toBeLessThanOrEqual(MAX_SMS_UNITS);
        expect(sms).not.toMatch(/[\r\n]/);
      }),
      { numRuns: 500 },
    );
  });
});

describe('renderSms with a notice', () => {
  it.each([
    ['a firing notice like an alert without one', criticalVerdict, { notice: firingNotice }, 'CRITICAL DocSpace acme-prod: BACKUP_OVERDUE ARCHIVE_MISSING RETENTION_TOO_LOW; last 03-01 01:07Z'],
    ['a first notice the same way', warningVerdict, { notice: firstNotice }, 'WARNING DocSpace acme-prod: RETENTION_TOO_LOW; last 03-01 01:07Z'],
    ['a reminder marked as such', criticalVerdict, { notice: reminderNotice }, 'REMINDER CRITICAL DocSpace acme-prod: BACKUP_OVERDUE ARCHIVE_MISSING RETENTION_TOO_LOW; last 03-01 01:07Z'],
    ['a resolved notice as back to OK from what it resolves', okVerdict, { notice: resolvedNotice }, 'RESOLVED DocSpace acme-prod back to OK (was CRITICAL); last 03-01 01:07Z'],
    ['silenced findings left out of the codes and the status', criticalVerdict, { notice: firingNotice, silenced: [overdueSilenced, { ...overdueSilenced, code: 'ARCHIVE_MISSING' as const }] }, 'WARNING DocSpace acme-prod: RETENTION_TOO_LOW; last 03-01 01:07Z'],
    ['only silenced findings as such', warningVerdict, { silenced: [retentionSilenced] }, 'OK DocSpace acme-prod: only silenced findings; last 03-01 01:07Z'],
  ])('renders %s', (_case, verdict, context, expected) => {
    // Act
    const sms = renderSms(verdict, context);

    // Assess
    expect(sms).toBe(expected);
  });

  it.each(['firing', 'reminder', 'resolved'] as const)('keeps a %s SMS within one segment when the portal name is long', (state) => {
    // Prepare
    const verdict = { ...criticalVerdict, portal: '€'.repeat(300) };

    // Act
    const sms = renderSms(verdict, { notice: { ...resolvedNotice, state } });

    // Assess
    expect(gsm7Units(sms)).toBeLessThanOrEqual(MAX_SMS_UNITS);
    expect(sms).toMatch(/last 03-01 01:07Z$/);
  });

  it('stays within one GSM-7 segment, in GSM-7 characters only, for any verdict, notice and silences, and names no silenced code', () => {
    fc.assert(
      fc.property(arbitraryAlertCase, ({ verdict, context }) => {
        // Act
        const sms = renderSms(verdict, context);
        const named = renderSms({ ...verdict, portal: 'acme-prod' }, context);

        // Assess
        const units = gsm7Units(sms);
        expect(units, `not GSM-7: ${JSON.stringify(sms)}`).toBeDefined();
        expect(units).toBeLessThanOrEqual(MAX_SMS_UNITS);
        expect(sms).not.toMatch(/[\r\n]/);
        const prefix = { firing: /^[A-Z]+ DocSpace /, reminder: /^REMINDER [A-Z]+ DocSpace /, resolved: /^RESOLVED DocSpace / }[context.notice?.state ?? 'firing'];
        expect(sms).toMatch(prefix);
        for (const { code } of context.silenced ?? []) expect(named).not.toContain(code);
      }),
      { numRuns: 500 },
    );
  });
});

describe('toGsm7', () => {
  it.each([
    ['München façade', 'München facade'],
    ['São Paulo, Łódź', 'Sao Paulo, Lodz'],
    ['“quoted” – it’s…', '"quoted" - it\'s...'],
    ['ΔΣ Ελλάδα', 'ΔΣ ??????'],
    ['price 5€ [x]', 'price 5€ [x]'],
    ['line\r\nbreak\ttab', 'line break tab'],
    ['emoji 😀', 'emoji ?'],
  ])('turns %j into %j', (input, expected) => {
    // Act
    const text = toGsm7(input);

    // Assess
    expect(text).toBe(expected);
    expect(gsm7Units(text)).toBeDefined();
  });
});
