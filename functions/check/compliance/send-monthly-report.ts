/** Reads the previous month's evidence and e-mails its compliance report. */
import type { Alert, Notifier } from '../alerts/notifier.ts';
import { digestVerdict } from '../alerts/render-digest.ts';
import type { ReportSource } from '../archive/report-archive.ts';
import { previousMonth, renderMonthlyReport } from './monthly-report.ts';
import { readCompliance } from './summarize.ts';
import type { ComplianceReport } from './types.ts';

/**
 * Summarizes the month before `now` from `source` and sends it through `notifier`.
 *
 * @returns the alert sent and the report it was made from
 * @throws ReportArchiveError when the archive cannot be read; AlertPublishError when it cannot be sent
 */
export async function sendMonthlyReport(source: ReportSource, notifier: Notifier, now: Date): Promise<{ alert: Alert; report: ComplianceReport }> {
  const period = previousMonth(now);
  const report = await readCompliance(source, { ...period, now });
  const bucket = source.location.replace(/^s3:\/\//, '');
  const alert = renderMonthlyReport(report, `npx docspace-backup-monitor report --from ${period.from} --to ${period.to} --bucket ${bucket} --format html --output report.html`);
  await notifier.send(alert, digestVerdict(now));
  return { alert, report };
}
