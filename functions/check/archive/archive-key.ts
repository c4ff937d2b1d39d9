/**
 * Where a run's report lives in the archive: one object (or file) per run, partitioned by the
 * run's UTC date the way Athena and Hive read partitions, so a period is read day by day.
 */

/** The prefix every archived report shares. */
export const ARCHIVE_PREFIX = 'reports/';

/** The prefix of one UTC day's reports: `reports/year=2026/month=12/day=01/`. */
export function archiveDayPrefix(day: string): string {
  const [year, month, date] = day.split('-');
  return `${ARCHIVE_PREFIX}year=${year}/month=${month}/day=${date}/`;
}

/**
 * The key of one run's report. It starts with the run's instant, so the keys of a day sort in
 * the order the runs were made, and ends with the run key, so a second delivery of the same
 * scheduled run lands on the same key instead of counting twice.
 *
 * @example
 * archiveKeyOf(new Date('2026-12-01T06:00:03Z'), '2026-12-01T06:00:00Z')
 * // 'reports/year=2026/month=12/day=01/20261201T060003Z_2026-12-01T06-00-00Z.json'
 */
export function archiveKeyOf(checkedAt: Date, runKey: string): string {
  const iso = checkedAt.toISOString();
  const compact = iso.slice(0, 19).replace(/[-:]/g, '') + 'Z';
  return `${archiveDayPrefix(iso.slice(0, 10))}${compact}_${safeRunKey(runKey)}.json`;
}

/** The run key as a file-name part: only letters, digits, `-`, `.`; at most 80 characters. */
function safeRunKey(runKey: string): string {
  return runKey.replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 80) || 'run';
}

/** The UTC days from `from` to `to` (both `YYYY-MM-DD`, inclusive), in order. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let at = Date.parse(`${from}T00:00:00Z`); at <= end; at += 86_400_000) days.push(new Date(at).toISOString().slice(0, 10));
  return days;
}
