/**
 * The error a change to silences or acknowledgements is refused with: an unknown silence id,
 * nothing to acknowledge, a change that kept meeting concurrent ones. The message is for the
 * person at the command line: it says what and what to do. A store that cannot be read or written
 * raises a `StateStoreError` instead.
 */

/**
 * A silence or acknowledgement change that was refused.
 *
 * @example
 * throw new SilenceError('no silence s-1a2b3c4d in state file .state/monitor.json; "silence list" shows the ids');
 */
export class SilenceError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SilenceError';
  }
}
