/**
 * `npm run bench`: how the monitor does at scale, in one run, on loopback only (127.0.0.1).
 *
 * 1. Scale: a whole check of 1,000 simulated portals (200 ms added to every request) by the
 *    Lambda bundle with the default settings, against the ideal for the configured concurrency
 *    and against the sequential loop of the API's code samples (measured on a few portals and
 *    extrapolated); peak RSS as a 128 MB function (the median of several runs, and when it was
 *    reached); SSM calls; requests in flight per portal, per host and to SSM. Comparisons: the
 *    HTTP edge before this change, a node:http edge (not used), and V8 without its optimizing
 *    compiler for WebAssembly (a diagnostic: what undici's llhttp parser costs when optimized).
 * 2. Cold start: the bundle as `cdk synth` builds it, its median module-load time in fresh Node
 *    processes against a floor bundle of the SSM and SNS clients as the Lambda runtime provides
 *    them (and, for information, the same floor with its SDK bundled as the handler's), each
 *    dependency's bytes, undici's parts, the SDK commands bundled, the handler with the
 *    runtime's SDK as it was built before, and the same comparisons of the HTTP edge.
 * 3. CPU per portal: the verdict and the alert rendering, in microseconds.
 * 4. CLI start-up: `docspace-backup-monitor --help` and a `check` of one simulated portal, the
 *    compiled command, against `node -e 0` in the same run (and, as comparisons, the CLI compiled
 *    module by module with tsc, and run through tsx as before): scripts/bench-cli.ts.
 * 5. Compliance report: a year of daily runs of 1,000 portals written as `check --archive`
 *    writes them, read and summarized by `readCompliance` in a process with a small heap, each
 *    format rendered, and the real CLI's `report --format html` once (scripts/bench-report.ts).
 *
 * Prints each target with PASS/FAIL. Not a test: nothing here is asserted in CI.
 *
 * Options: --portals N (1000), --latency MS (200), --sequential N (10), --runs N (21, fresh
 * processes per bundle), --rss-runs N (5 checks as a 128 MB function; the median counts),
 * --no-comparisons (skip the comparison runs of parts 1 and 4), --no-client-tests (skip the client's
 * tests per comparison), --cli-runs N (11 fresh processes per CLI variant), --json FILE (write
 * every figure), --only report (part 5 alone, about a minute), --report-portals N (1000),
 * --report-heap MB (64: the heap the summary runs in), --no-report-cli (skip the CLI's run of
 * part 5). `npm run bench:cli` runs part 4 alone.
 */
import { writeFile } from 'node:fs/promises';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { MAX_GET_PARAMETERS_IN_FLIGHT } from '../functions/check/api-keys/ssm-key-reader.ts';
import { DEFAULT_CONCURRENCY } from '../functions/check/config.ts';
import { kilobytes, makeScratch, median, PROJECT_ROOT } from './bench-build.ts';
import { dependencyGroups, measureBundles, type BundleMeasure, type BundleReport } from './bench-bundle.ts';
import { measureCliStartup, type CliReport } from './bench-cli.ts';
import { measureCpu, type CpuMeasure } from './bench-cpu.ts';
import { printReportBench, reportTargets, runReportBench, type ReportBench } from './bench-report.ts';
import { lambdaNodeArgs, REQUESTS_IN_SERIES, REQUESTS_PER_PORTAL, runFleet, runSequentialLoop, type FleetRun, type SequentialRun } from './bench-scale.ts';

/** The construct's default memory (lib/docspace-backup-monitor.ts, `memorySize`). */
const DEPLOYED_MEMORY_MB = 512;
/** The smallest Lambda, which the RSS target is about. */
const TARGET_MEMORY_MB = 128;
/** Lambda's hard limit on one invocation. */
const LAMBDA_LIMIT_MS = 15 * 60_000;
/** The share of that limit a fleet may plan to use. */
const SAFETY_SHARE = 0.5;

const { values } = parseArgs({
  options: {
    portals: { type: 'string', default: '1000' },
    latency: { type: 'string', default: '200' },
    sequential: { type: 'string', default: '10' },
    runs: { type: 'string', default: '21' },
    'cli-runs': { type: 'string', default: '11' },
    'rss-runs': { type: 'string', default: '5' },
    'no-comparisons': { type: 'boolean', default: false },
    'no-client-tests': { type: 'boolean', default: false },
    json: { type: 'string' },
    only: { type: 'string' },
    'report-portals': { type: 'string', default: '1000' },
    'report-heap': { type: 'string', default: '64' },
    'no-report-cli': { type: 'boolean', default: false },
  },
});

function wholeNumber(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`--${name} must be a whole number ${min}-${max}, got ${text}`);
  return value;
}

const portals = wholeNumber('portals', values.portals, 10, 5000);
const latencyMs = wholeNumber('latency', values.latency, 1, 2000);
const sequentialPortals = wholeNumber('sequential', values.sequential, 1, 50);
const runs = wholeNumber('runs', values.runs, 3, 51);
const rssRuns = wholeNumber('rss-runs', values['rss-runs'], 1, 9);
const cliRuns = wholeNumber('cli-runs', values['cli-runs'], 3, 51);
const reportOptions = {
  portals: wholeNumber('report-portals', values['report-portals'], 10, 5000),
  heapLimitMb: wholeNumber('report-heap', values['report-heap'], 16, 4096),
  cli: !values['no-report-cli'],
};
if (values.only !== undefined && values.only !== 'report') throw new Error(`--only must be report, got ${values.only}`);

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const megabytes = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const ratio = (value: number): string => `${value.toFixed(2)}x`;
const pad = (text: string, width: number): string => text.padEnd(width);

interface Target {
  readonly name: string;
  readonly measured: string;
  readonly limit: string;
  /** `undefined`: shown for information, not a target. */
  readonly pass: boolean | undefined;
}

function printTable(rows: readonly (readonly string[])[]): void {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  for (const row of rows) console.log(`  ${row.map((cell, column) => pad(cell, widths[column] ?? 0)).join('  ')}`.trimEnd());
}

function machine(): Record<string, string> {
  const cores = cpus();
  return {
    date: new Date().toISOString(),
    cpu: `${cores[0]?.model.trim() ?? 'unknown'} x${cores.length}`,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB total, ${(freemem() / 2 ** 30).toFixed(1)} GiB free`,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: loadavg()
      .map((load) => load.toFixed(2))
      .join(' '),
  };
}

const started = performance.now();
// The bench's own SDK clients (the local DynamoDB's) run on whatever Node runs the bench; the
// SDK's notice about older Node versions is not a figure.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const before = machine();
console.log('DocSpace backup monitor benchmark (loopback only, 127.0.0.1)');
console.log(`  ${before.date}  ${before.cpu}  ${before.memory}  Node ${before.node}  ${before.platform}  load ${before.loadAverage}\n`);

if (values.only === 'report') {
  console.log(`5. Compliance report: ${reportOptions.portals} portals, a year of daily runs`);
  const report = await runReportBench(reportOptions);
  console.log(`\nRESULTS (${new Date().toISOString()}, load average ${machine().loadAverage})\n`);
  printReportBench(report, printTable);
  const targets = reportTargets(report);
  console.log('TARGETS');
  printTable([['target', 'measured', 'limit', 'result'], ...targets.map((target) => [target.name, target.measured, target.limit, target.pass === undefined ? 'info' : target.pass ? 'PASS' : 'FAIL'])]);
  console.log(`\nbench took ${seconds(performance.now() - started)}`);
  if (values.json !== undefined) {
    await writeFile(values.json, `${JSON.stringify({ machine: before, options: reportOptions, report, targets }, null, 2)}\n`);
    console.log(`figures written to ${values.json}`);
  }
  process.exit(0);
}

/** A fleet run with its label in the tables. */
interface LabelledRun {
  readonly label: string;
  readonly run: FleetRun;
}

const scratch = await makeScratch();
let main: FleetRun;
const small: FleetRun[] = [];
const comparisons: LabelledRun[] = [];
let shared: FleetRun;
let wide: FleetRun;
let sequential: SequentialRun;
let bundles: BundleReport;
let cpu: CpuMeasure[];
let cli: CliReport;
let report: ReportBench;
try {
  // 1. Scale.
  console.log(`1. Scale: ${portals} portals, ${latencyMs} ms added to every request`);
  main = await runFleet(scratch, { portals, latencyMs, hosts: 'one-per-portal', nodeArgs: lambdaNodeArgs(DEPLOYED_MEMORY_MB) });
  console.log(`   default settings, ${DEPLOYED_MEMORY_MB} MB heap flags: ${seconds(main.wallMs)}`);
  for (let run = 1; run <= rssRuns; run += 1) {
    small.push(await runFleet(scratch, { portals, latencyMs, hosts: 'one-per-portal', nodeArgs: lambdaNodeArgs(TARGET_MEMORY_MB) }));
    console.log(`   as a ${TARGET_MEMORY_MB} MB function (${run}/${rssRuns}): ${seconds(small.at(-1)?.wallMs ?? Number.NaN)}, peak RSS ${megabytes(small.at(-1)?.peakRssBytes ?? Number.NaN)}`);
  }
  if (!values['no-comparisons']) {
    for (const [label, options] of [
      ['first bench: undici index, one Agent, idle connections kept', { transportShim: `${PROJECT_ROOT}/scripts/bench-shim-undici-index.ts` }],
      ['comparison, not used: HTTP edge on node:http', { transportShim: `${PROJECT_ROOT}/scripts/bench-shim-node-http.ts` }],
      ['diagnostic: V8 never optimizes WebAssembly (--liftoff-only)', { extraNodeArgs: ['--liftoff-only'] }],
    ] as const) {
      const run = await runFleet(scratch, {
        portals,
        latencyMs,
        hosts: 'one-per-portal',
        nodeArgs: [...lambdaNodeArgs(TARGET_MEMORY_MB), ...('extraNodeArgs' in options ? options.extraNodeArgs : [])],
        ...('transportShim' in options ? { transportShim: options.transportShim } : {}),
      });
      comparisons.push({ label: `${label} (${TARGET_MEMORY_MB} MB)`, run });
      console.log(`   ${label}: ${seconds(run.wallMs)}, peak RSS ${megabytes(run.peakRssBytes)}`);
    }
  }
  const sharedPortals = Math.min(portals, 200);
  shared = await runFleet(scratch, { portals: sharedPortals, latencyMs, hosts: 'shared', nodeArgs: lambdaNodeArgs(DEPLOYED_MEMORY_MB) });
  console.log(`   ${sharedPortals} portals behind one host (self-hosted): ${seconds(shared.wallMs)}`);
  wide = await runFleet(scratch, { portals: portals * 2, latencyMs, hosts: 'one-per-portal', concurrency: 50, nodeArgs: lambdaNodeArgs(DEPLOYED_MEMORY_MB) });
  console.log(`   ${portals * 2} portals at concurrency 50: ${seconds(wide.wallMs)}`);
  sequential = await runSequentialLoop(sequentialPortals, latencyMs);
  console.log(`   sequential loop, ${sequentialPortals} portals: ${seconds(sequential.wallMs)}\n`);

  // 2. Cold start.
  console.log(`2. Cold start: cdk synth, bundles, ${runs} fresh processes per bundle`);
  bundles = await measureBundles(scratch, { runs, clientTests: !values['no-client-tests'] });
  console.log(`   done (cdk synth ${seconds(bundles.synthMs)})\n`);

  // 3. CPU.
  console.log('3. CPU per portal');
  cpu = measureCpu();
  console.log('   done\n');

  // 4. CLI start-up.
  console.log(`4. CLI start-up: ${cliRuns} fresh processes per variant`);
  cli = await measureCliStartup(cliRuns, !values['no-comparisons']);
  console.log('   done\n');

  // 5. Compliance report.
  console.log(`5. Compliance report: ${reportOptions.portals} portals, a year of daily runs`);
  report = await runReportBench(reportOptions);
  console.log('   done\n');
} finally {
  await scratch.remove();
}

const sequentialPerPortalMs = sequential.wallMs / sequential.portals;
const sequentialMs = sequentialPerPortalMs * portals;
const speedup = sequentialMs / main.wallMs;
const ssmBatches = Math.ceil(portals / 10);
const perPortalSlotMs = (main.wallMs * main.effectiveConcurrency) / portals;
const smallPeakBytes = median(small.map((run) => run.peakRssBytes));
const smallMedian = [...small].sort((a, b) => a.peakRssBytes - b.peakRssBytes)[Math.floor((small.length - 1) / 2)] as FleetRun;

console.log(`RESULTS (${new Date().toISOString()}, load average ${machine().loadAverage})\n`);
console.log(`1. Scale: ${portals} portals, ${latencyMs} ms per request, each portal its own loopback port (its own origin, as in SaaS)`);
const scaleRows: LabelledRun[] = [
  { label: `default settings (${DEPLOYED_MEMORY_MB} MB heap flags)`, run: main },
  ...small.map((run, index) => ({ label: `as a ${TARGET_MEMORY_MB} MB function, run ${index + 1}/${small.length}`, run })),
  ...comparisons,
  { label: 'all portals behind one host (self-hosted)', run: shared },
  { label: 'twice the portals, concurrency 50', run: wide },
];
printTable([
  ['run', 'portals', 'concurrency', 'wall', 'ideal', 'wall/ideal', 'peak RSS', 'at', 'rose from', 'RSS at end', 'heap peak', 'OK', 'in flight: per portal / host / all'],
  ...scaleRows.map(({ label, run }) => [
    label,
    String(run.portals),
    String(run.effectiveConcurrency),
    seconds(run.wallMs),
    seconds(run.idealMs),
    ratio(run.wallMs / run.idealMs),
    megabytes(run.peakRssBytes),
    seconds(run.peakAtMs),
    megabytes(run.rssBeforePeakBytes),
    megabytes(run.endRssBytes),
    megabytes(run.memory.heapTotal),
    `${run.okPortals}/${run.portals}`,
    `${run.maxInFlightPerPortal} / ${run.maxInFlightPerHost} / ${run.maxInFlightTotal}`,
  ]),
]);
console.log(`  ideal = portals / concurrency x requests in series (${REQUESTS_IN_SERIES}: a portal's ${REQUESTS_PER_PORTAL} requests go out together) x latency`);
console.log(`  peak RSS "at": seconds after the handler was called; "rose from": the RSS 50 ms (first 3 s) or 500 ms before; RSS after init ${megabytes(smallMedian.afterInitRssBytes)} (${TARGET_MEMORY_MB} MB, median run)`);
console.log(`  sequential loop (one portal, one request at a time): ${seconds(sequential.wallMs)} for ${sequential.portals} portals = ${Math.round(sequentialPerPortalMs)} ms a portal, ${seconds(sequentialMs)} for ${portals} (extrapolated)`);
console.log(`  init (bundle import, ${portals}-portal config validated): ${Math.round(main.initMs)} ms; requests: ${main.requests} (${(main.requests / portals).toFixed(2)} a portal)`);
console.log(`  SSM: ${main.getParametersCalls} GetParameters (at most ${main.maxNamesPerCall} names each, at most ${MAX_GET_PARAMETERS_IN_FLIGHT} at once by the reader's limit), ${main.getParameterCalls} GetParameter, all sent within ${Math.round(main.ssmSpreadMs)} ms`);
console.log(`  state table (local DynamoDB, as deployed): ${Object.entries(main.stateCalls).map(([operation, calls]) => `${calls} ${operation}`).join(', ') || 'no calls'}`);
console.log(`  alerts published: ${main.alertsPublished}; log lines: ${main.logLines}\n`);

console.log(`2. Cold start: bundle as cdk synth builds it (${kilobytes(bundles.synthAssetBytes)}; the construct's esbuild options replayed here give ${bundles.replicaIdentical ? 'the same bytes' : 'DIFFERENT bytes'})`);
const loadRow = (measure: BundleMeasure): string[] => [
  measure.name,
  kilobytes(measure.bytes),
  `${measure.loadMs.toFixed(0)} ms`,
  ratio(measure.loadMs / bundles.floor.loadMs),
  `${measure.loadCpuMs.toFixed(0)} ms`,
  ratio(measure.loadCpuMs / bundles.floor.loadCpuMs),
  measure.clientTests ? `${measure.clientTests.passed}/${measure.clientTests.passed + measure.clientTests.failed}` : '',
  measure.description,
];
printTable([
  ['bundle', 'size', 'load (median)', 'vs floor', 'load CPU', 'vs floor', 'client tests', 'what'],
  loadRow(bundles.floor),
  loadRow(bundles.floorBundled),
  loadRow(bundles.handler),
  ...bundles.variants.map(loadRow),
]);
console.log(`  load samples (ms), floor: ${bundles.floor.loadSamples.map((ms) => ms.toFixed(0)).join(' ')}`);
console.log(`  load samples (ms), floor-bundled: ${bundles.floorBundled.loadSamples.map((ms) => ms.toFixed(0)).join(' ')}`);
console.log(`  load samples (ms), handler: ${bundles.handler.loadSamples.map((ms) => ms.toFixed(0)).join(' ')}`);
for (const variant of bundles.variants)
  for (const failure of variant.clientTests?.failures ?? []) console.log(`  ${variant.name} fails: ${failure}`);
console.log('\n  what each dependency costs in the handler bundle (esbuild metafile):');
printTable([
  ['dependency', 'bytes', 'share'],
  ...bundles.dependencies.map((dependency) => [
    dependency.name,
    kilobytes(dependency.bytes),
    `${((dependency.bytes / bundles.synthAssetBytes) * 100).toFixed(1)} %`,
  ]),
]);
const groups = dependencyGroups(bundles.dependencies);
console.log(`  together: ${groups.map((group) => `${group.name} ${kilobytes(group.bytes)} (${((group.bytes / bundles.synthAssetBytes) * 100).toFixed(0)} %)`).join(', ')}`);
console.log(`  AWS SDK commands in the bundle (tree-shaken): ${bundles.sdkCommands.join(', ')}; commands the check never sends: ${bundles.unusedSdkCommands.length === 0 ? 'none' : bundles.unusedSdkCommands.join(', ')}`);
console.log('\n  undici in the handler bundle, by part:');
printTable([['part', 'bytes'], ...bundles.undiciParts.map((part) => [part.name, kilobytes(part.bytes)])]);
console.log(`  undici files from parts the client does not use (fetch, WebSocket, EventSource, cache, cookies, mocks, interceptors): ${bundles.unusedUndiciFiles.length === 0 ? 'none' : bundles.unusedUndiciFiles.join(', ')}\n`);

console.log('3. CPU per portal (median of 7 batches after a warm-up)');
printTable([['operation', 'µs per call'], ...cpu.map((measure) => [measure.name, measure.microseconds.toFixed(1)])]);
console.log('');

console.log(`4. CLI start-up (median wall of ${cli.runs} fresh processes each, taking turns)`);
printTable([
  ['command', 'median', 'min', 'vs node -e 0', 'exit codes'],
  ...[cli.floor, cli.help, cli.check, ...cli.comparisons].map((startup) => [
    startup.label,
    `${startup.medianMs.toFixed(0)} ms`,
    `${startup.minMs.toFixed(0)} ms`,
    ratio(startup.medianMs / cli.floor.medianMs),
    startup.codes.join(', '),
  ]),
]);
console.log('');
printReportBench(report, printTable);

const budgetMs = LAMBDA_LIMIT_MS * SAFETY_SHARE;
console.log(`Time alone: portals one invocation checks in ${SAFETY_SHARE * 100} % of Lambda's ${LAMBDA_LIMIT_MS / 60_000} min (measured ${Math.round(perPortalSlotMs)} ms a portal slot here):`);
for (const concurrency of [DEFAULT_CONCURRENCY, 50]) {
  const atMeasured = Math.floor((budgetMs / perPortalSlotMs) * concurrency);
  const atTwoSeconds = Math.floor((budgetMs / 2_000) * concurrency);
  console.log(`  concurrency ${concurrency}: ${atMeasured} portals at ${latencyMs} ms a request; ${atTwoSeconds} at 2 s a portal (slow TLS and servers)`);
}
console.log('  (deploy limits come first: see "Largest fleet" in docs/PERFORMANCE.md)\n');

const undiciBytes = bundles.dependencies.find((dependency) => dependency.name === 'undici')?.bytes ?? 0;
const sdkBytes = groups.find((group) => group.name === 'AWS SDK')?.bytes ?? 0;
const comparison = (prefix: string): FleetRun | undefined => comparisons.find(({ label }) => label.startsWith(prefix))?.run;
const liftoff = comparison('diagnostic');
const targets: Target[] = [
  {
    name: `${portals} portals at ${latencyMs} ms within 1.25x the ideal`,
    measured: `${seconds(main.wallMs)} = ${ratio(main.wallMs / main.idealMs)} of ${seconds(main.idealMs)}`,
    limit: '<= 1.25x',
    pass: main.wallMs <= 1.25 * main.idealMs,
  },
  {
    name: 'at least 20x faster than the sequential loop',
    measured: `${ratio(speedup)} (${seconds(sequentialMs)} / ${seconds(main.wallMs)})`,
    limit: '>= 20x',
    pass: speedup >= 20,
  },
  {
    name: `peak RSS, ${portals} portals, as a ${TARGET_MEMORY_MB} MB function (median of ${small.length})`,
    measured: `${megabytes(smallPeakBytes)} (runs: ${small.map((run) => megabytes(run.peakRssBytes)).join(', ')}; at end ${megabytes(smallMedian.endRssBytes)})`,
    limit: '<= 128 MB',
    pass: smallPeakBytes <= 128 * 2 ** 20,
  },
  ...(liftoff === undefined
    ? []
    : [
        {
          name: `peak RSS as a ${TARGET_MEMORY_MB} MB function, V8 never optimizing WebAssembly (diagnostic)`,
          measured: `${megabytes(liftoff.peakRssBytes)}: the rest, ${megabytes(smallPeakBytes - liftoff.peakRssBytes)}, is V8 optimizing undici's llhttp parser`,
          limit: '<= 128 MB',
          pass: undefined,
        },
      ]),
  {
    name: `peak RSS, ${portals} portals, ${DEPLOYED_MEMORY_MB} MB heap flags (info)`,
    measured: megabytes(main.peakRssBytes),
    limit: `<= ${DEPLOYED_MEMORY_MB} MB`,
    pass: undefined,
  },
  {
    // The fake SSM answers at once, so calls never overlap here: the limit of
    // MAX_GET_PARAMETERS_IN_FLIGHT at once is asserted by test/check/api-keys/ssm-key-reader.test.ts.
    name: 'SSM keys read with GetParameters, up to 10 names a call',
    measured: `${main.getParametersCalls} GetParameters, ${main.getParameterCalls} GetParameter, <= ${main.maxNamesPerCall} names`,
    limit: `${ssmBatches} calls`,
    pass: main.getParametersCalls === ssmBatches && main.getParameterCalls === 0 && main.maxNamesPerCall <= 10,
  },
  {
    name: 'cold module load at most 1.5x the floor (median wall)',
    measured: `${bundles.handler.loadMs.toFixed(0)} / ${bundles.floor.loadMs.toFixed(0)} ms = ${ratio(bundles.handler.loadMs / bundles.floor.loadMs)}`,
    limit: '<= 1.5x',
    pass: bundles.handler.loadMs <= 1.5 * bundles.floor.loadMs,
  },
  {
    name: 'cold module load vs the floor with its SDK bundled as the handler bundles it (info: what undici, zod, Powertools, Intl and the check add)',
    measured: `${bundles.handler.loadMs.toFixed(0)} / ${bundles.floorBundled.loadMs.toFixed(0)} ms = ${ratio(bundles.handler.loadMs / bundles.floorBundled.loadMs)}, +${(bundles.handler.loadMs - bundles.floorBundled.loadMs).toFixed(0)} ms`,
    limit: '',
    pass: undefined,
  },
  ...bundles.variants.map((variant) => ({
    name: `cold module load, ${variant.description} (info)`,
    measured: `${variant.loadMs.toFixed(0)} / ${bundles.floor.loadMs.toFixed(0)} ms = ${ratio(variant.loadMs / bundles.floor.loadMs)}, ${kilobytes(variant.bytes)}`,
    limit: '<= 1.5x',
    pass: undefined,
  })),
  {
    name: 'bundle no larger than its dependencies force',
    measured: `${kilobytes(bundles.synthAssetBytes)}; the AWS SDK (${kilobytes(sdkBytes)}, ${((sdkBytes / bundles.synthAssetBytes) * 100).toFixed(0)} %, ${bundles.sdkCommands.length} commands) and undici (${kilobytes(undiciBytes)}, ${((undiciBytes / bundles.synthAssetBytes) * 100).toFixed(0)} %, pool, HTTP clients and request) dominate; unused undici parts: ${bundles.unusedUndiciFiles.length}; unused SDK commands: ${bundles.unusedSdkCommands.length}`,
    limit: 'no avoidable code; say what dominates',
    // The SDK and undici are required by decision; what is avoidable is the part of them the check does not use.
    pass: bundles.unusedUndiciFiles.length === 0 && bundles.unusedSdkCommands.length === 0 && bundles.replicaIdentical,
  },
  {
    name: 'concurrency configurable (config "concurrency")',
    measured: `in flight at once: ${main.maxInFlightTotal} at ${main.effectiveConcurrency}, ${wide.maxInFlightTotal} at ${wide.effectiveConcurrency}`,
    limit: `${REQUESTS_PER_PORTAL} x concurrency`,
    pass: main.maxInFlightTotal <= REQUESTS_PER_PORTAL * main.effectiveConcurrency && wide.maxInFlightTotal > main.maxInFlightTotal,
  },
  {
    name: 'one portal: few requests at once, few a run',
    measured: `${Math.max(main.maxInFlightPerPortal, shared.maxInFlightPerPortal)} at once, ${(main.requests / portals).toFixed(2)} a run; one shared host: ${shared.maxInFlightPerHost} at once`,
    limit: `${REQUESTS_PER_PORTAL} at once, ${REQUESTS_PER_PORTAL} a run`,
    pass: Math.max(main.maxInFlightPerPortal, shared.maxInFlightPerPortal) <= REQUESTS_PER_PORTAL && main.requests <= REQUESTS_PER_PORTAL * portals,
  },
  ...[cli.help, cli.check].map((startup) => ({
    name: `CLI start-up: ${startup.label} at most 4x node -e 0 (median)`,
    measured: `${startup.medianMs.toFixed(0)} / ${cli.floor.medianMs.toFixed(0)} ms = ${ratio(startup.medianMs / cli.floor.medianMs)}`,
    limit: '<= 4x',
    pass: startup.medianMs <= 4 * cli.floor.medianMs && startup.codes.every((code) => code === 0),
  })),
  ...reportTargets(report),
];

console.log('TARGETS');
printTable([['target', 'measured', 'limit', 'result'], ...targets.map((target) => [target.name, target.measured, target.limit, target.pass === undefined ? 'info' : target.pass ? 'PASS' : 'FAIL'])]);
console.log(`\nbench took ${seconds(performance.now() - started)}`);

if (values.json !== undefined) {
  await writeFile(
    values.json,
    `${JSON.stringify({ machine: before, options: { portals, latencyMs, sequentialPortals, runs, rssRuns }, scale: { main, small, comparisons, shared, wide, sequential }, bundles, cpu, cli, report, targets }, null, 2)}\n`,
  );
  console.log(`figures written to ${values.json}`);
}
