import { describe, expect, it } from 'vitest';
import { shortenAlerts } from '../../scripts/demo-output.ts';

const alert = (portal: string, status: string) =>
  [
    `=== alert: ${portal} (${status}) ===`,
    `Subject:    [${status}] DocSpace backup ${portal}: CODE`,
    'Attributes: state=firing',
    `SMS:        ${status} DocSpace ${portal}: CODE`,
    '--- e-mail ---',
    `The whole e-mail about ${portal}`,
    '=== end of alert ===',
    '',
  ].join('\n');

describe('shortenAlerts', () => {
  it('keeps the table and the first critical alert whole, and only the header, subject and SMS of the others', () => {
    // Prepare
    const output = `TABLE\n\nAlerts that would be sent:\n\n${alert('drifted', 'WARNING')}${alert('overdue', 'CRITICAL')}${alert('unpaid', 'UNKNOWN')}`;

    // Act
    const shortened = shortenAlerts(output);

    // Assess
    expect(shortened).toContain('TABLE\n\nAlerts that would be sent:\n\n');
    expect(shortened).toContain(alert('overdue', 'CRITICAL'));
    expect(shortened).not.toContain('The whole e-mail about drifted');
    expect(shortened).not.toContain('The whole e-mail about unpaid');
    expect(shortened).toContain('=== alert: unpaid (UNKNOWN) ===\nSubject:    [UNKNOWN] DocSpace backup unpaid: CODE\nSMS:        UNKNOWN DocSpace unpaid: CODE\n');
    expect(shortened).toMatch(/npm run demo -- --show-alerts\)$/);
  });

  it('keeps the first alert whole when none is critical', () => {
    // Act
    const shortened = shortenAlerts(`T\n${alert('a', 'WARNING')}${alert('b', 'WARNING')}`);

    // Assess
    expect(shortened).toContain(alert('a', 'WARNING'));
    expect(shortened).not.toContain('The whole e-mail about b');
  });

  it('leaves an output without alerts as it is', () => {
    // Act
    const shortened = shortenAlerts('TABLE\n\nNo alerts in this run.\n');

    // Assess
    expect(shortened).toBe('TABLE\n\nNo alerts in this run.\n');
  });
});
