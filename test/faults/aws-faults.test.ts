/**
 * The fault matrix, AWS side (docs/RELIABILITY.md, rows A01-A10): the deployed handler with its
 * real SDK clients against local SSM and SNS fakes that fail the way the services do. A key that
 * cannot be read costs that portal only; an SSM that never answers costs the key phase no more
 * than the run's deadline; an alert that cannot be published fails the run loudly, after every
 * other portal was checked and alerted.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { expectNoCanaryLeak, textOf } from '../support/canary.ts';
import { SnsErrors, type SnsError } from '../support/fake-sns.ts';
import { SsmErrors, type SsmError } from '../support/fake-ssm.ts';
import { DEFAULT_PUBLISH_RESERVE_MS } from '../../functions/check/run-check.ts';
import {
  alertJsonOf,
  countdownContext,
  deployedParameterOf,
  deployFunction,
  invocationError,
  logLinesOf,
  metricsOf,
  publishesOf,
  type DeployedFunction,
  type DeployedPortal,
} from './handler-harness.ts';
import { TOPIC_ARN } from './harness.ts';

const PORTALS: readonly DeployedPortal[] = [
  { name: 'victim', scenario: 'compliant' },
  { name: 'compliant', scenario: 'compliant' },
  { name: 'overdue', scenario: 'overdue' },
  { name: 'drifted', scenario: 'drifted' },
];

/** What the healthy portals must come out as, whatever happens to the victim. */
const HEALTHY_STATUSES = { compliant: 'OK', overdue: 'CRITICAL', drifted: 'WARNING' } as const;

let deployed: DeployedFunction | undefined;

afterEach(async () => {
  await deployed?.close();
  deployed = undefined;
});

/** Nothing the function let out holds a key: output, SNS requests, SSM requests' answers aside, what the caller got. */
function expectNothingLeaked(fn: DeployedFunction, ...more: unknown[]): void {
  expectNoCanaryLeak(fn.stdout.join(''), 'stdout (logs, metrics)');
  expectNoCanaryLeak(fn.stderr.join(''), 'stderr');
  expectNoCanaryLeak(fn.sns.requests.map((request) => JSON.stringify(request.form)).join('\n'), 'the SNS requests');
  for (const value of more) expectNoCanaryLeak(textOf(value), 'what the invocation returned or threw');
}

describe('handler under SSM faults', () => {
  it.each<[string, SsmError, string]>([
    ['A01 SSM ParameterNotFound on the parameter of one portal: CHECK_FAILED API_KEY_UNAVAILABLE for that portal only, naming the parameter', SsmErrors.parameterNotFound, 'not found'],
    ['A02 SSM AccessDeniedException on the parameter of one portal: CHECK_FAILED API_KEY_UNAVAILABLE for that portal only, naming the parameter', SsmErrors.accessDenied, 'could not be read: AccessDeniedException'],
    ['A03 SSM ThrottlingException that does not pass on the parameter of one portal: CHECK_FAILED API_KEY_UNAVAILABLE for that portal only, naming the parameter', SsmErrors.throttling, 'could not be read: ThrottlingException'],
    ['A04 a KMS decryption failure (no kms:Decrypt on the key) of the parameter of one portal: CHECK_FAILED API_KEY_UNAVAILABLE for that portal only, naming the parameter', SsmErrors.kmsAccessDenied, 'could not be read: AccessDeniedException'],
    ['A05 a KMS decryption failure (the key is disabled or deleted) of the parameter of one portal: CHECK_FAILED API_KEY_UNAVAILABLE for that portal only, naming the parameter', SsmErrors.invalidKeyId, 'could not be read: InvalidKeyId'],
  ])('%s', async (_row, error, says) => {
    // Prepare
    const fn = (deployed = await deployFunction(PORTALS));
    const parameter = deployedParameterOf('victim');
    fn.ssm.failParameter(parameter, error);

    // Act
    const summary = await fn.handler({});

    // Assess
    expect(summary.statuses).toEqual({ victim: 'UNKNOWN', ...HEALTHY_STATUSES });
    const [publish, ...more] = publishesOf(fn.sns, 'victim');
    expect(more).toEqual([]);
    expect(publish?.delivered).toBe(true);
    const alert = alertJsonOf(publish!);
    expect(alert.findings).toEqual([expect.objectContaining({ code: 'CHECK_FAILED', cause: 'API_KEY_UNAVAILABLE', source: 'apiKey', severity: 'critical' })]);
    expect(alert.findings[0]!.message).toContain(`SSM parameter ${parameter} ${says}`);
    // The name, never the value; the service's own message is not passed on either.
    expect(JSON.stringify(fn.sns.requests)).not.toContain(error.message.slice(0, 30));
    // Without its key the portal is not asked; the others are asked and alerted as usual.
    expect(fn.server.requests.filter((request) => request.portal === 'victim')).toEqual([]);
    expect(fn.sns.delivered().map((p) => p.MessageAttributes.portal?.StringValue).sort()).toEqual(['drifted', 'overdue', 'victim']);
    expect(metricsOf(fn).map((document) => document.Portal).sort()).toEqual(['compliant', 'drifted', 'overdue', 'victim']);
    expectNothingLeaked(fn, summary);
  });
});

describe('handler under an SSM that never answers', () => {
  it('A09 SSM that never answers: the key phase ends at the deadline of the run, every portal is CHECK_FAILED API_KEY_UNAVAILABLE and every alert is published', async () => {
    // Prepare
    const fn = (deployed = await deployFunction(PORTALS));
    fn.ssm.hangCalls();
    // The run may check for 2 s before it keeps the rest for publishing; the SDK alone would
    // wait 10 s per attempt, 4 attempts per call, and ask name by name after a failed batch.
    const context = countdownContext(DEFAULT_PUBLISH_RESERVE_MS + 2_000);

    // Act
    const summary = await fn.handler({}, context);

    // Assess
    expect(summary.statuses).toEqual({ victim: 'UNKNOWN', compliant: 'UNKNOWN', overdue: 'UNKNOWN', drifted: 'UNKNOWN' });
    // The handler returned with most of the publish reserve left: the key phase was cut at the deadline.
    expect(context.getRemainingTimeInMillis!()).toBeGreaterThan(DEFAULT_PUBLISH_RESERVE_MS / 2);
    expect(fn.ssm.requests.length).toBeGreaterThan(0);
    expect(fn.server.requests).toEqual([]);
    expect(fn.sns.delivered().map((publish) => publish.MessageAttributes.portal?.StringValue).sort()).toEqual(['compliant', 'drifted', 'overdue', 'victim']);
    for (const name of ['victim', 'compliant', 'overdue', 'drifted']) {
      const alert = alertJsonOf(publishesOf(fn.sns, name)[0]!);
      expect(alert.findings).toEqual([expect.objectContaining({ code: 'CHECK_FAILED', cause: 'API_KEY_UNAVAILABLE', source: 'apiKey', severity: 'critical' })]);
      expect(alert.findings[0]!.message).toContain(`SSM parameter ${deployedParameterOf(name)}: the key was not read before the run's deadline`);
    }
    expect(metricsOf(fn).map((document) => document.Portal).sort()).toEqual(['compliant', 'drifted', 'overdue', 'victim']);
    expectNothingLeaked(fn, summary);
  });
});

describe('handler under SNS faults', () => {
  it('A06 SNS throttling is retried, then every alert is delivered', async () => {
    // Prepare
    const fn = (deployed = await deployFunction(PORTALS));
    fn.sns.failPublish(SnsErrors.throttling, { times: 2 });

    // Act
    const summary = await fn.handler({});

    // Assess
    expect(summary).toEqual({ status: 'CRITICAL', portals: 4, alertsSent: 2, statuses: { victim: 'OK', ...HEALTHY_STATUSES } });
    expect(fn.sns.publishes.filter((publish) => !publish.delivered)).toHaveLength(2);
    expect(fn.sns.delivered().map((publish) => publish.MessageAttributes.portal?.StringValue).sort()).toEqual(['drifted', 'overdue']);
    expect(logLinesOf(fn).filter((line) => line.message === 'alert not delivered')).toEqual([]);
    expectNothingLeaked(fn, summary);
  });

  it.each<[string, SnsError]>([
    ['A07 SNS AuthorizationError on the topic: every portal is still checked and every alert tried, then the run fails loudly naming each lost alert', SnsErrors.authorization],
    ['A08 SNS KMS failure on the topic key: every portal is still checked and every alert tried, then the run fails loudly naming each lost alert', SnsErrors.kmsAccessDenied],
  ])('%s', async (_row, error) => {
    // Prepare
    const fn = (deployed = await deployFunction(PORTALS));
    fn.sns.failPublish(error);

    // Act
    const thrown = await invocationError(() => fn.handler({}));

    // Assess
    // Every portal was checked, measured and logged…
    expect(new Set(fn.server.requests.map((request) => request.portal))).toEqual(new Set(['victim', 'compliant', 'overdue', 'drifted']));
    expect(metricsOf(fn).map((document) => document.Portal).sort()).toEqual(['compliant', 'drifted', 'overdue', 'victim']);
    const checked = logLinesOf(fn).filter((line) => line.message === 'portal checked');
    expect(checked.map((line) => [line.portal, line.status]).sort()).toEqual([
      ['compliant', 'OK'],
      ['drifted', 'WARNING'],
      ['overdue', 'CRITICAL'],
      ['victim', 'OK'],
    ]);
    // …each alert was tried, none delivered…
    expect(fn.sns.publishes.map((publish) => [publish.MessageAttributes.portal?.StringValue, publish.delivered]).sort()).toEqual([
      ['drifted', false],
      ['overdue', false],
    ]);
    // …and the run fails naming each lost alert, the topic and the AWS error code, nothing more.
    expect(thrown).toBeInstanceOf(AggregateError);
    const failures = (thrown as AggregateError).errors as (Error & { portal: string })[];
    expect(failures.map((failure) => [failure.name, failure.portal]).sort()).toEqual([
      ['AlertPublishError', 'drifted'],
      ['AlertPublishError', 'overdue'],
    ]);
    expect(thrown.message).toMatch(/^2 alert\(s\) could not be published after every portal was checked: /);
    for (const portal of ['drifted', 'overdue']) expect(thrown.message).toContain(`alert for portal ${portal} could not be published to ${TOPIC_ARN}: ${error.code}`);
    expect(thrown.message).not.toContain(error.message);
    expect(logLinesOf(fn).filter((line) => line.message === 'alert not delivered').map((line) => [line.level, line.portal]).sort()).toEqual([
      ['ERROR', 'drifted'],
      ['ERROR', 'overdue'],
    ]);
    expectNothingLeaked(fn, thrown);
  });
});

describe('handler under an S3 that refuses the report', () => {
  it('A10 S3 unreachable for the evidence archive: every portal is checked and every alert delivered, then the run fails loudly naming the report not archived', async () => {
    // Prepare: the report bucket is set, and S3 is the loopback port nobody listens on.
    vi.stubEnv('REPORT_BUCKET_NAME', 'docspace-monitor-reports');
    const fn = (deployed = await deployFunction(PORTALS));

    // Act
    const thrown = await invocationError(() => fn.handler({ scheduledTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') }));

    // Assess: the alerts went out first…
    expect(fn.sns.delivered().map((publish) => publish.MessageAttributes.portal?.StringValue).sort()).toEqual(['drifted', 'overdue']);
    expect(metricsOf(fn).map((document) => document.Portal).sort()).toEqual(['compliant', 'drifted', 'overdue', 'victim']);
    // …then the run failed, saying which report was not kept and why, by error name only.
    expect(thrown).toBeInstanceOf(AggregateError);
    expect(thrown.message).toMatch(/^the run's report could not be archived after every portal was checked: the report could not be archived in s3:\/\/docspace-monitor-reports \(reports\/year=\d{4}\/month=\d{2}\/day=\d{2}\/\S+\.json\): \S+$/);
    expect(((thrown as AggregateError).errors as Error[]).map((failure) => failure.name)).toEqual(['ReportArchiveError']);
    expectNothingLeaked(fn, thrown);
  });
});
