import { describe, expect, it } from 'vitest';
import { renderEmail } from '../../../functions/check/alerts/render-email.ts';
import { criticalVerdict, neverRanVerdict, okVerdict, unknownVerdict, verdictsByStatus, warningVerdict } from './sample-verdicts.ts';

describe('renderEmail', () => {
  it.each(verdictsByStatus)('renders a %s verdict with every finding code, message and remedy', (status, verdict) => {
    // Act
    const email = renderEmail(verdict);

    // Assess
    expect(email).toContain(`DocSpace portal acme-prod: `);
    expect(email).toContain(`Status:      ${status}`);
    for (const finding of verdict.findings) {
      expect(email).toContain(finding.code);
      expect(email).toContain(finding.message);
      expect(email).toContain(`What to do: ${finding.remedy}`);
    }
  });

  it('states the portal, URL, time zone and the check time in UTC in the headline', () => {
    // Act
    const email = renderEmail(criticalVerdict);

    // Assess
    const head = email.split('Findings')[0];
    expect(head).toContain('DocSpace portal acme-prod: backups are NOT proven to be running (CRITICAL)');
    expect(head).toContain('URL:         https://acme.onlyoffice.com/');
    expect(head).toContain('Time zone:   Europe/Berlin');
    expect(head).toContain('Checked at:  2026-03-02 07:00:00 UTC');
    expect(head).toContain('Last backup: 2026-03-01 01:07:41 UTC = 2026-03-01 02:07 Europe/Berlin (when the scheduler started it)');
  });

  it('lists findings most severe first, with expected and actual values', () => {
    // Act
    const email = renderEmail(criticalVerdict);

    // Assess
    const overdueAt = email.indexOf('1. CRITICAL  BACKUP_OVERDUE');
    const archiveAt = email.indexOf('2. CRITICAL  ARCHIVE_MISSING');
    const retentionAt = email.indexOf('3. WARNING  RETENTION_TOO_LOW');
    expect(overdueAt).toBeGreaterThan(0);
    expect(archiveAt).toBeGreaterThan(overdueAt);
    expect(retentionAt).toBeGreaterThan(archiveAt);
    expect(email).toContain('   Expected: 2026-03-02T00:00:00.000Z\n   Actual:   2026-03-01T01:07:41.000Z');
    expect(email).toContain('   Expected: 7\n   Actual:   2');
    expect(email).toContain('   Expected: createdAfter=2026-03-02T00:00:00.000Z\n   Actual:   newestArchive=none');
  });

  it('names the cause and the failed request of a check failure', () => {
    // Act
    const email = renderEmail(unknownVerdict);

    // Assess
    expect(email).toContain('1. CRITICAL  CHECK_FAILED (AUTH_REJECTED)');
    expect(email).toContain('Failed request: schedule');
    expect(email).toContain('Last backup: (not read)');
  });

  it('shows the time zone note and a backup that never ran', () => {
    // Act
    const email = renderEmail(neverRanVerdict);

    // Assess
    expect(email).toContain('Time zone:   UTC+01:00 (the portal reports the Windows zone');
    expect(email).toContain('Last backup: none since the schedule was saved');
  });

  it('ends with a footer saying what sent it and what proves a backup', () => {
    // Act
    const email = renderEmail(warningVerdict);

    // Assess
    const footer = email.slice(email.indexOf('\n-- \n'));
    expect(footer).toContain('Sent by docspace-backup-monitor');
    expect(footer).toContain("A backup is only proven by an archive in the portal's backup history");
  });

  it('says every check passed when there are no findings', () => {
    // Act
    const email = renderEmail(okVerdict);

    // Assess
    expect(email).toContain('Every check passed.');
    expect(email).toContain('Status:      OK (no findings)');
  });

  it('strips control characters, stack traces and keys from portal strings', () => {
    // Prepare
    const verdict = {
      ...warningVerdict,
      timeZone: 'Europe/Berlin\u001b[31m',
      findings: [
        {
          ...warningVerdict.findings[0]!,
          actual: 'quota exceeded\r\n   at ASC.Data.Backup.BackupWorker.Run(Task t) sk-abcdefghijklmnop',
        },
      ],
    };

    // Act
    const email = renderEmail(verdict);

    // Assess
    expect(email).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(email).toContain('Actual:   quota exceeded\n');
    expect(email).not.toContain('ASC.Data');
    expect(email).not.toContain('sk-abcdefghijklmnop');
  });
});
