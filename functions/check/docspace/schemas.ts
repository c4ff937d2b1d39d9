/**
 * zod schemas for the DocSpace backup API bodies (see docs/DOCSPACE-API.md).
 * Tolerant of unknown members and of enum names; strict on what the verdict depends on.
 */
import * as z from 'zod/mini';
import { parseDocSpaceTimestamp } from './dates.ts';
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
const StorageTypeSchema = enumSchema('storage type', storageTypeNumber);

/** `cronParams` with `day` checked against the period (weekly 1–7, monthly 1–31, ignored daily). */
export const CronParamsSchema = z.pipe(
  z.looseObject({
    period: PeriodSchema,
    hour: z.int().check(z.minimum(0), z.maximum(23)),
    day: z.optional(z.nullable(z.union([z.int(), z.string()]))),
  }),
  z.transform((cron, ctx) => {
    if (cron.period === 0) return { period: 0, hour: cron.hour, day: 0 };
    const day =
      cron.period === 1
        ? weekdayNumber(cron.day ?? NaN)
        : typeof cron.day === 'number' && cron.day >= 1 && cron.day <= 31
          ? cron.day
          : undefined;
    if (day === undefined) {
      ctx.issues.push({
        code: 'custom',
        message: `day ${JSON.stringify(cron.day)} does not fit a ${cron.period === 1 ? 'weekly (1-7)' : 'monthly (1-31)'} schedule`,
        input: cron.day,
        path: ['day'],
      });
      return z.NEVER;
    }
    return { period: cron.period, hour: cron.hour, day };
  }),
);
export type CronParams = z.output<typeof CronParamsSchema>;

/** The `response` of `getbackupschedule`. */
export const BackupScheduleSchema = z.pipe(
  z.looseObject({
    storageType: StorageTypeSchema,
    storageParams: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
    cronParams: CronParamsSchema,
    backupsStored: z.optional(z.nullable(z.int())),
    lastBackupTime: TimestampSchema,
    dump: z.optional(z.nullable(z.boolean())),
  }),
  z.transform((s) => ({
    storageType: s.storageType,
    storageModule: typeof s.storageParams?.module === 'string' ? s.storageParams.module : undefined,
    cronParams: s.cronParams,
    backupsStored: s.backupsStored ?? null,
    lastBackupTime: s.lastBackupTime,
    dump: s.dump ?? false,
  })),
);
/** A portal's automatic-backup schedule. `lastBackupTime` is `null` when never dispatched. */
export type BackupSchedule = z.output<typeof BackupScheduleSchema>;

/** The `response` of `getbackupprogress`: the latest backup, restore or transfer task. */
export const BackupProgressSchema = z.pipe(
  z.looseObject({
    isCompleted: z.optional(z.nullable(z.boolean())),
    progress: z.optional(z.nullable(z.number())),
    error: z.optional(z.nullable(z.string())),
    backupProgressEnum: z.optional(z.nullable(z.union([z.number(), z.string()]))),
    taskId: z.optional(z.nullable(z.string())),
  }),
  z.transform((p) => ({
    isCompleted: p.isCompleted ?? false,
    progress: p.progress ?? 0,
    error: p.error ?? '',
    kind: progressKind(p.backupProgressEnum),
    taskId: p.taskId ?? undefined,
  })),
);
export type BackupProgress = z.output<typeof BackupProgressSchema>;

function progressKind(value: number | string | null | undefined): 'backup' | 'restore' | 'transfer' {
  if (value === 1 || (typeof value === 'string' && value.toLowerCase() === 'restore')) return 'restore';
  if (value === 2 || (typeof value === 'string' && value.toLowerCase() === 'transfer')) return 'transfer';
  return 'backup';
}

/** One record of `getbackuphistory`: a successful backup whose file still exists. */
export const BackupRecordSchema = z.pipe(
  z.looseObject({
    id: z.optional(z.nullable(z.string())),
    fileName: z.optional(z.nullable(z.string())),
    storageType: z.optional(z.nullable(z.union([z.number(), z.string()]))),
    createdOn: TimestampSchema,
  }),
  z.transform((r) => ({ id: r.id ?? undefined, fileName: r.fileName ?? '', createdOn: r.createdOn })),
);
export type BackupRecord = z.output<typeof BackupRecordSchema>;
export const BackupHistorySchema = z.array(BackupRecordSchema);

/** The `response` of `GET /api/2.0/settings`: only the time zone members matter here. */
export const PortalSettingsSchema = z.looseObject({
  timezone: z.optional(z.nullable(z.string())),
  utcOffset: z.optional(z.nullable(z.string())),
  utcHoursOffset: z.optional(z.nullable(z.number())),
});
export type PortalSettings = z.output<typeof PortalSettingsSchema>;

/**
 * The DocSpace envelope. `response` is left out when the action returned nothing;
 * `null` is treated the same way.
 */
export const EnvelopeSchema = z.looseObject({
  response: z.optional(z.unknown()),
  status: z.optional(z.unknown()),
  statusCode: z.optional(z.unknown()),
});
