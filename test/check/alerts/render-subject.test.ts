import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SUBJECT_LENGTH, mostSevereFirst, renderSubject, toPrintableAscii } from '../../../functions/check/alerts/render-subject.ts';
import { arbitraryAlertCase, firingNotice, firstNotice, overdueSilenced, reminderNotice, resolvedNotice, retentionSilenced } from './sample-notices.ts';
import { arbitraryVerdict, archiveMissing, criticalVerdict, okVerdict, overdue, retention, unknownVerdict, warningVerdict } from './sample-verdicts.ts';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

describe('renderSubject', () => {
  it.each([
    ['OK', okVerdict, '[OK] DocSpace backup acme-prod: all checks passed'],
    ['WARNING', warningVerdict, '[WARNING] DocSpace backup acme-prod: RETENTION_TOO_LOW'],
    ['CRITICAL', criticalVerdict, '[CRITICAL] DocSpace backup acme-prod: BACKUP_OVERDUE (+2 more)'],
    ['UNKNOWN', unknownVerdict, '[UNKNOWN] DocSpace backup acme-prod: CHECK_FAILED AUTH_REJECTED'],
  ])('renders a %s verdict as status, portal and the most severe code', (_status, verdict, expected) => {
    // Act
    const subject = renderSubject(verdict);

    // Assess
    expect(subject).toBe(expected);
  });

  it('shortens a long portal name but keeps the code and the count', () => {
    // Prepare
    const verdict = { ...criticalVerdict, portal: 'a'.repeat(300) };

    // Act
    const subject = renderSubject(verdict);

    // Assess
    expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
    expect(subject).toMatch(/^\[CRITICAL\] DocSpace backup a+\.\.\.: BACKUP_OVERDUE \(\+2 more\)$/);
  });

  it('transliterates accents and replaces other non-ASCII and control characters', () => {
    // Prepare
    const verdict = { ...warningVerdict, portal: 'café-zürich\r\nBcc: x 漢' };

    // Act
    const subject = renderSubject(verdict);

    // Assess
    expect(subject).toBe('[WARNING] DocSpace backup cafe-zurich Bcc: x ?: RETENTION_TOO_LOW');
  });

  it('stays under 100 printable ASCII characters for any verdict', () => {
    fc.assert(
      fc.property(arbitraryVerdict, (verdict) => {
        // Act
        const subject = renderSubject(verdict);

        // Assess
        expect(subject.length).toBeLessThan(100);
        expect(subject).toMatch(PRINTABLE_ASCII);
        expect(subject.startsWith(`[${verdict.status}] DocSpace backup `)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('renderSubject with a notice', () => {
  it.each([
    ['a firing notice like an alert without one', criticalVerdict, { notice: firingNotice }, '[CRITICAL] DocSpace backup acme-prod: BACKUP_OVERDUE (+2 more)'],
    ['a first notice the same way', warningVerdict, { notice: firstNotice }, '[WARNING] DocSpace backup acme-prod: RETENTION_TOO_LOW'],
    ['a reminder with "Reminder:" after the status', criticalVerdict, { notice: reminderNotice }, '[CRITICAL] Reminder: DocSpace backup acme-prod: BACKUP_OVERDUE (+2 more)'],
    ['a resolved notice as back to OK from the status it resolves', okVerdict, { notice: resolvedNotice }, '[RESOLVED] DocSpace backup acme-prod: back to OK (was CRITICAL)'],
    [
      'a resolved warning without a flip as back to OK from WARNING',
      okVerdict,
      { notice: { state: 'resolved' as const, severity: 'warning' as const, sms: false } },
      '[RESOLVED] DocSpace backup acme-prod: back to OK (was WARNING)',
    ],
  ])('renders %s', (_case, verdict, context, expected) => {
    // Act
    const subject = renderSubject(verdict, context);

    // Assess
    expect(subject).toBe(expected);
  });

  it('leaves silenced findings out of the code, the count and the status', () => {
    // Prepare: the critical overdue is silenced, so what is alerted is less
    const verdict = { ...criticalVerdict, findings: [retention, overdue] };

    // Act
    const subject = renderSubject(verdict, { notice: firingNotice, silenced: [overdueSilenced] });

    // Assess
    expect(subject).toBe('[WARNING] DocSpace backup acme-prod: RETENTION_TOO_LOW');
  });

  it('says only silenced findings are left rather than that every check passed', () => {
    // Act
    const subject = renderSubject(warningVerdict, { silenced: [retentionSilenced] });

    // Assess
    expect(subject).toBe('[OK] DocSpace backup acme-prod: only silenced findings');
  });

  it('shortens a long portal name of a reminder and a resolved notice but keeps what matters', () => {
    // Prepare
    const verdict = { ...criticalVerdict, portal: 'a'.repeat(300) };

    // Act
    const reminder = renderSubject(verdict, { notice: reminderNotice });
    const resolved = renderSubject(verdict, { notice: resolvedNotice });

    // Assess
    expect(reminder).toMatch(/^\[CRITICAL\] Reminder: DocSpace backup a+\.\.\.: BACKUP_OVERDUE \(\+2 more\)$/);
    expect(resolved).toMatch(/^\[RESOLVED\] DocSpace backup a+\.\.\.: back to OK \(was CRITICAL\)$/);
    expect(reminder.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
    expect(resolved.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
  });

  it('stays under 100 printable ASCII characters for any verdict, notice and silences, and names no silenced code', () => {
    fc.assert(
      fc.property(arbitraryAlertCase, ({ verdict, context }) => {
        // Act
        const subject = renderSubject({ ...verdict, portal: 'acme-prod' }, context);

        // Assess
        expect(subject.length).toBeLessThan(100);
        expect(subject).toMatch(PRINTABLE_ASCII);
        const state = context.notice?.state ?? 'firing';
        const head = { firing: /^\[[A-Z]+\] DocSpace backup /, reminder: /^\[[A-Z]+\] Reminder: DocSpace backup /, resolved: /^\[RESOLVED\] DocSpace backup / }[state];
        expect(subject).toMatch(head);
        for (const { code } of context.silenced ?? []) expect(subject).not.toContain(code);
      }),
      { numRuns: 500 },
    );
  });
});

describe('mostSevereFirst', () => {
  it('puts critical findings first and keeps the order within a severity', () => {
    // Act
    const ordered = mostSevereFirst([retention, overdue, { ...retention, code: 'DUMP_MISMATCH' }, archiveMissing]);

    // Assess
    expect(ordered.map((finding) => finding.code)).toEqual(['BACKUP_OVERDUE', 'ARCHIVE_MISSING', 'RETENTION_TOO_LOW', 'DUMP_MISMATCH']);
  });
});

describe('toPrintableAscii', () => {
  it.each([
    ['Ærøskøbing', 'AEroskobing'],
    ['Straße – “quoted”…', 'Strasse - "quoted"...'],
    ['naïve façade', 'naive facade'],
    ['ｆｕｌｌ　width', 'full width'],
    ['tab\there\u0007bell', 'tab here bell'],
    ['zero\u200bwidth\u202eflip', 'zerowidthflip'],
    ['emoji 😀 end', 'emoji ? end'],
  ])('turns %j into %j', (input, expected) => {
    // Act
    const text = toPrintableAscii(input);

    // Assess
    expect(text).toBe(expected);
  });
});
