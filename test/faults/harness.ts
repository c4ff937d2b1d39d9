/**
 * The fault matrix's test bed: whole check runs over real loopback HTTP. A run has one faulty
 * portal (the victim: a compliant portal with one fault injected) and three healthy ones
 * (compliant, overdue, drifted) whose verdicts and alerts must come out as if nothing happened.
 * Keys come from the local SSM fake through the real `SsmKeyReader`, alerts go to the local SNS
 * fake through the real `SnsNotifier` (both via `AWS_ENDPOINT_URL_*`), and every portal's key is a
 * registered canary that must show up nowhere.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { expect } from 'vitest';
import { SnsNotifier } from '../../functions/check/alerts/sns-notifier.ts';
import { toGsm7 } from '../../functions/check/alerts/render-sms.ts';
import { SsmKeyReader } from '../../functions/check/api-keys/ssm-key-reader.ts';
import { parseConfig } from '../../functions/check/config.ts';
import type { AuthScheme } from '../../functions/check/docspace/authorization.ts';
import { DocSpaceClient, type DocSpaceClientOptions, type PortalTarget } from '../../functions/check/docspace/client.ts';
import type { CheckLogger } from '../../functions/check/logger.ts';
import type { Verdict } from '../../functions/check/policy/types.ts';
import { reportToJson, reportToText } from '../../functions/check/report/report.ts';
import { runCheck, type CheckDependencies, type CheckOptions, type CheckRun } from '../../functions/check/run-check.ts';
import { expectNoCanaryLeak, newCanaryKey, textOf } from '../support/canary.ts';
import { startFakeSns, type FakeSns, type RecordedPublish } from '../support/fake-sns.ts';
import { startFakeSsm, type FakeSsm } from '../support/fake-ssm.ts';
import { buildScenarios, SCENARIO_POLICY } from '../support/scenarios.ts';
import { FAKE_STACK_MARKER, startSimulatedPortals, type SimulatedPortal, type SimulatedPortals } from '../support/simulated-portal.ts';

/** An ordinary instant: Monday 2 March 2026, 10:00 in Berlin. */
export const NOW = new Date('2026-03-02T09:00:00Z');

/** The topic the fault runs publish to (the SNS fake accepts any). */
export const TOPIC_ARN = 'arn:aws:sns:eu-central-1:123456789012:docspace-backup-alerts';

/**
 * Small client limits, so a fault costs well under a second or two. undici checks body timeouts
 * on a coarse tick, so the request deadline stays well above the per-phase timeouts.
 */
export const FAULT_CLIENT_LIMITS = {
  connectTimeoutMs: 500,
  headersTimeoutMs: 400,
  bodyTimeoutMs: 400,
  requestTimeoutMs: 2_000,
  retryBaseDelayMs: 10,
  maxRetryDelayMs: 20,
} as const satisfies DocSpaceClientOptions;

/**
 * The limits every portal of a fault run is asked with, unless its row is about the faulty
 * portal's time limits (`smallLimits`): then that one portal has {@link FAULT_CLIENT_LIMITS}.
 * The deployed ones, so that a busy machine (the suite shares two cores with everything else)
 * cannot time out an answer and fail a row that is not about time.
 */
export const HEALTHY_CLIENT_LIMITS = { connectTimeoutMs: 5_000, headersTimeoutMs: 10_000, bodyTimeoutMs: 10_000, requestTimeoutMs: 20_000 } as const satisfies DocSpaceClientOptions;

/** The longest real pause between attempts: the client asks for more (Retry-After), the test records it. */
const MAX_REAL_WAIT_MS = 20;

/**
 * A real `DocSpaceClient` with {@link FAULT_CLIENT_LIMITS}; `waits` records every wait it asked for.
 *
 * @param waits - where the waits are recorded (clients of one run share it)
 */
export function faultClient(options: DocSpaceClientOptions = {}, waits: number[] = []): { readonly client: DocSpaceClient; readonly waits: number[] } {
  const client = new DocSpaceClient({
    ...FAULT_CLIENT_LIMITS,
    sleep: async (ms, signal) => {
      waits.push(ms);
      await delay(Math.min(ms, MAX_REAL_WAIT_MS), undefined, { signal });
    },
    ...options,
  });
  return { client, waits };
}

/** The healthy portals of every fault run and what they must come out as. */
export const HEALTHY = [
  { scenario: 'compliant', status: 'OK', codes: [] },
  { scenario: 'overdue', status: 'CRITICAL', codes: ['ARCHIVE_MISSING', 'BACKUP_OVERDUE'] },
  { scenario: 'drifted', status: 'WARNING', codes: ['RETENTION_TOO_LOW', 'SCHEDULE_MISMATCH', 'STORAGE_NOT_ALLOWED'] },
] as const;

/** A scenario portal's simulated portal and zone, as of {@link NOW}, expecting `key`. */
export function scenarioPortal(scenario: string, key: string, now: Date = NOW): { readonly portal: SimulatedPortal; readonly timeZone?: string } {
  const found = buildScenarios(now, () => key).find((candidate) => candidate.name === scenario);
  if (found === undefined) throw new Error(`no scenario ${scenario}`);
  return { portal: found.portal, timeZone: found.timeZone };
}

/** The wire schedule of the compliant scenario, for faults that reshape it. */
export function compliantSchedule(now: Date = NOW): Record<string, unknown> {
  return { ...(scenarioPortal('compliant', 'unused-key-000000', now).portal.schedule as Record<string, unknown>) };
}

/** One portal of a fault run. */
export interface RunPortal {
  readonly name: string;
  /** The key the monitor holds (in SSM); a registered canary. */
  readonly key: string;
  readonly portal: SimulatedPortal;
  readonly timeZone?: string;
  /** Set to point the config somewhere other than the simulated portal (a closed port). */
  readonly url?: string;
  /** How the key is sent. @default - the config's default (`auto`) */
  readonly scheme?: AuthScheme;
}

/** The victim: the compliant portal with one fault, as the test describes it. */
export interface VictimFault {
  /** Replaces members of the compliant portal (an endpoint's behaviour, the key it accepts); given the victim's key. */
  readonly portal?: Partial<SimulatedPortal> | ((key: string) => Partial<SimulatedPortal>);
  /** The victim's URL instead of the simulated portal's (a closed port). */
  readonly url?: string;
  /** The victim's key. @default - a new canary key (`sk-canary-…`) */
  readonly key?: string;
  /** How the victim's key is sent. @default - the config's default (`auto`) */
  readonly scheme?: AuthScheme;
}

/** What a fault run gives the assertions. */
export interface FaultRun {
  readonly run: CheckRun;
  readonly server: SimulatedPortals;
  /** The victim's name; the healthy portals are `<prefix>-compliant`, `-overdue`, `-drifted`. */
  readonly victim: string;
  readonly portals: readonly RunPortal[];
  /** Every Publish of this run's portals, failed ones included. */
  readonly publishes: readonly RecordedPublish[];
  /** Every SNS request of this run's portals, raw. */
  readonly snsRequests: readonly string[];
  /** The engine's log lines, `level message {attributes}`. */
  readonly logs: readonly string[];
  /** The same, as entries. */
  readonly logEntries: readonly LogEntry[];
  /** Every wait the client asked for. */
  readonly waits: readonly number[];
}

/** The AWS fakes a fault run talks to (started by the test file, shared by its tests). */
export interface AwsFakes {
  readonly ssm: FakeSsm;
  readonly sns: FakeSns;
}

/** Starts a local SSM and SNS, for a test file's `beforeAll`. */
export async function startAwsFakes(): Promise<AwsFakes> {
  return { ssm: await startFakeSsm(), sns: await startFakeSns() };
}

/** Stops what {@link startAwsFakes} started, for a test file's `afterAll`. */
export async function stopAwsFakes(aws: AwsFakes): Promise<void> {
  await aws.ssm.close();
  await aws.sns.close();
}

/** One log entry as the engine wrote it. */
export interface LogEntry {
  readonly level: string;
  readonly message: string;
  readonly attributes: Record<string, unknown>;
}

/** A logger that keeps its entries, and each as a line `level message {attributes}`. */
export function recordingLogger(): { readonly lines: string[]; readonly entries: LogEntry[]; readonly logger: CheckLogger } {
  const lines: string[] = [];
  const entries: LogEntry[] = [];
  const log = (level: string) => (message: string, attributes: Record<string, unknown> = {}) => {
    entries.push({ level, message, attributes });
    lines.push(`${level} ${message} ${JSON.stringify(attributes)}`);
  };
  return { lines, entries, logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') } };
}

/** Every string inside a value (object members and array items, recursively; keys included). */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, member]) => [key, ...stringsIn(member)]);
  return [];
}

/** The SSM parameter a fault run keeps a portal's key in. */
export function parameterOf(name: string): string {
  return `/faults/${name}/api-key`;
}

/** Options of {@link runWithFault}. */
export interface FaultRunOptions {
  /** Client limits on top of {@link FAULT_CLIENT_LIMITS} (and of {@link HEALTHY_CLIENT_LIMITS}). */
  readonly client?: DocSpaceClientOptions;
  /**
   * The row is about the faulty portal's time limits: it is asked with {@link FAULT_CLIENT_LIMITS}.
   *
   * @default false - every portal is asked with {@link HEALTHY_CLIENT_LIMITS}
   */
  readonly smallLimits?: boolean;
  /** Wraps the client (to throw where nothing else can). */
  readonly wrap?: (docspace: CheckDependencies['docspace']) => CheckDependencies['docspace'];
  /** Run options on top of `{ now: NOW }`. */
  readonly check?: Partial<CheckOptions>;
  /** More portals the server serves but the config does not name, given the victim's key. */
  readonly alsoServe?: (victimKey: string) => Record<string, SimulatedPortal>;
}

/**
 * One whole check run with a faulty portal next to the healthy ones: keys read from the SSM
 * fake, alerts published to the SNS fake, the portals served on loopback.
 *
 * @param prefix - makes this run's portal names unique (the row id, lowercase)
 * @param fault - what is wrong with the victim
 */
export async function runWithFault(aws: AwsFakes, prefix: string, fault: VictimFault, options: FaultRunOptions = {}): Promise<FaultRun> {
  const victim = `${prefix}-victim`;
  const victimKey = fault.key ?? newCanaryKey(victim);
  const healthy = HEALTHY.map(({ scenario }) => {
    const name = `${prefix}-${scenario}`;
    const key = newCanaryKey(name);
    return { name, key, ...scenarioPortal(scenario, key) };
  });
  const changes = typeof fault.portal === 'function' ? fault.portal(victimKey) : fault.portal;
  const victimPortal: SimulatedPortal = { ...scenarioPortal('compliant', victimKey).portal, ...changes };
  const result = await runPortals(aws, [{ name: victim, key: victimKey, portal: victimPortal, url: fault.url, scheme: fault.scheme }, ...healthy], {
    ...options,
    alsoServe: options.alsoServe && (() => options.alsoServe!(victimKey)),
    healthy: new Set([...healthy.map(({ name }) => name), ...(options.smallLimits === true ? [] : [victim])]),
  });
  return { ...result, victim };
}

/** Options of {@link runPortals}. */
export type PortalsRunOptions = Omit<FaultRunOptions, 'alsoServe'> & {
  /** More portals the server serves but the config does not name. */
  readonly alsoServe?: () => Record<string, SimulatedPortal>;
  /** More top-level config (`concurrency`). */
  readonly config?: Record<string, unknown>;
  /** Portals asked with {@link HEALTHY_CLIENT_LIMITS} instead of the fault limits. */
  readonly healthy?: ReadonlySet<string>;
};

/** One client for the portals in `healthy`, another (the fault client) for the rest. */
function routedClient(options: PortalsRunOptions): { readonly docspace: CheckDependencies['docspace']; readonly waits: number[]; close(): Promise<void> } {
  const fault = faultClient(options.client);
  if (options.healthy === undefined || options.healthy.size === 0) return { docspace: fault.client, waits: fault.waits, close: () => fault.client.close() };
  const healthy = faultClient({ ...options.client, ...HEALTHY_CLIENT_LIMITS }, fault.waits);
  const route = (target: PortalTarget) => (options.healthy!.has(target.name) ? healthy.client : fault.client);
  return {
    docspace: {
      getSchedule: (target) => route(target).getSchedule(target),
      getProgress: (target) => route(target).getProgress(target),
      getHistory: (target) => route(target).getHistory(target),
      getSettings: (target) => route(target).getSettings(target),
    },
    // Both clients record here: every wait of the run, as with one client.
    waits: fault.waits,
    close: async () => {
      await Promise.all([fault.client.close(), healthy.client.close()]);
    },
  };
}

/**
 * One whole check run of these portals: each key stored in the SSM fake and read by the real
 * `SsmKeyReader`, alerts published to the SNS fake by the real `SnsNotifier`.
 *
 * @param portals - the portals, in config order
 */
export async function runPortals(aws: AwsFakes, portals: readonly RunPortal[], options: PortalsRunOptions = {}): Promise<Omit<FaultRun, 'victim'>> {
  const served: Record<string, SimulatedPortal> = { ...options.alsoServe?.(), ...Object.fromEntries(portals.map(({ name, portal }) => [name, portal])) };
  const server = await startSimulatedPortals(served);
  for (const { name, key } of portals) aws.ssm.putParameter(parameterOf(name), key);

  const config = parseConfig({
    portals: portals.map(({ name, url, timeZone, scheme }) => ({
      name,
      url: url ?? server.urlOf(name),
      apiKey: { ssmParameter: parameterOf(name), ...(scheme ? { scheme } : {}) },
      ...(timeZone ? { timeZone } : {}),
    })),
    policy: SCENARIO_POLICY,
    ...options.config,
  });
  const { docspace: client, waits, close } = routedClient(options);
  const { lines, entries, logger } = recordingLogger();
  const names = new Set(portals.map(({ name }) => name));
  try {
    const run = await runCheck(
      {
        docspace: options.wrap ? options.wrap(client) : client,
        keys: new SsmKeyReader({ cacheTtlMs: 0 }),
        notifier: new SnsNotifier({ topicArn: TOPIC_ARN }),
        logger,
      },
      config,
      { now: NOW, ...options.check },
    );
    const ours = (portal: string | undefined) => portal !== undefined && names.has(portal);
    return {
      run,
      server,
      portals,
      publishes: aws.sns.publishes.filter((publish) => ours(publish.MessageAttributes.portal?.StringValue)),
      snsRequests: aws.sns.requests.filter((request) => ours(portalOf(request.form))).map((request) => JSON.stringify(request.form)),
      logs: lines,
      logEntries: entries,
      waits,
    };
  } finally {
    await close();
    await server.close();
  }
}

/** The portal a raw SNS request's attributes name. */
function portalOf(form: Record<string, string>): string | undefined {
  for (let index = 1; form[`MessageAttributes.entry.${index}.Name`] !== undefined; index += 1) {
    if (form[`MessageAttributes.entry.${index}.Name`] === 'portal') return form[`MessageAttributes.entry.${index}.Value.StringValue`];
  }
  return undefined;
}

/** A verdict by portal name. */
export function verdictOf(run: CheckRun, name: string): Verdict {
  const verdict = run.verdicts.find((candidate) => candidate.portal === name);
  if (verdict === undefined) throw new Error(`no verdict for ${name}`);
  return verdict;
}

/** A verdict's codes, each once, sorted. */
export function codesOf(verdict: Verdict): string[] {
  return [...new Set(verdict.findings.map((finding) => finding.code))].sort();
}

/** The `CHECK_FAILED` finding of a verdict. */
export function checkFailedOf(verdict: Verdict) {
  const finding = verdict.findings.find((candidate) => candidate.code === 'CHECK_FAILED');
  if (finding === undefined) throw new Error(`${verdict.portal} has no CHECK_FAILED finding: ${JSON.stringify(verdict.findings.map((f) => f.code))}`);
  return finding;
}

/** The requests one portal received for one endpoint. */
export function requestsTo(server: SimulatedPortals, portal: string, endpoint: string) {
  return server.requests.filter((request) => request.portal === portal && request.endpoint === endpoint);
}

/**
 * Nothing was lost: every portal has a verdict and a log line; the healthy portals have their
 * usual status and codes; every portal that is not OK got exactly one delivered alert with its
 * status, and no OK portal got one; no alert failed.
 */
export function expectNothingLost(result: Omit<FaultRun, 'victim'> & { readonly victim?: string }): void {
  const { run, portals, publishes, logs } = result;
  expect(run.verdicts.map((verdict) => verdict.portal)).toEqual(portals.map(({ name }) => name));
  for (const { name } of portals) expect(logs.filter((line) => line.startsWith('info portal checked ') && line.includes(`"portal":"${name}"`))).toHaveLength(1);
  const prefix = (result.victim ?? '').replace(/-victim$/, '');
  for (const { scenario, status, codes } of result.victim === undefined ? [] : HEALTHY) {
    const name = `${prefix}-${scenario}`;
    if (!portals.some((portal) => portal.name === name)) continue;
    const verdict = verdictOf(run, name);
    expect([verdict.portal, verdict.status, codesOf(verdict)]).toEqual([name, status, codes]);
  }
  const notOk = run.verdicts.filter((verdict) => verdict.status !== 'OK');
  expect(publishes.filter((publish) => publish.delivered).map((publish) => [publish.MessageAttributes.portal?.StringValue, publish.MessageAttributes.status?.StringValue]).sort()).toEqual(
    notOk.map((verdict) => [verdict.portal, verdict.status]).sort(),
  );
  expect(run.alertsSent).toBe(notOk.length);
  expect(run.publishFailures).toEqual([]);
}

/** Every text a run let out: verdicts, both reports, SNS requests, log lines, publish failures. */
export function outputsOf(result: Pick<FaultRun, 'run' | 'snsRequests' | 'logs'>): Record<string, string> {
  return {
    verdicts: textOf(result.run.verdicts),
    'the JSON report': JSON.stringify(reportToJson(result.run)),
    'the text report': reportToText(result.run),
    'the SNS requests': result.snsRequests.join('\n'),
    'the log lines': result.logs.join('\n'),
    'the publish failures': result.run.publishFailures.map(textOf).join('\n'),
  };
}

/** No key, no `Bearer sk-`, no server stack trace in anything the run let out. */
export function expectNothingLeaked(result: Pick<FaultRun, 'run' | 'snsRequests' | 'logs'>): void {
  for (const [where, text] of Object.entries(outputsOf(result))) {
    expectNoCanaryLeak(text, where);
    expect(text, where).not.toContain(FAKE_STACK_MARKER);
    expect(text, where).not.toMatch(/\bat ASC\.|\bat MySqlConnector\./);
  }
}

/** Characters no channel may carry from a portal: control, format (bidi, zero-width) and separators; `\n` allowed where noted. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** The alert as SNS got it: subject, and the `default`, `email` and `sms` messages. */
export function alertOf(publish: RecordedPublish): { subject: string; json: string; email: string; sms: string } {
  const message = JSON.parse(publish.Message ?? '{}') as Record<string, string>;
  return { subject: publish.Subject ?? '', json: message.default ?? '', email: message.email ?? '', sms: message.sms ?? '' };
}

/**
 * Each channel got text it can carry: a subject of 1-99 printable ASCII characters, an SMS of at
 * most 160 GSM-7 characters, an e-mail whose only control character is the line break, JSON and
 * log entries whose strings hold no control, format or separator character.
 */
export function expectChannelSafe(publish: RecordedPublish, logEntries: readonly LogEntry[]): void {
  const { subject, email, sms, json } = alertOf(publish);
  expect(subject).toMatch(/^[\x20-\x7e]{1,99}$/);
  expect(toGsm7(sms)).toBe(sms);
  expect(sms.length).toBeLessThanOrEqual(160);
  expect(email.replace(/\n/g, ' ')).not.toMatch(UNSAFE);
  for (const text of stringsIn(JSON.parse(json))) expect(text).not.toMatch(UNSAFE);
  for (const entry of logEntries) for (const text of stringsIn(entry)) expect(text).not.toMatch(UNSAFE);
}
