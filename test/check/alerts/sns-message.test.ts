import { describe, expect, it } from 'vitest';
import { renderAlert } from '../../../functions/check/alerts/render-alert.ts';
import { MAX_SNS_MESSAGE_BYTES, snsAttributes, snsMessage, snsPublishBytes } from '../../../functions/check/alerts/sns-message.ts';
import { criticalVerdict, okVerdict } from './sample-verdicts.ts';

describe('snsMessage', () => {
  it('holds the JSON, the e-mail and the SMS under the protocol keys', () => {
    // Prepare
    const alert = renderAlert(criticalVerdict);

    // Act
    const message = JSON.parse(snsMessage(alert)) as Record<string, string>;

    // Assess
    expect(message).toEqual({ default: alert.json, email: alert.email, sms: alert.sms });
  });
});

describe('snsAttributes', () => {
  it('gives every non-empty attribute as a String and leaves empty ones out', () => {
    // Act
    const attributes = snsAttributes(renderAlert(okVerdict));

    // Assess
    expect(attributes).toEqual({
      state: { DataType: 'String', StringValue: 'firing' },
      severity: { DataType: 'String', StringValue: 'warning' },
      status: { DataType: 'String', StringValue: 'OK' },
      portal: { DataType: 'String', StringValue: 'acme-prod' },
    });
  });
});

describe('snsPublishBytes', () => {
  it('counts the message in UTF-8 bytes, the subject and each attribute name, type and value', () => {
    // Prepare: 'é' is two bytes, '€' three
    const alert = {
      subject: 'S',
      email: 'é',
      sms: '€',
      json: '{}',
      attributes: { state: 'firing', severity: 'critical', status: 'CRITICAL', portal: 'p', codes: '' },
    } as const;
    const message = '{"default":"{}","email":"é","sms":"€"}';
    const attributes = ['state', 'firing', 'severity', 'critical', 'status', 'CRITICAL', 'portal', 'p'].join('').length + 4 * 'String'.length;

    // Act
    const bytes = snsPublishBytes(alert);

    // Assess
    expect(bytes).toBe(message.length + 3 + 1 + attributes);
  });

  it('knows the default SNS limit of 256 KiB', () => {
    // Assess
    expect(MAX_SNS_MESSAGE_BYTES).toBe(256 * 1024);
  });
});
