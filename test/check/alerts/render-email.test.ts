import { describe, expect, it } from 'vitest';
import { renderEmail } from '../../../functions/check/alerts/render-email.ts';
import { firingNotice, firstNotice, memory, reminderNotice, resolvedNotice, retentionSilenced } from './sample-notices.ts';
import { criticalVerdict, neverRanVerdict, okVerdict, retention, unknownVerdict, verdictsByStatus, warningVerdict } from './sample-verdicts.ts';

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

describe('renderEmail with a notice', () => {
  it('says what changed since the last alert for a firing notice: status, new and cleared codes, and when the last alert went out', () => {
    // Act
    const email = renderEmail(criticalVerdict, { notice: firingNotice, lastNotifiedAt: memory.lastNotifiedAt });

    // Assess
    expect(email).toContain(
      [
        'What changed since the last alert',
        '---------------------------------',
        'Status:      WARNING -> CRITICAL',
        'New:         ARCHIVE_MISSING, BACKUP_OVERDUE',
        'Cleared:     SCHEDULE_MISMATCH',
        'Last alert:  2026-03-01 07:00:04 UTC',
        '',
        'Findings',
      ].join('\n'),
    );
  });

  it('leaves out the new and cleared lines when the flip has none', () => {
    // Prepare
    const notice = { ...firingNotice, flip: { from: 'WARNING' as const, to: 'CRITICAL' as const, added: [], cleared: [] } };

    // Act
    const email = renderEmail(criticalVerdict, { notice });

    // Assess
    expect(email).toContain('Status:      WARNING -> CRITICAL\n\nFindings');
    expect(email).not.toContain('New:');
    expect(email).not.toContain('Cleared:');
  });

  it('says a first notice is the first alert about the portal', () => {
    // Act
    const email = renderEmail(criticalVerdict, { notice: firstNotice });

    // Assess
    expect(email).toContain('What changed since the last alert\n---------------------------------\nThis is the first alert about this portal');
  });

  it('marks a reminder in the headline and says since when nothing changed', () => {
    // Act
    const email = renderEmail(criticalVerdict, { notice: reminderNotice, ...memory });

    // Assess
    expect(email.split('\n')[0]).toBe('Reminder: DocSpace portal acme-prod: backups are NOT proven to be running (CRITICAL)');
    expect(email).toContain('Still unchanged since 2026-02-27 07:00:00 UTC: the problem below is not fixed yet.\nLast alert:  2026-03-01 07:00:04 UTC\n');
    expect(email).toContain('1. CRITICAL  BACKUP_OVERDUE');
    expect(email).not.toContain('What changed');
  });

  it('says a reminder is unchanged since the last alert when it does not know since when', () => {
    // Act
    const email = renderEmail(criticalVerdict, { notice: reminderNotice });

    // Assess
    expect(email).toContain('Still unchanged since the last alert: the problem below is not fixed yet.');
  });

  it('says what was resolved, since when it lasted and when it was seen back to OK', () => {
    // Act
    const email = renderEmail(okVerdict, { notice: resolvedNotice, since: memory.since });

    // Assess
    expect(email.split('\n')[0]).toBe('DocSpace portal acme-prod: RESOLVED, back to OK (was CRITICAL)');
    expect(email).toContain(
      [
        'Resolved',
        '--------',
        'Was:         CRITICAL (in that state since 2026-02-27 07:00:00 UTC)',
        'Cleared:     BACKUP_OVERDUE',
        'Back to OK:  2026-03-02 07:00:00 UTC (this check)',
        '',
        'Every check passed.',
      ].join('\n'),
    );
    expect(email).toContain('Status:      OK (no findings)');
  });

  it('lists silenced findings with until when and why, apart from the findings alerted', () => {
    // Act
    const email = renderEmail(criticalVerdict, { notice: firingNotice, silenced: [retentionSilenced] });

    // Assess
    const [alerted, silencedPart] = email.split('Silenced (not alerted');
    expect(alerted).toContain('Status:      CRITICAL (2 findings: 2 critical; 1 silenced)');
    expect(alerted).toContain('1. CRITICAL  BACKUP_OVERDUE');
    expect(alerted).toContain('2. CRITICAL  ARCHIVE_MISSING');
    expect(alerted).not.toContain('RETENTION_TOO_LOW');
    expect(silencedPart).toContain('- RETENTION_TOO_LOW silenced until 2027-01-31 00:00:00 UTC: moving storage to S3\n');
    expect(silencedPart).toContain(`  WARNING: ${retention.message}\n`);
    expect(silencedPart!.indexOf('Silenced')).toBeLessThan(silencedPart!.indexOf('\n-- \n'));
  });

  it('gives the status of what is alerted, and no "every check passed", when only silenced findings are left', () => {
    // Act
    const email = renderEmail(warningVerdict, { silenced: [retentionSilenced] });

    // Assess
    expect(email.split('\n')[0]).toBe('DocSpace portal acme-prod: backups look fine (OK)');
    expect(email).toContain('Status:      OK (no findings alerted; 1 silenced)');
    expect(email).not.toContain('Every check passed.');
    expect(email).toContain('- RETENTION_TOO_LOW silenced until');
  });

  it('strips control characters from silence reasons and remembered times', () => {
    // Prepare
    const silenced = [{ ...retentionSilenced, until: 'soon\u001b[31m', reason: 'moving\r\nBcc: x\u0000' }];

    // Act
    const email = renderEmail(warningVerdict, { notice: reminderNotice, silenced, since: 'yesterday\u0007' });

    // Assess
    expect(email).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(email).toContain('- RETENTION_TOO_LOW silenced until soon [31m: moving Bcc: x\n');
    expect(email).toContain('Still unchanged since yesterday:');
  });
});
