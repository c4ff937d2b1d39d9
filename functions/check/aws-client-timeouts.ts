/**
 * Timeouts for the AWS SDK clients (SSM, SNS, DynamoDB). The SDK sets none by default, so a
 * hanging call would hold a run until Lambda's own timeout; with these, a stuck call fails (and
 * is retried by the SDK) in seconds, well inside the run's publish reserve.
 */
export const AWS_REQUEST_HANDLER_TIMEOUTS = {
  /** Time to open the TCP/TLS connection. */
  connectionTimeout: 3_000,
  /** Time a request may wait for a response once sent. */
  requestTimeout: 10_000,
  /** Without it, the SDK's HTTP handler only logs a warning when `requestTimeout` passes. */
  throwOnRequestTimeout: true,
} as const;
