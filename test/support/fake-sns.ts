/**
 * A local SNS speaking the real wire protocol (the AWS Query protocol over HTTP on 127.0.0.1),
 * so tests drive the real SDK client. Knows `Publish`, answers and fails the way SNS does, and
 * records every request and every Publish, decoded.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An SNS error as it goes over the wire. */
export interface SnsError {
  readonly code: string;
  readonly message: string;
  readonly status: number;
  readonly type: 'Sender' | 'Receiver';
}

/** Errors SNS really returns, ready to inject. */
export const SnsErrors = {
  /** The common throttling error ("Rate exceeded"). */
  throttling: { code: 'Throttling', message: 'Rate exceeded', status: 400, type: 'Sender' },
  /** SNS's own throttling error (ThrottledException). */
  throttled: { code: 'Throttled', message: 'Rate exceeded', status: 429, type: 'Sender' },
  authorization: {
    code: 'AuthorizationError',
    message: 'User: arn:aws:sts::123456789012:assumed-role/monitor/check is not authorized to perform: SNS:Publish on resource: arn:aws:sns:eu-central-1:123456789012:alerts',
    status: 403,
    type: 'Sender',
  },
  kmsAccessDenied: {
    code: 'KMSAccessDenied',
    message: 'User: arn:aws:sts::123456789012:assumed-role/monitor/check is not authorized to perform: kms:GenerateDataKey (Service: AWSKMS; Status Code: 400; Error Code: AccessDeniedException)',
    status: 400,
    type: 'Sender',
  },
  notFound: { code: 'NotFound', message: 'Topic does not exist', status: 404, type: 'Sender' },
  internal: { code: 'InternalError', message: 'An internal error occurred', status: 500, type: 'Receiver' },
} as const satisfies Record<string, SnsError>;

/** One message attribute, decoded. */
export interface RecordedAttribute {
  readonly DataType: string;
  readonly StringValue?: string;
}

/** One Publish the fake received (failed ones too), decoded from the form body. */
export interface RecordedPublish {
  readonly TopicArn?: string;
  readonly Subject?: string;
  readonly Message?: string;
  readonly MessageStructure?: string;
  readonly MessageAttributes: Record<string, RecordedAttribute>;
  /** Whether the fake answered it with success. */
  readonly delivered: boolean;
}

/** One HTTP request the fake received. */
export interface RecordedSnsRequest {
  readonly form: Record<string, string>;
  readonly headers: IncomingHttpHeaders;
}

/** A running fake SNS. */
export interface FakeSns {
  /** `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL_SNS` or a client's `endpoint`. */
  readonly endpoint: string;
  /** Every request received, in order. */
  readonly requests: RecordedSnsRequest[];
  /** Every Publish received, in order, failed ones included (see `delivered`). */
  readonly publishes: RecordedPublish[];
  /** The Publishes that were answered with success. */
  delivered(): RecordedPublish[];
  /** Fails the next `times` Publishes (or every one) with this error. */
  failPublish(error: SnsError, options?: { readonly times?: number }): void;
  /**
   * Holds every Publish from now on open without an answer (SNS slow to answer), until the
   * returned function is called: then each held one still connected is answered as usual. A held
   * Publish is in `requests` at once, and in `publishes` once answered (or its client gave up).
   */
  holdPublishes(): () => void;
  close(): Promise<void>;
}

const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function decodeAttributes(form: Record<string, string>): Record<string, RecordedAttribute> {
  const attributes: Record<string, RecordedAttribute> = {};
  for (let index = 1; form[`MessageAttributes.entry.${index}.Name`] !== undefined; index += 1) {
    const prefix = `MessageAttributes.entry.${index}`;
    const name = form[`${prefix}.Name`] as string;
    const stringValue = form[`${prefix}.Value.StringValue`];
    attributes[name] = {
      DataType: form[`${prefix}.Value.DataType`] ?? '',
      ...(stringValue !== undefined && { StringValue: stringValue }),
    };
  }
  return attributes;
}

function decodePublish(form: Record<string, string>): Omit<RecordedPublish, 'delivered'> {
  return {
    TopicArn: form.TopicArn,
    Subject: form.Subject,
    Message: form.Message,
    MessageStructure: form.MessageStructure,
    MessageAttributes: decodeAttributes(form),
  };
}

/** What real SNS rejects with `InvalidParameter`, as far as these tests need. */
function validatePublish(form: Record<string, string>): string | undefined {
  if (!form.TopicArn) return 'TopicArn or TargetArn Reason: no value for required parameter';
  if (form.Message === undefined || form.Message === '') return 'Message: must not be empty';
  if (form.Subject !== undefined && (form.Subject.length >= 100 || !/^[\x20-\x7e]+$/.test(form.Subject)))
    return 'Subject: must be ASCII text without line breaks or control characters, less than 100 characters long';
  if (form.MessageStructure === 'json') {
    let message: unknown;
    try {
      message = JSON.parse(form.Message);
    } catch {
      return 'Message Structure - JSON message body failed to parse';
    }
    if (typeof message !== 'object' || message === null || typeof (message as { default?: unknown }).default !== 'string')
      return 'Message Structure - No default entry in JSON message body';
    if (Object.values(message).some((value) => typeof value !== 'string')) return 'Message Structure - values must be strings';
  }
  for (const [name, attribute] of Object.entries(decodeAttributes(form))) {
    if (attribute.DataType === 'String' && !attribute.StringValue) return `Message attribute '${name}' must contain non-empty message attribute value`;
  }
  return undefined;
}

/**
 * Starts a fake SNS on a random loopback port.
 *
 * @example
 * const sns = await startFakeSns();
 * sns.failPublish(SnsErrors.throttling, { times: 2 });
 */
export async function startFakeSns(): Promise<FakeSns> {
  const requests: RecordedSnsRequest[] = [];
  const publishes: RecordedPublish[] = [];
  const failures: { error: SnsError; remaining: number }[] = [];
  let held: (() => void)[] | undefined;

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      requests.push({ form, headers: request.headers });
      const requestId = randomUUID();
      const send = (status: number, xml: string) => {
        response.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(xml), 'x-amzn-requestid': requestId });
        response.end(xml);
      };
      const fail = (error: SnsError) =>
        send(
          error.status,
          `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${error.type}</Type><Code>${escapeXml(error.code)}</Code>` +
            `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
        );

      const answer = () => {
        if (request.method !== 'POST' || form.Action !== 'Publish') {
          fail({ code: 'InvalidAction', message: `unknown action ${form.Action ?? ''}`, status: 400, type: 'Sender' });
          return;
        }
        const invalid = validatePublish(form);
        if (invalid !== undefined) {
          publishes.push({ ...decodePublish(form), delivered: false });
          fail({ code: 'InvalidParameter', message: `Invalid parameter: ${invalid}`, status: 400, type: 'Sender' });
          return;
        }
        const failure = failures.find((candidate) => candidate.remaining > 0);
        if (failure) failure.remaining -= 1;
        publishes.push({ ...decodePublish(form), delivered: failure === undefined });
        if (failure) {
          fail(failure.error);
          return;
        }
        send(
          200,
          `<PublishResponse xmlns="${XMLNS}"><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult>` +
            `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></PublishResponse>`,
        );
      };

      if (held !== undefined && form.Action === 'Publish') {
        held.push(answer);
        // A client that gives up on a held Publish: it was never delivered.
        response.on('close', () => {
          const at = held?.indexOf(answer) ?? -1;
          if (at === -1) return;
          held!.splice(at, 1);
          publishes.push({ ...decodePublish(form), delivered: false });
        });
        return;
      }
      answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    publishes,
    delivered: () => publishes.filter((publish) => publish.delivered),
    failPublish(error, options = {}) {
      failures.push({ error, remaining: options.times ?? Number.POSITIVE_INFINITY });
    },
    holdPublishes() {
      held ??= [];
      return () => {
        const answers = held ?? [];
        held = undefined;
        for (const answer of answers) answer();
      };
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
}
