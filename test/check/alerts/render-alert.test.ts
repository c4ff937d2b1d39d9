import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderAlert, renderAttributes } from '../../../functions/check/alerts/render-alert.ts';
import { renderEmail } from '../../../functions/check/alerts/render-email.ts';
import { renderJson } from '../../../functions/check/alerts/render-json.ts';
import { renderSms } from '../../../functions/check/alerts/render-sms.ts';
import { renderSubject } from '../../../functions/check/alerts/render-subject.ts';
import { arbitraryAlertCase, firingNotice, firstNotice, memory, overdueSilenced, reminderNotice, resolvedNotice, retentionSilenced } from './sample-notices.ts';
import { authRejected, criticalVerdict, okVerdict, unknownVerdict, verdictsByStatus, warningVerdict } from './sample-verdicts.ts';

describe('renderAlert', () => {
  it.each(verdictsByStatus)('renders a %s verdict for every channel', (_status, verdict) => {
    // Act
    const alert = renderAlert(verdict);

    // Assess
    expect(alert).toEqual({
      subject: renderSubject(verdict),
      email: renderEmail(verdict),
      sms: renderSms(verdict),
      json: renderJson(verdict),
      attributes: renderAttributes(verdict),
    });
  });
});

describe('renderAlert with a notice', () => {
  it('renders every channel from the notice, the silenced findings and the memory', () => {
    // Prepare
    const context = { notice: reminderNotice, silenced: [retentionSilenced], ...memory };

    // Act
    const alert = renderAlert(criticalVerdict, reminderNotice, [retentionSilenced], memory);

    // Assess
    expect(alert).toEqual({
      subject: renderSubject(criticalVerdict, context),
      email: renderEmail(criticalVerdict, context),
      sms: renderSms(criticalVerdict, context),
      json: renderJson(criticalVerdict, context),
      attributes: renderAttributes(criticalVerdict, context),
    });
    expect(alert.email).toContain('Still unchanged since 2026-02-27 07:00:00 UTC');
    expect(alert.email).toContain('Last alert:  2026-03-01 07:00:04 UTC');
  });

  it('takes a whole PortalMemory as the memory', () => {
    // Prepare
    const previous = {
      portal: 'acme-prod',
      status: 'CRITICAL' as const,
      codes: ['BACKUP_OVERDUE' as const],
      since: '2026-02-27T07:00:00Z',
      notifiedStatus: 'CRITICAL' as const,
      notifiedCodes: ['BACKUP_OVERDUE' as const],
      lastNotifiedAt: '2026-03-01T07:00:04Z',
      runsSinceNotice: 0,
      lastRunKey: '2026-03-01T07:00:00Z',
    };

    // Act
    const alert = renderAlert(criticalVerdict, reminderNotice, [], previous);

    // Assess
    expect(alert.email).toContain('Still unchanged since 2026-02-27 07:00:00 UTC');
  });

  it('renders as before notices existed when given none', () => {
    // Act
    const alert = renderAlert(criticalVerdict);

    // Assess
    expect(alert.subject).toBe('[CRITICAL] DocSpace backup acme-prod: BACKUP_OVERDUE (+2 more)');
    expect(alert.attributes.state).toBe('firing');
    expect(alert.email).not.toContain('What changed');
  });

  it('keeps silenced codes out of the subject, the SMS and the codes attribute for any verdict and notice', () => {
    fc.assert(
      fc.property(arbitraryAlertCase, ({ verdict, context }) => {
        // Prepare: a resolved notice names the cleared codes, not the verdict's
        fc.pre(context.notice?.state !== 'resolved');
        const named = { ...verdict, portal: 'acme-prod' };

        // Act
        const alert = renderAlert(named, context.notice, context.silenced);

        // Assess
        const codes = alert.attributes.codes.split(',');
        for (const { code } of context.silenced ?? []) {
          expect(codes).not.toContain(code);
          expect(alert.subject).not.toContain(code);
          expect(alert.sms).not.toContain(code);
        }
        expect(alert.attributes.state).toBe(context.notice?.state ?? 'firing');
      }),
      { numRuns: 300 },
    );
  });
});

describe('renderAttributes with a notice', () => {
  it.each([
    ['firing', criticalVerdict, { notice: firingNotice }, { state: 'firing', severity: 'critical', status: 'CRITICAL', codes: 'RETENTION_TOO_LOW,BACKUP_OVERDUE,ARCHIVE_MISSING' }],
    ['first firing', unknownVerdict, { notice: firstNotice }, { state: 'firing', severity: 'critical', status: 'UNKNOWN', codes: 'CHECK_FAILED' }],
    ['reminder', warningVerdict, { notice: { ...reminderNotice, severity: 'warning' as const } }, { state: 'reminder', severity: 'warning', status: 'WARNING', codes: 'RETENTION_TOO_LOW' }],
    ['resolved', okVerdict, { notice: resolvedNotice }, { state: 'resolved', severity: 'critical', status: 'OK', codes: 'BACKUP_OVERDUE' }],
    [
      'resolved without a flip',
      okVerdict,
      { notice: { state: 'resolved' as const, severity: 'warning' as const, sms: false } },
      { state: 'resolved', severity: 'warning', status: 'OK', codes: '' },
    ],
  ])('gives a %s notice its state, severity, status and codes', (_case, verdict, context, expected) => {
    // Act
    const attributes = renderAttributes(verdict, context);

    // Assess
    expect(attributes).toEqual({ ...expected, portal: 'acme-prod' });
  });

  it('takes severity, status and codes from what is not silenced', () => {
    // Prepare: overdue and archive are silenced, the warning is left
    const silenced = [overdueSilenced, { ...overdueSilenced, code: 'ARCHIVE_MISSING' as const }];

    // Act
    const attributes = renderAttributes(criticalVerdict, { notice: { ...firingNotice, severity: 'warning' }, silenced });
    const withoutNotice = renderAttributes(criticalVerdict, { silenced });

    // Assess
    expect(attributes).toEqual({ state: 'firing', severity: 'warning', status: 'WARNING', portal: 'acme-prod', codes: 'RETENTION_TOO_LOW' });
    expect(withoutNotice).toEqual(attributes);
  });
});

describe('renderAttributes', () => {
  it.each([
    ['OK', okVerdict, { state: 'firing', severity: 'warning', status: 'OK', portal: 'acme-prod', codes: '' }],
    ['WARNING', warningVerdict, { state: 'firing', severity: 'warning', status: 'WARNING', portal: 'acme-prod', codes: 'RETENTION_TOO_LOW' }],
    ['CRITICAL', criticalVerdict, { state: 'firing', severity: 'critical', status: 'CRITICAL', portal: 'acme-prod', codes: 'RETENTION_TOO_LOW,BACKUP_OVERDUE,ARCHIVE_MISSING' }],
    ['UNKNOWN', unknownVerdict, { state: 'firing', severity: 'critical', status: 'UNKNOWN', portal: 'acme-prod', codes: 'CHECK_FAILED' }],
  ])('gives a %s verdict without a notice state firing, its worst severity and its codes in finding order', (_status, verdict, expected) => {
    // Act
    const attributes = renderAttributes(verdict);

    // Assess
    expect(attributes).toEqual(expected);
  });

  it('lists a repeated code once', () => {
    // Prepare
    const verdict = { ...unknownVerdict, findings: [authRejected, { ...authRejected, cause: 'TIMEOUT' as const, source: 'history' as const }] };

    // Act
    const attributes = renderAttributes(verdict);

    // Assess
    expect(attributes.codes).toBe('CHECK_FAILED');
  });
});
