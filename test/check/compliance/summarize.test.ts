import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveDayPrefix } from '../../../functions/check/archive/archive-key.ts';
import { FolderReportArchive } from '../../../functions/check/archive/folder-report-archive.ts';
import { ReportArchiveError, type ReportSource } from '../../../functions/check/archive/report-archive.ts';
import { ComplianceSummarizer, readCompliance } from '../../../functions/check/compliance/summarize.ts';
import type { ComplianceReport, PortalCompliance } from '../../../functions/check/compliance/types.ts';
import { archivedReport, archiveScenarioRun, type ScenarioPortal } from '../../support/archived-reports.ts';

const OK = (name: string, day: string): ScenarioPortal => ({ name, status: 'OK', lastBackupTime: `${day}T01:07:00.000Z` });
const overdue = (name: string, day: string, ...extra: ScenarioPortal['findings'] & object): ScenarioPortal => ({
  name,
  status: 'CRITICAL',
  lastBackupTime: `${day}T01:07:00.000Z`,
  findings: [{ code: 'BACKUP_OVERDUE', severity: 'critical' }, ...extra],
});
const keyRejected = (name: string): ScenarioPortal => ({ name, status: 'CRITICAL', findings: [{ code: 'CHECK_FAILED', severity: 'critical', cause: 'AUTH_REJECTED' }] });
const SILENCED_UNTIL = '2026-07-20T00:00:00Z';

/**
 * A week, 2026-07-01 to 07-07, one run a day at 06:00 UTC, none on 07-04. alpha is always fine;
 * beta breaks twice; gamma's key is rejected all week; delta breaks on 07-06 under a silence.
 * 07-02's run is delivered twice and an unreadable file lies beside 07-03's run.
 */
const WEEK: readonly [string, readonly ScenarioPortal[]][] = [
  ['2026-07-01', [OK('alpha', '2026-07-01'), OK('beta', '2026-07-01'), keyRejected('gamma'), OK('delta', '2026-07-01')]],
  ['2026-07-02', [OK('alpha', '2026-07-02'), OK('beta', '2026-07-02'), keyRejected('gamma'), OK('delta', '2026-07-02')]],
  ['2026-07-03', [OK('alpha', '2026-07-03'), overdue('beta', '2026-07-02'), keyRejected('gamma'), OK('delta', '2026-07-03')]],
  ['2026-07-05', [OK('alpha', '2026-07-05'), overdue('beta', '2026-07-02', { code: 'ARCHIVE_MISSING', severity: 'critical' }), keyRejected('gamma'), OK('delta', '2026-07-05')]],
  [
    '2026-07-06',
    [
      OK('alpha', '2026-07-06'),
      OK('beta', '2026-07-06'),
      keyRejected('gamma'),
      { name: 'delta', status: 'OK', findings: [{ code: 'BACKUP_OVERDUE', severity: 'critical', silencedUntil: SILENCED_UNTIL }] },
    ],
  ],
  [
    '2026-07-07',
    [
      OK('alpha', '2026-07-07'),
      { name: 'beta', status: 'WARNING', lastBackupTime: '2026-07-07T01:07:00.000Z', findings: [{ code: 'SCHEDULE_MISMATCH', severity: 'warning' }] },
      keyRejected('gamma'),
      { name: 'delta', status: 'OK', findings: [{ code: 'BACKUP_OVERDUE', severity: 'critical', silencedUntil: SILENCED_UNTIL }] },
    ],
  ],
];

let folder: string;
let report: ComplianceReport;
const portal = (name: string): PortalCompliance => report.portals.find((entry) => entry.name === name)!;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'compliance-'));
  const archive = new FolderReportArchive(folder);
  for (const [day, portals] of WEEK) await archiveScenarioRun(archive, `${day}T06:00:03.000Z`, `${day}T06:00:00Z`, portals);
  // A second delivery of 07-02's run: the same run key, a few seconds later.
  await archiveScenarioRun(archive, '2026-07-02T06:00:09.000Z', '2026-07-02T06:00:00Z', WEEK[1]![1].map((entry) => keyRejected(entry.name)));
  await writeFile(join(folder, archiveDayPrefix('2026-07-03'), '20260703T070000Z_broken.json'), '{"checkedAt": "2026-07-03T07:00:00Z", "portals": [', 'utf8');
  report = await readCompliance(archive, { from: '2026-07-01', to: '2026-07-07', now: new Date('2026-07-10T00:00:00Z') });
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('readCompliance', () => {
  it('gives each portal one status per day: compliant, warning, critical, not verified or no run', () => {
    expect(portal('alpha').days).toEqual(['compliant', 'compliant', 'compliant', 'no-run', 'compliant', 'compliant', 'compliant']);
    expect(portal('beta').days).toEqual(['compliant', 'compliant', 'critical', 'no-run', 'critical', 'compliant', 'warning']);
    expect(portal('gamma').days).toEqual(['not-verified', 'not-verified', 'not-verified', 'no-run', 'not-verified', 'not-verified', 'not-verified']);
    expect(portal('delta').days).toEqual(['compliant', 'compliant', 'compliant', 'no-run', 'compliant', 'critical', 'critical']);
  });

  it('counts the days per portal and the compliance percentage of the whole period', () => {
    const figures = report.portals.map((entry) => [entry.name, entry.compliantDays, entry.nonCompliantDays, entry.notVerifiedDays, entry.daysWithoutRun, entry.compliancePercent]);
    expect(figures).toEqual([
      ['alpha', 6, 0, 1, 1, 85.7],
      ['beta', 3, 3, 1, 1, 42.9],
      ['delta', 4, 2, 1, 1, 57.1],
      ['gamma', 0, 0, 7, 1, 0],
    ]);
  });

  it('totals the fleet first: portal-days, runs read once each, days without a run and unreadable reports', () => {
    expect(report.fleet).toEqual({
      portals: 4,
      compliantDays: 13,
      nonCompliantDays: 5,
      notVerifiedDays: 10,
      compliancePercent: 46.4,
      incidents: 3,
      openIncidents: 2,
      runs: 6,
      daysWithoutRun: ['2026-07-04'],
      unreadableReports: ['reports/year=2026/month=07/day=03/20260703T070000Z_broken.json'],
    });
  });

  it('lists each incident with its first and last failing run, codes and how it ended', () => {
    expect(portal('beta').incidents).toEqual([
      {
        firstFailingRun: '2026-07-03T06:00:03.000Z',
        lastFailingRun: '2026-07-05T06:00:03.000Z',
        codes: ['ARCHIVE_MISSING', 'BACKUP_OVERDUE'],
        severity: 'critical',
        end: 'fixed',
        fixedAt: '2026-07-06T06:00:03.000Z',
        hours: 72,
      },
      { firstFailingRun: '2026-07-07T06:00:03.000Z', lastFailingRun: '2026-07-07T06:00:03.000Z', codes: ['SCHEDULE_MISMATCH'], severity: 'warning', end: 'open', hours: 0 },
    ]);
    expect(portal('delta').incidents).toEqual([
      {
        firstFailingRun: '2026-07-06T06:00:03.000Z',
        lastFailingRun: '2026-07-07T06:00:03.000Z',
        codes: ['BACKUP_OVERDUE'],
        severity: 'critical',
        end: 'silenced',
        silencedUntil: SILENCED_UNTIL,
        hours: 24,
      },
    ]);
    expect(portal('gamma').incidents).toEqual([]);
  });

  it('gives the longest time without a proven backup, measured between backups seen by compliant runs', () => {
    expect(portal('alpha').longestWithoutProvenBackup).toEqual({ from: '2026-07-03T01:07:00.000Z', to: '2026-07-05T01:07:00.000Z', hours: 48, open: false });
    expect(portal('beta').longestWithoutProvenBackup).toEqual({ from: '2026-07-02T01:07:00.000Z', to: '2026-07-06T01:07:00.000Z', hours: 96, open: false });
    // Never proven: from the period's start to its end.
    expect(portal('gamma').longestWithoutProvenBackup).toEqual({ from: '2026-07-01T00:00:00.000Z', to: '2026-07-08T00:00:00.000Z', hours: 168, open: true });
    // Still open at the end of the evidence: the last proven backup was 07-05.
    expect(portal('delta').longestWithoutProvenBackup).toEqual({ from: '2026-07-05T01:07:00.000Z', to: '2026-07-08T00:00:00.000Z', hours: 70.9, open: true });
  });

  it('reports only the portals asked for, and a portal asked for but never archived as not verified every day', async () => {
    // Act
    const only = await readCompliance(new FolderReportArchive(folder), { from: '2026-07-01', to: '2026-07-07', now: new Date('2026-07-10T00:00:00Z'), portals: ['beta', 'omega'] });

    // Assess
    expect(only.portals.map((entry) => [entry.name, entry.notVerifiedDays, entry.daysWithoutRun])).toEqual([
      ['beta', 1, 1],
      ['omega', 7, 7],
    ]);
    expect(only.fleet.portals).toBe(2);
  });

  it('fails with the archive error when a report cannot be fetched, without an unhandled rejection from reads ahead', async () => {
    // Prepare
    const failing: ReportSource = {
      location: 'broken',
      keysUnder: async (prefix) => Array.from({ length: 12 }, (_, index) => `${prefix}${String(index).padStart(2, '0')}.json`),
      read: async (key) => {
        if (key.endsWith('03.json')) throw new ReportArchiveError(`${key} could not be read from broken: AccessDenied`);
        return archivedReport('2026-07-01T06:00:00Z', key, []);
      },
    };

    // Act / Assess
    await expect(readCompliance(failing, { from: '2026-07-01', to: '2026-07-01', now: new Date('2026-07-02T00:00:00Z') })).rejects.toThrow(/03\.json could not be read from broken: AccessDenied/);
  });
});

describe('ComplianceSummarizer', () => {
  it('ends the evidence at now when the period is not over: the open gap stops there', () => {
    // Prepare
    const summarizer = new ComplianceSummarizer({ from: '2026-07-01', to: '2026-07-31', now: new Date('2026-07-02T12:00:00Z') });

    // Act
    summarizer.addText('a', archivedReport('2026-07-01T06:00:00Z', 'r1', [OK('alpha', '2026-07-01')]));
    const result = summarizer.result('test');

    // Assess
    expect(result.portals[0]!.longestWithoutProvenBackup).toEqual({ from: '2026-07-01T01:07:00.000Z', to: '2026-07-02T12:00:00.000Z', hours: 34.9, open: true });
  });

  it('ignores a run outside the period and a backup dated after its own run', () => {
    // Prepare
    const summarizer = new ComplianceSummarizer({ from: '2026-07-01', to: '2026-07-02', now: new Date('2026-07-03T00:00:00Z') });

    // Act
    summarizer.addText('before', archivedReport('2026-06-30T23:59:59Z', 'r0', [OK('alpha', '2026-06-30')]));
    summarizer.addText('future', archivedReport('2026-07-01T06:00:00Z', 'r1', [{ name: 'alpha', status: 'OK', lastBackupTime: '2026-07-09T00:00:00.000Z' }]));
    const result = summarizer.result('test');

    // Assess
    expect(result.fleet.runs).toBe(1);
    expect(result.portals[0]!.longestWithoutProvenBackup).toEqual({ from: '2026-07-01T00:00:00.000Z', to: '2026-07-03T00:00:00.000Z', hours: 48, open: true });
  });

  it('counts a run whose portal could only be partly evaluated and nothing judged was wrong as not verified', () => {
    // Prepare
    const summarizer = new ComplianceSummarizer({ from: '2026-07-01', to: '2026-07-01', now: new Date('2026-07-02T00:00:00Z') });

    // Act
    summarizer.addText(
      'partial',
      archivedReport('2026-07-01T06:00:00Z', 'r1', [{ name: 'alpha', status: 'WARNING', lastBackupTime: '2026-07-01T01:07:00.000Z', findings: [{ code: 'CHECK_FAILED', severity: 'warning', cause: 'TIMEOUT' }] }]),
    );

    // Assess
    expect(summarizer.result('test').portals[0]!.days).toEqual(['not-verified']);
  });

  it.each([
    ['setup drift only (SCHEDULE_MISMATCH)', 'SCHEDULE_MISMATCH', 24],
    ['a freshness finding (NEVER_RAN)', 'NEVER_RAN', 48],
    ['a finding this version does not know', 'SOMETHING_NEW', 48],
  ])('counts a backup seen by a run with %s as proven only when nothing but setup drift was found', (_, code, hours) => {
    // Prepare
    const summarizer = new ComplianceSummarizer({ from: '2026-07-01', to: '2026-07-02', now: new Date('2026-07-03T00:00:00Z') });

    // Act
    summarizer.addText('r1', archivedReport('2026-07-01T06:00:00Z', 'r1', [{ name: 'alpha', status: 'OK', lastBackupTime: '2026-07-01T00:00:00.000Z' }]));
    summarizer.addText('r2', archivedReport('2026-07-02T06:00:00Z', 'r2', [{ name: 'alpha', status: 'WARNING', lastBackupTime: '2026-07-02T00:00:00.000Z', findings: [{ code, severity: 'warning' }] }]));

    // Assess
    expect(summarizer.result('test').portals[0]!.longestWithoutProvenBackup.hours).toBe(hours);
  });

  it.each([
    ['not JSON', '{'],
    ['without portals', '{"checkedAt":"2026-07-01T06:00:00Z"}'],
    ['with a bad instant', '{"checkedAt":"yesterday","portals":[]}'],
    ['with an unknown status', '{"checkedAt":"2026-07-01T06:00:00Z","portals":[{"name":"a","status":"FINE","findings":[]}]}'],
  ])('lists a report %s as unreadable and counts it as no run', (_, text) => {
    // Prepare
    const summarizer = new ComplianceSummarizer({ from: '2026-07-01', to: '2026-07-01', now: new Date('2026-07-02T00:00:00Z') });

    // Act
    summarizer.addText('bad.json', text);
    const result = summarizer.result('test');

    // Assess
    expect(result.fleet.unreadableReports).toEqual(['bad.json']);
    expect(result.fleet.runs).toBe(0);
    expect(result.fleet.daysWithoutRun).toEqual(['2026-07-01']);
  });
});
