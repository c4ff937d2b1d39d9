import { describe, expect, it } from 'vitest';
import { renderJson, verdictToJson } from '../../../functions/check/alerts/render-json.ts';
import { firingNotice, overdueSilenced, reminderNotice, resolvedNotice, retentionSilenced } from './sample-notices.ts';
import { criticalVerdict, neverRanVerdict, okVerdict, unknownVerdict, verdictsByStatus } from './sample-verdicts.ts';

describe('verdictToJson', () => {
  it('uses exactly the contract member names', () => {
    // Act
    const json = verdictToJson(neverRanVerdict);

    // Assess
    expect(Object.keys(json).sort()).toEqual(['checkedAt', 'findings', 'lastBackupTime', 'name', 'status', 'timeZone', 'timeZoneNote', 'url']);
    expect(json).toMatchObject({
      name: 'acme-prod',
      url: 'https://acme.onlyoffice.com/',
      status: 'CRITICAL',
      timeZone: 'UTC+01:00',
      checkedAt: '2026-03-02T07:00:00.000Z',
      lastBackupTime: null,
    });
  });

  it('writes times as ISO 8601 in UTC', () => {
    // Act
    const json = verdictToJson(criticalVerdict);

    // Assess
    expect(json.lastBackupTime).toBe('2026-03-01T01:07:41.000Z');
    expect(json.checkedAt).toBe('2026-03-02T07:00:00.000Z');
  });

  it('leaves lastBackupTime and timeZoneNote out when the verdict has none', () => {
    // Act
    const json = verdictToJson(unknownVerdict);

    // Assess
    expect(json).not.toHaveProperty('lastBackupTime');
    expect(json).not.toHaveProperty('timeZoneNote');
  });

  it('keeps each finding with only the members it has', () => {
    // Act
    const json = verdictToJson(unknownVerdict);

    // Assess
    expect(json.findings).toEqual([
      {
        code: 'CHECK_FAILED',
        severity: 'critical',
        message: unknownVerdict.findings[0]!.message,
        remedy: unknownVerdict.findings[0]!.remedy,
        cause: 'AUTH_REJECTED',
        source: 'schedule',
      },
    ]);
    expect(verdictToJson(criticalVerdict).findings[2]).toEqual({
      code: 'ARCHIVE_MISSING',
      severity: 'critical',
      message: criticalVerdict.findings[2]!.message,
      remedy: criticalVerdict.findings[2]!.remedy,
      expected: { createdAfter: '2026-03-02T00:00:00.000Z' },
      actual: { newestArchive: null },
    });
  });

  it('strips control characters from portal strings in values', () => {
    // Prepare
    const verdict = { ...criticalVerdict, findings: [{ ...criticalVerdict.findings[0]!, actual: { error: 'disk\u0000full\r\n' } }] };

    // Act
    const json = verdictToJson(verdict);

    // Assess
    expect(json.findings[0]!.actual).toEqual({ error: 'disk full' });
  });
});

describe('verdictToJson with silenced findings', () => {
  it('marks each silenced finding with until and reason, and only those', () => {
    // Act
    const json = verdictToJson(criticalVerdict, [retentionSilenced]);

    // Assess
    expect(json.findings.map((finding) => [finding.code, finding.silenced])).toEqual([
      ['RETENTION_TOO_LOW', { until: '2027-01-31T00:00:00Z', reason: 'moving storage to S3' }],
      ['BACKUP_OVERDUE', undefined],
      ['ARCHIVE_MISSING', undefined],
    ]);
    expect(json.findings[1]).not.toHaveProperty('silenced');
  });

  it('marks nothing when the list is left out or undefined', () => {
    // Act & Assess
    expect(verdictToJson(criticalVerdict, undefined)).toEqual(verdictToJson(criticalVerdict));
    expect(JSON.stringify(verdictToJson(criticalVerdict))).not.toContain('silenced');
  });

  it('ignores the index Array.prototype.map passes, so verdicts.map(verdictToJson) still works', () => {
    // Act
    const json = [okVerdict, criticalVerdict].map(verdictToJson);

    // Assess
    expect(json).toEqual([verdictToJson(okVerdict), verdictToJson(criticalVerdict)]);
  });

  it('strips control characters from the reason', () => {
    // Act
    const json = verdictToJson(criticalVerdict, [{ ...retentionSilenced, reason: 'moving\r\nstorage\u0000' }]);

    // Assess
    expect(json.findings[0]!.silenced).toEqual({ until: '2027-01-31T00:00:00Z', reason: 'moving storage' });
  });
});

describe('renderJson with a notice', () => {
  it('adds the state, the flip and the silenced findings to the verdict', () => {
    // Act
    const json = JSON.parse(renderJson(criticalVerdict, { notice: firingNotice, silenced: [retentionSilenced] })) as Record<string, unknown>;

    // Assess
    expect(json).toEqual({
      ...verdictToJson(criticalVerdict, [retentionSilenced]),
      state: 'firing',
      flip: { from: 'WARNING', to: 'CRITICAL', added: ['ARCHIVE_MISSING', 'BACKUP_OVERDUE'], cleared: ['SCHEDULE_MISMATCH'] },
      silenced: [{ code: 'RETENTION_TOO_LOW', until: '2027-01-31T00:00:00Z', reason: 'moving storage to S3' }],
    });
  });

  it.each([
    ['reminder', criticalVerdict, reminderNotice, false],
    ['resolved', okVerdict, resolvedNotice, true],
  ])('gives a %s its state, with a flip only when the notice has one', (state, verdict, notice, hasFlip) => {
    // Act
    const json = JSON.parse(renderJson(verdict, { notice, silenced: [overdueSilenced] })) as Record<string, unknown>;

    // Assess
    expect(json.state).toBe(state);
    expect('flip' in json).toBe(hasFlip);
    expect(json.silenced).toEqual([{ code: 'BACKUP_OVERDUE', until: '2026-03-09T12:00:00+01:00', reason: 'maintenance window' }]);
  });
});

describe('renderJson', () => {
  it.each(verdictsByStatus)('renders a %s verdict without a notice as verdictToJson plus state firing and no silenced findings', (_status, verdict) => {
    // Act
    const text = renderJson(verdict);

    // Assess
    expect(JSON.parse(text)).toEqual({ ...verdictToJson(verdict), state: 'firing', silenced: [] });
    expect(text).not.toContain('\n');
  });
});
