/**
 * The delivery path checks itself: read the topic's subscriptions and the account's SMS state,
 * judge them against the configured recipients, log one line, and e-mail a notice when
 * something is wrong. It never fails the run: a failed read makes the report "not checked" for
 * what it would have fed, and any other failure is caught, logged and reported the same way.
 */
import type { Notifier } from '../alerts/notifier.ts';
import type { MonitorConfig } from '../config.ts';
import { errorName } from '../error-name.ts';
import { silentLogger, type CheckLogger } from '../logger.ts';
import { judgeDeliveryPath } from './judge-delivery-path.ts';
import type { PendingMemory } from './pending-memory.ts';
import { readDeliveryPath, type DeliveryPathClients } from './read-delivery-path.ts';
import { deliveryVerdict, renderDeliveryAlert } from './render-delivery-alert.ts';
import type { DeliveryPathReport } from './types.ts';

/** What the check talks to. */
export interface DeliveryCheckDependencies {
  readonly clients: DeliveryPathClients;
  /** Where the notice goes; without one, nothing is sent. */
  readonly notifier?: Notifier;
  /**
   * Since when each subscription has been pending.
   *
   * @default - nothing remembered: a pending address is listed, never alerted on
   */
  readonly memory?: PendingMemory;
  readonly logger?: CheckLogger;
}

/**
 * Checks the delivery path of `topicArn` for the recipients in `config.alerts`. Never throws.
 *
 * @example
 * const report = await checkDeliveryPath({ clients, notifier, memory, logger }, config, topicArn, new Date());
 * if (!report.checked) logger.warn('delivery path not checked', { notChecked: report.notChecked });
 */
export async function checkDeliveryPath(deps: DeliveryCheckDependencies, config: MonitorConfig, topicArn: string, now: Date): Promise<DeliveryPathReport> {
  const logger = deps.logger ?? silentLogger;
  try {
    const recipients = config.alerts ?? {};
    const evidence = await readDeliveryPath(deps.clients, topicArn, { sms: (recipients.sms ?? []).length > 0, now });
    const remembered = await loadMemory(deps.memory, logger);
    const judgement = judgeDeliveryPath({ evidence, recipients, now, ...(remembered === undefined ? {} : { pendingSince: remembered }) });
    if (remembered !== undefined && evidence.subscriptions.ok && !samePending(remembered, judgement.pendingSince)) {
      await Promise.resolve()
        .then(() => deps.memory!.save(judgement.pendingSince))
        .catch((error: unknown) => logger.warn('delivery path: pending subscriptions not remembered', { error: errorName(error) }));
    }
    let alerted = false;
    if (judgement.findings.length > 0 && deps.notifier !== undefined) {
      try {
        await deps.notifier.send(renderDeliveryAlert(judgement.findings, judgement.subscriptions, now), deliveryVerdict(now));
        alerted = true;
      } catch (error) {
        logger.error('delivery path notice not published', { error: (error as Error).message ?? errorName(error) });
      }
    }
    const report: DeliveryPathReport = {
      checked: judgement.notChecked.length === 0,
      notChecked: judgement.notChecked,
      findings: judgement.findings,
      subscriptions: judgement.subscriptions,
      alerted,
    };
    logReport(logger, report);
    return report;
  } catch (error) {
    const report: DeliveryPathReport = { checked: false, notChecked: [`delivery path check: ${errorName(error)}`], findings: [], subscriptions: [], alerted: false };
    logReport(logger, report);
    return report;
  }
}

async function loadMemory(memory: PendingMemory | undefined, logger: CheckLogger): Promise<Map<string, Date> | undefined> {
  if (memory === undefined) return undefined;
  try {
    return await memory.load();
  } catch (error) {
    // Without the memory no address is old enough to alert on; it is not overwritten either.
    logger.warn('delivery path: pending subscriptions not read', { error: errorName(error) });
    return undefined;
  }
}

function samePending(a: ReadonlyMap<string, Date>, b: ReadonlyMap<string, Date>): boolean {
  return a.size === b.size && [...a].every(([key, at]) => b.get(key)?.getTime() === at.getTime());
}

function logReport(logger: CheckLogger, report: DeliveryPathReport): void {
  const attributes = {
    findings: report.findings.map((finding) => ({ code: finding.code, ...(finding.endpoint === undefined ? {} : { endpoint: finding.endpoint }) })),
    subscriptions: report.subscriptions.map((subscription) => `${subscription.protocol} ${subscription.endpoint}: ${subscription.status}`),
    notChecked: report.notChecked,
    alerted: report.alerted,
  };
  if (!report.checked) logger.warn('delivery path not checked', attributes);
  else if (report.findings.length > 0) logger.warn('delivery path has problems', attributes);
  else logger.info('delivery path checked', attributes);
}
