/**
 * Bench part 1, scale: a whole check of many simulated portals, each answering every request
 * after an added latency, run by the Lambda bundle (built as the construct builds it, with the
 * fleet's config inlined) in a fresh Node process, against a local SSM, SNS and DynamoDB (the
 * state table, as deployed). Measures the wall time, the peak RSS of that process (and when it
 * was reached), the SSM and DynamoDB calls and how many requests each portal, each host and SSM
 * had in flight; and the sequential loop of the API's code samples on a few portals.
 */
import { randomBytes } from 'node:crypto';
import diagnostics from 'node:diagnostics_channel';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import { createKeyReader } from '../functions/check/api-keys/composite-key-reader.ts';
import { parseConfig, type MonitorConfig } from '../functions/check/config.ts';
import { DocSpaceClient } from '../functions/check/docspace/client.ts';
import type { CheckDependencies } from '../functions/check/run-check.ts';
import { runCheck } from '../functions/check/run-check.ts';
import { FunctionEnv } from '../lib/constants.ts';
import { useFakeAwsEnvironment } from '../test/support/aws-env.ts';
import { startFakeSns } from '../test/support/fake-sns.ts';
import { startFakeSsm } from '../test/support/fake-ssm.ts';
import { startDynalite, type RecordedDynamoDbRequest } from '../test/support/dynalite.ts';
import { buildScenarios, SCENARIO_POLICY } from '../test/support/scenarios.ts';
import { startSimulatedPortals, type SimulatedPortal, type SimulatedPortals } from '../test/support/simulated-portal.ts';
import { handlerBuildOptions, runNode, swapTransport, type Scratch } from './bench-build.ts';

/** Requests of one portal that wait for each other: the client sends a portal's four at once. */
export const REQUESTS_IN_SERIES = 1;

/** Requests one portal gets in a check (schedule, progress, history, settings). */
export const REQUESTS_PER_PORTAL = 4;

/**
 * The V8 heap flags Lambda's Node.js runtime starts a function with (its bootstrap script: a
 * tenth of the memory for the young generation, half of that per semi-space, the rest for the
 * old generation), so a run here collects garbage as a function of that size would.
 *
 * @param memoryMb - the function's memory setting
 */
export function lambdaNodeArgs(memoryMb: number): string[] {
  const newSpace = Math.floor(memoryMb / 10);
  return [`--max-semi-space-size=${Math.floor(newSpace / 2)}`, `--max-old-space-size=${memoryMb - newSpace}`];
}

/** How a fleet is laid out and checked. */
export interface FleetOptions {
  readonly portals: number;
  readonly latencyMs: number;
  /** Left out of the config (so the default applies) when undefined. */
  readonly concurrency?: number;
  /** One loopback port per portal (distinct origins, like SaaS), or all portals behind one. */
  readonly hosts: 'one-per-portal' | 'shared';
  /** Extra `node` flags for the check process (e.g. V8 heap limits). */
  readonly nodeArgs?: readonly string[];
  /** A module to bundle instead of functions/check/docspace/undici.ts (a bench-shim-*.ts path). */
  readonly transportShim?: string;
}

/** What one fleet run measured. */
export interface FleetRun extends FleetOptions {
  /** The concurrency in force (the config's default when not set). */
  readonly effectiveConcurrency: number;
  /** From the handler call to its answer. */
  readonly wallMs: number;
  /** Importing the bundle: init, config validation included. */
  readonly initMs: number;
  /** portals / concurrency × requests in series × latency. */
  readonly idealMs: number;
  /** The check process's peak resident set size. */
  readonly peakRssBytes: number;
  /** Its peak RSS once the bundle was loaded, before the run. */
  readonly afterInitRssBytes: number;
  /** Peaks of the V8 heap and external memory during the run. */
  readonly memory: MemoryPeaks;
  /** RSS during the run: every 50 ms for the first 3 s, then every 500 ms. */
  readonly rssTimeline: readonly RssSample[];
  /** When the peak RSS was first seen, in ms after the handler was called. */
  readonly peakAtMs: number;
  /** The RSS of the sample before that one (50 ms before in the first 3 s, then 500 ms): what the peak rose from. */
  readonly rssBeforePeakBytes: number;
  /** The RSS at the end of the run. */
  readonly endRssBytes: number;
  readonly getParametersCalls: number;
  /** Calls to the state table, by operation (`BatchGetItem`, `PutItem`…). */
  readonly stateCalls: Readonly<Record<string, number>>;
  readonly getParameterCalls: number;
  readonly maxNamesPerCall: number;
  readonly okPortals: number;
  readonly alertsPublished: number;
  readonly requests: number;
  readonly maxInFlightPerPortal: number;
  readonly maxInFlightPerHost: number;
  readonly maxInFlightTotal: number;
  /** From the first SSM call to the last one arriving (the fake answers at once, so this shows the burst). */
  readonly ssmSpreadMs: number;
  /** Log lines the handler wrote (one JSON line per portal and a few more). */
  readonly logLines: number;
}

/** The sequential loop, measured on a few portals. */
export interface SequentialRun {
  readonly portals: number;
  readonly latencyMs: number;
  readonly wallMs: number;
  readonly okPortals: number;
}

/** Counts requests in flight per portal, per host and in all, from Node's HTTP server channels. */
class InFlightTracker {
  readonly #ports: ReadonlySet<string>;
  readonly #perPortal = new Map<string, number>();
  readonly #perHost = new Map<string, number>();
  readonly #keys = new WeakMap<IncomingMessage, readonly [string, string]>();
  #total = 0;
  public maxPerPortal = 0;
  public maxPerHost = 0;
  public maxTotal = 0;
  public requests = 0;
  public firstAt = Number.NaN;
  public lastAt = Number.NaN;

  /** @param ports - the ports of the portal servers (other servers, the SSM fake, are not counted) */
  public constructor(ports: ReadonlySet<string>) {
    this.#ports = ports;
  }

  readonly #start = (message: unknown): void => {
    const { request, server } = message as { request: IncomingMessage; server: Server };
    const host = String((server.address() as AddressInfo | null)?.port ?? '?');
    if (!this.#ports.has(host)) return;
    const portal = `${host}${(request.url ?? '/').split('/', 2).join('/')}`;
    this.#keys.set(request, [host, portal]);
    this.requests += 1;
    const now = performance.now();
    if (Number.isNaN(this.firstAt)) this.firstAt = now;
    this.lastAt = now;
    this.#total += 1;
    this.maxTotal = Math.max(this.maxTotal, this.#total);
    this.maxPerHost = Math.max(this.maxPerHost, bump(this.#perHost, host, 1));
    this.maxPerPortal = Math.max(this.maxPerPortal, bump(this.#perPortal, portal, 1));
  };

  readonly #finish = (message: unknown): void => {
    const { request } = message as { request: IncomingMessage };
    const keys = this.#keys.get(request);
    if (keys === undefined) return;
    this.#total -= 1;
    bump(this.#perHost, keys[0], -1);
    bump(this.#perPortal, keys[1], -1);
  };

  public start(): void {
    diagnostics.subscribe('http.server.request.start', this.#start);
    diagnostics.subscribe('http.server.response.finish', this.#finish);
  }

  public stop(): void {
    diagnostics.unsubscribe('http.server.request.start', this.#start);
    diagnostics.unsubscribe('http.server.response.finish', this.#finish);
  }
}

function bump(counts: Map<string, number>, key: string, by: number): number {
  const next = (counts.get(key) ?? 0) + by;
  counts.set(key, next);
  return next;
}

function portalName(index: number): string {
  return `p${String(index + 1).padStart(5, '0')}`;
}

/** Simulated portals that all look like the demo's compliant portal, each with its own key. */
function compliantPortals(count: number, latencyMs: number): { portals: Map<string, SimulatedPortal>; keys: Map<string, string> } {
  const keys = new Map<string, string>();
  const secret = randomBytes(8).toString('hex');
  for (let index = 0; index < count; index += 1) keys.set(portalName(index), `sk-bench-${secret}-${index}`);
  const compliant = buildScenarios(new Date(), () => 'unused').find((scenario) => scenario.name === 'compliant');
  if (compliant === undefined) throw new Error('test/support/scenarios.ts has no "compliant" scenario');
  const portals = new Map<string, SimulatedPortal>();
  for (const [name, apiKey] of keys) portals.set(name, { ...compliant.portal, apiKey, latencyMs });
  return { portals, keys };
}

/** Starts the portals: one server each, or one server for all. */
async function servePortals(portals: Map<string, SimulatedPortal>, hosts: FleetOptions['hosts']): Promise<{ servers: SimulatedPortals[]; urlOf: (name: string) => string }> {
  if (hosts === 'shared') {
    const server = await startSimulatedPortals(Object.fromEntries(portals));
    return { servers: [server], urlOf: (name) => server.urlOf(name) };
  }
  const servers: SimulatedPortals[] = [];
  const byName = new Map<string, SimulatedPortals>();
  const entries = [...portals];
  for (let start = 0; start < entries.length; start += 100) {
    const started = await Promise.all(entries.slice(start, start + 100).map(([name, portal]) => startSimulatedPortals({ [name]: portal })));
    started.forEach((server, offset) => {
      servers.push(server);
      byName.set((entries[start + offset] as [string, SimulatedPortal])[0], server);
    });
  }
  return { servers, urlOf: (name) => (byName.get(name) as SimulatedPortals).urlOf(name) };
}

/** What the check process runs: import the bundle (init), call the handler once, report (with RSS samples). */
const CHECK_PROCESS = `
const { pathToFileURL } = await import('node:url');
const peak = { heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
// Every 50 ms for the first seconds of the run, then every 500 ms: [ms since the run began, RSS, peak RSS].
const timeline = [];
let ticks = 0;
let runStarted;
const sample = () => {
  const usage = process.memoryUsage();
  for (const key of Object.keys(peak)) peak[key] = Math.max(peak[key], usage[key]);
  if (runStarted === undefined) return;
  const at = performance.now() - runStarted;
  if (at < 3000 || ticks++ % 10 === 0) timeline.push([Math.round(at), usage.rss, process.resourceUsage().maxRSS * 1024]);
};
const sampler = setInterval(sample, 50);
const started = performance.now();
const { handler } = await import(pathToFileURL(process.argv[1]).href);
const loaded = performance.now();
const afterInitRss = process.resourceUsage().maxRSS * 1024;
runStarted = loaded;
const summary = await handler({});
const finished = performance.now();
clearInterval(sampler);
sample();
const peakRssBytes = process.resourceUsage().maxRSS * 1024;
timeline.push([Math.round(finished - loaded), process.memoryUsage().rss, peakRssBytes]);
const statuses = Object.values(summary.statuses);
// Logs still queued for a busy pipe would be lost at exit: let them out first, so they are all counted.
await new Promise((resolve) => process.stdout.write('', resolve));
process.send({
  initMs: loaded - started,
  wallMs: finished - loaded,
  peakRssBytes,
  afterInitRssBytes: afterInitRss,
  peak,
  timeline,
  okPortals: statuses.filter((status) => status === 'OK').length,
}, () => process.exit(0));
`;

interface CheckProcessReport {
  readonly initMs: number;
  readonly wallMs: number;
  readonly peakRssBytes: number;
  readonly afterInitRssBytes: number;
  readonly peak: MemoryPeaks;
  readonly timeline: readonly RssSample[];
  readonly okPortals: number;
}

/** One RSS sample: ms since the handler was called, RSS then, and the peak RSS so far (bytes). */
export type RssSample = readonly [atMs: number, rssBytes: number, peakRssBytes: number];

/** Peaks of `process.memoryUsage()` members, sampled every 50 ms during the run. */
export interface MemoryPeaks {
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

/** When the peak was reached, what RSS it rose from, and the RSS at the end (from the samples). */
function whenPeaked(timeline: readonly RssSample[], peakRssBytes: number): Pick<FleetRun, 'peakAtMs' | 'rssBeforePeakBytes' | 'endRssBytes'> {
  const index = timeline.findIndex(([, , peak]) => peak >= peakRssBytes);
  const at = timeline[index];
  return {
    peakAtMs: at === undefined ? Number.NaN : at[0],
    rssBeforePeakBytes: index > 0 ? (timeline[index - 1] as RssSample)[1] : Number.NaN,
    endRssBytes: timeline.at(-1)?.[1] ?? Number.NaN,
  };
}

/**
 * Checks a fleet of compliant simulated portals with the Lambda bundle in a fresh process.
 *
 * @param scratch - where the bundle goes
 * @param options - the fleet
 */
export async function runFleet(scratch: Scratch, options: FleetOptions): Promise<FleetRun> {
  const { portals, keys } = compliantPortals(options.portals, options.latencyMs);
  const { servers, urlOf } = await servePortals(portals, options.hosts);
  const ssm = await startFakeSsm();
  const sns = await startFakeSns();
  const dynamodb = await startDynalite();
  const tracker = new InFlightTracker(new Set(servers.map((server) => new URL(server.baseUrl).port)));
  const ssmTracker = new InFlightTracker(new Set([new URL(ssm.endpoint).port]));
  try {
    for (const [name, key] of keys) ssm.putParameter(`/docspace/${name}/api-key`, key);
    const config: MonitorConfig = parseConfig({
      portals: [...keys.keys()].map((name) => ({ name, url: urlOf(name), apiKey: { ssmParameter: `/docspace/${name}/api-key` } })),
      policy: SCENARIO_POLICY,
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    });
    const folder = await scratch.folder(`fleet-${options.portals}-${options.hosts}-${options.concurrency ?? 'default'}`);
    const bundle = join(folder, 'index.mjs');
    await build(handlerBuildOptions(config, bundle, options.transportShim === undefined ? [] : [swapTransport(options.transportShim)]));

    const stateTable = await dynamodb.createStateTable(`bench-state-${options.portals}`);
    const restore = useFakeAwsEnvironment({ ssm: ssm.endpoint, sns: sns.endpoint });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
      [FunctionEnv.STATE_TABLE_NAME]: stateTable,
      [FunctionEnv.ALERT_TOPIC_ARN]: 'arn:aws:sns:eu-central-1:123456789012:docspace-bench-alerts',
      [FunctionEnv.POWERTOOLS_SERVICE_NAME]: 'docspace-backup-monitor',
      [FunctionEnv.POWERTOOLS_METRICS_NAMESPACE]: 'DocSpaceBackupMonitorBench',
    };
    restore();

    tracker.start();
    ssmTracker.start();
    const child = await runNode([...(options.nodeArgs ?? []), '--input-type=module', '-e', CHECK_PROCESS, bundle], env, 10 * 60_000, false);
    tracker.stop();
    ssmTracker.stop();
    const report = child.message as CheckProcessReport | undefined;
    if (child.code !== 0 || report === undefined)
      throw new Error(`the check process failed (exit ${child.code}): ${child.stderr.slice(0, 2000)}`);

    const getParameters = ssm.callsOf('GetParameters');
    const effectiveConcurrency = config.concurrency ?? 10;
    return {
      ...options,
      effectiveConcurrency,
      wallMs: report.wallMs,
      initMs: report.initMs,
      idealMs: (options.portals / effectiveConcurrency) * REQUESTS_IN_SERIES * options.latencyMs,
      peakRssBytes: report.peakRssBytes,
      afterInitRssBytes: report.afterInitRssBytes,
      memory: report.peak,
      rssTimeline: report.timeline,
      ...whenPeaked(report.timeline, report.peakRssBytes),
      getParametersCalls: getParameters.length,
      stateCalls: countStateCalls(dynamodb.requests),
      getParameterCalls: ssm.callsOf('GetParameter').length,
      maxNamesPerCall: Math.max(0, ...getParameters.map((call) => (Array.isArray(call.body.Names) ? call.body.Names.length : 0))),
      okPortals: report.okPortals,
      alertsPublished: sns.publishes.length,
      requests: tracker.requests,
      maxInFlightPerPortal: tracker.maxPerPortal,
      maxInFlightPerHost: tracker.maxPerHost,
      maxInFlightTotal: tracker.maxTotal,
      ssmSpreadMs: ssmTracker.lastAt - ssmTracker.firstAt,
      logLines: Number(child.stdout),
    };
  } finally {
    tracker.stop();
    ssmTracker.stop();
    await Promise.all([...servers.map((server) => server.close()), ssm.close(), sns.close(), dynamodb.close()]);
  }
}

/** The check's calls to the state table by operation (the bench's own table setup left out). */
function countStateCalls(requests: readonly RecordedDynamoDbRequest[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { operation } of requests) if (operation !== 'CreateTable' && operation !== 'DescribeTable') counts[operation] = (counts[operation] ?? 0) + 1;
  return counts;
}

/** Lets one call through at a time: the code samples await each request before the next. */
function oneRequestAtATime(client: DocSpaceClient): CheckDependencies['docspace'] {
  let queue: Promise<unknown> = Promise.resolve();
  const serial =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      const next = queue.then(() => call(...args));
      queue = next.catch(() => undefined);
      return next;
    };
  return {
    getSchedule: serial((target) => client.getSchedule(target)),
    getProgress: serial((target) => client.getProgress(target)),
    getHistory: serial((target) => client.getHistory(target)),
    getSettings: serial((target) => client.getSettings(target)),
  };
}

/**
 * The loop of the API's code samples: one portal after another, each request awaited before
 * the next. Runs the same engine (`runCheck`, concurrency 1) with the requests serialized.
 *
 * @param portals - how many portals to measure (the result is per portal)
 * @param latencyMs - added to every request
 */
export async function runSequentialLoop(portals: number, latencyMs: number): Promise<SequentialRun> {
  const fleet = compliantPortals(portals, latencyMs);
  const { servers, urlOf } = await servePortals(fleet.portals, 'one-per-portal');
  const client = new DocSpaceClient();
  try {
    const config = parseConfig({
      portals: [...fleet.keys.keys()].map((name) => ({ name, url: urlOf(name), apiKey: { env: `BENCH_${name.toUpperCase()}_KEY` } })),
      policy: SCENARIO_POLICY,
    });
    const env = Object.fromEntries([...fleet.keys].map(([name, key]) => [`BENCH_${name.toUpperCase()}_KEY`, key]));
    const started = performance.now();
    const run = await runCheck({ docspace: oneRequestAtATime(client), keys: createKeyReader({ ssm: false, env: { env } }) }, config, {
      now: new Date(),
      concurrency: 1,
    });
    const wallMs = performance.now() - started;
    return { portals, latencyMs, wallMs, okPortals: run.verdicts.filter((verdict) => verdict.status === 'OK').length };
  } finally {
    await client.close();
    await Promise.all(servers.map((server) => server.close()));
  }
}
