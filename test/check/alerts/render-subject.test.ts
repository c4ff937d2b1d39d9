import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SUBJECT_LENGTH, mostSevereFirst, renderSubject, toPrintableAscii } from '../../../functions/check/alerts/render-subject.ts';
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
