/**
 * The report bench's evidence archive: a year of daily run reports of a large fleet, shaped as
 * `reportToJson` shapes them and laid out as `check --archive DIR` lays them out. Each report is
 * written in chunks of portals to its file, one report at a time, so generating a year never
 * holds more than one chunk. Deterministic: the same options give the same bytes.
 *
 * Each portal follows a year of episodes (backup overdue, last backup failed, check failed,
 * setup drift silenced for a while, an incident still open at the year's end); the generator
 * counts what every portal-day should be, so the bench can compare the report's totals with it.
 */
import { open, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { archiveKeyOf, daysBetween } from '../functions/check/archive/archive-key.ts';

/** What one portal's run says, for compliance: as `judgeRun` (functions/check/compliance/run-outcome.ts) reads it. */
type Outcome = 'compliant' | 'warning' | 'critical' | 'notVerified';

/** A stretch of days over which a portal reports the same problem. */
interface Episode {
  readonly first: number;
  readonly last: number;
  readonly kind: keyof typeof PROBLEMS;
}

/** The problems a portal can have, as the findings `verdictToJson` writes. */
const PROBLEMS = {
  overdue: { code: 'BACKUP_OVERDUE', severity: 'critical', status: 'CRITICAL', outcome: 'critical', source: 'history', cause: undefined, backupStops: true },
  failed: { code: 'LAST_BACKUP_FAILED', severity: 'critical', status: 'CRITICAL', outcome: 'critical', source: 'progress', cause: undefined, backupStops: true },
  archiveMissing: { code: 'ARCHIVE_MISSING', severity: 'critical', status: 'CRITICAL', outcome: 'critical', source: 'history', cause: undefined, backupStops: false },
  tooOld: { code: 'BACKUP_TOO_OLD', severity: 'warning', status: 'WARNING', outcome: 'warning', source: 'history', cause: undefined, backupStops: true },
  drift: { code: 'SCHEDULE_MISMATCH', severity: 'warning', status: 'WARNING', outcome: 'warning', source: 'schedule', cause: undefined, backupStops: false },
  noSchedule: { code: 'NO_SCHEDULE', severity: 'critical', status: 'CRITICAL', outcome: 'critical', source: 'schedule', cause: undefined, backupStops: true },
  checkFailed: { code: 'CHECK_FAILED', severity: 'critical', status: 'UNKNOWN', outcome: 'notVerified', source: 'schedule', cause: 'HTTP_503', backupStops: false },
} as const;

const TIME_ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Singapore', 'Europe/London'] as const;
const PORTALS_PER_CHUNK = 100;
const DAY_MS = 86_400_000;

/** What to generate. */
export interface ArchiveOptions {
  readonly folder: string;
  readonly portals: number;
  /** First and last day (UTC, inclusive). */
  readonly from: string;
  readonly to: string;
  /** Day indexes with no run at all: gaps in the evidence. */
  readonly daysWithoutRun: readonly number[];
  /** Day indexes with a second (manual) run in the afternoon. */
  readonly daysWithSecondRun: readonly number[];
}

/** What was generated, and what the report should find in it. */
export interface GeneratedArchive {
  readonly runs: number;
  readonly files: number;
  readonly bytes: number;
  readonly largestBytes: number;
  readonly wallMs: number;
  /** Portal-days by what they should be in the report. */
  readonly expected: { readonly compliantDays: number; readonly nonCompliantDays: number; readonly notVerifiedDays: number; readonly daysWithoutRun: readonly string[] };
}

/** A small deterministic random number generator (mulberry32). */
function randomFrom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** One portal's year of problems: most portals have a few short ones, some a long or an open one. */
function episodesOf(index: number, dayCount: number): Episode[] {
  const random = randomFrom(index * 7919 + 17);
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const episodes: Episode[] = [];
  const add = (kind: Episode['kind'], length: number, first = between(0, dayCount - length)) => episodes.push({ first, last: Math.min(dayCount - 1, first + length - 1), kind });
  if (index % 20 === 0) add('overdue', between(14, 40));
  if (index % 10 === 1) add('drift', between(30, 120));
  if (index % 50 === 7) add('noSchedule', between(3, 12), dayCount - between(3, 12));
  const short = ['failed', 'checkFailed', 'archiveMissing', 'tooOld', 'overdue'] as const;
  for (let count = between(0, 4); count > 0; count -= 1) add(short[between(0, short.length - 1)]!, between(1, 4));
  return episodes;
}

interface PortalPlan {
  readonly name: string;
  readonly url: string;
  readonly timeZone: string;
  readonly backupMinute: number;
  readonly episodes: readonly Episode[];
}

function episodeOn(plan: PortalPlan, day: number): Episode | undefined {
  return plan.episodes.find((episode) => day >= episode.first && day <= episode.last);
}

/** The last backup a run on `day` sees: that day's, or the one before a problem that stopped them. */
function lastBackupOn(plan: PortalPlan, day: number, start: number, episode: Episode | undefined): string {
  const backupDay = episode !== undefined && PROBLEMS[episode.kind].backupStops ? episode.first - 1 : day;
  return new Date(start + backupDay * DAY_MS + plan.backupMinute * 60_000).toISOString();
}

/** One portal's part of one run's report, as `reportToJson` writes it. */
function portalJson(plan: PortalPlan, day: number, start: number, checkedAt: string): { json: string; outcome: Outcome; status: string } {
  const episode = episodeOn(plan, day);
  const problem = episode === undefined ? undefined : PROBLEMS[episode.kind];
  const lastBackupTime = problem?.code === 'CHECK_FAILED' ? undefined : lastBackupOn(plan, day, start, episode);
  const findings =
    problem === undefined || episode === undefined
      ? []
      : [
          {
            code: problem.code,
            severity: problem.severity,
            message:
              problem.code === 'CHECK_FAILED'
                ? 'The backup schedule could not be read: the portal answered HTTP 503 three times'
                : `${problem.code.toLowerCase().replace(/_/g, ' ')} since ${new Date(start + episode.first * DAY_MS).toISOString().slice(0, 10)} (${plan.timeZone}); the policy expects a backup every day by 06:00 with 2 h grace`,
            remedy: 'Open Settings > Backup on the portal, check the automatic backup and its storage, then run a backup by hand.',
            ...(problem.cause === undefined ? {} : { cause: problem.cause }),
            source: problem.source,
            expected: { everyHours: 24, graceHours: 2, storage: 'Amazon S3' },
            actual: problem.code === 'CHECK_FAILED' ? { httpStatus: 503 } : { lastBackupTime: lastBackupTime ?? null, storage: 'Amazon S3' },
            ...(episode.kind === 'drift' && day - episode.first < 14 ? { silenced: { until: new Date(start + (episode.first + 14) * DAY_MS).toISOString(), reason: 'schedule change agreed with the portal owner (ticket OPS-1234)' } } : {}),
          },
        ];
  const firstDay = episode !== undefined && day === episode.first;
  const resolved = episode === undefined && plan.episodes.some((past) => past.last === day - 1);
  const notification = firstDay ? { state: 'firing', status: problem!.status } : episode !== undefined ? 'duplicate' : resolved ? { state: 'resolved', status: 'OK' } : null;
  const status = problem?.status ?? 'OK';
  const json = JSON.stringify({
    name: plan.name,
    url: plan.url,
    status,
    timeZone: plan.timeZone,
    checkedAt,
    ...(lastBackupTime === undefined ? {} : { lastBackupTime }),
    findings,
    notification,
    alertSent: firstDay || resolved,
  });
  return { json, outcome: problem?.outcome ?? 'compliant', status };
}

const STATUS_RANK: Readonly<Record<string, number>> = { OK: 0, WARNING: 1, UNKNOWN: 2, CRITICAL: 3 };
const OUTCOME_RANK: Readonly<Record<Outcome, number>> = { notVerified: 0, compliant: 1, warning: 2, critical: 3 };

/**
 * Writes the archive into `options.folder` (as `check --archive` lays it out), one report at a
 * time, each in chunks of {@link PORTALS_PER_CHUNK} portals.
 */
export async function generateArchive(options: ArchiveOptions): Promise<GeneratedArchive> {
  const started = performance.now();
  const days = daysBetween(options.from, options.to);
  const start = Date.parse(`${options.from}T00:00:00Z`);
  const plans: PortalPlan[] = Array.from({ length: options.portals }, (_, index) => {
    const name = `portal-${String(index + 1).padStart(4, '0')}`;
    return { name, url: `https://${name}.onlyoffice.io/`, timeZone: TIME_ZONES[index % TIME_ZONES.length]!, backupMinute: 60 + (index % 180), episodes: episodesOf(index, days.length) };
  });
  let runs = 0;
  let bytes = 0;
  let largestBytes = 0;
  const expected = { compliantDays: 0, nonCompliantDays: 0, notVerifiedDays: 0, daysWithoutRun: [] as string[] };
  for (const [day, date] of days.entries()) {
    if (options.daysWithoutRun.includes(day)) {
      expected.daysWithoutRun.push(date);
      expected.notVerifiedDays += plans.length;
      continue;
    }
    const runsOfDay = [{ at: `${date}T06:00:03.412Z`, runKey: `${date}T06:00:00Z` }];
    if (options.daysWithSecondRun.includes(day)) runsOfDay.push({ at: `${date}T14:31:27.090Z`, runKey: `cli-${date}T14:31:27Z` });
    const worst = new Array<Outcome>(plans.length);
    for (const run of runsOfDay) {
      const written = await writeRun(options.folder, run.at, run.runKey, plans, day, start, worst);
      runs += 1;
      bytes += written;
      largestBytes = Math.max(largestBytes, written);
    }
    for (const outcome of worst) {
      if (outcome === 'compliant') expected.compliantDays += 1;
      else if (outcome === 'notVerified') expected.notVerifiedDays += 1;
      else expected.nonCompliantDays += 1;
    }
  }
  return { runs, files: runs, bytes, largestBytes, wallMs: performance.now() - started, expected };
}

/** Writes one run's report; folds each portal's outcome into `worst` (the day's). @returns its bytes */
async function writeRun(folder: string, checkedAt: string, runKey: string, plans: readonly PortalPlan[], day: number, start: number, worst: Outcome[]): Promise<number> {
  const file = join(folder, ...archiveKeyOf(new Date(checkedAt), runKey).split('/'));
  await mkdir(dirname(file), { recursive: true });
  // The run's status comes before its portals in the report, so it is worked out first (cheap: no text).
  const runStatus = plans.reduce((status, plan) => {
    const episode = episodeOn(plan, day);
    const portalStatus = episode === undefined ? 'OK' : PROBLEMS[episode.kind].status;
    return STATUS_RANK[portalStatus]! > STATUS_RANK[status]! ? portalStatus : status;
  }, 'OK');
  const handle = await open(file, 'w', 0o640);
  let bytes = 0;
  const write = async (text: string) => {
    bytes += (await handle.write(text)).bytesWritten;
  };
  try {
    await write(`${JSON.stringify({ checkedAt, runKey, monitorVersion: '0.1.0', status: runStatus }).slice(0, -1)},"portals":[`);
    for (let first = 0; first < plans.length; first += PORTALS_PER_CHUNK) {
      const parts = plans.slice(first, first + PORTALS_PER_CHUNK).map((plan, offset) => {
        const { json, outcome } = portalJson(plan, day, start, checkedAt);
        const index = first + offset;
        const before = worst[index];
        if (before === undefined || OUTCOME_RANK[outcome] > OUTCOME_RANK[before]) worst[index] = outcome;
        return json;
      });
      await write(`${first === 0 ? '' : ','}${parts.join(',')}`);
    }
    await write(']}\n');
  } finally {
    await handle.close();
  }
  return bytes;
}
