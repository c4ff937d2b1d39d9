/**
 * Archived run reports for the compliance tests: the `check --json` document with only what a
 * scenario needs, written the way `check --archive` writes them.
 */
import { archiveKeyOf } from '../../functions/check/archive/archive-key.ts';
import type { ReportArchive } from '../../functions/check/archive/report-archive.ts';

/** One finding of a scenario: `CODE`, `CODE!` critical, `CODE~UNTIL` silenced until. */
export interface ScenarioFinding {
  readonly code: string;
  readonly severity: 'critical' | 'warning';
  readonly cause?: string;
  readonly silencedUntil?: string;
}

/** One portal in one scenario run. */
export interface ScenarioPortal {
  readonly name: string;
  readonly status: 'OK' | 'WARNING' | 'CRITICAL' | 'UNKNOWN';
  readonly lastBackupTime?: string | null;
  readonly findings?: readonly ScenarioFinding[];
}

/** The archived report of one run, as `reportToJson` shapes it. */
export function archivedReport(checkedAt: string, runKey: string, portals: readonly ScenarioPortal[]): string {
  return JSON.stringify({
    checkedAt,
    runKey,
    monitorVersion: '0.0.0-test',
    status: 'OK',
    portals: portals.map((portal) => ({
      name: portal.name,
      url: `https://${portal.name}.example.com/`,
      status: portal.status,
      timeZone: 'UTC',
      checkedAt,
      ...(portal.lastBackupTime === undefined ? {} : { lastBackupTime: portal.lastBackupTime }),
      findings: (portal.findings ?? []).map((finding) => ({
        code: finding.code,
        severity: finding.severity,
        message: `${finding.code} message`,
        remedy: 'remedy',
        ...(finding.cause === undefined ? {} : { cause: finding.cause, source: 'schedule' }),
        ...(finding.silencedUntil === undefined ? {} : { silenced: { until: finding.silencedUntil, reason: 'known' } }),
      })),
      notification: null,
      alertSent: false,
    })),
  });
}

/** Writes one run's report where `check --archive` would. */
export async function archiveScenarioRun(archive: ReportArchive, checkedAt: string, runKey: string, portals: readonly ScenarioPortal[]): Promise<string> {
  const key = archiveKeyOf(new Date(checkedAt), runKey);
  await archive.write(key, archivedReport(checkedAt, runKey, portals));
  return key;
}
