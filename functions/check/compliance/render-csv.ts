/**
 * The compliance report as CSV (RFC 4180), one record kind per row: the fleet first, then each
 * portal, then each incident. Cells a spreadsheet would run as a formula are defused. Pure.
 */
import type { ComplianceReport } from './types.ts';

const COLUMNS = [
  'record',
  'portal',
  'from',
  'to',
  'days',
  'compliant_days',
  'non_compliant_days',
  'not_verified_days',
  'days_without_run',
  'compliance_percent',
  'incidents',
  'open_incidents',
  'longest_gap_hours',
  'longest_gap_from',
  'longest_gap_to',
  'first_failing_run',
  'last_failing_run',
  'codes',
  'severity',
  'ended',
  'fixed_at',
  'incident_hours',
] as const;
type Column = (typeof COLUMNS)[number];

/** One cell: quoted when needed; a leading `= + - @` (a formula in a spreadsheet) is prefixed with `'`. */
export function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The report as CSV text, with a header row. */
export function renderComplianceCsv(report: ComplianceReport): string {
  const rows: Partial<Record<Column, string | number>>[] = [];
  const period = { from: report.from, to: report.to, days: report.days.length };
  const { fleet } = report;
  rows.push({
    record: 'fleet',
    ...period,
    compliant_days: fleet.compliantDays,
    non_compliant_days: fleet.nonCompliantDays,
    not_verified_days: fleet.notVerifiedDays,
    days_without_run: fleet.daysWithoutRun.length,
    compliance_percent: fleet.compliancePercent,
    incidents: fleet.incidents,
    open_incidents: fleet.openIncidents,
  });
  for (const portal of report.portals) {
    const gap = portal.longestWithoutProvenBackup;
    rows.push({
      record: 'portal',
      portal: portal.name,
      ...period,
      compliant_days: portal.compliantDays,
      non_compliant_days: portal.nonCompliantDays,
      not_verified_days: portal.notVerifiedDays,
      days_without_run: portal.daysWithoutRun,
      compliance_percent: portal.compliancePercent,
      incidents: portal.incidents.length,
      open_incidents: portal.incidents.filter((incident) => incident.end !== 'fixed').length,
      longest_gap_hours: gap.hours,
      longest_gap_from: gap.from,
      longest_gap_to: gap.open ? '' : gap.to,
    });
  }
  for (const portal of report.portals)
    for (const incident of portal.incidents)
      rows.push({
        record: 'incident',
        portal: portal.name,
        first_failing_run: incident.firstFailingRun,
        last_failing_run: incident.lastFailingRun,
        codes: incident.codes.join(' '),
        severity: incident.severity,
        ended: incident.end,
        fixed_at: incident.fixedAt,
        incident_hours: incident.hours,
      });
  return `${[COLUMNS.join(','), ...rows.map((row) => COLUMNS.map((column) => csvCell(row[column])).join(','))].join('\r\n')}\r\n`;
}
