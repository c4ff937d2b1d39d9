/**
 * Config values the schema accepts (the CLI can use them) but a deployment cannot. Listed in
 * the ConfigError format, `path: what is wrong, got value`, so `cdk synth` reads like the CLI.
 */
import type { Duration } from 'aws-cdk-lib';
import { DEFAULT_CHECK_CRON, DEFAULT_CHECK_TIME_ZONE, formatPath, type MonitorConfig } from '../functions/check/config.ts';
import { maxHoursWithoutRun } from './check-interval.ts';

/** The longest time the "did not run" alarm can watch: CloudWatch evaluates at most 7 days. */
export const MAX_HOURS_WITHOUT_RUN = 7 * 24;

/**
 * Lists why `config` cannot be deployed; empty when it can.
 *
 * @param config - a config that passed the schema
 * @param maxTimeWithoutRun - the construct prop; when set, the schedule's rhythm is not judged
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
  if (maxTimeWithoutRun !== undefined) return problems;
  const cron = config.checkSchedule?.cron ?? DEFAULT_CHECK_CRON;
  const hours = maxHoursWithoutRun(cron, config.checkSchedule?.timeZone ?? DEFAULT_CHECK_TIME_ZONE);
  if (hours === undefined) {
    problems.push(`checkSchedule.cron: must not use L, W or # when deployed (the "did not run" alarm is sized from the days it runs on), got ${JSON.stringify(cron)}`);
  } else if (hours > MAX_HOURS_WITHOUT_RUN) {
    problems.push(
      `checkSchedule.cron: must run at least every 6 days when deployed (the "did not run" alarm can watch at most 7 days), got ${JSON.stringify(cron)}`,
    );
  }
  return problems;
}
