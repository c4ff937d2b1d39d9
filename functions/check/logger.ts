/**
 * The logging contract the engine writes to. Powertools' Logger fits it in Lambda; the CLI
 * passes a quiet stderr logger. Attributes never hold an API key or an Authorization header.
 */
export interface CheckLogger {
  debug(message: string, attributes?: Record<string, unknown>): void;
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
  error(message: string, attributes?: Record<string, unknown>): void;
}

/** A logger that drops everything. */
export const silentLogger: CheckLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
