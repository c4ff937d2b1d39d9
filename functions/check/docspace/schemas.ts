/**
 * zod schemas for the DocSpace backup API bodies (see docs/DOCSPACE-API.md).
 * Tolerant of unknown members, enum names and odd members freshness does not need; strict on
 * what freshness depends on (the schedule's `cronParams` and `lastBackupTime`, a task's `error`,
 * a record's `createdOn`) and on the envelope.
 */
import * as z from 'zod/mini';
import { parseDocSpaceTimestamp } from './dates.ts';
import { sanitizePortalText } from '../text/portal-text.ts';
import { periodNumber, storageTypeNumber, weekdayNumber } from './enums.ts';

const TimestampSchema = z.pipe(
  z.string(),
  z.transform((text, ctx) => {
    const parsed = parseDocSpaceTimestamp(text);
    if (parsed === undefined) {
      ctx.issues.push({ code: 'custom', message: `not a timestamp: ${JSON.stringify(text.slice(0, 40))}`, input: text });
      return z.NEVER;
    }
    return parsed;
  }),
);

function enumSchema(label: string, toNumber: (value: number | string) => number | undefined) {
  return z.pipe(
    z.union([z.number(), z.string()]),
    z.transform((value, ctx) => {
      const number = toNumber(value);
      if (number === undefined) {
        ctx.issues.push({ code: 'custom', message: `unknown ${label} ${JSON.stringify(value)}`, input: value });
        return z.NEVER;
      }
      return number;
    }),
  );
}

const PeriodSchema = enumSchema('period', periodNumber);

/** `storageType` when the schedule names none. */
export const MISSING_STORAGE_TYPE = '(missing)';

/** How much of an odd member's value a note quotes, in characters. */
const MAX_QUOTED_VALUE_LENGTH = 40;

/** An odd value for a note: a string quoted, anything else as JSON; sanitized and short. */
function quoted(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(sanitizePortalText(value, MAX_QUOTED_VALUE_LENGTH));
  return sanitizePortalText(JSON.stringify(value) ?? String(value), MAX_QUOTED_VALUE_LENGTH);
}

/** `storageType`: a known type's number, or what the portal wrote (an unknown name, an odd value) as safe text. */
function storageTypeOf(value: unknown): number | string {
  if (value === undefined || value === null) return MISSING_STORAGE_TYPE;
  const number = typeof value === 'number' || typeof value === 'string' ? storageTypeNumber(value) : undefined;
  if (number !== undefined) return number;
  return typeof value === 'string' ? sanitizePortalText(value, MAX_QUOTED_VALUE_LENGTH) || quoted(value) : quoted(value);
}

/** What one member of a schedule reads as, with a note when its value was odd and ignored. */
type MemberReading<T> = { readonly value: T; readonly ignored?: string };

function backupsStoredOf(value: unknown): MemberReading<number | null> {
  if (value === undefined || value === null) return { value: null };
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return { value };
  if (typeof value === 'string' && /^\s*\d{1,6}\s*$/.test(value)) return { value: Number(value) };
  return { value: null, ignored: `backupsStored: expected a whole number 0 or more, got ${quoted(value)}` };
}

function dumpOf(value: unknown): MemberReading<boolean> {
  if (value === undefined || value === null) return { value: false };
  if (typeof value === 'boolean') return { value };
  const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  if (text === 'true' || text === 'false') return { value: text === 'true' };
  return { value: false, ignored: `dump: expected true or false, got ${quoted(value)}` };
}

function storageModuleOf(value: unknown): MemberReading<string | undefined> {
  if (value === undefined || value === null) return { value: undefined };
  if (typeof value !== 'object' || Array.isArray(value)) return { value: undefined, ignored: `storageParams: expected an object, got ${quoted(value)}` };
  const module = (value as Record<string, unknown>).module;
  return { value: typeof module === 'string' ? module : undefined };
}

/** `cronParams` with `day` checked against the period (weekly 1–7, monthly 1–31, ignored daily). */
export const CronParamsSchema = z.pipe(
  z.looseObject({
    period: PeriodSchema,
    hour: z.int().check(z.minimum(0), z.maximum(23)),
    // Only a weekly or monthly schedule needs its day: a daily one's may be anything.
    day: z.optional(z.unknown()),
  }),
  z.transform((cron, ctx) => {
    if (cron.period === 0) return { period: 0, hour: cron.hour, day: 0 };
    const day =
      cron.period === 1
        ? typeof cron.day === 'number' || typeof cron.day === 'string'
          ? weekdayNumber(cron.day)
          : undefined
        : typeof cron.day === 'number' && Number.isInteger(cron.day) && cron.day >= 1 && cron.day <= 31
          ? cron.day
          : undefined;
    if (day === undefined) {
      ctx.issues.push({
        code: 'custom',
        message: `day ${quoted(cron.day)} does not fit a ${cron.period === 1 ? 'weekly (1-7)' : 'monthly (1-31)'} schedule`,
        input: cron.day,
        path: ['day'],
      });
      return z.NEVER;
    }
    return { period: cron.period, hour: cron.hour, day };
  }),
);
export type CronParams = z.output<typeof CronParamsSchema>;

/**
 * The `response` of `getbackupschedule`. Strict on what freshness needs (`cronParams`,
 * `lastBackupTime`); anything else that is odd is read as far as it goes and never fails the
 * schedule: an unknown storage type is carried as text, and a member that had to be ignored is
 * named in `ignoredMembers`.
 */
export const BackupScheduleSchema = z.pipe(
  z.looseObject({
    storageType: z.optional(z.unknown()),
    storageParams: z.optional(z.unknown()),
    cronParams: CronParamsSchema,
    backupsStored: z.optional(z.unknown()),
    lastBackupTime: TimestampSchema,
    dump: z.optional(z.unknown()),
  }),
  z.transform((s) => {
    const module = storageModuleOf(s.storageParams);
    const backupsStored = backupsStoredOf(s.backupsStored);
    const dump = dumpOf(s.dump);
    const ignoredMembers = [module.ignored, backupsStored.ignored, dump.ignored].filter((note): note is string => note !== undefined);
    return {
      /** DocSpace's number, or (for a type this monitor does not know) the portal's own words, sanitized. */
      storageType: storageTypeOf(s.storageType),
      storageModule: module.value,
      cronParams: s.cronParams,
      backupsStored: backupsStored.value,
      lastBackupTime: s.lastBackupTime,
      dump: dump.value,
      /** Members that were odd and ignored (`backupsStored: expected …, got "seven"`); absent when none. */
      ...(ignoredMembers.length === 0 ? {} : { ignoredMembers: ignoredMembers as readonly string[] }),
    };
  }),
);
/** A portal's automatic-backup schedule. `lastBackupTime` is `null` when never dispatched. */
export type BackupSchedule = z.output<typeof BackupScheduleSchema>;

/**
 * The `response` of `getbackupprogress`: the latest backup, restore or transfer task. Its
 * `error` is what a failure is judged by, so a task without one (`{}`, say) is not read as
 * "no failed task"; the other members are read as far as they go.
 */
export const BackupProgressSchema = z.pipe(
  z.looseObject({
    isCompleted: z.optional(z.unknown()),
    progress: z.optional(z.unknown()),
    error: z.optional(z.unknown()),
    backupProgressEnum: z.optional(z.unknown()),
    taskId: z.optional(z.unknown()),
  }),
  z.transform((p, ctx) => {
    if (typeof p.error !== 'string' && p.error !== null) {
      ctx.issues.push({
        code: 'custom',
        message: 'the task has no error text, so whether it failed cannot be told',
        input: p.error,
        path: ['error'],
      });
      return z.NEVER;
    }
    return {
      isCompleted: p.isCompleted === true,
      progress: typeof p.progress === 'number' && Number.isFinite(p.progress) ? p.progress : 0,
      error: p.error ?? '',
      kind: progressKind(p.backupProgressEnum),
      taskId: typeof p.taskId === 'string' ? p.taskId : undefined,
    };
  }),
);
export type BackupProgress = z.output<typeof BackupProgressSchema>;

function progressKind(value: unknown): 'backup' | 'restore' | 'transfer' {
  if (value === 1 || (typeof value === 'string' && value.toLowerCase() === 'restore')) return 'restore';
  if (value === 2 || (typeof value === 'string' && value.toLowerCase() === 'transfer')) return 'transfer';
  return 'backup';
}

/** One record of `getbackuphistory`: a successful backup whose file still exists, with the date it was created. */
export const BackupRecordSchema = z.pipe(
  z.looseObject({
    id: z.optional(z.unknown()),
    fileName: z.optional(z.unknown()),
    createdOn: TimestampSchema,
  }),
  z.transform((r, ctx) => {
    if (r.createdOn === null) {
      ctx.issues.push({ code: 'custom', message: 'createdOn is year 0001: no date', input: r.createdOn, path: ['createdOn'] });
      return z.NEVER;
    }
    return {
      id: typeof r.id === 'string' ? r.id : undefined,
      fileName: typeof r.fileName === 'string' ? r.fileName : '',
      createdOn: r.createdOn,
    };
  }),
);
export type BackupRecord = z.output<typeof BackupRecordSchema>;

/**
 * The `response` of `getbackuphistory`: the records with a usable `createdOn`, and how many
 * were skipped because they have none (no date, year 0001, not a record at all). One odd record
 * never costs the whole history.
 */
export const BackupHistorySchema = z.pipe(
  z.array(z.unknown()),
  z.transform((items) => {
    const records: BackupRecord[] = [];
    for (const item of items) {
      const record = BackupRecordSchema.safeParse(item);
      if (record.success) records.push(record.data);
    }
    return { records: records as readonly BackupRecord[], skippedRecords: items.length - records.length };
  }),
);
export type BackupHistory = z.output<typeof BackupHistorySchema>;

/** The `response` of `GET /api/2.0/settings`: only the time zone members matter here. */
export const PortalSettingsSchema = z.looseObject({
  timezone: z.optional(z.nullable(z.string())),
  utcOffset: z.optional(z.nullable(z.string())),
  utcHoursOffset: z.optional(z.nullable(z.number())),
});
export type PortalSettings = z.output<typeof PortalSettingsSchema>;

/**
 * The DocSpace envelope: numeric `status` (0 success, 1 error) and `statusCode`, which is how a
 * DocSpace answer is told from a login page, a proxy's or another service's JSON. `response` is
 * left out when the action returned nothing; `null` is treated the same way.
 */
export const EnvelopeSchema = z.looseObject({
  response: z.optional(z.unknown()),
  status: z.int(),
  statusCode: z.int(),
});
