/** A command line the CLI cannot run: told as `error: <message>` with exit code 3, never a stack trace. */
export class UsageError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
