/**
 * The evidence archive end to end: a week of daily scheduled runs of the bundled handler (as
 * `cdk synth` builds it, run the way Lambda runs it, its clock set to each day) against the
 * simulated portals, local SSM, SNS, DynamoDB and S3; portals break and recover; one day has no
 * run. Then `docspace-backup-monitor report --bucket` over the week, in every format, matches
 * figures worked out by hand, and the HTML page, rendered in headless Chromium, shows one cell
 * per day in the right colour.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DAY_COLOUR } from '../../functions/check/compliance/render-html.ts';
import type { ComplianceReport, DayStatus } from '../../functions/check/compliance/types.ts';
import { fakeAwsChildEnvironment } from '../support/aws-env.ts';
import { deployedFunction, invokeBundled, lambdaEnvironment, runtimeNode, scheduledEvent, type DeployedFunction, type RuntimeNode } from '../support/bundled-lambda.ts';
import { cdkSynth, readStackTemplate, type CdkSynthResult, type CfnTemplate } from '../support/cdk-synth.ts';
import { CHROMIUM, CHROMIUM_MISSING, renderedDom, screenshot } from '../support/chromium.ts';
import { runCli } from '../support/cli-process.ts';
import { startDynalite, type LocalDynamoDb } from '../support/dynalite.ts';
import { startFakeSns, type FakeSns } from '../support/fake-sns.ts';
import { startFakeSsm, type FakeSsm } from '../support/fake-ssm.ts';
import { startLocalS3, type LocalS3 } from '../support/local-s3.ts';
import { decodePng } from '../support/png.ts';
import { startSimulatedPortals, type SimulatedPortal, type SimulatedPortals } from '../support/simulated-portal.ts';

const keyOf = (name: string) => `sk-canary-week-${name}-5c1e9a7b3d`;
const REVOKED_KEY = 'sk-canary-week-rotated-elsewhere-0f3b';
const PORTALS = ['steady', 'flaky', 'keyless', 'drifting'] as const;
type PortalName = (typeof PORTALS)[number];
const SILENCE_UNTIL = '2027-01-31T00:00:00Z';

/** The week, and the days the schedule ran (none on 07-06: the Scheduler was down). */
const DAYS = ['2026-07-01', '2026-07-02', '2026-07-03', '2026-07-04', '2026-07-05', '2026-07-06', '2026-07-07'];
const RUN_DAYS = DAYS.filter((day) => day !== '2026-07-06');

/**
 * What each portal does on a day (every portal backs up daily at 02:00 UTC, dispatched at 02:05,
 * archived at 02:20; the check runs at 07:00):
 * - steady: always fine;
 * - flaky: its scheduler stops after 07-02 (07-03 and 07-04: nothing new) and runs again on 07-05;
 * - keyless: its key is revoked on 07-04 (401 from then on);
 * - drifting: someone moves its schedule to 04:00 on 07-05 (backups still run; a silence covers it).
 */
function portalOn(name: PortalName, day: string): SimulatedPortal {
  const backupDay = name === 'flaky' && (day === '2026-07-03' || day === '2026-07-04') ? '2026-07-02' : day;
  const hour = name === 'drifting' && day >= '2026-07-05' ? 4 : 2;
  const at = (minute: number) => `${backupDay}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00`;
  return {
    apiKey: name === 'keyless' && day >= '2026-07-04' ? REVOKED_KEY : keyOf(name),
    schedule: { storageType: 0, storageParams: { folderId: '5182' }, cronParams: { period: 0, hour, day: 0 }, backupsStored: 7, lastBackupTime: at(5), dump: false },
    progress: { isCompleted: true, progress: 100, error: '', backupProgressEnum: 0, status: 2, taskId: '3f2c9a1e-6b7d-4e0f-9a8b-1c2d3e4f5a6b' },
    history: [{ id: `6a1f0c2e-8d3b-4b5a-9c7d-${backupDay.replace(/-/g, '')}0000`, fileName: `${name}.tar.gz`, storageType: 0, createdOn: at(20), expiresOn: '0001-01-01T00:00:00' }],
    settings: { timezone: 'UTC', utcOffset: '00:00:00', utcHoursOffset: 0 },
  };
}

/** The compliance report worked out by hand from the week above (see each portal's story). */
const EXPECTED_PORTALS = [
  {
    name: 'drifting',
    days: ['compliant', 'compliant', 'compliant', 'compliant', 'warning', 'no-run', 'warning'],
    compliantDays: 4,
    nonCompliantDays: 2,
    notVerifiedDays: 1,
    daysWithoutRun: 1,
    compliancePercent: 57.1,
    incidents: [
      {
        firstFailingRun: '2026-07-05T07:00:00.000Z',
        lastFailingRun: '2026-07-07T07:00:00.000Z',
        codes: ['SCHEDULE_MISMATCH'],
        severity: 'warning',
        end: 'silenced',
        silencedUntil: SILENCE_UNTIL,
        hours: 48,
      },
    ],
    // A run that found only setup drift still proves its backup: 07-05 04:05 to 07-07 04:05.
    longestWithoutProvenBackup: { from: '2026-07-05T04:05:00.000Z', to: '2026-07-07T04:05:00.000Z', hours: 48, open: false },
  },
  {
    name: 'flaky',
    days: ['compliant', 'compliant', 'critical', 'critical', 'compliant', 'no-run', 'compliant'],
    compliantDays: 4,
    nonCompliantDays: 2,
    notVerifiedDays: 1,
    daysWithoutRun: 1,
    compliancePercent: 57.1,
    incidents: [
      {
        firstFailingRun: '2026-07-03T07:00:00.000Z',
        lastFailingRun: '2026-07-04T07:00:00.000Z',
        // At 07:00 the 02:00 slot's grace (60 min) and archive grace (240 min) have both passed.
        codes: ['ARCHIVE_MISSING', 'BACKUP_OVERDUE'],
        severity: 'critical',
        end: 'fixed',
        fixedAt: '2026-07-05T07:00:00.000Z',
        hours: 48,
      },
    ],
    longestWithoutProvenBackup: { from: '2026-07-02T02:05:00.000Z', to: '2026-07-05T02:05:00.000Z', hours: 72, open: false },
  },
  {
    name: 'keyless',
    days: ['compliant', 'compliant', 'compliant', 'not-verified', 'not-verified', 'no-run', 'not-verified'],
    compliantDays: 3,
    nonCompliantDays: 0,
    notVerifiedDays: 4,
    daysWithoutRun: 1,
    compliancePercent: 42.9,
    incidents: [],
    // From the last proven backup to the end of the period: 07-03 02:05 to 07-08 00:00.
    longestWithoutProvenBackup: { from: '2026-07-03T02:05:00.000Z', to: '2026-07-08T00:00:00.000Z', hours: 117.9, open: true },
  },
  {
    name: 'steady',
    days: ['compliant', 'compliant', 'compliant', 'compliant', 'compliant', 'no-run', 'compliant'],
    compliantDays: 6,
    nonCompliantDays: 0,
    notVerifiedDays: 1,
    daysWithoutRun: 1,
    compliancePercent: 85.7,
    incidents: [],
    // The day without a run hides the 07-06 backup: 07-05 02:05 to 07-07 02:05.
    longestWithoutProvenBackup: { from: '2026-07-05T02:05:00.000Z', to: '2026-07-07T02:05:00.000Z', hours: 48, open: false },
  },
];

const EXPECTED_FLEET = {
  portals: 4,
  compliantDays: 17,
  nonCompliantDays: 4,
  notVerifiedDays: 7,
  compliancePercent: 60.7,
  incidents: 2,
  openIncidents: 1,
  runs: 6,
  daysWithoutRun: ['2026-07-06'],
  unreadableReports: [],
};

let portals: SimulatedPortals;
let workDir: string;
let synth: CdkSynthResult;
let template: CfnTemplate;
let deployed: DeployedFunction;
let node: RuntimeNode;
let ssm: FakeSsm;
let sns: FakeSns;
let dynamodb: LocalDynamoDb;
let s3: LocalS3;
let bucket: string;
const runOutcomes: unknown[] = [];
const reports = new Map<string, { code: number | null; stdout: string; stderr: string }>();

beforeAll(async () => {
  portals = await startSimulatedPortals(Object.fromEntries(PORTALS.map((name) => [name, portalOn(name, DAYS[0]!)])));
  workDir = mkdtempSync(join(tmpdir(), 'evidence-week-'));
  const configPath = join(workDir, 'monitor.config.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      portals: PORTALS.map((name) => ({ name, url: portals.urlOf(name), apiKey: { ssmParameter: `/docspace/${name}/api-key` }, timeZone: 'UTC' })),
      policy: { schedule: { period: 'EveryDay', hour: 2 } },
      alerts: { email: ['ops@example.com'] },
      silences: [{ portal: 'drifting', codes: ['SCHEDULE_MISMATCH'], until: SILENCE_UNTIL, reason: 'moving the backup window' }],
    }),
  );
  const outdir = join(workDir, 'cdk.out');
  [synth, node] = await Promise.all([cdkSynth({ configPath, outdir }), runtimeNode()]);
  if (synth.code !== 0) throw new Error(`cdk synth failed (exit ${synth.code}):\n${synth.stderr.slice(-3000)}`);
  template = readStackTemplate(outdir);
  deployed = deployedFunction(template, outdir);

  ssm = await startFakeSsm();
  for (const name of PORTALS) ssm.putParameter(`/docspace/${name}/api-key`, keyOf(name));
  sns = await startFakeSns();
  dynamodb = await startDynalite();
  await dynamodb.createStateTable(deployed.environment.STATE_TABLE_NAME!);
  s3 = await startLocalS3();
  bucket = await s3.createBucket(deployed.environment.REPORT_BUCKET_NAME!);
  const env = lambdaEnvironment(deployed, node, { ssm: ssm.endpoint, sns: sns.endpoint, dynamodb: dynamodb.endpoint, s3: s3.endpoint });

  // The local S3 refuses requests dated more than 15 minutes from its own clock: it keeps each run's day too.
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
  try {
    for (const day of RUN_DAYS) {
      for (const name of PORTALS) portals.setPortal(name, portalOn(name, day));
      const scheduledTime = `${day}T07:00:00Z`;
      vi.setSystemTime(new Date(scheduledTime));
      const invocation = await invokeBundled(deployed, node, env, scheduledEvent(template, deployed, scheduledTime), { clock: new Date(scheduledTime) });
      runOutcomes.push(invocation.outcome);
    }
  } finally {
    vi.useRealTimers();
  }

  const cliEnv = fakeAwsChildEnvironment({ AWS_ENDPOINT_URL_S3: s3.endpoint });
  const formats = ['json', 'md', 'csv', 'html'] as const;
  const results = await Promise.all(
    formats.map((format) =>
      runCli(['report', '--from', '2026-07-01', '--to', '2026-07-07', '--bucket', bucket, '--format', format], { env: cliEnv, killAfterMs: 60_000 }),
    ),
  );
  formats.forEach((format, index) => reports.set(format, results[index]!));
}, 300_000);

afterAll(async () => {
  await Promise.all([portals?.close(), ssm?.close(), sns?.close(), dynamodb?.close(), s3?.close()]);
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

function reportOf(format: string): string {
  const result = reports.get(format)!;
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).toBe('');
  return result.stdout;
}

describe('a week of archived runs', () => {
  it('runs the bundled handler once a day without a failure, each run archived in the bucket', () => {
    expect(runOutcomes).toHaveLength(RUN_DAYS.length);
    for (const outcome of runOutcomes) expect(outcome).toMatchObject({ lambdaRunner: 'result' });
  });

  it('gives the report the hand-computed figures as JSON: fleet first, each portal day by day, its incidents and its longest gap', () => {
    // Act
    const report = JSON.parse(reportOf('json')) as ComplianceReport;

    // Assess
    expect(report).toMatchObject({ from: '2026-07-01', to: '2026-07-07', days: DAYS, source: `s3://${bucket}` });
    expect(report.fleet).toEqual(EXPECTED_FLEET);
    expect(report.portals.map(({ url: _url, ...portal }) => portal)).toEqual(EXPECTED_PORTALS);
  });

  it('gives the same figures in Markdown: the fleet row, each portal row, each timeline and each incident', () => {
    // Act
    const markdown = reportOf('md');

    // Assess
    expect(markdown).toContain('| 4 | 17 | 4 | 7 | 60.7 % | 2 | 1 |');
    expect(markdown).toContain('**Days without any run (gaps in the evidence): 1**: 2026-07-06');
    expect(markdown).toContain('| drifting | 4 | 2 | 1 | 1 | 57.1 % | 1 | 48 h (2026-07-05 04:05 UTC → 2026-07-07 04:05 UTC) |');
    expect(markdown).toContain('| flaky | 4 | 2 | 1 | 1 | 57.1 % | 1 | 72 h (2026-07-02 02:05 UTC → 2026-07-05 02:05 UTC) |');
    expect(markdown).toContain('| keyless | 3 | 0 | 4 | 1 | 42.9 % | 0 | 117.9 h (2026-07-03 02:05 UTC → end of evidence) |');
    expect(markdown).toContain('| steady | 6 | 0 | 1 | 1 | 85.7 % | 0 | 48 h (2026-07-05 02:05 UTC → 2026-07-07 02:05 UTC) |');
    expect(markdown).toContain('### flaky\n\n`++XX+.+`');
    expect(markdown).toContain('### keyless\n\n`+++??.?`');
    expect(markdown).toContain('| 2026-07-03 07:00 UTC | 2026-07-04 07:00 UTC | ARCHIVE\\_MISSING, BACKUP\\_OVERDUE | critical | fixed 2026-07-05 07:00 UTC | 48 h |');
    expect(markdown).toContain('| 2026-07-05 07:00 UTC | 2026-07-07 07:00 UTC | SCHEDULE\\_MISMATCH | warning | silenced until 2027-01-31T00:00:00Z | 48 h |');
    // Fleet totals come first.
    expect(markdown.indexOf('## Fleet')).toBeLessThan(markdown.indexOf('## Portals'));
  });

  it('gives the same figures in CSV: one fleet row, one row per portal, one per incident', () => {
    // Act
    const rows = reportOf('csv').trimEnd().split('\r\n');

    // Assess
    expect(rows).toEqual([
      'record,portal,from,to,days,compliant_days,non_compliant_days,not_verified_days,days_without_run,compliance_percent,incidents,open_incidents,longest_gap_hours,longest_gap_from,longest_gap_to,first_failing_run,last_failing_run,codes,severity,ended,fixed_at,incident_hours',
      'fleet,,2026-07-01,2026-07-07,7,17,4,7,1,60.7,2,1,,,,,,,,,,',
      'portal,drifting,2026-07-01,2026-07-07,7,4,2,1,1,57.1,1,1,48,2026-07-05T04:05:00.000Z,2026-07-07T04:05:00.000Z,,,,,,,',
      'portal,flaky,2026-07-01,2026-07-07,7,4,2,1,1,57.1,1,0,72,2026-07-02T02:05:00.000Z,2026-07-05T02:05:00.000Z,,,,,,,',
      'portal,keyless,2026-07-01,2026-07-07,7,3,0,4,1,42.9,0,0,117.9,2026-07-03T02:05:00.000Z,,,,,,,,',
      'portal,steady,2026-07-01,2026-07-07,7,6,0,1,1,85.7,0,0,48,2026-07-05T02:05:00.000Z,2026-07-07T02:05:00.000Z,,,,,,,',
      'incident,drifting,,,,,,,,,,,,,,2026-07-05T07:00:00.000Z,2026-07-07T07:00:00.000Z,SCHEDULE_MISMATCH,warning,silenced,,48',
      'incident,flaky,,,,,,,,,,,,,,2026-07-03T07:00:00.000Z,2026-07-04T07:00:00.000Z,ARCHIVE_MISSING BACKUP_OVERDUE,critical,fixed,2026-07-05T07:00:00.000Z,48',
    ]);
  });

  it.skipIf(CHROMIUM === undefined)('renders the HTML page in headless Chromium with one cell per day, each in its status colour', async () => {
    // Prepare
    const htmlFile = join(workDir, 'report.html');
    const pngFile = join(workDir, 'report.png');
    writeFileSync(htmlFile, reportOf('html'));

    // Act
    await screenshot(htmlFile, pngFile, 1100, 1600);
    const dom = await renderedDom(htmlFile);
    const pixels = decodePng(readFileSync(pngFile));

    // Assess: each strip, top to bottom, as the colour runs along its rows (a strip's rows are alike).
    const colourOf = new Map(Object.entries(DAY_COLOUR).map(([status, hex]) => [hex.slice(1).toLowerCase(), status as DayStatus]));
    const hex = (x: number, y: number) => pixels.rgb(x, y).map((channel) => channel.toString(16).padStart(2, '0')).join('');
    // A cell is a run of one status colour at least MIN_CELL_PX wide (the legend's swatches and text are narrower).
    const MIN_CELL_PX = 40;
    const cellsAlong = (y: number): DayStatus[] => {
      const cells: DayStatus[] = [];
      let run: { colour: string; from: number } | undefined;
      for (let x = 0; x <= pixels.width; x += 1) {
        const colour = x < pixels.width ? hex(x, y) : '';
        if (run !== undefined && colour === run.colour) continue;
        if (run !== undefined && x - run.from >= MIN_CELL_PX) cells.push(colourOf.get(run.colour)!);
        run = colourOf.has(colour) ? { colour, from: x } : undefined;
      }
      return cells;
    };
    const timelines: DayStatus[][] = [];
    let inStrip = false;
    for (let y = 0; y < pixels.height; y += 1) {
      const cells = cellsAlong(y);
      const stripRow = cells.length === DAYS.length;
      if (stripRow && !inStrip) timelines.push(cells);
      inStrip = stripRow;
    }
    expect(timelines).toEqual(EXPECTED_PORTALS.map((portal) => portal.days));
    expect(dom.match(/<rect /g)).toHaveLength(PORTALS.length * DAYS.length);
    expect(dom).toContain('Days without any run (gaps in the evidence): 1: 2026-07-06');
  });

  it.runIf(CHROMIUM === undefined)(`cannot render the HTML page here: ${CHROMIUM_MISSING}`, () => {
    console.warn(`evidence-week: ${CHROMIUM_MISSING}`);
  });
});
