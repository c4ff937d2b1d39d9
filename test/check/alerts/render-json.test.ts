import { describe, expect, it } from 'vitest';
import { renderJson, verdictToJson } from '../../../functions/check/alerts/render-json.ts';
import { criticalVerdict, neverRanVerdict, unknownVerdict, verdictsByStatus } from './sample-verdicts.ts';

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

describe('renderJson', () => {
  it.each(verdictsByStatus)('renders a %s verdict as JSON text that parses back to verdictToJson', (_status, verdict) => {
    // Act
    const text = renderJson(verdict);

    // Assess
    expect(JSON.parse(text)).toEqual(verdictToJson(verdict));
    expect(text).not.toContain('\n');
  });
});
