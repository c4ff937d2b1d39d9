/**
 * The function's clients, built once per container so that a warm function reuses their
 * connections and the API keys the key reader keeps for a while. The SDK clients take their
 * region, credentials and endpoints from the Lambda environment (`AWS_ENDPOINT_URL_SSM`,
 * `AWS_ENDPOINT_URL_SNS`, `AWS_ENDPOINT_URL_CLOUDWATCH` and `AWS_ENDPOINT_URL_DYNAMODB` point
 * them at local fakes in tests).
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { AWS_REQUEST_HANDLER_TIMEOUTS } from '../aws-client-timeouts.ts';
import { DynamoDbPendingMemory, type PendingMemory } from '../delivery/pending-memory.ts';
import type { DeliveryPathClients } from '../delivery/read-delivery-path.ts';
import { heartbeatUrl } from '../heartbeat/heartbeat-url.ts';
import { deployedConfig } from './deployed-config.ts';
import { SnsNotifier } from '../alerts/sns-notifier.ts';
import { createKeyReader } from '../api-keys/composite-key-reader.ts';
import { DocSpaceClient } from '../docspace/client.ts';
import type { StateStore } from '../notify/types.ts';
import { DynamoDbStateStore } from '../state/dynamodb-state-store.ts';
import { S3ReportArchive } from '../archive/s3-report-archive.ts';
import { FunctionEnv } from './function-env.ts';
import { DynamoDbSilenceStore } from '../silences/dynamodb-silence-store.ts';
import type { SilenceReader } from '../silences/types.ts';

const ALERT_TOPIC_ARN_VARIABLE = FunctionEnv.ALERT_TOPIC_ARN;

function alertNotifier(topicArn: string | undefined): SnsNotifier {
  if (topicArn === undefined || topicArn.trim() === '')
    throw new Error(
      `${ALERT_TOPIC_ARN_VARIABLE} is not set: the function needs the ARN of the SNS topic alerts go to; deploy it with the DocSpaceBackupMonitor construct, which sets it`,
    );
  try {
    return new SnsNotifier({ topicArn });
  } catch (error) {
    throw new Error(
      `${ALERT_TOPIC_ARN_VARIABLE} must be an SNS topic ARN such as "arn:aws:sns:eu-central-1:123456789012:docspace-backup-alerts", got ${JSON.stringify(topicArn.slice(0, 300))}`,
      { cause: error },
    );
  }
}

/** Reads the portals' backup API over HTTPS. */
export const docspace = new DocSpaceClient();

/** Reads `{ ssmParameter }` keys with SSM GetParameters (batched, decrypted) and `{ env }` keys from the environment. */
export const keyReader = createKeyReader();

/**
 * Publishes alerts to the topic named by `ALERT_TOPIC_ARN`.
 *
 * @throws Error at init when `ALERT_TOPIC_ARN` is missing or not an SNS topic ARN
 */
export const notifier: SnsNotifier = alertNotifier(process.env[ALERT_TOPIC_ARN_VARIABLE]);

/**
 * Remembers each portal's last verdict in the table named by `STATE_TABLE_NAME`, for notices on
 * changes, reminders, resolved notices and duplicate suppression. Without the variable the
 * function runs stateless (every portal that is not OK is alerted each run).
 */
export const stateStore: StateStore | undefined = process.env[FunctionEnv.STATE_TABLE_NAME]
  ? new DynamoDbStateStore({ tableName: process.env[FunctionEnv.STATE_TABLE_NAME]! })
  : undefined;

/**
 * Keeps every run's report in the bucket named by `REPORT_BUCKET_NAME`, the evidence the
 * compliance report reads. Without the variable no report is archived.
 */
export const reportArchive: S3ReportArchive | undefined = process.env[FunctionEnv.REPORT_BUCKET_NAME]
  ? new S3ReportArchive({ bucket: process.env[FunctionEnv.REPORT_BUCKET_NAME]! })
  : undefined;
/** Tries of one delivery-path or heartbeat-URL read: a failed one only makes that part "not checked". */
const SIDE_READ_MAX_ATTEMPTS = 2;
const sideReadConfig = { maxAttempts: SIDE_READ_MAX_ATTEMPTS, requestHandler: AWS_REQUEST_HANDLER_TIMEOUTS } as const;

/** Reads the alert topic's subscriptions and the account's SMS state (functions/check/delivery/). */
export const deliveryClients: DeliveryPathClients = { sns: new SNSClient(sideReadConfig), cloudWatch: new CloudWatchClient(sideReadConfig) };

/**
 * Remembers since when each subscription has been pending, in the state table; without
 * `STATE_TABLE_NAME` nothing is remembered (and no pending address is alerted on).
 */
export const pendingMemory: PendingMemory | undefined = process.env[FunctionEnv.STATE_TABLE_NAME]
  ? new DynamoDbPendingMemory({ tableName: process.env[FunctionEnv.STATE_TABLE_NAME]!, client: new DynamoDBClient(sideReadConfig) })
  : undefined;

let heartbeatSsm: SSMClient | undefined;

/** The heartbeat's ping URL, or the function that reads it from SSM; `undefined` without `heartbeat` in the config. */
export const heartbeatPingUrl = deployedConfig.heartbeat === undefined ? undefined : heartbeatUrl(deployedConfig.heartbeat, () => (heartbeatSsm ??= new SSMClient(sideReadConfig)));

/**
 * Reads the run-time silences (`docspace-backup-monitor silence add`) from the same table, once per
 * run, so a silence takes effect without a deploy. Without the variable: the config's silences only.
 */
export const silenceStore: SilenceReader | undefined = process.env[FunctionEnv.STATE_TABLE_NAME]
  ? new DynamoDbSilenceStore({ tableName: process.env[FunctionEnv.STATE_TABLE_NAME]! })
  : undefined;
