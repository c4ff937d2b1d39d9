/**
 * The Lambda handler on the wire: the real module (config inlined the way esbuild's `define`
 * does, as `process.env.MONITOR_CONFIG_JSON`), the real SDK clients talking to the local SSM and
 * SNS fakes, and real HTTP to the simulated portals. The module builds its clients and reads its
 * config at import, so every test imports a fresh copy after setting the environment.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CheckSummary, InvocationContext } from '../../functions/check/handler.ts';
import { useFakeAwsEnvironment } from '../support/aws-env.ts';
import { SnsErrors, startFakeSns, type FakeSns, type RecordedPublish } from '../support/fake-sns.ts';
import { SsmErrors, startFakeSsm, type FakeSsm } from '../support/fake-ssm.ts';
import { buildScenarios, scenarioConfig, type Scenario } from '../support/scenarios.ts';
import { startSimulatedPortals, type SimulatedPortals } from '../support/simulated-portal.ts';
import { capturePowertoolsOutput } from '../support/powertools-output.ts';

const TOPIC_ARN = 'arn:aws:sns:eu-central-1:123456789012:docspace-backup-alerts';
const NAMESPACE = 'DocSpaceBackupMonitorTest';
const SERVICE = 'docspace-backup-monitor-test';
const HOUR_MS = 3_600_000;

/** Canary keys: none of them may ever show up in a log line, a metric, an alert or an error. */
const keyOf = (name: string) => `sk-canary-${name}-5f0c9d2e7a1b4c3d`;
const parameterOf = (name: string) => `/docspace/${name}/api-key`;

/** The severity attribute each expected status goes with (the UNKNOWN scenarios are a 401 and a 402: a person must act). */
const SEVERITY_OF = { WARNING: 'warning', CRITICAL: 'critical', UNKNOWN: 'critical' } as const;

type Handler = (event: unknown, context?: InvocationContext) => Promise<CheckSummary>;

interface EmfDocument {
  readonly _aws: { readonly CloudWatchMetrics: readonly { readonly Namespace: string; readonly Dimensions: string[][]; readonly Metrics: { Name: string; Unit: string }[] }[] };
  readonly [key: string]: unknown;
}

interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly service: string;
  readonly [key: string]: unknown;
}

let scenarios: readonly Scenario[];
let portals: SimulatedPortals;
let ssm: FakeSsm;
let sns: FakeSns;
let restoreAws: () => void;
let stdout: string[];
let stderr: string[];

beforeAll(async () => {
  // Built from the real now: the handler judges at its own `new Date()`, moments later. Latency
  // only matters to the demo, so the slow portal stays out.
  scenarios = buildScenarios(new Date(), keyOf).filter((scenario) => scenario.portal.latencyMs === undefined);
  portals = await startSimulatedPortals(Object.fromEntries(scenarios.map((scenario) => [scenario.name, scenario.portal])));
});

afterAll(async () => {
  await portals.close();
});

beforeEach(async () => {
  ssm = await startFakeSsm();
  sns = await startFakeSns();
  restoreAws = useFakeAwsEnvironment({ ssm: ssm.endpoint, sns: sns.endpoint });
  for (const scenario of scenarios) ssm.putParameter(parameterOf(scenario.name), keyOf(scenario.name));
  portals.requests.length = 0;

  deployConfig(handlerConfig());
  vi.stubEnv('ALERT_TOPIC_ARN', TOPIC_ARN);
  // Powertools writes logs and EMF through its own Console on process.stdout/stderr.
  ({ stdout, stderr } = capturePowertoolsOutput({ service: SERVICE, namespace: NAMESPACE }));
});

afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  restoreAws();
  await ssm.close();
  await sns.close();
});

/** The scenarios' config with every key in SSM, as the handler is deployed. */
function handlerConfig(override: (name: string) => string = parameterOf): Record<string, unknown> {
  const config = scenarioConfig(scenarios, portals.urlOf) as { portals: Record<string, unknown>[] };
  return { ...config, portals: config.portals.map((portal) => ({ ...portal, apiKey: { ssmParameter: override(portal.name as string) } })) };
}

/** What esbuild's `define` does at deploy time. */
function deployConfig(config: unknown): void {
  vi.stubEnv('MONITOR_CONFIG_JSON', JSON.stringify(config));
}

/** A fresh copy of the handler module, initialised from the current environment. */
async function loadHandler(): Promise<Handler> {
  vi.resetModules();
  const module = await import('../../functions/check/handler.ts');
  return module.handler;
}

/** The error a module init throws. */
async function initError(): Promise<Error> {
  try {
    await loadHandler();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the handler module to fail at init');
}

/** The error an invocation throws. */
async function invocationError(handler: Handler, event: unknown): Promise<Error> {
  try {
    await handler(event);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`expected ${JSON.stringify(event)} to be rejected`);
}

function jsonLines(chunks: readonly string[]): Record<string, unknown>[] {
  return chunks
    .join('')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The portals' EMF documents (the run's own document, with no `Portal`, is left out). */
function emfDocuments(): EmfDocument[] {
  return jsonLines(stdout).filter((line): line is EmfDocument => '_aws' in line && 'Portal' in line);
}

function logLines(): LogLine[] {
  return [...jsonLines(stdout), ...jsonLines(stderr)].filter((line): line is LogLine => !('_aws' in line));
}

function publishOf(portal: string): RecordedPublish | undefined {
  return sns.publishes.find((publish) => publish.MessageAttributes.portal?.StringValue === portal);
}

function notOk(): Scenario[] {
  return scenarios.filter((scenario) => scenario.expectedStatus !== 'OK');
}

/** Everything the run let out: output lines, what reached SNS, and what the caller got. */
function expectNoSecrets(...more: readonly unknown[]): void {
  const texts = [...stdout, ...stderr, ...sns.requests.map((request) => JSON.stringify(request.form)), ...more.map((value) => String(value instanceof Error ? `${value.message} ${value.stack}` : JSON.stringify(value)))];
  for (const text of texts) {
    for (const scenario of scenarios) expect(text).not.toContain(keyOf(scenario.name));
    expect(text).not.toContain('Bearer');
  }
}

describe('handler', () => {
  it('publishes exactly one alert per portal that is not OK, and none for OK portals, on a scheduled run', async () => {
    // Prepare
    const handler = await loadHandler();

    // Act
    const summary = await handler({ scheduledTime: new Date().toISOString() });

    // Assess
    expect(summary).toEqual({
      status: 'CRITICAL',
      portals: scenarios.length,
      alertsSent: notOk().length,
      statuses: Object.fromEntries(scenarios.map((scenario) => [scenario.name, scenario.expectedStatus])),
    });
    expect(sns.publishes).toHaveLength(notOk().length);
    expect(sns.publishes.map((publish) => publish.MessageAttributes.portal?.StringValue).sort()).toEqual(notOk().map((scenario) => scenario.name).sort());
    for (const scenario of notOk()) {
      const publish = publishOf(scenario.name)!;
      const status = scenario.expectedStatus as keyof typeof SEVERITY_OF;
      expect(publish.delivered).toBe(true);
      expect(publish.TopicArn).toBe(TOPIC_ARN);
      expect(publish.MessageStructure).toBe('json');
      expect(publish.Subject).toMatch(new RegExp(`^\\[${status}\\] DocSpace backup ${scenario.name}: [A-Z_ ]+`));
      expect(publish.MessageAttributes).toMatchObject({
        severity: { DataType: 'String', StringValue: SEVERITY_OF[status] },
        status: { DataType: 'String', StringValue: status },
        portal: { DataType: 'String', StringValue: scenario.name },
      });
      expect(new Set(publish.MessageAttributes.codes?.StringValue?.split(','))).toEqual(new Set(scenario.expectedCodes));
      const message = JSON.parse(publish.Message!) as Record<string, string>;
      expect(Object.keys(message).sort()).toEqual(['default', 'email', 'sms']);
      expect(JSON.parse(message.default!)).toMatchObject({ name: scenario.name, status });
    }
    // The keys came from SSM in one batched, decrypted GetParameters call, each name once…
    const calls = ssm.callsOf('GetParameters');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.body.WithDecryption).toBe(true);
    expect((calls[0]!.body.Names as string[]).slice().sort()).toEqual(scenarios.map((scenario) => parameterOf(scenario.name)).sort());
    expect(ssm.callsOf('GetParameter')).toHaveLength(0);
    // …and went to each portal, and only there.
    for (const request of portals.requests) expect(request.headers.authorization).toBe(`Bearer ${keyOf(request.portal!)}`);
    expect(new Set(portals.requests.map((request) => request.portal))).toEqual(new Set(scenarios.map((scenario) => scenario.name)));
  });

  it('writes one EMF document per portal, in the configured namespace, with the Portal dimension on every metric', async () => {
    // Prepare
    const handler = await loadHandler();
    const before = Date.now();

    // Act
    await handler({});

    // Assess
    const after = Date.now();
    const documents = emfDocuments();
    expect(documents.map((document) => document.Portal).sort()).toEqual(scenarios.map((scenario) => scenario.name).sort());
    for (const document of documents) {
      expect(document._aws.CloudWatchMetrics).toHaveLength(1);
      expect(document._aws.CloudWatchMetrics[0]!.Namespace).toBe(NAMESPACE);
      expect(document._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['service', 'Portal']]);
      expect(document.service).toBe(SERVICE);
      const scenario = scenarios.find((candidate) => candidate.name === document.Portal)!;
      const failed = scenario.expectedCodes.includes('CHECK_FAILED');
      expect(document.CheckFailed).toBe(failed ? 1 : 0);
      expect((document.CriticalFindings as number) > 0).toBe(scenario.expectedStatus === 'CRITICAL' || scenario.expectedStatus === 'UNKNOWN');
      expect((document.CriticalFindings as number) + (document.WarningFindings as number) > 0).toBe(scenario.expectedStatus !== 'OK');
    }
    // A portal that ran has its backup's age, in hours (unit None: CloudWatch has no hours).
    const compliant = documents.find((document) => document.Portal === 'compliant')!;
    const schedule = scenarios.find((scenario) => scenario.name === 'compliant')!.portal.schedule as { lastBackupTime: string };
    const lastBackup = Date.parse(`${schedule.lastBackupTime}Z`);
    expect(compliant._aws.CloudWatchMetrics[0]!.Metrics).toContainEqual({ Name: 'BackupAgeHours', Unit: 'None' });
    expect(compliant.BackupAgeHours).toBeGreaterThanOrEqual(Math.floor(((before - lastBackup) / HOUR_MS) * 100) / 100);
    expect(compliant.BackupAgeHours).toBeLessThanOrEqual(Math.ceil(((after - lastBackup) / HOUR_MS) * 100) / 100);
    // A portal that could not be read, or never ran, has no age.
    for (const name of ['key-revoked', 'unpaid', 'never-ran', 'no-schedule']) {
      expect(documents.find((document) => document.Portal === name)).not.toHaveProperty('BackupAgeHours');
    }
    expect(stderr.join('')).not.toContain('No application metrics');
  });

  it('logs one JSON line per portal and the summary, with the invocation context, and never a key or "Bearer"', async () => {
    // Prepare
    const handler = await loadHandler();
    const context: InvocationContext = {
      awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      functionName: 'docspace-backup-monitor-check',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:eu-central-1:123456789012:function:docspace-backup-monitor-check',
      memoryLimitInMB: '256',
    };

    // Act
    const summary = await handler({}, context);

    // Assess
    const lines = logLines();
    const checked = lines.filter((line) => line.message === 'portal checked');
    expect(checked.map((line) => line.portal).sort()).toEqual(scenarios.map((scenario) => scenario.name).sort());
    for (const line of checked) {
      const scenario = scenarios.find((candidate) => candidate.name === line.portal)!;
      expect(line).toMatchObject({ level: 'INFO', service: SERVICE, status: scenario.expectedStatus, function_request_id: context.awsRequestId });
      expect(new Set(line.codes as string[])).toEqual(new Set(scenario.expectedCodes));
    }
    expect(lines.filter((line) => line.message === 'check finished')).toEqual([expect.objectContaining({ ...summary, level: 'INFO' })]);
    expectNoSecrets(summary);
  });

  it('reuses the clients and the keys it read on a warm invocation', async () => {
    // Prepare
    const handler = await loadHandler();
    await handler({ portals: ['compliant'] });
    const portalRequestsOfOneRun = portals.requests.length;

    // Act
    const summary = await handler({ portals: ['compliant'] });

    // Assess
    expect(summary.statuses).toEqual({ compliant: 'OK' });
    expect(portals.requests).toHaveLength(2 * portalRequestsOfOneRun);
    expect(ssm.requests).toHaveLength(1);
  });

  it('checks only the portals the event names, and reads only their keys', async () => {
    // Prepare
    const handler = await loadHandler();

    // Act
    const summary = await handler({ portals: ['overdue', 'compliant'] });

    // Assess
    expect(summary).toEqual({ status: 'CRITICAL', portals: 2, alertsSent: 1, statuses: { compliant: 'OK', overdue: 'CRITICAL' } });
    expect(sns.publishes.map((publish) => publish.MessageAttributes.portal?.StringValue)).toEqual(['overdue']);
    expect(new Set(portals.requests.map((request) => request.portal))).toEqual(new Set(['overdue', 'compliant']));
    expect(ssm.requests.flatMap((request) => request.body.Names as string[]).sort()).toEqual([parameterOf('compliant'), parameterOf('overdue')]);
    expect(emfDocuments().map((document) => document.Portal).sort()).toEqual(['compliant', 'overdue']);
  });

  it('publishes one clearly marked test alert with severity critical, and checks no portal', async () => {
    // Prepare
    const handler = await loadHandler();

    // Act
    const summary = await handler({ action: 'test-alert' });

    // Assess
    expect(summary).toEqual({ status: 'TEST', portals: 0, alertsSent: 1, statuses: {} });
    expect(sns.publishes).toHaveLength(1);
    const publish = sns.publishes[0]!;
    expect(publish.delivered).toBe(true);
    expect(publish.TopicArn).toBe(TOPIC_ARN);
    expect(publish.Subject).toMatch(/^\[TEST\] .*no action needed/);
    expect(publish.MessageAttributes).toMatchObject({ severity: { DataType: 'String', StringValue: 'critical' }, status: { DataType: 'String', StringValue: 'TEST' } });
    expect(JSON.parse(JSON.parse(publish.Message!).default as string)).toMatchObject({ test: true });
    expect(portals.requests).toHaveLength(0);
    expect(ssm.requests).toHaveLength(0);
    expect(emfDocuments()).toHaveLength(0);
    expect(logLines().map((line) => line.message)).toContain('test alert published');
  });

  it.each([
    ['another host', { url: 'https://evil.example/' }, 'unsupported event: "url": unknown key'],
    ['a key next to the portals', { portals: ['compliant'], apiKey: 'sk-evil-0123456789' }, 'unsupported event: "apiKey": unknown key'],
    ['a string', 'compliant', 'unsupported event: must be a JSON object, got a string'],
    ['an array', ['compliant'], 'unsupported event: must be a JSON object, got an array'],
    ['an unknown action', { action: 'restore' }, 'unsupported event: action: must be "check", "test-alert", "digest", "monthly-report" or left out'],
    ['an unknown portal', { portals: ['compliant', 'initech'] }, `unknown portal "initech"; configured portals: compliant, overdue, drifted`],
  ])('rejects %s before reading a key, asking a portal or publishing', async (_case, event, problem) => {
    // Prepare
    const handler = await loadHandler();

    // Act
    const error = await invocationError(handler, event);

    // Assess
    expect(error.name).toBe('CheckEventError');
    expect(error.message).toContain(problem);
    expect(error.message).not.toContain('sk-evil-0123456789');
    expect(ssm.requests).toHaveLength(0);
    expect(portals.requests).toHaveLength(0);
    expect(sns.requests).toHaveLength(0);
  });

  it('fails after every portal was checked and every other alert published when one Publish is refused', async () => {
    // Prepare
    sns.failPublish(SnsErrors.authorization, { times: 1 });
    const handler = await loadHandler();

    // Act
    const error = await invocationError(handler, {});

    // Assess
    expect(sns.publishes).toHaveLength(notOk().length);
    const refused = sns.publishes.filter((publish) => !publish.delivered);
    expect(refused).toHaveLength(1);
    const portal = refused[0]!.MessageAttributes.portal!.StringValue!;
    expect(sns.delivered().map((publish) => publish.MessageAttributes.portal?.StringValue).sort()).toEqual(
      notOk().map((scenario) => scenario.name).filter((name) => name !== portal).sort(),
    );
    expect(error).toBeInstanceOf(AggregateError);
    expect(error.message).toBe(`1 alert(s) could not be published after every portal was checked: alert for portal ${portal} could not be published to ${TOPIC_ARN}: AuthorizationError`);
    expect((error as AggregateError).errors.map((failure: Error & { portal?: string }) => [failure.name, failure.portal])).toEqual([['AlertPublishError', portal]]);
    // Every portal was still checked, measured and logged.
    expect(new Set(portals.requests.map((request) => request.portal))).toEqual(new Set(scenarios.map((scenario) => scenario.name)));
    expect(emfDocuments()).toHaveLength(scenarios.length);
    expect(logLines().filter((line) => line.message === 'alert not delivered')).toEqual([expect.objectContaining({ level: 'ERROR', portal })]);
    expectNoSecrets(error);
  });

  it.each([
    ['GetParameters lists it as invalid', () => undefined, { GetParameters: 1, GetParameter: 0 }],
    [
      'SSM answers ParameterNotFound when each name is asked alone after the batch failed',
      () => ssm.failCalls(SsmErrors.kmsAccessDenied, { operation: 'GetParameters', times: 1 }),
      { GetParameters: 1, GetParameter: 9 },
    ],
  ])('alerts CHECK_FAILED API_KEY_UNAVAILABLE naming the parameter for a portal whose key is missing, when %s', async (_case, inject, calls) => {
    // Prepare
    const missing = '/docspace/compliant/api-key-rotated';
    deployConfig(handlerConfig((name) => (name === 'compliant' ? missing : parameterOf(name))));
    inject();
    const handler = await loadHandler();

    // Act
    const summary = await handler({});

    // Assess
    expect(ssm.callsOf('GetParameters')).toHaveLength(calls.GetParameters);
    expect(ssm.callsOf('GetParameter')).toHaveLength(calls.GetParameter);
    expect(summary.statuses).toEqual({ ...Object.fromEntries(scenarios.map((scenario) => [scenario.name, scenario.expectedStatus])), compliant: 'UNKNOWN' });
    expect(summary.alertsSent).toBe(notOk().length + 1);
    const publish = publishOf('compliant')!;
    expect(publish.Subject).toBe('[UNKNOWN] DocSpace backup compliant: CHECK_FAILED API_KEY_UNAVAILABLE');
    expect(publish.MessageAttributes).toMatchObject({ severity: { StringValue: 'critical' }, codes: { StringValue: 'CHECK_FAILED' } });
    const message = JSON.parse(publish.Message!) as Record<string, string>;
    expect(message.email).toContain(`SSM parameter ${missing} not found`);
    expect(JSON.parse(message.default!)).toMatchObject({ findings: [{ code: 'CHECK_FAILED', cause: 'API_KEY_UNAVAILABLE', source: 'apiKey' }] });
    // Without a key the portal is not asked at all; every other portal is checked as usual.
    expect(portals.requests.some((request) => request.portal === 'compliant')).toBe(false);
    for (const scenario of notOk()) expect(publishOf(scenario.name)?.MessageAttributes.status?.StringValue).toBe(scenario.expectedStatus);
  });
});

describe('handler module init', () => {
  it('fails with the path-by-path ConfigError when the deployed config does not fit the schema', async () => {
    // Prepare
    deployConfig({
      portals: [{ name: 'acme-prod', url: 'http://acme.example.com', apiKey: { ssmParameter: '/docspace/acme/api-key' } }],
      policy: { schedule: { period: 'EveryDay', hour: 25 }, graceMinute: 60 },
    });

    // Act
    const error = await initError();

    // Assess
    expect(error.name).toBe('ConfigError');
    expect(error.message).toBe(
      [
        'invalid config the deployed config (MONITOR_CONFIG_JSON):',
        '  - portals[0].url: must use https (http is allowed only for loopback hosts), got "http://acme.example.com"',
        '  - policy.schedule.hour: must be 0-23, got 25',
        '  - policy.graceMinute: unknown key (check its spelling in docs/CONFIG.md)',
      ].join('\n'),
    );
    expect(ssm.requests).toHaveLength(0);
    expect(sns.requests).toHaveLength(0);
  });

  it('fails with a ConfigError when the deployed config is not JSON', async () => {
    // Prepare
    vi.stubEnv('MONITOR_CONFIG_JSON', '{"portals": [}');

    // Act
    const error = await initError();

    // Assess
    expect(error.name).toBe('ConfigError');
    expect(error.message).toMatch(/^invalid config the deployed config \(MONITOR_CONFIG_JSON\):\n {2}- not valid JSON: /);
  });

  it('fails saying how the config gets there when none was inlined', async () => {
    // Prepare
    vi.stubEnv('MONITOR_CONFIG_JSON', undefined);

    // Act
    const error = await initError();

    // Assess
    expect(error.name).toBe('ConfigError');
    expect(error.message).toContain('is missing: the DocSpaceBackupMonitor construct inlines it into the bundle at deploy time');
  });

  it.each([
    ['missing', undefined, 'ALERT_TOPIC_ARN is not set: the function needs the ARN of the SNS topic alerts go to'],
    ['empty', '', 'ALERT_TOPIC_ARN is not set: the function needs the ARN of the SNS topic alerts go to'],
    [
      'a queue ARN',
      'arn:aws:sqs:eu-central-1:123456789012:alerts',
      'ALERT_TOPIC_ARN must be an SNS topic ARN such as "arn:aws:sns:eu-central-1:123456789012:docspace-backup-alerts", got "arn:aws:sqs:eu-central-1:123456789012:alerts"',
    ],
  ])('fails with a clear message when ALERT_TOPIC_ARN is %s', async (_case, value, message) => {
    // Prepare
    vi.stubEnv('ALERT_TOPIC_ARN', value);

    // Act
    const error = await initError();

    // Assess
    expect(error.message).toContain(message);
    expect(sns.requests).toHaveLength(0);
  });
});
