/**
 * Hand-built verdicts of every status for the alert tests (the verdict engine is tested on its
 * own; these fix the renderers' input).
 */
import * as fc from 'fast-check';
import { FINDING_CODES, type Finding, type Verdict } from '../../../functions/check/policy/types.ts';

export const CHECKED_AT = new Date('2026-03-02T07:00:00Z');
export const LAST_BACKUP = new Date('2026-03-01T01:07:41Z');

export const overdue: Finding = {
  code: 'BACKUP_OVERDUE',
  severity: 'critical',
  message: 'No backup was dispatched for the slot at 2026-03-02 00:00 UTC (01:00 Europe/Berlin); the last one was 2026-03-01 01:07 UTC.',
  remedy: 'Open DocSpace > Settings > Backup, check the automatic backup is on and the subscription is paid.',
  expected: '2026-03-02T00:00:00.000Z',
  actual: '2026-03-01T01:07:41.000Z',
};

export const retention: Finding = {
  code: 'RETENTION_TOO_LOW',
  severity: 'warning',
  message: 'The schedule keeps 2 backups; the policy wants at least 7.',
  remedy: 'Raise "Maximum number of backup copies" in the automatic backup settings to 7 or more.',
  expected: 7,
  actual: 2,
};

export const archiveMissing: Finding = {
  code: 'ARCHIVE_MISSING',
  severity: 'critical',
  message: 'The backup history has no archive newer than the slot at 2026-03-02 00:00 UTC.',
  remedy: 'Check the backup storage and the last backup error in DocSpace > Settings > Backup.',
  expected: { createdAfter: '2026-03-02T00:00:00.000Z' },
  actual: { newestArchive: null },
};

export const authRejected: Finding = {
  code: 'CHECK_FAILED',
  severity: 'critical',
  message: 'The portal rejected the API key (HTTP 401) when asked for the backup schedule.',
  remedy: 'Create a new API key as the portal owner or an admin and store it in the SSM parameter.',
  cause: 'AUTH_REJECTED',
  source: 'schedule',
};

const base = {
  portal: 'acme-prod',
  url: 'https://acme.onlyoffice.com/',
  timeZone: 'Europe/Berlin',
  checkedAt: CHECKED_AT,
} as const;

export const okVerdict: Verdict = { ...base, status: 'OK', lastBackupTime: LAST_BACKUP, findings: [] };

export const warningVerdict: Verdict = { ...base, status: 'WARNING', lastBackupTime: LAST_BACKUP, findings: [retention] };

/** The warning comes first on purpose: the subject must still lead with the critical finding. */
export const criticalVerdict: Verdict = {
  ...base,
  status: 'CRITICAL',
  lastBackupTime: LAST_BACKUP,
  findings: [retention, overdue, archiveMissing],
};

export const unknownVerdict: Verdict = { ...base, status: 'UNKNOWN', findings: [authRejected] };

export const neverRanVerdict: Verdict = {
  ...base,
  status: 'CRITICAL',
  timeZone: 'UTC+01:00',
  timeZoneNote: 'the portal reports the Windows zone "W. Europe Standard Time"; judged at a fixed UTC+01:00, ignoring DST',
  lastBackupTime: null,
  findings: [{ code: 'NEVER_RAN', severity: 'critical', message: 'The schedule has never run since it was saved.', remedy: 'Wait for the next slot or run a backup now.' }],
};

/** One verdict of each status, for it.each tables. */
export const verdictsByStatus: readonly (readonly [string, Verdict])[] = [
  ['OK', okVerdict],
  ['WARNING', warningVerdict],
  ['CRITICAL', criticalVerdict],
  ['UNKNOWN', unknownVerdict],
];

/** Text of any kind: whole Unicode, control characters, typographic and GSM extension characters. */
export const anyText = (maxLength: number) =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: fc.constantFrom('a', 'é', 'ç', '€', '[', '^', '\n', '\r', '\t', '\u0000', '\u001b', '\u202e', '’', '…', '😀', 'Ж', '漢'), maxLength }),
  );

/** Any verdict, with hostile portal names and messages. */
export const arbitraryVerdict: fc.Arbitrary<Verdict> = fc.record({
  portal: anyText(300),
  url: fc.constant('https://acme.onlyoffice.com/'),
  status: fc.constantFrom('OK', 'WARNING', 'CRITICAL', 'UNKNOWN'),
  timeZone: anyText(60),
  checkedAt: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }),
  lastBackupTime: fc.option(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }), { nil: null }),
  findings: fc.array(
    fc.record(
      {
        code: fc.constantFrom(...FINDING_CODES),
        severity: fc.constantFrom('critical', 'warning'),
        message: anyText(400),
        remedy: anyText(200),
        cause: fc.constantFrom('AUTH_REJECTED', 'TIMEOUT', 'SERVER_ERROR'),
        actual: anyText(100),
      },
      { requiredKeys: ['code', 'severity', 'message', 'remedy'] },
    ),
    { maxLength: 12 },
  ),
});
