/**
 * What the report, the alerts and the digest say about run-time silences (`silence add`) and
 * acknowledgements (`ack`): which one holds back what, who made it, why and until when.
 */
import { describe, expect, it } from 'vitest';
import { renderAlert } from '../../../functions/check/alerts/render-alert.ts';
import { renderDigest } from '../../../functions/check/alerts/render-digest.ts';
import { renderEmail } from '../../../functions/check/alerts/render-email.ts';
import { renderJson } from '../../../functions/check/alerts/render-json.ts';
import type { Acknowledgement, SilencedFinding } from '../../../functions/check/notify/types.ts';
import { reportToJson, reportToText } from '../../../functions/check/report/report.ts';
import type { CheckRun } from '../../../functions/check/run-check.ts';
import { firingNotice, reminderNotice, resolvedNotice, retentionSilenced } from './sample-notices.ts';
import { CHECKED_AT, criticalVerdict, okVerdict } from './sample-verdicts.ts';

const ALICE = 'arn:aws:sts::123456789012:assumed-role/ops/alice';

/** The retention finding muted by a silence someone added at run time. */
const runTimeSilence: SilencedFinding = { ...retentionSilenced, id: 's-1a2b3c4d', by: ALICE };

/** The critical problem acknowledged by alice. */
const ack: Acknowledgement = {
  status: 'CRITICAL',
  codes: ['ARCHIVE_MISSING', 'BACKUP_OVERDUE'],
  by: ALICE,
  at: '2026-03-01T08:00:00.000Z',
  reason: 'restoring the bucket\u0007 from the old account',
};

function runOf(overrides: Partial<CheckRun> = {}): CheckRun {
  return {
    checkedAt: CHECKED_AT,
    runKey: CHECKED_AT.toISOString(),
    status: 'CRITICAL',
    verdicts: [criticalVerdict],
    alertsSent: 0,
    publishFailures: [],
    stateFailures: [],
    notifications: new Map([[criticalVerdict.portal, { delivered: false, silenced: [runTimeSilence], duplicate: false, acknowledged: ack }]]),
    expiredSilences: [],
    ...overrides,
  };
}

describe('renderEmail', () => {
  it('names the run-time silence: until when, by whom, its id and how to end it, and why', () => {
    // Act
    const email = renderEmail(criticalVerdict, { notice: firingNotice, silenced: [runTimeSilence] });

    // Assess
    expect(email).toContain(
      `- RETENTION_TOO_LOW silenced until 2027-01-31 00:00:00 UTC by ${ALICE} (silence s-1a2b3c4d; end it with "silence expire s-1a2b3c4d"): moving storage to S3`,
    );
  });

  it('says which acknowledgement ended with a firing alert: what, by whom, when and why', () => {
    // Act
    const email = renderEmail(criticalVerdict, { notice: firingNotice, ack });

    // Assess
    expect(email).toContain('Acknowledgement ended');
    expect(email).toContain(`CRITICAL (ARCHIVE_MISSING, BACKUP_OVERDUE) was acknowledged by ${ALICE} at 2026-03-01 08:00:00 UTC: restoring the bucket from the old account`);
    expect(email).toContain('It held back the reminders until the status or codes changed, as they did now.');
  });

  it('says which acknowledgement a resolved notice ends', () => {
    // Act
    const email = renderEmail(okVerdict, { notice: resolvedNotice, ack });

    // Assess
    expect(email).toContain(`was acknowledged by ${ALICE}`);
  });

  it('mentions no acknowledgement in a reminder', () => {
    // Act
    const email = renderEmail(criticalVerdict, { notice: reminderNotice, ack });

    // Assess
    expect(email).not.toContain('acknowledged');
  });
});

describe('renderJson', () => {
  it('marks the finding and lists the silence with its id and author, and the acknowledgement that ended', () => {
    // Act
    const json = JSON.parse(renderJson(criticalVerdict, { notice: firingNotice, silenced: [runTimeSilence], ack })) as Record<string, unknown>;

    // Assess
    const silence = { until: '2027-01-31T00:00:00Z', reason: 'moving storage to S3', id: 's-1a2b3c4d', by: ALICE };
    expect(json.silenced).toEqual([{ code: 'RETENTION_TOO_LOW', ...silence }]);
    expect((json.findings as { code: string; silenced?: unknown }[]).find((finding) => finding.code === 'RETENTION_TOO_LOW')?.silenced).toEqual(silence);
    expect(json.acknowledgementEnded).toEqual({ ...ack, codes: [...ack.codes], reason: 'restoring the bucket from the old account' });
  });
});

describe('renderAlert', () => {
  it("takes the acknowledgement from the portal's memory before the run", () => {
    // Act
    const alert = renderAlert(criticalVerdict, firingNotice, [], { since: '2026-02-27T07:00:00Z', ack });

    // Assess
    expect(alert.email).toContain('Acknowledgement ended');
    expect(JSON.parse(alert.json)).toHaveProperty('acknowledgementEnded.by', ALICE);
  });
});

describe('renderDigest', () => {
  it('marks the silenced code with its silence and the portal with its acknowledgement, in the e-mail and the JSON', () => {
    // Act
    const digest = renderDigest([criticalVerdict, { ...okVerdict, portal: 'beta' }], {
      checkedAt: CHECKED_AT,
      silencedByPortal: new Map([[criticalVerdict.portal, [runTimeSilence]]]),
      acknowledgedByPortal: new Map([[criticalVerdict.portal, ack]]),
    });

    // Assess
    expect(digest.email).toContain(`RETENTION_TOO_LOW (silenced until 2027-01-31 00:00:00 UTC by ${ALICE} (silence s-1a2b3c4d): moving storage to S3)`);
    expect(digest.email).toContain(
      `; acknowledged by ${ALICE} 2026-03-01 08:00:00 UTC, reminders held until its status or codes change: restoring the bucket from the old account`,
    );
    expect(digest.email).toContain('Acknowledged: 1 portal (no reminders until the status or codes change)');
    const json = JSON.parse(digest.json) as { portals: { name: string; silenced?: unknown; acknowledged?: unknown }[] };
    const portal = json.portals.find((entry) => entry.name === criticalVerdict.portal)!;
    expect(portal.silenced).toEqual([{ code: 'RETENTION_TOO_LOW', until: '2027-01-31T00:00:00Z', reason: 'moving storage to S3', id: 's-1a2b3c4d', by: ALICE }]);
    expect(portal.acknowledged).toEqual({ ...ack, codes: [...ack.codes], reason: 'restoring the bucket from the old account' });
    expect(json.portals.find((entry) => entry.name === 'beta')).not.toHaveProperty('acknowledged');
  });
});

describe('reportToText', () => {
  it('names the silence holding back a finding and the acknowledgement holding back the reminders', () => {
    // Act
    const text = reportToText(runOf());

    // Assess
    expect(text).toContain(`    silenced until 2027-01-31T00:00:00Z by ${ALICE} (silence s-1a2b3c4d): moving storage to S3`);
    expect(text).toContain(
      `  acknowledged by ${ALICE} at 2026-03-01T08:00:00.000Z: restoring the bucket from the old account (no reminders until its status or codes change)`,
    );
  });
});

describe('reportToJson', () => {
  it("gives the portal's acknowledgement and each silenced finding's silence", () => {
    // Act
    const report = JSON.parse(JSON.stringify(reportToJson(runOf()))) as { portals: { acknowledged?: unknown; findings: { code: string; silenced?: unknown }[] }[] };

    // Assess
    const [portal] = report.portals;
    expect(portal!.acknowledged).toEqual({ ...ack, codes: [...ack.codes], reason: 'restoring the bucket from the old account' });
    expect(portal!.findings.find((finding) => finding.code === 'RETENTION_TOO_LOW')?.silenced).toMatchObject({ id: 's-1a2b3c4d', by: ALICE });
  });
});
