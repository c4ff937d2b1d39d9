/**
 * Shows alerts instead of sending them: the CLI and the demo use it to print "what would be
 * sent" (subject, attributes, SMS and e-mail text) to a stream.
 */
import type { Writable } from 'node:stream';
import type { Verdict } from '../policy/types.ts';
import type { Alert, Notifier } from './notifier.ts';

/** Formats one alert as readable text (no colours, so it can be piped to a file). */
export function formatAlertForConsole(alert: Alert): string {
  const attributes = Object.entries(alert.attributes)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
  return [
    `=== alert: ${alert.attributes.portal} (${alert.attributes.status}) ===`,
    `Subject:    ${alert.subject}`,
    `Attributes: ${attributes}`,
    `SMS:        ${alert.sms}`,
    '--- e-mail ---',
    alert.email.trimEnd(),
    '=== end of alert ===',
    '',
  ].join('\n');
}

/**
 * Writes each alert to a stream.
 *
 * @example
 * const notifier = new ConsoleNotifier(process.stdout);
 */
export class ConsoleNotifier implements Notifier {
  readonly #stream: Writable;

  /** @param stream - where the alerts are written; process.stderr when left out */
  public constructor(stream: Writable = process.stderr) {
    this.#stream = stream;
  }

  /** Writes the alert; resolves once the stream has taken it. */
  public send(alert: Alert, _verdict: Verdict): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#stream.write(formatAlertForConsole(alert), (error) => (error ? reject(error) : resolve()));
    });
  }
}
