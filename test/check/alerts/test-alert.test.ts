import { describe, expect, it } from 'vitest';
import { MAX_SMS_UNITS, toGsm7 } from '../../../functions/check/alerts/render-sms.ts';
import { MAX_SUBJECT_LENGTH } from '../../../functions/check/alerts/render-subject.ts';
import { renderTestAlert } from '../../../functions/check/alerts/test-alert.ts';

const NOW = new Date('2026-03-01T07:00:12.345Z');

describe('renderTestAlert', () => {
  it('marks the subject as a test that needs no action, within SNS subject limits', () => {
    // Act
    const { alert } = renderTestAlert(NOW);

    // Assess
    expect(alert.subject).toMatch(/^\[TEST\] /);
    expect(alert.subject).toContain('no action needed');
    expect(alert.subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
    expect(alert.subject).toMatch(/^[\x20-\x7e]+$/);
  });

  it('carries state firing and severity critical so it passes the SMS filter, and status TEST so it is never taken for a portal', () => {
    // Act
    const { alert } = renderTestAlert(NOW);

    // Assess
    expect(alert.attributes).toEqual({ state: 'firing', severity: 'critical', status: 'TEST', portal: 'test-alert', codes: 'TEST' });
  });

  it('says in the e-mail that it is a test, when it was sent and how it was asked for', () => {
    // Act
    const { alert } = renderTestAlert(NOW);

    // Assess
    expect(alert.email.split('\n')[0]).toBe('TEST ALERT - no action needed.');
    expect(alert.email).toContain('2026-03-01T07:00:12Z');
    expect(alert.email).toContain('{"action": "test-alert"}');
  });

  it('fits the SMS in one GSM-7 segment and marks it as a test', () => {
    // Act
    const { alert } = renderTestAlert(NOW);

    // Assess
    expect(alert.sms).toBe('TEST DocSpace backup monitor 2026-03-01T07:00Z: SMS alerts reach you. No action needed.');
    expect(toGsm7(alert.sms)).toBe(alert.sms);
    expect(alert.sms.length).toBeLessThanOrEqual(MAX_SMS_UNITS);
  });

  it('gives machines JSON that says it is a test', () => {
    // Act
    const { alert } = renderTestAlert(NOW);

    // Assess
    expect(JSON.parse(alert.json)).toEqual({ test: true, sentAt: '2026-03-01T07:00:12Z', message: 'test alert from the DocSpace backup monitor' });
  });

  it('stands for a verdict of the test-alert pseudo portal checked at the given time', () => {
    // Act
    const { verdict } = renderTestAlert(NOW);

    // Assess
    expect(verdict).toMatchObject({ portal: 'test-alert', checkedAt: NOW, findings: [] });
  });
});
