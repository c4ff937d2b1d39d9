/**
 * The AWS SDK's standard retry strategy (the same attempts, the same rules for what is retried
 * and the same retry quota) with a fixed backoff of a few milliseconds instead of the SDK's
 * exponential one (up to seconds for throttling). A test that is about what is retried, not how
 * long the SDK waits in between, passes it as `clientConfig.retryStrategy`: every attempt still
 * goes over the wire to the fake.
 */
import { ConfiguredRetryStrategy } from '@smithy/core/retry';

/** The wait between two attempts. */
export const FAST_RETRY_DELAY_MS = 5;

/**
 * A new strategy (each has its own retry quota) for `maxAttempts` attempts in all.
 *
 * @example
 * new SnsNotifier({ topicArn, clientConfig: { retryStrategy: fastRetries(DEFAULT_SNS_MAX_ATTEMPTS) } });
 */
export function fastRetries(maxAttempts: number): ConfiguredRetryStrategy {
  return new ConfiguredRetryStrategy(maxAttempts, FAST_RETRY_DELAY_MS);
}
