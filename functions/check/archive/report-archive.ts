/**
 * The evidence archive: every check run's full JSON report, kept where auditors can read it
 * (an S3 bucket when deployed, a folder for the CLI). Writers and readers share one interface
 * per direction, so the compliance report reads an S3 bucket and a folder alike.
 */

/** Keeps one run's report. */
export interface ReportArchive {
  /** Where the reports go, for messages (`s3://bucket`, a folder path). */
  readonly location: string;
  /**
   * Stores `body` (the report as JSON text) under `key`.
   *
   * @throws ReportArchiveError when it could not be stored
   */
  write(key: string, body: string): Promise<void>;
}

/** Reads archived reports back, one day at a time. */
export interface ReportSource {
  /** Where the reports are read from, for messages. */
  readonly location: string;
  /** The keys of the reports under a day's prefix, sorted. */
  keysUnder(prefix: string): Promise<string[]>;
  /** The report stored under `key`, as text. */
  read(key: string): Promise<string>;
}

/** A report that could not be archived or read back. Never holds a report's content. */
export class ReportArchiveError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ReportArchiveError';
  }
}
