/**
 * The errors the check raises at its edges. No message or cause ever holds an API key or an
 * Authorization header: callers put parameter names and HTTP statuses in them, never values.
 */
import type { EvidenceFailure } from './policy/types.ts';

/** A config that does not fit the schema; `problems` lists each one as `path: what is wrong`. */
export class ConfigError extends Error {
  public readonly problems: readonly string[];

  public constructor(source: string, problems: readonly string[], options?: ErrorOptions) {
    super(`invalid config ${source}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`, options);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * A request to a portal that did not give usable evidence. `failure` is what the verdict
 * reports (`CHECK_FAILED` with its cause); its `detail` is safe to show.
 */
export class PortalRequestError extends Error {
  public readonly portal: string;
  public readonly failure: EvidenceFailure;
  /** `true` when retrying soon will not help (401, 402, 403, 404, other 4xx, a bad body). */
  public readonly permanent: boolean;

  public constructor(portal: string, failure: EvidenceFailure, permanent: boolean, options?: ErrorOptions) {
    super(`${portal}: ${failure.source}: ${failure.detail}`, options);
    this.name = 'PortalRequestError';
    this.portal = portal;
    this.failure = failure;
    this.permanent = permanent;
  }
}

/** A portal's API key could not be read (SSM or environment). Names the parameter, never the value. */
export class ApiKeyReadError extends Error {
  public readonly portal: string;

  public constructor(message: string, portal: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ApiKeyReadError';
    this.portal = portal;
  }
}

/** An alert that could not be published after retries. */
export class AlertPublishError extends Error {
  public readonly portal: string;

  public constructor(message: string, portal: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AlertPublishError';
    this.portal = portal;
  }
}
