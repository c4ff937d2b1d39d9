/**
 * A local SNS speaking the real wire protocol (the AWS Query protocol over HTTP on 127.0.0.1),
 * so tests drive the real SDK client. Knows `Publish`, answers and fails the way SNS does, and
 * records every request and every Publish, decoded. For the delivery-path check it also knows
 * `ListSubscriptionsByTopic`, `GetSMSSandboxAccountStatus`, `ListSMSSandboxPhoneNumbers` and
 * `GetSMSAttributes`, answering from the subscriptions and SMS account a test sets up, in the
 * XML shapes the SDK's Query deserializer reads.
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
  /** The topics' subscriptions `ListSubscriptionsByTopic` lists (100 a page); tests add and change them. */
  readonly subscriptions: FakeSubscription[];
  /** The account's SMS state; tests change it. */
  readonly smsAccount: FakeSmsAccount;
  /** Adds a subscription: confirmed (with an ARN) unless `confirmed: false` (`PendingConfirmation`). */
  subscribe(topicArn: string, protocol: string, endpoint: string, options?: { readonly confirmed?: boolean }): void;
  /** Fails the next `times` calls (or every one) of this action, other than Publish, with this error. */
  failAction(action: Exclude<SnsAction, 'Publish'>, error: SnsError, options?: { readonly times?: number }): void;
  /** The requests of one action, in order. */
  callsOf(action: SnsAction): RecordedSnsRequest[];
  close(): Promise<void>;
}

/** The actions the fake knows. */
export type SnsAction = 'Publish' | 'ListSubscriptionsByTopic' | 'GetSMSSandboxAccountStatus' | 'ListSMSSandboxPhoneNumbers' | 'GetSMSAttributes';

/** One subscription of a topic. */
export interface FakeSubscription {
  readonly topicArn: string;
  readonly protocol: string;
  readonly endpoint: string;
  /** `PendingConfirmation`, or the subscription's ARN once confirmed. */
  subscriptionArn: string;
}

/** The account's SMS settings, as the SMS APIs report them. */
export interface FakeSmsAccount {
  inSandbox: boolean;
  /** Sandbox destination numbers and their status. */
  readonly sandboxNumbers: Map<string, 'Verified' | 'Pending'>;
  /** `GetSMSAttributes` answers, e.g. `MonthlySpendLimit`; an attribute left out is not returned. */
  readonly attributes: Record<string, string>;
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

const PENDING_CONFIRMATION = 'PendingConfirmation';

/** Items per page of the list actions (SNS lists 100 subscriptions a page). */
const PAGE_SIZE = 100;

type ReadAnswer = (form: Record<string, string>, account: { subscriptions: FakeSubscription[]; smsAccount: FakeSmsAccount }) => string | SnsError;

function page<T>(items: readonly T[], token: string | undefined, size: number): { items: T[]; next?: string } {
  const start = token === undefined ? 0 : Number(token);
  return { items: items.slice(start, start + size), ...(start + size < items.length ? { next: String(start + size) } : {}) };
}

function nextToken(next: string | undefined): string {
  return next === undefined ? '' : `<NextToken>${next}</NextToken>`;
}

/** The read actions, each answering the inside of its `<…Result>` element, or an error. */
const READ_ACTIONS: Record<Exclude<SnsAction, 'Publish'>, ReadAnswer> = {
  ListSubscriptionsByTopic(form, { subscriptions }) {
    if (!form.TopicArn) return { code: 'InvalidParameter', message: 'Invalid parameter: TopicArn', status: 400, type: 'Sender' };
    const own = subscriptions.filter((subscription) => subscription.topicArn === form.TopicArn);
    const { items, next } = page(own, form.NextToken, PAGE_SIZE);
    const members = items
      .map(
        (subscription) =>
          `<member><TopicArn>${escapeXml(subscription.topicArn)}</TopicArn><Protocol>${escapeXml(subscription.protocol)}</Protocol>` +
          `<SubscriptionArn>${escapeXml(subscription.subscriptionArn)}</SubscriptionArn><Owner>123456789012</Owner><Endpoint>${escapeXml(subscription.endpoint)}</Endpoint></member>`,
      )
      .join('');
    return `<Subscriptions>${members}</Subscriptions>${nextToken(next)}`;
  },
  GetSMSSandboxAccountStatus(_form, { smsAccount }) {
    return `<IsInSandbox>${smsAccount.inSandbox}</IsInSandbox>`;
  },
  ListSMSSandboxPhoneNumbers(form, { smsAccount }) {
    const size = form.MaxResults === undefined ? PAGE_SIZE : Number(form.MaxResults);
    const { items, next } = page([...smsAccount.sandboxNumbers], form.NextToken, size);
    const members = items.map(([number, status]) => `<member><PhoneNumber>${escapeXml(number)}</PhoneNumber><Status>${status}</Status></member>`).join('');
    return `<PhoneNumbers>${members}</PhoneNumbers>${nextToken(next)}`;
  },
  GetSMSAttributes(form, { smsAccount }) {
    const asked = Object.entries(form).filter(([name]) => name.startsWith('attributes.member.')).map(([, value]) => value);
    const names = asked.length === 0 ? Object.keys(smsAccount.attributes) : asked.filter((name) => name in smsAccount.attributes);
    const entries = names.map((name) => `<entry><key>${escapeXml(name)}</key><value>${escapeXml(smsAccount.attributes[name]!)}</value></entry>`).join('');
    return `<attributes>${entries}</attributes>`;
  },
};

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
  const actionFailures: { action: SnsAction; error: SnsError; remaining: number }[] = [];
  const subscriptions: FakeSubscription[] = [];
  const smsAccount: FakeSmsAccount = { inSandbox: false, sandboxNumbers: new Map(), attributes: {} };

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

      if (request.method === 'POST' && form.Action !== undefined && form.Action in READ_ACTIONS) {
        const action = form.Action as Exclude<SnsAction, 'Publish'>;
        const failure = actionFailures.find((candidate) => candidate.action === action && candidate.remaining > 0);
        if (failure) {
          failure.remaining -= 1;
          fail(failure.error);
          return;
        }
        const answer = READ_ACTIONS[action](form, { subscriptions, smsAccount });
        if (typeof answer !== 'string') {
          fail(answer);
          return;
        }
        send(200, `<${action}Response xmlns="${XMLNS}"><${action}Result>${answer}</${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`);
        return;
      }
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
    subscriptions,
    smsAccount,
    subscribe(topicArn, protocol, endpoint, options = {}) {
      subscriptions.push({ topicArn, protocol, endpoint, subscriptionArn: options.confirmed === false ? PENDING_CONFIRMATION : `${topicArn}:${randomUUID()}` });
    },
    failAction(action, error, options = {}) {
      actionFailures.push({ action, error, remaining: options.times ?? Number.POSITIVE_INFINITY });
    },
    callsOf(action) {
      return requests.filter((request) => request.form.Action === action);
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
}
