/** Keeps one check run's report in the evidence archive. */
import type { CheckRun } from '../run-check.ts';
import { reportToJson } from '../report/report.ts';
import { archiveKeyOf } from './archive-key.ts';
import type { ReportArchive } from './report-archive.ts';

/**
 * Writes the run's `--json` report to the archive, under its day and run key.
 *
 * @returns the key it was written under
 * @throws ReportArchiveError when it could not be written
 */
export async function archiveRun(archive: ReportArchive, run: CheckRun): Promise<string> {
  const key = archiveKeyOf(run.checkedAt, run.runKey);
  await archive.write(key, `${JSON.stringify(reportToJson(run))}\n`);
  return key;
}
