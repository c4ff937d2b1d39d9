/**
 * The function's Powertools instances, built once per container: a Logger that writes one JSON
 * line per entry and a Metrics that writes CloudWatch EMF, both to stdout. The environment the
 * stack sets configures them: `POWERTOOLS_SERVICE_NAME` (the `service` key and dimension),
 * `POWERTOOLS_METRICS_NAMESPACE` and the Lambda log level.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { CheckLogger } from '../logger.ts';

/** Structured JSON logs; the handler adds the invocation's context to it. */
export const logger = new Logger();

/** EMF metrics, in the namespace named by `POWERTOOLS_METRICS_NAMESPACE`. */
export const metrics = new Metrics();

/** The engine's logging contract over {@link logger}: attributes become keys of the JSON line. */
export const checkLogger: CheckLogger = {
  debug: (message, attributes) => logger.debug(message, attributes ?? {}),
  info: (message, attributes) => logger.info(message, attributes ?? {}),
  warn: (message, attributes) => logger.warn(message, attributes ?? {}),
  error: (message, attributes) => logger.error(message, attributes ?? {}),
};
