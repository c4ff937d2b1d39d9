import { SNSClient } from '@aws-sdk/client-sns';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderAlert } from '../../../functions/check/alerts/render-alert.ts';
import { awsErrorCode } from '../../../functions/check/aws-error-code.ts';
import { DEFAULT_SNS_MAX_ATTEMPTS, SnsNotifier } from '../../../functions/check/alerts/sns-notifier.ts';
import { AlertPublishError } from '../../../functions/check/errors.ts';
import { useFakeAwsEnvironment } from '../../support/aws-env.ts';
import { fastRetries } from '../../support/fast-aws-retries.ts';
import { SnsErrors, startFakeSns, type FakeSns } from '../../support/fake-sns.ts';
import { criticalVerdict, okVerdict, unknownVerdict } from './sample-verdicts.ts';

const TOPIC_ARN = 'arn:aws:sns:eu-central-1:123456789012:docspace-backup-alerts';

let sns: FakeSns;
let restoreEnvironment: () => void;

beforeEach(async () => {
  sns = await startFakeSns();
  restoreEnvironment = useFakeAwsEnvironment({ sns: sns.endpoint });
});

afterEach(async () => {
  restoreEnvironment();
  await sns.close();
});

describe('SnsNotifier', () => {
  describe('send', () => {
    it('publishes one message per protocol with subject and attributes, through AWS_ENDPOINT_URL_SNS', async () => {
      // Prepare
      const notifier = new SnsNotifier({ topicArn: TOPIC_ARN });
      const alert = renderAlert(criticalVerdict);

      // Act
      await notifier.send(alert, criticalVerdict);

      // Assess
      expect(sns.publishes).toHaveLength(1);
      const publish = sns.publishes[0]!;
      expect(publish.TopicArn).toBe(TOPIC_ARN);
      expect(publish.MessageStructure).toBe('json');
      expect(publish.Subject).toBe('[CRITICAL] DocSpace backup acme-prod: BACKUP_OVERDUE (+2 more)');
      const message = JSON.parse(publish.Message!) as Record<string, string>;
      expect(Object.keys(message).sort()).toEqual(['default', 'email', 'sms']);
      expect(message.default).toBe(alert.json);
      expect(message.email).toBe(alert.email);
      expect(message.sms).toBe(alert.sms);
      expect(publish.MessageAttributes).toEqual({
        state: { DataType: 'String', StringValue: 'firing' },
        severity: { DataType: 'String', StringValue: 'critical' },
        status: { DataType: 'String', StringValue: 'CRITICAL' },
        portal: { DataType: 'String', StringValue: 'acme-prod' },
        codes: { DataType: 'String', StringValue: 'RETENTION_TOO_LOW,BACKUP_OVERDUE,ARCHIVE_MISSING' },
      });
      // Signed with the fake credentials for the fake region: nothing came from a real profile.
      expect(sns.requests[0]!.headers.authorization).toContain('Credential=AKIAFAKEFAKEFAKEFAKE/');
      expect(sns.requests[0]!.headers.authorization).toContain('/eu-central-1/sns/aws4_request');
    });

    it('leaves out the codes attribute when there are no findings (SNS rejects empty values)', async () => {
      // Prepare
      const notifier = new SnsNotifier({ topicArn: TOPIC_ARN });

      // Act
      await notifier.send(renderAlert(okVerdict), okVerdict);

      // Assess
      expect(sns.delivered()).toHaveLength(1);
      expect(Object.keys(sns.publishes[0]!.MessageAttributes).sort()).toEqual(['portal', 'severity', 'state', 'status']);
    });

    it.each([
      ['Throttling (HTTP 400)', SnsErrors.throttling],
      ['Throttled (HTTP 429)', SnsErrors.throttled],
    ])('retries %s and delivers once the topic accepts', async (_case, error) => {
      // Prepare
      sns.failPublish(error, { times: 2 });
      // The SDK's retries with a 5 ms backoff: this is about what is retried, not how long it waits.
      const notifier = new SnsNotifier({ topicArn: TOPIC_ARN, clientConfig: { retryStrategy: fastRetries(DEFAULT_SNS_MAX_ATTEMPTS) } });

      // Act
      await notifier.send(renderAlert(criticalVerdict), criticalVerdict);

      // Assess
      expect(sns.publishes).toHaveLength(3);
      expect(sns.delivered()).toHaveLength(1);
    });

    it('fails when throttling outlasts the retries, after four attempts', async () => {
      // Prepare
      sns.failPublish(SnsErrors.throttling);
      const notifier = new SnsNotifier({ topicArn: TOPIC_ARN });

      // Act
      const sending = notifier.send(renderAlert(criticalVerdict), criticalVerdict);

      // Assess
      await expect(sending).rejects.toThrow(`alert for portal acme-prod could not be published to ${TOPIC_ARN}: Throttling`);
      expect(sns.publishes).toHaveLength(4);
    });

    it.each([
      ['AuthorizationError', SnsErrors.authorization],
      ['KMSAccessDenied', SnsErrors.kmsAccessDenied],
      ['NotFound', SnsErrors.notFound],
    ])('fails with AlertPublishError naming the portal, topic and %s, without the message', async (code, error) => {
      // Prepare
      sns.failPublish(error);
      const notifier = new SnsNotifier({ topicArn: TOPIC_ARN });
      const alert = renderAlert(unknownVerdict);

      // Act
      const failure = await notifier.send(alert, unknownVerdict).catch((thrown: unknown) => thrown);

      // Assess
      expect(failure).toBeInstanceOf(AlertPublishError);
      const publishError = failure as AlertPublishError;
      expect(publishError.portal).toBe('acme-prod');
      expect(publishError.message).toBe(`alert for portal acme-prod could not be published to ${TOPIC_ARN}: ${code}`);
      expect(publishError.message).not.toContain(unknownVerdict.findings[0]!.message);
      expect(publishError.message).not.toContain(alert.sms);
      expect(sns.publishes).toHaveLength(1);
    });

    it('uses the client it is given', async () => {
      // Prepare
      const client = new SNSClient({ endpoint: sns.endpoint, maxAttempts: 1 });
      sns.failPublish(SnsErrors.throttling, { times: 1 });
      const notifier = new SnsNotifier({ topicArn: TOPIC_ARN, client });

      // Act
      const sending = notifier.send(renderAlert(criticalVerdict), criticalVerdict);

      // Assess: maxAttempts 1 on the given client means no retry
      await expect(sending).rejects.toBeInstanceOf(AlertPublishError);
      expect(sns.publishes).toHaveLength(1);
    });
  });

  describe('constructor', () => {
    it('fails when given both a client and a client config', () => {
      // Prepare
      const options = { topicArn: TOPIC_ARN, client: new SNSClient({}), clientConfig: {} } as unknown as ConstructorParameters<typeof SnsNotifier>[0];

      // Act & Assess
      expect(() => new SnsNotifier(options)).toThrow('SnsNotifier got both client and clientConfig: pass one of them');
    });

    it.each(['', 'docspace-alerts', 'arn:aws:sqs:eu-central-1:123456789012:queue'])('fails when the topic ARN is %j', (topicArn) => {
      // Act & Assess
      expect(() => new SnsNotifier({ topicArn })).toThrow('SnsNotifier topicArn must be an SNS topic ARN');
    });
  });
});

describe('awsErrorCode', () => {
  it.each([
    ['the wire code of a Query error', { name: 'AuthorizationErrorException', Code: 'AuthorizationError' }, 'AuthorizationError'],
    ['the name of a JSON error', { name: 'AccessDeniedException', message: 'User: x is not authorized' }, 'AccessDeniedException'],
    ['the code of a network error', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), 'ECONNREFUSED'],
    ['a hint for the SDK missing a region', new Error('Region is missing'), 'RegionMissing (set AWS_REGION)'],
    ['the name of a missing-credentials error', Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), 'CredentialsProviderError'],
    ['UnknownError for a plain error, never its message', new Error('arn:aws:ssm:secret-looking text'), 'UnknownError'],
    ['UnknownError for anything else', 'boom', 'UnknownError'],
  ])('gives %s', (_case, error, expected) => {
    // Act
    const code = awsErrorCode(error);

    // Assess
    expect(code).toBe(expected);
  });
});
