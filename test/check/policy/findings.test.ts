import { describe, expect, it } from 'vitest';
import { checkFailedFinding } from '../../../functions/check/policy/findings.ts';

describe('checkFailedFinding', () => {
  it('says HTTP status once when the detail already names it', () => {
    // Act
    const finding = checkFailedFinding({ cause: 'AUTH_REJECTED', source: 'schedule', detail: 'HTTP 401 from getbackupschedule: the API key was rejected', httpStatus: 401 });

    // Assess
    expect(finding.message.match(/HTTP 401/g)).toHaveLength(1);
    expect(finding.actual).toEqual({ cause: 'AUTH_REJECTED', httpStatus: 401 });
  });

  it('adds the HTTP status when the detail does not name it', () => {
    const finding = checkFailedFinding({ cause: 'FORBIDDEN', source: 'schedule', detail: 'the key lacks *:read', httpStatus: 403 });
    expect(finding.message).toContain('the key lacks *:read (HTTP 403)');
  });

  it('keeps a long safe detail whole up to 600 characters', () => {
    // Prepare
    const detail = `HTTP 403 from getbackupschedule: ${'x'.repeat(500)} IP restriction`;

    // Act
    const finding = checkFailedFinding({ cause: 'FORBIDDEN', source: 'schedule', detail, httpStatus: 403 });

    // Assess
    expect(finding.message).toContain('IP restriction');
  });

  it('advises setting timeZone when the portal zone cannot be resolved', () => {
    const finding = checkFailedFinding({ cause: 'BAD_RESPONSE', source: 'settings', detail: 'no usable time zone' });
    expect(finding.remedy).toMatch(/^Set timeZone/);
  });

  it('advises checking the URL for a bad schedule response', () => {
    const finding = checkFailedFinding({ cause: 'BAD_RESPONSE', source: 'schedule', detail: 'not JSON' });
    expect(finding.remedy).toMatch(/^Check that the URL points at a DocSpace portal/);
  });
});
