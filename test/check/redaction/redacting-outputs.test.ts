import { describe, expect, it } from 'vitest';
import type { Alert, Notifier } from '../../../functions/check/alerts/notifier.ts';
import { renderAlert } from '../../../functions/check/alerts/render-alert.ts';
import { MAX_SMS_UNITS } from '../../../functions/check/alerts/render-sms.ts';
import { MAX_SUBJECT_LENGTH } from '../../../functions/check/alerts/render-subject.ts';
import type { CheckLogger } from '../../../functions/check/logger.ts';
import { REDACTED, Redactor } from '../../../functions/check/redaction/redactor.ts';
import { redactAlert, redactingLogger, redactingNotifier } from '../../../functions/check/redaction/redacting-outputs.ts';
import { criticalVerdict } from '../alerts/sample-verdicts.ts';

/** Eight characters: the shortest key looked for, which `(redacted)` makes longer. */
const SHORT_KEY = 'k3y+Zz/9';
const KEY = 'tok+0123456789/abcdef=';

describe('redactAlert', () => {
  it('redacts the key, in any form, from the subject, the e-mail, the SMS, the JSON and the attributes', () => {
    // Prepare
    const alert: Alert = {
      subject: `[CRITICAL] ${KEY}`,
      email: `Error: ${encodeURIComponent(KEY)}\nBase64: ${Buffer.from(KEY).toString('base64')}`,
      sms: `CRITICAL ${KEY}`,
      json: JSON.stringify({ message: `a ${KEY} b` }).replace('+', '\\u002B'),
      attributes: { state: 'firing', severity: 'critical', status: 'CRITICAL', portal: `p-${KEY}`, codes: 'BACKUP_OVERDUE' },
    };

    // Act
    const redacted = redactAlert(alert, new Redactor([KEY]));

    // Assess
    expect(redacted.subject).toBe(`[CRITICAL] ${REDACTED}`);
    // Of base64, the characters the key alone decides: the last one or two also hold padding bits.
    expect(redacted.email).toMatch(/^Error: \(redacted\)\nBase64: \(redacted\)[A-Za-z0-9+/]{0,2}=*$/);
    expect(redacted.sms).toBe(`CRITICAL ${REDACTED}`);
    expect(JSON.parse(redacted.json)).toEqual({ message: `a ${REDACTED} b` });
    expect(redacted.attributes.portal).toBe(`p-${REDACTED}`);
    expect(redacted.attributes.codes).toBe('BACKUP_OVERDUE');
  });

  it('keeps the subject under 100 characters and the SMS in one segment when (redacted) is longer than the key', () => {
    // Prepare
    const alert: Alert = {
      ...renderAlert(criticalVerdict),
      subject: `${SHORT_KEY} `.repeat(11).slice(0, MAX_SUBJECT_LENGTH),
      sms: `${SHORT_KEY}{`.repeat(20).slice(0, 150),
    };

    // Act
    const redacted = redactAlert(alert, new Redactor([SHORT_KEY]));

    // Assess
    expect(redacted.subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
    expect(redacted.subject).toMatch(/^\(redacted\) .*\.\.\.$/);
    expect(redacted.sms.length + (redacted.sms.match(/\{/g)?.length ?? 0)).toBeLessThanOrEqual(MAX_SMS_UNITS);
    expect(redacted.sms).not.toContain(SHORT_KEY);
  });

  it('returns the alert as it is when the run has no key', () => {
    // Prepare
    const alert = renderAlert(criticalVerdict);

    // Assess
    expect(redactAlert(alert, new Redactor())).toBe(alert);
  });
});

describe('redactingNotifier', () => {
  it('sends the redacted alert, with the verdict and the signal it was given', async () => {
    // Prepare
    const sent: Parameters<Notifier['send']>[] = [];
    const notifier = redactingNotifier({ send: async (...args) => void sent.push(args) }, new Redactor([KEY]));
    const signal = new AbortController().signal;

    // Act
    await notifier.send({ ...renderAlert(criticalVerdict), email: `key ${KEY}` }, criticalVerdict, signal);

    // Assess
    expect(sent).toHaveLength(1);
    expect(sent[0]![0].email).toBe(`key ${REDACTED}`);
    expect(sent[0]![1]).toBe(criticalVerdict);
    expect(sent[0]![2]).toBe(signal);
  });
});

describe('redactingLogger', () => {
  it('redacts the message and every string of the attributes, at every level', () => {
    // Prepare
    const lines: [string, string, unknown][] = [];
    const sink = (level: string) => (message: string, attributes?: Record<string, unknown>) => void lines.push([level, message, attributes]);
    const target: CheckLogger = { debug: sink('debug'), info: sink('info'), warn: sink('warn'), error: sink('error') };
    const logger = redactingLogger(target, new Redactor([KEY]));

    // Act
    logger.debug(`d ${KEY}`);
    logger.info('i', { portal: 'acme', error: `x${KEY}`, codes: [KEY] });
    logger.warn('w', { nested: { value: encodeURIComponent(KEY) } });
    logger.error('e');

    // Assess
    expect(lines).toEqual([
      ['debug', `d ${REDACTED}`, undefined],
      ['info', 'i', { portal: 'acme', error: `x${REDACTED}`, codes: [REDACTED] }],
      ['warn', 'w', { nested: { value: REDACTED } }],
      ['error', 'e', undefined],
    ]);
  });
});
