/**
 * Lambda entry: wiring only. The config (inlined at deploy time, never taken from the event),
 * the clients and Powertools are built once per container in `lambda/`; a bad config or a
 * missing `ALERT_TOPIC_ARN` fails the init. Each invocation validates its event, runs the check
 * (or sends a test alert) and maps the result.
 */
// First, so that a bad config is the first thing an init reports.
import { deployedConfig } from './lambda/deployed-config.ts';
import { renderTestAlert } from './alerts/test-alert.ts';
import { parseCheckEvent, runKeyOf } from './check-event.ts';
import { deliveryClients, docspace, heartbeatPingUrl, keyReader, notifier, pendingMemory, reportArchive, silenceStore, stateStore } from './lambda/clients.ts';
import { archiveRun } from './archive/archive-run.ts';
import { sendMonthlyReport } from './compliance/send-monthly-report.ts';
import { digestVerdict, renderDigest } from './alerts/render-digest.ts';
import { claimDigest } from './state/digest-claim.ts';
import { checkLogger, logger, metrics } from './lambda/powertools.ts';
import { runCheck, type CheckRun } from './run-check.ts';
import { publishRunMetrics, publishRunSummaryMetrics } from './run-metrics.ts';
import { redactAlert } from './redaction/redacting-outputs.ts';
import type { Status } from './policy/types.ts';
import { checkDeliveryPath } from './delivery/check-delivery-path.ts';
import type { DeliveryPathReport, SubscriptionStatus } from './delivery/types.ts';
import { Heartbeat } from './heartbeat/heartbeat.ts';
import { heartbeatFailure } from './heartbeat/run-outcome.ts';

/** What one invocation did. */
export interface CheckSummary {
  /** The run's overall status, `TEST` for a test alert, `REPORT` for the monthly report. */
  readonly status: Status | 'TEST' | 'REPORT';
  /** How many portals were checked. */
  readonly portals: number;
  /** How many alerts were published. */
  readonly alertsSent: number;
  /** Each checked portal's status, by name. */
  readonly statuses: Readonly<Record<string, Status>>;
  /** Test alert, with recipients configured: the alert topic's subscriptions and whether each is live. */
  readonly subscriptions?: readonly SubscriptionStatus[];
  /** Test alert, with recipients configured: the delivery-path problems (codes), and the reads that failed. */
  readonly deliveryPath?: { readonly problems: readonly string[]; readonly notChecked: readonly string[] };
}

/** The members of the Lambda context that go into the log lines (the runtime passes more). */
export interface InvocationContext {
  readonly awsRequestId: string;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  /** How long this invocation may still run, in ms. */
  getRemainingTimeInMillis?(): number;
}

/**
 * Checks the deployed portals (or those the event names) and alerts for each one that is not
 * OK, or publishes one test alert for `{"action": "test-alert"}`.
 *
 * @param event - `{}`, `{"scheduledTime": "…"}`, `{"portals": ["name", …]}`, `{"action": "test-alert"}`, `{"action": "digest"}` or `{"action": "monthly-report"}`
 * @param context - the Lambda context, for the log lines
 * @throws CheckEventError for any other event, before anything is read or sent
 * @throws AggregateError of AlertPublishError when alerts could not be published, after every portal was checked and alerted
 * @example
 * // aws lambda invoke --function-name <name> --payload '{"portals": ["acme-prod"]}' out.json
 * const summary = await handler({ portals: ['acme-prod'] });
 */
export async function handler(event: unknown, context?: InvocationContext): Promise<CheckSummary> {
  if (context !== undefined) logger.addContext(context);
  const request = parseCheckEvent(event, deployedConfig);

  const startedAt = Date.now();
  if (request.action === 'test-alert') {
    const now = new Date();
    const checking = checkDelivery(now);
    const { alert, verdict } = renderTestAlert(now);
    try {
      await notifier.send(alert, verdict);
    } finally {
      const report = await checking;
      if (report) publishRunSummaryMetrics(metrics, { durationMs: Date.now() - startedAt, delivery: report });
    }
    const delivery = await checking;
    const live = delivery && { subscriptions: delivery.subscriptions, deliveryPath: { problems: delivery.findings.map((finding) => finding.code), notChecked: delivery.notChecked } };
    logger.info('test alert published', { subject: alert.subject, ...live });
    return { status: 'TEST', portals: 0, alertsSent: delivery?.alerted ? 2 : 1, statuses: {}, ...live };
  }

  // Near the timeout, stop checking and publish what is known rather than be killed silently.
  const remainingTimeMs = context?.getRemainingTimeInMillis ? () => context.getRemainingTimeInMillis!() : undefined;
  if (request.action === 'digest') return sendDigest(runKeyFor(request.scheduledTime, context), remainingTimeMs);
  if (request.action === 'monthly-report') {
    if (reportArchive === undefined) throw new Error('the monthly report needs the report bucket: REPORT_BUCKET_NAME is not set');
    const now = new Date();
    const runKey = runKeyFor(request.scheduledTime, context, now);
    const { alert, report } = await sendMonthlyReport({ source: reportArchive, notifier, state: stateStore, logger: checkLogger }, runKey, now);
    if (alert === undefined) logger.info('monthly report already sent for this run; nothing sent', { runKey });
    else logger.info('monthly report published', { subject: alert.subject, from: report.from, to: report.to, runs: report.fleet.runs });
    return { status: 'REPORT', portals: report.portals.length, alertsSent: alert === undefined ? 0 : 1, statuses: {} };
  }

  const now = new Date();
  const runKey = runKeyFor(request.scheduledTime, context, now);
  const heartbeat = heartbeatPingUrl === undefined ? undefined : new Heartbeat({ url: heartbeatPingUrl, logger: checkLogger });
  await heartbeat?.start();
  const checking = checkDelivery(now);
  let run: CheckRun | undefined;
  const outcome: { error?: unknown } = {};
  try {
    run = await runCheck({ docspace, keys: keyReader, notifier, state: stateStore, silences: silenceStore, logger: checkLogger }, deployedConfig, {
      now,
      portals: request.portals,
      remainingTimeMs,
      runKey,
    });
    publishRunMetrics(metrics, run);
    const summary = summaryOf(run, run.alertsSent);
    logger.info('check finished', { ...summary });
    // The evidence is kept after the alerts went out; a report that cannot be kept fails the run.
    const archiveFailures: Error[] = [];
    if (reportArchive !== undefined)
      await archiveRun(reportArchive, run).then(
        (key) => logger.info('report archived', { key }),
        (error: Error) => void archiveFailures.push(error),
      );
    const failures = [...run.publishFailures, ...run.stateFailures, ...archiveFailures];
    if (failures.length > 0)
      throw new AggregateError(
        failures,
        `${[
          run.publishFailures.length > 0 ? `${run.publishFailures.length} alert(s) could not be published` : '',
          run.stateFailures.length > 0 ? `${run.stateFailures.length} portal state(s) could not be kept` : '',
          archiveFailures.length > 0 ? "the run's report could not be archived" : '',
        ]
          .filter(Boolean)
          .join(' and ')} after every portal was checked: ${failures.map((failure) => failure.message).join('; ')}`,
      );
    return summary;
  } catch (error) {
    outcome.error = error;
    throw error;
  } finally {
    // The delivery path, the heartbeat and the run's own metrics never fail the run.
    const delivery = await checking;
    const failure = heartbeatFailure({ run, delivery, ...outcome });
    await (failure === undefined ? heartbeat?.success() : heartbeat?.fail(failure));
    publishRunSummaryMetrics(metrics, { durationMs: Date.now() - startedAt, run, delivery, heartbeatPingsFailed: heartbeat?.failedPings });
  }
}

/**
 * The run's name, for duplicate suppression: the Scheduler's scheduled time when it is plausible,
 * else the invocation's request id (Lambda keeps it across its retries), else `now`. A scheduled
 * time that is not believed is logged.
 */
function runKeyFor(scheduledTime: string | undefined, context: InvocationContext | undefined, now: Date = new Date()): string {
  const { runKey, refused } = runKeyOf(scheduledTime, context?.awsRequestId, now);
  if (refused) logger.warn('scheduledTime ignored: not a time this run can have been scheduled for', { scheduledTime });
  return runKey ?? now.toISOString();
}

/**
 * Checks the alert topic's delivery path when the config names recipients (`alerts.email`,
 * `alerts.sms`); never rejects.
 */
function checkDelivery(now: Date): Promise<DeliveryPathReport | undefined> {
  const alerts = deployedConfig.alerts;
  if ((alerts?.email ?? []).length === 0 && (alerts?.sms ?? []).length === 0) return Promise.resolve(undefined);
  return checkDeliveryPath({ clients: deliveryClients, notifier, memory: pendingMemory, logger: checkLogger }, deployedConfig, notifier.topicArn, now);
}

/**
 * Checks every portal without alerting, and e-mails one digest of them all. The run is named like
 * a check run (the Scheduler's scheduled time, else the request id) and claimed in the state, so a
 * second delivery of it sends nothing; a digest that cannot be published releases its claim.
 */
async function sendDigest(runKey: string, remainingTimeMs: (() => number) | undefined): Promise<CheckSummary> {
  const now = new Date();
  // It reads the state and the run-time silences (without a notifier nothing is written), so it
  // can say which silence or acknowledgement holds back what.
  const run = await runCheck({ docspace, keys: keyReader, state: stateStore, silences: silenceStore, logger: checkLogger }, deployedConfig, { now, remainingTimeMs });
  const alert = renderDigest(run.verdicts, {
    checkedAt: run.checkedAt,
    silencedByPortal: new Map([...run.notifications].map(([portal, notification]) => [portal, notification.silenced])),
    acknowledgedByPortal: new Map([...run.notifications].flatMap(([portal, notification]) => (notification.acknowledged ? [[portal, notification.acknowledged] as const] : []))),
    expiredSilences: run.expiredSilences,
  });
  const claim = await claimDigest(stateStore, runKey, run.status, now, checkLogger);
  if (claim.duplicate) {
    logger.info('digest already sent for this run; nothing sent', { runKey });
    return summaryOf(run, 0);
  }
  try {
    // The last pass over the digest: it quotes every portal's findings.
    await notifier.send(run.redactor === undefined ? alert : redactAlert(alert, run.redactor), digestVerdict(now));
  } catch (error) {
    await claim.release();
    throw error;
  }
  logger.info('digest published', { subject: alert.subject, portals: run.verdicts.length });
  return summaryOf(run, 1);
}

function summaryOf(run: CheckRun, alertsSent: number): CheckSummary {
  return {
    status: run.status,
    portals: run.verdicts.length,
    alertsSent,
    statuses: Object.fromEntries(run.verdicts.map((verdict) => [verdict.portal, verdict.status])),
  };
}
