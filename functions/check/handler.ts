/**
 * Lambda entry: wiring only. Clients are built once per container; the config was inlined at
 * deploy time (never taken from the event) and is validated with the same schema as the CLI.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { SnsNotifier } from './alerts/sns-notifier.ts';
import { renderTestAlert } from './alerts/test-alert.ts';
import { createKeyReader } from './api-keys/composite-key-reader.ts';
import { parseConfigText } from './config.ts';
import { DocSpaceClient } from './docspace/client.ts';
import { parseCheckEvent } from './check-event.ts';
import { recordRunMetrics } from './run-metrics.ts';
import { runCheck } from './run-check.ts';
import type { CheckLogger } from './logger.ts';

const logger = new Logger();
/** The engine's logger contract over Powertools' Logger (structured JSON lines). */
const checkLogger: CheckLogger = {
  debug: (message, attributes) => logger.debug(message, attributes ?? {}),
  info: (message, attributes) => logger.info(message, attributes ?? {}),
  warn: (message, attributes) => logger.warn(message, attributes ?? {}),
  error: (message, attributes) => logger.error(message, attributes ?? {}),
};
const metrics = new Metrics();
const config = parseConfigText(process.env.MONITOR_CONFIG_JSON ?? '', 'the deployed config (MONITOR_CONFIG_JSON)');
const topicArn = process.env.ALERT_TOPIC_ARN ?? '';
const docspace = new DocSpaceClient();
const keys = createKeyReader();
const notifier = new SnsNotifier({ topicArn });

/** What one invocation did. */
export interface CheckSummary {
  readonly status: string;
  readonly portals: number;
  readonly alertsSent: number;
  readonly statuses: Readonly<Record<string, string>>;
}

/** Runs the check (or sends a test alert) and throws if any alert could not be published. */
export async function handler(event: unknown, _context?: { getRemainingTimeInMillis(): number }): Promise<CheckSummary> {
  const request = parseCheckEvent(event, config);
  if (request.action === 'test-alert') {
    const { alert, verdict } = renderTestAlert(new Date());
    await notifier.send(alert, verdict);
    logger.info('test alert published');
    return { status: 'TEST', portals: 0, alertsSent: 1, statuses: {} };
  }

  const run = await runCheck({ docspace, keys, notifier, logger: checkLogger }, config, { now: new Date(), portals: request.portals });
  recordRunMetrics(metrics, run);
  metrics.publishStoredMetrics();
  const summary: CheckSummary = {
    status: run.status,
    portals: run.verdicts.length,
    alertsSent: run.alertsSent,
    statuses: Object.fromEntries(run.verdicts.map((verdict) => [verdict.portal, verdict.status])),
  };
  logger.info('check finished', { ...summary });
  if (run.publishFailures.length > 0) {
    throw new Error(
      `${run.publishFailures.length} alert(s) could not be published after every portal was checked: ${run.publishFailures.map((failure) => failure.message).join('; ')}`,
    );
  }
  return summary;
}
