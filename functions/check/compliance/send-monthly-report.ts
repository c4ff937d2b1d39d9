/** Reads the previous month's evidence and e-mails its compliance report, once per scheduled run. */
import type { Alert, Notifier } from '../alerts/notifier.ts';
import { digestVerdict } from '../alerts/render-digest.ts';
import type { ReportSource } from '../archive/report-archive.ts';
import type { CheckLogger } from '../logger.ts';
import type { StateStore } from '../notify/types.ts';
import { claimDigest, MONTHLY_REPORT_RECORD } from '../state/digest-claim.ts';
import { previousMonth, renderMonthlyReport } from './monthly-report.ts';
import { readCompliance } from './summarize.ts';
import type { ComplianceReport } from './types.ts';

/** What the monthly report is read from and sent with. */
export interface MonthlyReportDependencies {
  readonly source: ReportSource;
  readonly notifier: Notifier;
  /** Where the run is claimed, so a second delivery of it sends nothing. @default - not claimed */
  readonly state?: StateStore;
  readonly logger: CheckLogger;
}

/**
 * Summarizes the month before `now` from the archive and sends it, unless this run (`runKey`)
 * was sent already; a report that cannot be sent releases its claim, so a retry sends it.
 *
 * @returns the alert (`undefined` for a second delivery of the run) and the report it was made from
 * @throws ReportArchiveError when the archive cannot be read; AlertPublishError when it cannot be sent
 */
export async function sendMonthlyReport(
  deps: MonthlyReportDependencies,
  runKey: string,
  now: Date,
): Promise<{ alert?: Alert; report: ComplianceReport }> {
  const period = previousMonth(now);
  const report = await readCompliance(deps.source, { ...period, now });
  const bucket = deps.source.location.replace(/^s3:\/\//, '');
  const alert = renderMonthlyReport(report, `npx docspace-backup-monitor report --from ${period.from} --to ${period.to} --bucket ${bucket} --format html --output report.html`);
  const claim = await claimDigest(deps.state, runKey, alert.attributes.status === 'OK' ? 'OK' : 'WARNING', now, deps.logger, MONTHLY_REPORT_RECORD);
  if (claim.duplicate) return { report };
  try {
    await deps.notifier.send(alert, digestVerdict(now));
  } catch (error) {
    await claim.release();
    throw error;
  }
  return { alert, report };
}
