/**
 * The monthly compliance e-mail: the previous month's report as Markdown, fleet totals first,
 * the least compliant portals first, cut to fit one SNS message. Pure.
 */
import { AlertState, type Alert } from '../alerts/notifier.ts';
import { MAX_SNS_MESSAGE_BYTES, snsPublishBytes } from '../alerts/sns-message.ts';
import { renderComplianceMarkdown } from './render-markdown.ts';
import type { ComplianceReport, PortalCompliance } from './types.ts';

/** The most bytes the monthly report's Publish may count: the SNS limit less a margin. */
export const MAX_MONTHLY_REPORT_PUBLISH_BYTES = MAX_SNS_MESSAGE_BYTES - 4_096;

/** The calendar month before the one `now` is in (UTC), as the report's first and last day. */
export function previousMonth(now: Date): { readonly from: string; readonly to: string } {
  const firstOfThisMonth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const lastOfPrevious = new Date(firstOfThisMonth - 86_400_000);
  const to = lastOfPrevious.toISOString().slice(0, 10);
  return { from: `${to.slice(0, 8)}01`, to };
}

/** Least compliant first, then by name: the portals an auditor asks about lead. */
function leastCompliantFirst(a: PortalCompliance, b: PortalCompliance): number {
  return a.compliancePercent - b.compliancePercent || b.incidents.length - a.incidents.length || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

function alertOf(report: ComplianceReport, portals: number, fullReportHint: string): Alert {
  const { fleet } = report;
  const shown = { ...report, portals: [...report.portals].sort(leastCompliantFirst) };
  return {
    subject: `DocSpace backup compliance ${report.from.slice(0, 7)}: ${fleet.compliancePercent} % of portal-days, ${fleet.incidents} incidents`,
    email: renderComplianceMarkdown(shown, { portals, fullReportHint }),
    sms: `DocSpace backups ${report.from.slice(0, 7)}: ${fleet.compliancePercent}% compliant, ${fleet.incidents} incidents`,
    json: JSON.stringify({ from: report.from, to: report.to, fleet, portals: shown.portals.slice(0, portals).map(({ days: _days, ...figures }) => figures) }),
    attributes: {
      state: AlertState.REPORT,
      severity: fleet.openIncidents > 0 || fleet.daysWithoutRun.length > 0 ? 'critical' : 'warning',
      status: fleet.compliancePercent === 100 ? 'OK' : 'WARNING',
      portal: '*',
      codes: '',
    },
  };
}

/**
 * The monthly report as one e-mail-only message (`state=report`, which the SMS filter never
 * lets through). With many portals, the least compliant are listed and the rest counted.
 *
 * @param fullReportHint - the command that gives the full report, quoted in the cut e-mail
 */
export function renderMonthlyReport(report: ComplianceReport, fullReportHint: string): Alert {
  const all = alertOf(report, report.portals.length, fullReportHint);
  if (snsPublishBytes(all) <= MAX_MONTHLY_REPORT_PUBLISH_BYTES) return all;
  let low = 0;
  let high = report.portals.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (snsPublishBytes(alertOf(report, middle, fullReportHint)) <= MAX_MONTHLY_REPORT_PUBLISH_BYTES) low = middle;
    else high = middle - 1;
  }
  return alertOf(report, low, fullReportHint);
}
