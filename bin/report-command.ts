/**
 * `docspace-backup-monitor report`: the compliance report of a period, from the evidence archive
 * (the stack's bucket or a `check --archive` folder).
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { FolderReportArchive } from '../functions/check/archive/folder-report-archive.ts';
import { ReportArchiveError, type ReportSource } from '../functions/check/archive/report-archive.ts';
import { S3ReportArchive } from '../functions/check/archive/s3-report-archive.ts';
import { COMPLIANCE_FORMATS, renderCompliance, type ComplianceFormat } from '../functions/check/compliance/render-compliance.ts';
import { readCompliance } from '../functions/check/compliance/summarize.ts';
import { UsageError } from './usage-error.ts';

/** The longest period one report covers: two leap years. */
const MAX_PERIOD_DAYS = 732;

export const REPORT_HELP = `Usage: docspace-backup-monitor report --from DAY --to DAY (--bucket NAME | --archive DIR) [options]

The compliance report of a period, from the archived run reports: per portal the days
verified compliant, not compliant and not verified (no run, or it could not be evaluated),
the compliance percentage, each incident (first and last failing run, codes, how it ended)
and the longest time without a proven backup; fleet totals first. Days are UTC days.

Options:
  --from YYYY-MM-DD   first day of the period
  --to YYYY-MM-DD     last day of the period (inclusive)
  --bucket NAME       read the deployed stack's report bucket (its ReportBucketName output;
                      AWS credentials and region from the usual AWS SDK sources)
  --archive DIR       read a folder written by check --archive DIR
  --portal NAME       only this portal; repeat for several (default: every portal archived)
  --format FORMAT     md (default), csv, json or html (one self-contained page)
  --output FILE       write the report to FILE instead of stdout
  -h, --help          show this help

Exit codes: 0 the report was made, 3 it could not be (usage, archive unreadable).`;

function parseDay(option: string, text: string | undefined): string {
  if (text === undefined) throw new UsageError(`${option} is required, e.g. ${option} 2026-07-01`);
  const date = new Date(`${text}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text)
    throw new UsageError(`${option} must be a day such as 2026-07-01, got ${JSON.stringify(text)}`);
  return text;
}

function parseFormat(text: string | undefined): ComplianceFormat {
  if (text === undefined) return 'md';
  if (!(COMPLIANCE_FORMATS as readonly string[]).includes(text)) throw new UsageError(`--format must be one of ${COMPLIANCE_FORMATS.join(', ')}, got ${JSON.stringify(text)}`);
  return text as ComplianceFormat;
}

function sourceOf(bucket: string | undefined, archive: string | undefined): ReportSource {
  if ((bucket === undefined) === (archive === undefined)) throw new UsageError('give exactly one of --bucket NAME and --archive DIR');
  return bucket !== undefined ? new S3ReportArchive({ bucket }) : new FolderReportArchive(archive!);
}

/**
 * Runs `report` with these arguments.
 *
 * @returns the exit code
 * @throws UsageError for bad arguments; ReportArchiveError when the archive cannot be read
 */
export async function report(args: string[], now: Date): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      bucket: { type: 'string' },
      archive: { type: 'string' },
      portal: { type: 'string', multiple: true },
      format: { type: 'string' },
      output: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    console.log(REPORT_HELP);
    return 0;
  }
  const from = parseDay('--from', values.from);
  const to = parseDay('--to', values.to);
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  if (days < 1) throw new UsageError(`--to (${to}) is before --from (${from})`);
  if (days > MAX_PERIOD_DAYS) throw new UsageError(`the period is ${days} days; one report covers at most ${MAX_PERIOD_DAYS}`);
  const format = parseFormat(values.format);
  let source: ReportSource;
  try {
    source = sourceOf(values.bucket, values.archive);
  } catch (error) {
    if (error instanceof ReportArchiveError) throw new UsageError(`--bucket: ${error.message}`);
    throw error;
  }
  const compliance = await readCompliance(source, { from, to, now, ...(values.portal === undefined ? {} : { portals: values.portal }) });
  const text = renderCompliance(compliance, format);
  if (values.output === undefined) process.stdout.write(text);
  else await writeFile(values.output, text, 'utf8');
  for (const key of compliance.fleet.unreadableReports) console.error(`warning: archived report ${key} could not be read; its run counts as no run`);
  return 0;
}
