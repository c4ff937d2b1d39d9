/**
 * The last pass: the run's {@link Redactor} applied where text leaves the engine. A notifier and
 * a logger that redact what they are given before passing it on, and the redaction of a rendered
 * alert that keeps each channel within its limits (a subject under 100 characters, one SMS).
 */
import type { Alert, AlertAttributes, Notifier } from '../alerts/notifier.ts';
import { MAX_SMS_UNITS } from '../alerts/render-sms.ts';
import { MAX_SUBJECT_LENGTH } from '../alerts/render-subject.ts';
import type { CheckLogger } from '../logger.ts';
import type { Redactor } from './redactor.ts';

/** GSM-7 characters that cost two units in an SMS (the extension table). */
const GSM_EXTENSION = new Set(Array.from('^{}\\[~]|€'));

function smsUnits(text: string): number {
  let units = 0;
  for (const char of text) units += GSM_EXTENSION.has(char) ? 2 : 1;
  return units;
}

/** Cuts a text (redacted, so longer than it was) back to a limit, ending in `...` when cut. */
function within(text: string, limit: number, units: (text: string) => number = (value) => value.length): string {
  if (units(text) <= limit) return text;
  let cut = Array.from(text);
  while (cut.length > 0 && units(`${cut.join('')}...`) > limit) cut = cut.slice(0, -1);
  return `${cut.join('').trimEnd()}...`;
}

/** The JSON text with its strings redacted; still valid JSON (it is parsed and written again when it changes). */
function redactJsonText(json: string, redactor: Redactor): string {
  if (redactor.redact(json) === json) return json;
  try {
    return JSON.stringify(redactor.redactDeep(JSON.parse(json) as unknown));
  } catch {
    return redactor.redact(json);
  }
}

/**
 * A rendered alert with every secret redacted in every channel: subject, e-mail, SMS, the JSON
 * `default` message and the attributes. The subject and the SMS stay within their limits.
 *
 * @param alert - the rendered alert
 * @param redactor - the run's redactor
 */
export function redactAlert(alert: Alert, redactor: Redactor): Alert {
  if (redactor.size === 0) return alert;
  const attributes = Object.fromEntries(Object.entries(alert.attributes).map(([name, value]) => [name, redactor.redact(value)])) as unknown as AlertAttributes;
  return {
    subject: within(redactor.redact(alert.subject), MAX_SUBJECT_LENGTH),
    email: redactor.redact(alert.email),
    sms: within(redactor.redact(alert.sms), MAX_SMS_UNITS, smsUnits),
    json: redactJsonText(alert.json, redactor),
    attributes,
  };
}

/**
 * A notifier that redacts each alert before the given one sends it.
 *
 * @param notifier - where alerts go
 * @param redactor - the run's redactor
 */
export function redactingNotifier(notifier: Notifier, redactor: Redactor): Notifier {
  return { send: (alert, verdict, signal) => notifier.send(redactAlert(alert, redactor), verdict, signal) };
}

/**
 * A logger that redacts each message and every string of its attributes before the given one
 * writes them.
 *
 * @param logger - where log lines go
 * @param redactor - the run's redactor
 */
export function redactingLogger(logger: CheckLogger, redactor: Redactor): CheckLogger {
  const redacted =
    (write: (message: string, attributes?: Record<string, unknown>) => void) =>
    (message: string, attributes?: Record<string, unknown>): void =>
      write(redactor.redact(message), attributes === undefined ? undefined : redactor.redactDeep(attributes));
  return {
    debug: redacted((message, attributes) => logger.debug(message, attributes)),
    info: redacted((message, attributes) => logger.info(message, attributes)),
    warn: redacted((message, attributes) => logger.warn(message, attributes)),
    error: redacted((message, attributes) => logger.error(message, attributes)),
  };
}
