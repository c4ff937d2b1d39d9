/**
 * The environment variables the deployed function reads. Here, in run-time code, so the function
 * never imports lib/ (the CDK app); lib/constants.ts re-exports it for the construct that sets them.
 */

/** Environment variables the deployed function reads. */
export const FunctionEnv = {
  /** ARN of the topic alerts are published to. */
  ALERT_TOPIC_ARN: 'ALERT_TOPIC_ARN',
  /** Name of the DynamoDB table that keeps each portal's last verdict between runs. */
  STATE_TABLE_NAME: 'STATE_TABLE_NAME',
  /** Name of the S3 bucket every run's report is archived in, as evidence for the compliance report. */
  REPORT_BUCKET_NAME: 'REPORT_BUCKET_NAME',
  /** Powertools: the service name (`SERVICE_NAME` in lib/constants.ts). */
  POWERTOOLS_SERVICE_NAME: 'POWERTOOLS_SERVICE_NAME',
  /** Powertools: the metrics namespace (`METRICS_NAMESPACE` in lib/constants.ts). */
  POWERTOOLS_METRICS_NAMESPACE: 'POWERTOOLS_METRICS_NAMESPACE',
} as const;
