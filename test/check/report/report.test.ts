import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AlertPublishError } from '../../../functions/check/errors.ts';
import type { Status, Verdict } from '../../../functions/check/policy/types.ts';
import { ExitCode, exitCodeOf, reportToJson, reportToText } from '../../../functions/check/report/report.ts';
import type { CheckRun } from '../../../functions/check/run-check.ts';
import { CHECKED_AT, criticalVerdict, neverRanVerdict, okVerdict, unknownVerdict, warningVerdict } from '../alerts/sample-verdicts.ts';

const failure = new AlertPublishError('alert for portal beta could not be published to arn:aws:sns:eu-central-1:123456789012:alerts: AuthorizationError', 'beta');

const packageVersion = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** One portal per status, each under its own name. */
const verdicts: readonly Verdict[] = [
  { ...okVerdict, portal: 'alpha', url: 'https://alpha.onlyoffice.com/' },
  { ...warningVerdict, portal: 'beta', url: 'https://beta.onlyoffice.com/' },
  { ...criticalVerdict, portal: 'gamma', url: 'https://gamma.onlyoffice.com/' },
  { ...unknownVerdict, portal: 'delta', url: 'https://delta.onlyoffice.com/' },
  { ...neverRanVerdict, portal: 'epsilon', url: 'https://epsilon.onlyoffice.com/' },
];

function runOf(overrides: Partial<CheckRun> = {}): CheckRun {
  return { checkedAt: CHECKED_AT, runKey: '2026-03-02T07:00:00Z', status: 'CRITICAL', verdicts, alertsSent: 4, publishFailures: [], stateFailures: [], notifications: new Map(), expiredSilences: [], ...overrides };
}

describe('exitCodeOf', () => {
  it.each<[Status, boolean, number]>([
    ['OK', false, 0],
    ['WARNING', false, 1],
    ['CRITICAL', false, 2],
    ['UNKNOWN', false, 3],
    ['OK', true, 3],
    ['WARNING', true, 3],
    ['CRITICAL', true, 2],
    ['UNKNOWN', true, 3],
  ])('gives %s with undelivered alerts %s the exit code %i', (status, undelivered, code) => {
    // Act
    const exitCode = exitCodeOf({ status, publishFailures: undelivered ? [failure] : [] });

    // Assess
    expect(exitCode).toBe(code);
  });

  it('spells the monitoring-plugins codes', () => {
    // Assess
    expect(ExitCode).toEqual({ OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 });
  });
});

describe('reportToJson', () => {
  it('gives checkedAt, the overall status and one entry per portal with its findings', () => {
    // Act
    const report = JSON.parse(JSON.stringify(reportToJson(runOf()))) as Record<string, unknown>;

    // Assess
    expect(report).toMatchObject({ checkedAt: '2026-03-02T07:00:00.000Z', status: 'CRITICAL' });
    expect(report).not.toHaveProperty('alertFailures');
    // The archive keeps this document as a run's evidence: it names the run and the monitor that judged it.
    expect(report.runKey).toBe('2026-03-02T07:00:00Z');
    expect(report.monitorVersion).toBe(packageVersion);
    const portals = report.portals as Record<string, unknown>[];
    expect(portals.map((portal) => [portal.name, portal.url, portal.status, portal.timeZone])).toEqual(
      verdicts.map((verdict) => [verdict.portal, verdict.url, verdict.status, verdict.timeZone]),
    );
    for (const [index, portal] of portals.entries()) {
      const findings = portal.findings as Record<string, unknown>[];
      expect(findings).toHaveLength(verdicts[index]!.findings.length);
      for (const finding of findings) {
        expect(finding).toEqual({
          code: expect.any(String),
          severity: expect.stringMatching(/^(critical|warning)$/),
          message: expect.any(String),
          remedy: expect.any(String),
          ...pick(finding, ['cause', 'source', 'expected', 'actual']),
        });
      }
    }
  });

  it('says per portal which notice the run decided on and whether it was delivered', () => {
    // Prepare
    const notifications = new Map([
      ['gamma', { notice: 'firing' as const, delivered: true, silenced: [], duplicate: false }],
      ['beta', { notice: 'firing' as const, delivered: false, silenced: [], duplicate: false }],
      ['delta', { delivered: false, silenced: [], duplicate: true }],
    ]);

    // Act
    const report = reportToJson(runOf({ notifications })) as { portals: { name: string; notification: unknown; alertSent: unknown }[] };

    // Assess
    expect(report.portals.map((portal) => [portal.name, portal.notification, portal.alertSent])).toEqual([
      ['alpha', null, false],
      ['beta', 'firing', false],
      ['gamma', 'firing', true],
      ['delta', 'duplicate', false],
      ['epsilon', null, false],
    ]);
  });

  it('carries each finding\'s code, severity, message, remedy, cause, expected and actual', () => {
    // Act
    const report = JSON.parse(JSON.stringify(reportToJson(runOf()))) as { portals: { findings: Record<string, unknown>[] }[] };

    // Assess
    const gamma = report.portals[2]!.findings;
    expect(gamma).toContainEqual({
      code: 'ARCHIVE_MISSING',
      severity: 'critical',
      message: 'The backup history has no archive newer than the slot at 2026-03-02 00:00 UTC.',
      remedy: 'Check the backup storage and the last backup error in DocSpace > Settings > Backup.',
      expected: { createdAfter: '2026-03-02T00:00:00.000Z' },
      actual: { newestArchive: null },
    });
    expect(report.portals[3]!.findings[0]).toMatchObject({ code: 'CHECK_FAILED', cause: 'AUTH_REJECTED' });
  });

  it('lists alerts that could not be delivered', () => {
    // Act
    const report = reportToJson(runOf({ publishFailures: [failure] }));

    // Assess
    expect(report).toMatchObject({ alertFailures: [{ portal: 'beta', message: failure.message }] });
  });
});

describe('reportToText', () => {
  it('lists every portal with its status, and every finding with its remedy', () => {
    // Act
    const text = reportToText(runOf());

    // Assess
    for (const verdict of verdicts) {
      expect(text).toMatch(new RegExp(`^${verdict.portal}\\s+${verdict.status}\\b`, 'm'));
      for (const finding of verdict.findings) {
        expect(text).toContain(finding.code);
        expect(text).toContain(`what to do: ${finding.remedy}`);
      }
    }
  });

  it('sums up the run: overall status, how many portals of each status, and how many alerts went out', () => {
    // Act
    const text = reportToText(runOf());

    // Assess
    expect(text).toContain('CRITICAL: 5 portals checked at 2026-03-02 07:00 UTC (1 OK, 1 WARNING, 2 CRITICAL, 1 UNKNOWN)');
    expect(text).toContain('4 alerts published');
  });

  it('says the alerts were only shown when they were not delivered anywhere', () => {
    // Act
    const text = reportToText(runOf(), false);

    // Assess
    expect(text).toContain('4 alerts shown, not sent');
    expect(text).not.toContain('alerts published');
  });

  it('names each alert that could not be delivered', () => {
    // Act
    const text = reportToText(runOf({ publishFailures: [failure] }));

    // Assess
    expect(text).toContain(`ALERT NOT DELIVERED: ${failure.message}`);
  });

  it('shows the time zone note of a portal judged at a fixed offset', () => {
    // Act
    const text = reportToText(runOf());

    // Assess
    expect(text).toContain(`note: ${neverRanVerdict.timeZoneNote}`);
  });
});

function pick(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => key in source).map((key) => [key, source[key]]));
}
