/**
 * Config values the schema accepts (the CLI can use them) but a deployment cannot. Listed in
 * the ConfigError format, `path: what is wrong, got value`, so `cdk synth` reads like the CLI.
 */
import type { Duration } from 'aws-cdk-lib';
import { formatPath } from '../functions/check/config-problems.ts';
import { DEFAULT_CHECK_CRON, DEFAULT_CHECK_TIME_ZONE, type MonitorConfig } from '../functions/check/config.ts';
import { maxHoursWithoutRun, minHoursBetweenRuns } from './check-interval.ts';
import { DEFAULT_DIGEST_TIME_ZONE } from './constants.ts';

/** The longest time the "did not run" alarm can watch: CloudWatch evaluates at most 7 days. */
export const MAX_HOURS_WITHOUT_RUN = 7 * 24;

/**
 * Lists why `config` cannot be deployed; empty when it can.
 *
 * A digest run is an invocation too, so the "did not run" alarm (no invocation for
 * `maxTimeWithoutRun`) counts it. Two digest runs must therefore be more than one alarm window
 * apart: then a missed check is still reported, at most one window later than without a digest.
 * Closer digests could hide a check that never runs again.
 *
 * @param config - a config that passed the schema
 * @param maxTimeWithoutRun - the construct prop; when set, the check schedule's rhythm is not
 * judged, and the digest is judged against it
 * @example
 * const problems = deployProblems(config);
 * if (problems.length > 0) throw new ConfigError(path, problems);
 */
export function deployProblems(config: MonitorConfig, maxTimeWithoutRun?: Duration): string[] {
  const problems = config.portals.flatMap((portal, index) =>
    'env' in portal.apiKey
      ? [
          `${formatPath(['portals', index, 'apiKey'])}: must name an SSM parameter ({"ssmParameter": "/name"}) to be deployed ({"env": ...} works in the CLI only), got ${JSON.stringify(portal.apiKey)}`,
        ]
      : [],
  );
  let windowHours = maxTimeWithoutRun?.toHours({ integral: false });
  if (windowHours === undefined) {
    const cron = config.checkSchedule?.cron ?? DEFAULT_CHECK_CRON;
    windowHours = maxHoursWithoutRun(cron, config.checkSchedule?.timeZone ?? DEFAULT_CHECK_TIME_ZONE);
    if (windowHours === undefined) {
      problems.push(`checkSchedule.cron: must not use L, W or # when deployed (the "did not run" alarm is sized from the days it runs on), got ${JSON.stringify(cron)}`);
    } else if (windowHours > MAX_HOURS_WITHOUT_RUN) {
      problems.push(
        `checkSchedule.cron: must run at least every 6 days when deployed (the "did not run" alarm can watch at most 7 days), got ${JSON.stringify(cron)}`,
      );
    }
  }
  if (config.digest !== undefined && windowHours !== undefined) problems.push(...digestProblems(config.digest, windowHours));
  return problems;
}

function digestProblems(digest: NonNullable<MonitorConfig['digest']>, windowHours: number): string[] {
  const gapHours = minHoursBetweenRuns(digest.cron, digest.timeZone ?? DEFAULT_DIGEST_TIME_ZONE);
  if (gapHours === undefined)
    return [`digest.cron: must not use L, W or # when deployed (its runs must be known to be further apart than the "did not run" alarm's window), got ${JSON.stringify(digest.cron)}`];
  // An invocation in every window would keep the alarm quiet: the hourly datapoints of one
  // window (plus the hour a run may straddle) must fit between two digest runs.
  if (gapHours >= windowHours + 1) return [];
  return [
    `digest.cron: must run at least ${windowHours + 1} hours apart when deployed (a digest counts as a run for the "did not run" alarm, which waits ${windowHours} hours; closer digests could hide a check that stopped), got ${JSON.stringify(digest.cron)}`,
  ];
}
