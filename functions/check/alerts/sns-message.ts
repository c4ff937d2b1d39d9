/**
 * An alert as SNS publishes it: the message per protocol (`MessageStructure: 'json'`), the
 * string attributes, and the size SNS holds against its limit. Pure, so renderers can check
 * that what they build fits before anything is sent.
 */
import type { Alert } from './notifier.ts';

/**
 * The largest message SNS accepts by default (the topic's `MaximumMessageSize`), in bytes.
 * The body and every attribute's name, data type and value count toward it.
 */
export const MAX_SNS_MESSAGE_BYTES = 262_144;

/** One string message attribute, as `PublishCommand` takes it. */
export interface SnsStringAttribute {
  readonly DataType: 'String';
  readonly StringValue: string;
}

/**
 * The `Message` of a Publish with `MessageStructure: 'json'`: the JSON for machines
 * (`default`), the e-mail text and the SMS text.
 *
 * @param alert - the rendered alert
 */
export function snsMessage(alert: Alert): string {
  return JSON.stringify({ default: alert.json, email: alert.email, sms: alert.sms });
}

/**
 * The alert's attributes as SNS string attributes; empty ones are left out (SNS rejects empty
 * attribute values).
 *
 * @param alert - the rendered alert
 */
export function snsAttributes(alert: Alert): Record<string, SnsStringAttribute> {
  const attributes: Record<string, SnsStringAttribute> = {};
  for (const [name, value] of Object.entries(alert.attributes)) {
    if (value !== '') attributes[name] = { DataType: 'String', StringValue: value };
  }
  return attributes;
}

/**
 * The bytes a Publish of this alert counts against {@link MAX_SNS_MESSAGE_BYTES}: the message
 * (UTF-8), every attribute's name, data type and value, and (to be safe) the subject.
 *
 * @param alert - the rendered alert
 */
export function snsPublishBytes(alert: Alert): number {
  let bytes = Buffer.byteLength(snsMessage(alert), 'utf8') + Buffer.byteLength(alert.subject, 'utf8');
  for (const [name, attribute] of Object.entries(snsAttributes(alert))) {
    bytes += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(attribute.DataType, 'utf8') + Buffer.byteLength(attribute.StringValue, 'utf8');
  }
  return bytes;
}
