/**
 * The bench's compliance-report part: a year of daily runs of a large fleet is written as
 * `check --archive DIR` writes it (scripts/bench-report-archive.ts), then `readCompliance` reads
 * and summarizes it in a fresh Node process with a small V8 heap (`--max-old-space-size`), which
 * samples its memory as it goes and forces a GC at every tenth of the reports, so the live heap
 * shows whether the reports read so far are held. Each format is then rendered and timed, and
 * the real CLI makes the HTML report once.
 *
 * Run by scripts/bench.ts (`npm run bench -- --only report`). When run as
 * `node --import tsx scripts/bench-report.ts --report-child DIR FROM TO`, it is that child.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FolderReportArchive } from '../functions/check/archive/folder-report-archive.ts';
import type { ReportSource } from '../functions/check/archive/report-archive.ts';
import { renderCompliance, type ComplianceFormat } from '../functions/check/compliance/render-compliance.ts';
import { readCompliance } from '../functions/check/compliance/summarize.ts';
import { PROJECT_ROOT, runNode } from './bench-build.ts';
import { generateArchive, type GeneratedArchive } from './bench-report-archive.ts';
import { CLI_BUNDLE } from './build.ts';

const THIS_FILE = fileURLToPath(import.meta.url);
/** A leap year: 366 daily runs. */
const FROM = '2024-01-01';
const TO = '2024-12-31';
/** Day indexes without a run (gaps in the evidence) and with a second, manual run: 363 + 3 = 366 runs. */
const DAYS_WITHOUT_RUN = [45, 180, 301];
const DAYS_WITH_SECOND_RUN = [90, 200, 330];
/** Where the report is made: after the period, so it covers every day. */
const NOW = '2025-01-02T00:00:00Z';
/** The target for reading and summarizing the year. */
export const REPORT_TARGET_MS = 60_000;
const CHILD_FLAG = '--report-child';

/** Memory at one point of the summary. */
export interface MemoryPoint {
  readonly reports: number;
  readonly bytesRead: number;
  readonly atMs: number;
  readonly rssBytes: number;
  /** The live heap right after a forced full GC. */
  readonly liveHeapBytes: number;
}

/** What the child measured. */
export interface ChildFigures {
  readonly summarizeMs: number;
  readonly reports: number;
  readonly bytesRead: number;
  readonly listings: number;
  readonly startRssBytes: number;
  readonly peakRssBytes: number;
  readonly peakHeapUsedBytes: number;
  readonly points: readonly MemoryPoint[];
  readonly formats: readonly { readonly format: string; readonly ms: number; readonly bytes: number }[];
  readonly maxRssBytes: number;
  readonly totals: { readonly portals: number; readonly runs: number; readonly compliantDays: number; readonly nonCompliantDays: number; readonly notVerifiedDays: number; readonly incidents: number; readonly openIncidents: number; readonly daysWithoutRun: readonly string[]; readonly unreadable: number };
}

/** What the report part of the bench measured. */
export interface ReportBench {
  readonly portals: number;
  readonly heapLimitMb: number;
  readonly archive: GeneratedArchive;
  /** With the small heap: the summary, md, csv and json. */
  readonly child: ChildFigures;
  /** With Node's default heap: the summary again, and html (one string of the whole page). */
  readonly html: ChildFigures;
  readonly cli: { readonly wallMs: number; readonly maxRssBytes: number | undefined; readonly htmlBytes: number; readonly code: number | null } | undefined;
}

/** The source with a count of what was read, and a callback per report. */
class CountingSource implements ReportSource {
  public readonly location: string;
  public reports = 0;
  public bytes = 0;
  public listings = 0;
  readonly #inner: ReportSource;
  readonly #onRead: () => void;

  public constructor(inner: ReportSource, onRead: () => void) {
    this.#inner = inner;
    this.location = inner.location;
    this.#onRead = onRead;
  }

  public async keysUnder(prefix: string): Promise<string[]> {
    this.listings += 1;
    return this.#inner.keysUnder(prefix);
  }

  public async read(key: string): Promise<string> {
    const text = await this.#inner.read(key);
    this.reports += 1;
    this.bytes += Buffer.byteLength(text);
    this.#onRead();
    return text;
  }
}

/** The child: summarizes the archive, samples its memory, renders every format; prints its figures as JSON. */
async function child(folder: string, from: string, to: string, expectedReports: number, formats: readonly ComplianceFormat[]): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run the report child with --expose-gc');
  gc();
  const startRssBytes = process.memoryUsage.rss();
  let peakRssBytes = startRssBytes;
  let peakHeapUsedBytes = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    peakRssBytes = Math.max(peakRssBytes, usage.rss);
    peakHeapUsedBytes = Math.max(peakHeapUsedBytes, usage.heapUsed);
  };
  const sampler = setInterval(sample, 20);
  const points: MemoryPoint[] = [];
  const started = performance.now();
  const source: CountingSource = new CountingSource(new FolderReportArchive(folder), () => {
    if (source.reports % Math.max(1, Math.round(expectedReports / 10)) !== 0) return;
    sample();
    gc();
    points.push({ reports: source.reports, bytesRead: source.bytes, atMs: performance.now() - started, rssBytes: process.memoryUsage.rss(), liveHeapBytes: process.memoryUsage().heapUsed });
  });
  const compliance = await readCompliance(source, { from, to, now: new Date(NOW) });
  const summarizeMs = performance.now() - started;
  sample();
  const rendered = formats.map((format) => {
    const renderStarted = performance.now();
    const bytes = Buffer.byteLength(renderCompliance(compliance, format));
    const ms = performance.now() - renderStarted;
    sample();
    return { format, ms, bytes };
  });
  clearInterval(sampler);
  const { fleet } = compliance;
  const figures: ChildFigures = {
    summarizeMs,
    reports: source.reports,
    bytesRead: source.bytes,
    listings: source.listings,
    startRssBytes,
    peakRssBytes,
    peakHeapUsedBytes,
    points,
    formats: rendered,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    totals: {
      portals: fleet.portals,
      runs: fleet.runs,
      compliantDays: fleet.compliantDays,
      nonCompliantDays: fleet.nonCompliantDays,
      notVerifiedDays: fleet.notVerifiedDays,
      incidents: fleet.incidents,
      openIncidents: fleet.openIncidents,
      daysWithoutRun: fleet.daysWithoutRun,
      unreadable: fleet.unreadableReports.length,
    },
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

/** Runs the real CLI once (`report --format html --output FILE`), timed by /usr/bin/time when there is one. */
async function runCli(folder: string, output: string): Promise<NonNullable<ReportBench['cli']>> {
  const cliArgs = [CLI_BUNDLE, 'report', '--archive', folder, '--from', FROM, '--to', TO, '--format', 'html', '--output', output];
  const timed = await stat('/usr/bin/time').then(
    () => true,
    () => false,
  );
  const started = performance.now();
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const process_ = timed ? spawn('/usr/bin/time', ['-f', 'maxrss-kb=%M', process.execPath, ...cliArgs], { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'pipe'] }) : spawn(process.execPath, cliArgs, { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let text = '';
    process_.stderr.on('data', (chunk: Buffer) => {
      if (text.length < 20_000) text += chunk.toString('utf8');
    });
    const timer = setTimeout(() => process_.kill('SIGKILL'), 10 * 60_000);
    process_.on('error', reject);
    process_.on('close', (exit) => {
      clearTimeout(timer);
      resolve({ code: exit, stderr: text });
    });
  });
  const wallMs = performance.now() - started;
  const kb = /maxrss-kb=(\d+)/.exec(stderr)?.[1];
  const htmlBytes = await stat(output).then(
    (info) => info.size,
    () => 0,
  );
  if (code !== 0) console.log(`   the CLI exited ${code}: ${stderr.slice(0, 500)}`);
  return { wallMs, maxRssBytes: kb === undefined ? undefined : Number(kb) * 1024, htmlBytes, code };
}

/** The formats rendered in the small heap; html, a string of tens of MB for a large fleet, gets Node's default heap. */
const SMALL_HEAP_FORMATS: readonly ComplianceFormat[] = ['md', 'csv', 'json'];

/** Runs the child on the archive in `folder`. */
async function runChild(folder: string, reports: number, heapArgs: readonly string[], formats: readonly ComplianceFormat[]): Promise<ChildFigures> {
  const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const result = await runNode([...heapArgs, '--expose-gc', '--import', 'tsx', THIS_FILE, CHILD_FLAG, join(folder, 'archive'), FROM, TO, String(reports), formats.join(',')], env, 10 * 60_000);
  if (result.code !== 0) throw new Error(`the report child exited ${result.code}: ${result.stderr.slice(0, 2000)}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '') as ChildFigures;
}

/** Options of the report part. */
export interface ReportBenchOptions {
  readonly portals: number;
  /** The child's `--max-old-space-size`, MB. */
  readonly heapLimitMb: number;
  /** Also run the real CLI once. */
  readonly cli: boolean;
}

/** Generates the archive in a temp folder, measures the report over it, removes the folder. */
export async function runReportBench(options: ReportBenchOptions): Promise<ReportBench> {
  const folder = await mkdtemp(join(tmpdir(), 'docspace-bench-report-'));
  try {
    const archive = await generateArchive({ folder: join(folder, 'archive'), portals: options.portals, from: FROM, to: TO, daysWithoutRun: DAYS_WITHOUT_RUN, daysWithSecondRun: DAYS_WITH_SECOND_RUN });
    console.log(`   archive: ${archive.runs} reports, ${(archive.bytes / 1e6).toFixed(1)} MB, written in ${(archive.wallMs / 1000).toFixed(1)} s`);
    const small = await runChild(folder, archive.runs, [`--max-old-space-size=${options.heapLimitMb}`], SMALL_HEAP_FORMATS);
    console.log(`   readCompliance with a ${options.heapLimitMb} MB heap, then ${SMALL_HEAP_FORMATS.join(', ')}: ${(small.summarizeMs / 1000).toFixed(1)} s`);
    const html = await runChild(folder, archive.runs, [], ['html']);
    console.log(`   readCompliance with Node's default heap, then html: ${(html.summarizeMs / 1000).toFixed(1)} s`);
    const cli = options.cli ? await runCli(join(folder, 'archive'), join(folder, 'report.html')) : undefined;
    if (cli !== undefined) console.log(`   the CLI, --format html: ${(cli.wallMs / 1000).toFixed(1)} s`);
    return { portals: options.portals, heapLimitMb: options.heapLimitMb, archive, child: small, html, cli };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** MiB (2^20 bytes), as bench.ts and Lambda count memory; archive sizes are given in MiB too, to compare. */
const megabytes = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** The report part's results, printed. */
export function printReportBench(bench: ReportBench, printTable: (rows: readonly (readonly string[])[]) => void): void {
  const { archive, child, cli } = bench;

  console.log(`5. Compliance report: ${bench.portals} portals x ${archive.runs} runs (${FROM} to ${TO}, ${DAYS_WITHOUT_RUN.length} days without a run, ${DAYS_WITH_SECOND_RUN.length} with two)`);
  console.log(`  archive: ${archive.files} files, ${(archive.bytes / 1e6).toFixed(1)} MB (${Math.round(archive.bytes / archive.runs)} bytes a report, ${Math.round(archive.bytes / archive.runs / bench.portals)} a portal; largest ${archive.largestBytes} bytes), generated in ${seconds(archive.wallMs)} (${Math.round(archive.runs / (archive.wallMs / 1000))} reports/s)`);
  console.log(`  readCompliance (fresh process, --max-old-space-size=${bench.heapLimitMb}): ${seconds(child.summarizeMs)}, ${Math.round(child.reports / (child.summarizeMs / 1000))} reports/s, ${(child.bytesRead / 1e6).toFixed(1)} MB read (${(child.bytesRead / 1e6 / (child.summarizeMs / 1000)).toFixed(1)} MB/s), ${child.listings} day listings`);
  console.log(`  RSS at start ${megabytes(child.startRssBytes)}, peak while summarizing and rendering ${megabytes(child.peakRssBytes)} (process max ${megabytes(child.maxRssBytes)}); heap used at most ${megabytes(child.peakHeapUsedBytes)}`);
  console.log('  memory as the reports are read (live heap right after a forced full GC):');
  printTable([['reports read', 'MB read', 'at', 'RSS', 'live heap'], ...child.points.map((point) => [String(point.reports), (point.bytesRead / 1e6).toFixed(1), seconds(point.atMs), megabytes(point.rssBytes), megabytes(point.liveHeapBytes)])]);
  printTable([['format', 'render', 'size'], ...[...child.formats, ...bench.html.formats].map((format) => [format.format, `${format.ms.toFixed(0)} ms`, `${(format.bytes / 1e6).toFixed(2)} MB`])]);
  console.log(`  html in a second process with Node's default heap: the summary again ${seconds(bench.html.summarizeMs)}, peak RSS ${megabytes(bench.html.peakRssBytes)}, heap used at most ${megabytes(bench.html.peakHeapUsedBytes)} (the page is one string)`);
  if (cli !== undefined) console.log(`  the real CLI (report --format html --output FILE): ${seconds(cli.wallMs)}, exit ${cli.code}, ${(cli.htmlBytes / 1e6).toFixed(2)} MB, max RSS ${cli.maxRssBytes === undefined ? 'not measured' : megabytes(cli.maxRssBytes)}`);
  const totals = child.totals;
  console.log(`  report: ${totals.portals} portals, ${totals.runs} runs, ${totals.compliantDays} compliant / ${totals.nonCompliantDays} not compliant / ${totals.notVerifiedDays} not verified portal-days, ${totals.incidents} incidents (${totals.openIncidents} not fixed), days without a run: ${totals.daysWithoutRun.join(' ')}\n`);
}

/** The report part's targets, as bench.ts prints them. */
export function reportTargets(bench: ReportBench): { name: string; measured: string; limit: string; pass: boolean | undefined }[] {
  const { archive, child } = bench;
  const totals = child.totals;
  const expected = archive.expected;
  const lastPoint = child.points.at(-1);
  const firstPoint = child.points[0];
  const growth = lastPoint === undefined || firstPoint === undefined ? Number.NaN : lastPoint.liveHeapBytes - firstPoint.liveHeapBytes;
  const readBetween = lastPoint === undefined || firstPoint === undefined ? Number.NaN : lastPoint.bytesRead - firstPoint.bytesRead;
  const matches =
    totals.compliantDays === expected.compliantDays &&
    totals.nonCompliantDays === expected.nonCompliantDays &&
    totals.notVerifiedDays === expected.notVerifiedDays &&
    totals.daysWithoutRun.join() === expected.daysWithoutRun.join() &&
    totals.runs === archive.runs &&
    totals.unreadable === 0 &&
    totals.portals === bench.portals;
  return [
    {
      name: `compliance report, ${bench.portals} portals x ${archive.runs} runs: read and summarized`,
      measured: `${seconds(child.summarizeMs)} (${Math.round(child.reports / (child.summarizeMs / 1000))} reports/s, ${(child.bytesRead / 1e6).toFixed(0)} MB)`,
      limit: `< ${REPORT_TARGET_MS / 1000} s`,
      pass: child.summarizeMs < REPORT_TARGET_MS && child.reports === archive.runs,
    },
    {
      name: 'compliance report streams: memory bounded, not the archive',
      measured: `ran in a ${bench.heapLimitMb} MiB heap over ${megabytes(archive.bytes)} of reports; live heap ${firstPoint === undefined ? '?' : megabytes(firstPoint.liveHeapBytes)} after ${firstPoint?.reports} reports, ${lastPoint === undefined ? '?' : megabytes(lastPoint.liveHeapBytes)} after ${lastPoint?.reports} (${growth >= 0 ? '+' : ''}${megabytes(growth)} while ${megabytes(readBetween)} more were read); peak RSS ${megabytes(child.peakRssBytes)}`,
      limit: 'heap limit < the archive; live heap grows < 1/10 of what is read',
      pass: bench.heapLimitMb * 2 ** 20 < archive.bytes && growth < readBetween / 10,
    },
    {
      name: "compliance report's totals match the generator's",
      measured: `${totals.compliantDays} / ${totals.nonCompliantDays} / ${totals.notVerifiedDays} portal-days, ${totals.runs} runs, ${totals.unreadable} unreadable (expected ${expected.compliantDays} / ${expected.nonCompliantDays} / ${expected.notVerifiedDays})`,
      limit: 'equal',
      pass: matches,
    },
    ...(bench.cli === undefined
      ? []
      : [{ name: 'the CLI: report --format html over the year (info)', measured: `${seconds(bench.cli.wallMs)}, exit ${bench.cli.code}, max RSS ${bench.cli.maxRssBytes === undefined ? '?' : megabytes(bench.cli.maxRssBytes)}`, limit: '', pass: undefined }]),
  ];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv[2] === CHILD_FLAG) {
  const [folder, from, to, reports, formats] = process.argv.slice(3);
  await child(folder!, from!, to!, Number(reports), (formats ?? '').split(',').filter(Boolean) as ComplianceFormat[]);
}
