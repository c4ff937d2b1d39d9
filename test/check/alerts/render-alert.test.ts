import { describe, expect, it } from 'vitest';
import { renderAlert, renderAttributes } from '../../../functions/check/alerts/render-alert.ts';
import { renderEmail } from '../../../functions/check/alerts/render-email.ts';
import { renderJson } from '../../../functions/check/alerts/render-json.ts';
import { renderSms } from '../../../functions/check/alerts/render-sms.ts';
import { renderSubject } from '../../../functions/check/alerts/render-subject.ts';
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

describe('renderAttributes', () => {
  it.each([
    ['OK', okVerdict, { severity: 'warning', status: 'OK', portal: 'acme-prod', codes: '' }],
    ['WARNING', warningVerdict, { severity: 'warning', status: 'WARNING', portal: 'acme-prod', codes: 'RETENTION_TOO_LOW' }],
    ['CRITICAL', criticalVerdict, { severity: 'critical', status: 'CRITICAL', portal: 'acme-prod', codes: 'RETENTION_TOO_LOW,BACKUP_OVERDUE,ARCHIVE_MISSING' }],
    ['UNKNOWN', unknownVerdict, { severity: 'critical', status: 'UNKNOWN', portal: 'acme-prod', codes: 'CHECK_FAILED' }],
  ])('gives a %s verdict its worst severity and its codes in finding order', (_status, verdict, expected) => {
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
