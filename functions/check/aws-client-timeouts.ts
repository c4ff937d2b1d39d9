/**
 * Timeouts for the AWS SDK clients (SSM, SNS, DynamoDB). The SDK sets none by default, so a
 * hanging call would hold a run until Lambda's own timeout; with these, each attempt of a stuck
 * call fails within 10 s, so a call costs at most about 40 s with the SDK's 4 attempts (state
 * writes are bounded tighter, and sends are aborted at the run's publish stop).
 */
export const AWS_REQUEST_HANDLER_TIMEOUTS = {
  /** Time to open the TCP/TLS connection. */
  connectionTimeout: 3_000,
  /** Time a request may wait for a response once sent. */
  requestTimeout: 10_000,
  /** Without it, the SDK's HTTP handler only logs a warning when `requestTimeout` passes. */
  throwOnRequestTimeout: true,
} as const;
