/**
 * Hand-built notices, silenced findings and memories for the alert tests (the notice policy is
 * tested on its own; these fix the renderers' input), and arbitraries for property tests.
 */
import * as fc from 'fast-check';
import type { AlertContext } from '../../../functions/check/alerts/alert-context.ts';
import type { Notice, SilencedFinding } from '../../../functions/check/notify/types.ts';
import { FINDING_CODES, type FindingCode, type Verdict } from '../../../functions/check/policy/types.ts';
import { anyText, arbitraryVerdict } from './sample-verdicts.ts';

/** CRITICAL after WARNING: two codes new, one cleared since the last notice. */
export const firingNotice: Notice = {
  state: 'firing',
  severity: 'critical',
  sms: true,
  flip: { from: 'WARNING', to: 'CRITICAL', added: ['ARCHIVE_MISSING', 'BACKUP_OVERDUE'], cleared: ['SCHEDULE_MISMATCH'] },
};

/** The first notice about a portal never seen before: no flip. */
export const firstNotice: Notice = { state: 'firing', severity: 'critical', sms: true };

/** Nothing changed and the interval has passed. */
export const reminderNotice: Notice = { state: 'reminder', severity: 'critical', sms: true };

/** Back to OK after CRITICAL with BACKUP_OVERDUE; e-mail only. */
export const resolvedNotice: Notice = {
  state: 'resolved',
  severity: 'critical',
  sms: false,
  flip: { from: 'CRITICAL', to: 'OK', added: [], cleared: ['BACKUP_OVERDUE'] },
};

/** The retention finding of the sample verdicts, silenced while the storage moves. */
export const retentionSilenced: SilencedFinding = { code: 'RETENTION_TOO_LOW', until: '2027-01-31T00:00:00Z', reason: 'moving storage to S3' };

/** The overdue finding of the sample verdicts, silenced for maintenance. */
export const overdueSilenced: SilencedFinding = { code: 'BACKUP_OVERDUE', until: '2026-03-09T12:00:00+01:00', reason: 'maintenance window' };

/** What the monitor remembered before the run. */
export const memory = { since: '2026-02-27T07:00:00Z', lastNotifiedAt: '2026-03-01T07:00:04Z' } as const;

const statuses = fc.constantFrom('OK', 'WARNING', 'CRITICAL', 'UNKNOWN');
const codes = fc.uniqueArray(fc.constantFrom(...FINDING_CODES), { maxLength: 4 });

/** Any notice of any state, with or without a flip. */
export const arbitraryNotice: fc.Arbitrary<Notice> = fc.record(
  {
    state: fc.constantFrom('firing', 'reminder', 'resolved'),
    severity: fc.constantFrom('critical', 'warning'),
    sms: fc.boolean(),
    flip: fc.record({ from: statuses, to: statuses, added: codes, cleared: codes }),
  },
  { requiredKeys: ['state', 'severity', 'sms'] },
);

/** A silence entry for `code`, with hostile `until` and `reason`. */
function arbitrarySilence(code: FindingCode): fc.Arbitrary<SilencedFinding> {
  return fc.record({
    code: fc.constant(code),
    until: fc.oneof(fc.constant('2027-01-31T00:00:00Z'), anyText(40)),
    reason: anyText(300),
  });
}

/** Any verdict with any notice, some of its codes silenced, and hostile memory times. */
export const arbitraryAlertCase: fc.Arbitrary<{ verdict: Verdict; context: AlertContext }> = arbitraryVerdict.chain((verdict) => {
  const verdictCodes = [...new Set(verdict.findings.map((finding) => finding.code))];
  return fc.record({
    verdict: fc.constant(verdict),
    context: fc.record(
      {
        notice: arbitraryNotice,
        silenced: fc.subarray(verdictCodes).chain((silencedCodes) => fc.tuple(...silencedCodes.map(arbitrarySilence))),
        since: fc.oneof(fc.constant('2026-02-27T07:00:00Z'), anyText(40)),
        lastNotifiedAt: fc.oneof(fc.constant('2026-03-01T07:00:04Z'), anyText(40)),
      },
      { requiredKeys: ['silenced'] },
    ),
  });
});
