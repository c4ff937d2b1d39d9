/**
 * Alarms that watch the monitor itself: a monitor that fails silently is worse than none.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Period of the "did not run" alarm's datapoints: it needs `maxTimeWithoutRun / 1 hour` of them. */
export const MISSED_RUN_PERIOD = Duration.hours(1);

/** Period of the errors and dead-letter-queue alarms. */
export const SELF_ALARM_PERIOD = Duration.minutes(5);

/** What the self-alarms watch, and where they report. */
export interface SelfAlarmsProps {
  /** The check function. */
  readonly function: lambda.IFunction;
  /** Where the function's failed asynchronous runs land (Lambda on-failure destination). */
  readonly deadLetterQueue: sqs.IQueue;
  /** Where EventBridge Scheduler puts runs it could not deliver to the function. */
  readonly scheduleDeadLetterQueue: sqs.IQueue;
  /** The topic the alarms publish to. */
  readonly topic: sns.ITopic;
  /** How long the function may go without an invocation; whole hours, 1 to 168. */
  readonly maxTimeWithoutRun: Duration;
}

/**
 * Four alarms on the monitor's own health, each publishing to the alert topic when it goes into
 * ALARM (the "did not run" alarm also when it returns to OK):
 * - `errorsAlarm`: the function failed (an alert could not be published, a timeout, a crash);
 * - `missedRunAlarm`: the function was not invoked for `maxTimeWithoutRun` (schedule deleted or
 *   disabled, Scheduler cannot invoke it). It counts every invocation: a digest run (or a manual
 *   one) in the window holds it back, so it fires at most one window later, and a monitor whose
 *   check stopped for good goes back to OK for one window after each digest;
 * - `deadLetterQueueAlarm`: a run failed after all Lambda retries;
 * - `scheduleDeadLetterQueueAlarm`: the Scheduler gave up delivering a run.
 */
export class SelfAlarms extends Construct {
  /** `Errors >= 1` in 5 minutes; missing data is not breaching (no run, no error). */
  public readonly errorsAlarm: cloudwatch.Alarm;
  /** `Invocations < 1` in every hour of `maxTimeWithoutRun` (any invocation counts); missing data is breaching. */
  public readonly missedRunAlarm: cloudwatch.Alarm;
  /** Visible messages `>= 1` in the function's dead-letter queue. */
  public readonly deadLetterQueueAlarm: cloudwatch.Alarm;
  /** Visible messages `>= 1` in the Scheduler's dead-letter queue. */
  public readonly scheduleDeadLetterQueueAlarm: cloudwatch.Alarm;

  public constructor(scope: Construct, id: string, props: SelfAlarmsProps) {
    super(scope, id);
    const hours = props.maxTimeWithoutRun.toHours({ integral: false });
    if (!Number.isInteger(hours) || hours < 1 || hours > 168) {
      throw new Error(`maxTimeWithoutRun must be a whole number of hours from 1 to 168 (7 days, the CloudWatch alarm limit), got ${hours} hours`);
    }
    const action = new SnsAction(props.topic);

    this.errorsAlarm = new cloudwatch.Alarm(this, 'Errors', {
      alarmDescription:
        'The DocSpace backup monitor failed: an alert could not be published, or the run crashed or timed out. Check its log group.',
      metric: props.function.metricErrors({ period: SELF_ALARM_PERIOD, statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // Lambda publishes no Invocations datapoint in an hour without a run: missing is breaching,
    // and every hour in the window must be empty before the alarm fires.
    this.missedRunAlarm = new cloudwatch.Alarm(this, 'MissedRun', {
      alarmDescription: `The DocSpace backup monitor did not run for ${hours} hours: backups are not being checked. Is its schedule enabled?`,
      metric: props.function.metricInvocations({ period: MISSED_RUN_PERIOD, statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: hours,
      datapointsToAlarm: hours,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });

    this.deadLetterQueueAlarm = queueDepthAlarm(
      this,
      'DeadLetterQueueDepth',
      props.deadLetterQueue,
      'A DocSpace backup monitor run failed after all retries; the failed event is in this queue.',
    );
    this.scheduleDeadLetterQueueAlarm = queueDepthAlarm(
      this,
      'ScheduleDeadLetterQueueDepth',
      props.scheduleDeadLetterQueue,
      'EventBridge Scheduler could not start the DocSpace backup monitor; the undelivered run is in this queue.',
    );

    for (const alarm of [this.errorsAlarm, this.missedRunAlarm, this.deadLetterQueueAlarm, this.scheduleDeadLetterQueueAlarm]) {
      alarm.addAlarmAction(action);
    }
    // "It runs again" is news (the others return to OK by themselves five minutes later). This
    // also closes the one ALARM right after the first deploy, before the first run.
    this.missedRunAlarm.addOkAction(action);
  }
}

function queueDepthAlarm(scope: Construct, id: string, queue: sqs.IQueue, description: string): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, id, {
    alarmDescription: description,
    metric: queue.metricApproximateNumberOfMessagesVisible({ period: SELF_ALARM_PERIOD, statistic: cloudwatch.Stats.MAXIMUM }),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}
