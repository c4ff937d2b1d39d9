/**
 * Sends alerts to an SNS topic: one Publish per portal, with a message per protocol
 * (`MessageStructure: 'json'`) and string attributes subscriptions can filter on.
 */
import { PublishCommand, SNSClient, type SNSClientConfig } from '@aws-sdk/client-sns';
import { AlertPublishError } from '../errors.ts';
import type { Verdict } from '../policy/types.ts';
import type { Alert, Notifier } from './notifier.ts';
import { snsAttributes, snsMessage } from './sns-message.ts';
import { awsErrorCode } from '../aws-error-code.ts';
import { AWS_REQUEST_HANDLER_TIMEOUTS } from '../aws-client-timeouts.ts';

/** How often the SDK tries one Publish (throttling and 5xx are retried with backoff). */
export const DEFAULT_SNS_MAX_ATTEMPTS = 4;

/** Where alerts go. */
interface SnsNotifierBaseOptions {
  /** The topic's ARN. */
  readonly topicArn: string;
}

/** Options for {@link SnsNotifier}: a ready client, or the config to build one; never both. */
export type SnsNotifierOptions = SnsNotifierBaseOptions &
  (
    | {
        /** An SNS client to use as is (tests pass one pointed at a fake). */
        readonly client: SNSClient;
        readonly clientConfig?: never;
      }
    | {
        readonly client?: never;
        /**
         * Config for the SNS client this notifier builds.
         *
         * @default - the SDK's defaults with `maxAttempts` {@link DEFAULT_SNS_MAX_ATTEMPTS} and {@link AWS_REQUEST_HANDLER_TIMEOUTS}
         */
        readonly clientConfig?: SNSClientConfig;
      }
  );


/**
 * Publishes each alert to one SNS topic.
 *
 * @example
 * const notifier = new SnsNotifier({ topicArn: process.env.ALERT_TOPIC_ARN });
 * await notifier.send(renderAlert(verdict), verdict);
 */
export class SnsNotifier implements Notifier {
  /** The topic alerts go to. */
  public readonly topicArn: string;
  readonly #client: SNSClient;

  public constructor(options: SnsNotifierOptions) {
    if (options.client !== undefined && options.clientConfig !== undefined)
      throw new Error('SnsNotifier got both client and clientConfig: pass one of them');
    if (!/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/.test(options.topicArn))
      throw new Error(`SnsNotifier topicArn must be an SNS topic ARN, got ${JSON.stringify(options.topicArn)}`);
    this.topicArn = options.topicArn;
    this.#client = options.client ?? new SNSClient({ maxAttempts: DEFAULT_SNS_MAX_ATTEMPTS, requestHandler: AWS_REQUEST_HANDLER_TIMEOUTS, ...options.clientConfig });
  }

  /**
   * Publishes one portal's alert: `default` (JSON), `email` and `sms` messages, the subject,
   * and the string attributes `state`, `severity`, `status`, `portal` and `codes` (empty ones
   * are left out: SNS rejects empty attribute values).
   *
   * @throws AlertPublishError naming the portal, the topic and the AWS error code once the SDK's retries are spent
   */
  public async send(alert: Alert, verdict: Verdict, signal?: AbortSignal): Promise<void> {
    try {
      await this.#client.send(
        new PublishCommand({
          TopicArn: this.topicArn,
          MessageStructure: 'json',
          Message: snsMessage(alert),
          Subject: alert.subject,
          MessageAttributes: snsAttributes(alert),
        }),
        signal === undefined ? {} : { abortSignal: signal },
      );
    } catch (error) {
      throw new AlertPublishError(
        `alert for portal ${verdict.portal} could not be published to ${this.topicArn}: ${awsErrorCode(error)}`,
        verdict.portal,
        { cause: error },
      );
    }
  }
}
