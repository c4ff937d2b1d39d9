/**
 * The one config schema: validated at `cdk synth`, in the CLI and in the Lambda handler.
 * Reference: docs/CONFIG.md. JSON Schema for editors: monitor.config.schema.json (generated).
 */
import * as z from 'zod/mini';
import { PERIODS, periodNumber, STORAGE_TYPES, storageTypeNumber, WEEKDAYS, weekdayNumber } from './docspace/enums.ts';
import { duplicateNameProblems, duplicateNameText, issueText } from './config-problems.ts';
import { ConfigError } from './errors.ts';
import { parseJsonText } from './files/parse-json-text.ts';
import { LocalFileError, LocalFileProblem, readRegularFile } from './files/read-regular-file.ts';
import { FINDING_CODES, type BackupPolicy, type FindingCode } from './policy/types.ts';

/** Adds a description for editors (it lands in the generated JSON Schema). */
function doc<T extends z.ZodMiniType>(schema: T, description: string): T {
  return schema.check(z.describe(description)) as T;
}

/** Where the CLI and `cdk synth` look for the config when none is named. */
export const DEFAULT_CONFIG_PATH = 'monitor.config.json';
export const DEFAULT_GRACE_MINUTES = 60;
/** DocSpace's scheduler wakes every 15 minutes: a shorter grace would call every backup late. */
export const MIN_GRACE_MINUTES = 15;
export const DEFAULT_ARCHIVE_GRACE_MINUTES = 240;
export const DEFAULT_CONCURRENCY = 10;
export const DEFAULT_CHECK_CRON = '0 7 * * ? *';
export const DEFAULT_CHECK_TIME_ZONE = 'UTC';

function intRange(min: number, max: number) {
  return z.int({ error: `must be a whole number ${min}-${max}` }).check(
    z.minimum(min, { error: `must be ${min}-${max}` }),
    z.maximum(max, { error: `must be ${min}-${max}` }),
  );
}

/** True when `zone` is a time zone id this runtime's Intl knows (IANA, or `UTC`). */
export function isKnownTimeZone(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const TimeZoneSchema = z.string().check(
  z.refine(isKnownTimeZone, { error: 'must be an IANA time zone id such as "Europe/Berlin"' }),
);

const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

const PortalUrlSchema = z.pipe(
  z.string(),
  z.transform((text, ctx) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      ctx.issues.push({ code: 'custom', message: 'must be an absolute URL such as "https://acme.onlyoffice.com"', input: text });
      return z.NEVER;
    }
    const problems: string[] = [];
    if (url.username || url.password) problems.push('must not carry credentials (user:pass@); the API key is configured in apiKey');
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOST.test(url.hostname)))
      problems.push('must use https (http is allowed only for loopback hosts)');
    if (url.search || url.hash) problems.push('must not have a query or fragment');
    if (problems.length > 0) {
      for (const message of problems) ctx.issues.push({ code: 'custom', message, input: url.username || url.password ? '(redacted)' : text });
      return z.NEVER;
    }
    // The portal's base: API paths are joined to it, so keep one trailing slash.
    return url.origin + url.pathname.replace(/\/*$/, '/');
  }),
);

const SsmParameterNameSchema = z.string().check(
  z.regex(/^(\/[A-Za-z0-9_.\-]+)+$|^[A-Za-z0-9_.\-]+$/, {
    error: 'must be an SSM parameter name such as "/docspace/acme-prod/api-key" (a name with "/" starts with "/")',
  }),
  z.maxLength(2048, { error: 'must be at most 2048 characters' }),
);

const KmsKeyArnSchema = z.string().check(
  z.regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/, {
    error: 'must be a KMS key ARN such as "arn:aws:kms:eu-central-1:123456789012:key/…"',
  }),
);

const AuthSchemeSchema = z.optional(z.enum(['auto', 'bearer', 'raw']));

/** Where a portal's API key comes from: an SSM SecureString, or an environment variable. */
const API_KEY_SHAPES = 'must be {"ssmParameter": "/name"} or {"env": "VARIABLE_NAME"}';

export const ApiKeySourceSchema = z.union(
  [
  z.strictObject({ ssmParameter: SsmParameterNameSchema, kmsKeyArn: z.optional(KmsKeyArnSchema), scheme: AuthSchemeSchema }),
  z.strictObject({
    env: z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be an environment variable name' })),
    scheme: AuthSchemeSchema,
  }),
  ],
  { error: API_KEY_SHAPES },
);
export type ApiKeySource = z.output<typeof ApiKeySourceSchema>;

/**
 * A DocSpace enum member as the config takes it: a name (any case) or DocSpace's number. The
 * JSON Schema offers the names as `examples` (editors complete them; an `enum` would flag the
 * other spellings the monitor accepts) and the numbers' range; the refinements that use this
 * judge the value.
 */
function nameOrNumber(names: readonly string[], minimum: number, maximum: number) {
  return z.union([z.string().check(z.meta({ examples: [...names] })), z.int().check(z.meta({ minimum, maximum }))]);
}

function expectedDay(period: number, day: number | string | undefined): number | undefined {
  if (period === 0) return day === undefined || day === 0 ? 0 : undefined;
  if (day === undefined) return undefined;
  if (period === 1) return weekdayNumber(day);
  return typeof day === 'number' && day >= 1 && day <= 31 ? day : undefined;
}

const PeriodInputSchema = nameOrNumber(PERIODS, 0, PERIODS.length - 1).check(
  z.refine((period) => periodNumber(period) !== undefined, { error: 'must be EveryDay, EveryWeek, EveryMonth or 0-2' }),
);

/** Expected `cronParams`, by name or DocSpace number; normalized to DocSpace numbers. */
export const ExpectedScheduleSchema = z.pipe(
  z
    .strictObject({ period: PeriodInputSchema, hour: intRange(0, 23), day: z.optional(nameOrNumber(WEEKDAYS, 0, 31)) })
    .check(
      z.superRefine(
        (schedule, ctx) => {
          const period = periodNumber(schedule.period);
          if (period === undefined || expectedDay(period, schedule.day) !== undefined) return;
          const message =
            period === 0
              ? 'must be left out (or 0) for a daily schedule'
              : period === 1
                ? 'must be a weekday name or 1-7 (1 = Sunday)'
                : 'must be a day of the month 1-31';
          ctx.addIssue({ code: 'custom', message, input: schedule.day, path: ['day'] });
        },
        // Judge the day even when another member failed, so every problem is listed at once.
        { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
      ),
    ),
  z.transform((schedule) => {
    const period = periodNumber(schedule.period) ?? 0;
    return { period, hour: schedule.hour, day: expectedDay(period, schedule.day) ?? 0 };
  }),
);

const StorageTypeInputSchema = z.pipe(
  nameOrNumber(STORAGE_TYPES, 0, STORAGE_TYPES.length - 1),
  z.transform((value, ctx) => {
    const number = storageTypeNumber(value);
    if (number === undefined || number > 5) {
      ctx.issues.push({
        code: 'custom',
        message: 'must be Documents, ThridpartyDocuments, CustomCloud, Local, DataStore, ThirdPartyConsumer or 0-5',
        input: value,
      });
      return z.NEVER;
    }
    return number;
  }),
);

const OVERRIDABLE_CODES = FINDING_CODES.filter((code) => code !== 'CHECK_FAILED');

const SeverityOverridesSchema = z.partialRecord(
  z.enum(OVERRIDABLE_CODES as [Exclude<FindingCode, 'CHECK_FAILED'>, ...Exclude<FindingCode, 'CHECK_FAILED'>[]], {
    error: `must be a finding code: ${OVERRIDABLE_CODES.join(', ')}`,
  }),
  z.enum(['critical', 'warning'], { error: 'must be "critical" or "warning"' }),
);

/** Policy keys, all optional: the top level sets them for every portal, a portal overrides them. */
export const PolicySchema = z.strictObject({
  schedule: z.optional(doc(ExpectedScheduleSchema, 'Expected cronParams: {"period": "EveryDay"|"EveryWeek"|"EveryMonth" or 0-2, "hour": 0-23, "day": weekday name or 1-7 (1 = Sunday) weekly, 1-31 monthly}. A difference is SCHEDULE_MISMATCH.')),
  graceMinutes: z.optional(
    doc(
      intRange(MIN_GRACE_MINUTES, 7 * 24 * 60),
      'How late a backup may be dispatched after its slot before BACKUP_OVERDUE (at least 15: DocSpace dispatches up to 15 minutes after the slot). Default 60.',
    ),
  ),
  archiveGraceMinutes: z.optional(
    doc(
      intRange(MIN_GRACE_MINUTES, 7 * 24 * 60),
      'How long after its slot the archive must be in the backup history before ARCHIVE_MISSING (at least graceMinutes). Default 240.',
    ),
  ),
  maxBackupAgeHours: z.optional(doc(intRange(1, 24 * 400), 'Absolute bound on the age of the last backup (BACKUP_TOO_OLD). Default: not checked.')),
  allowedStorageTypes: z.optional(
    doc(
      z.array(StorageTypeInputSchema).check(z.minLength(1, { error: 'must list at least one storage type' })),
      'Storage types backups may go to: Documents, ThridpartyDocuments, CustomCloud, Local, DataStore, ThirdPartyConsumer (or 0-5). Default: any.',
    ),
  ),
  minBackupsStored: z.optional(doc(intRange(1, 30), 'Minimum number of backups the portal keeps (RETENTION_TOO_LOW). Default: not checked.')),
  dump: z.optional(doc(z.boolean(), 'Whether the schedule must be (true) or must not be (false) the whole-server dump (DUMP_MISMATCH). Default: not checked.')),
  requireArchive: z.optional(doc(z.boolean(), 'Look for the archive in the backup history (ARCHIVE_MISSING). Default true.')),
  checkLastBackupError: z.optional(doc(z.boolean(), "Look at the latest backup task's error (LAST_BACKUP_FAILED). Default true.")),
  severity: z.optional(doc(SeverityOverridesSchema, 'Per-code severity override, e.g. {"SCHEDULE_MISMATCH": "critical"}.')),
});
export type PolicyConfig = z.output<typeof PolicySchema>;

/** One DocSpace portal to check. */
export const PortalConfigSchema = z.strictObject({
  name: z.string().check(
    z.describe('Unique; lowercase letters, digits and "-". Names the portal in alerts and metrics.'),
    z.regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, {
      error: 'must be 1-64 lowercase letters, digits and "-", starting and ending with a letter or digit',
    }),
  ),
  url: doc(PortalUrlSchema, 'The portal address, e.g. "https://acme.onlyoffice.com". https only (http for loopback hosts).'),
  apiKey: doc(ApiKeySourceSchema, 'Where the API key is: {"ssmParameter": "/docspace/acme/api-key"} (SecureString) or {"env": "ACME_DOCSPACE_KEY"}.'),
  timeZone: z.optional(doc(TimeZoneSchema, "IANA time zone the portal's schedule runs in. Default: the portal's own, from /api/2.0/settings.")),
  policy: z.optional(doc(PolicySchema, "Overrides of the top-level policy for this portal, key by key.")),
});
export type PortalConfig = z.output<typeof PortalConfigSchema>;

/** When the deployed check runs: an EventBridge Scheduler cron expression and its zone. */
export const CheckScheduleSchema = z.strictObject({
  cron: z.string().check(
    z.regex(/^\S+( \S+){5}$/, { error: 'must be an EventBridge cron with 6 fields, e.g. "0 7 * * ? *"' }),
    z.refine(
      (cron) => {
        const fields = cron.split(' ');
        return (fields[2] === '?') !== (fields[4] === '?');
      },
      { error: 'must have "?" in exactly one of day-of-month (3rd) and day-of-week (5th)' },
    ),
  ),
  timeZone: z.optional(TimeZoneSchema),
});

/** Who the deployed monitor alerts. */
export const AlertsSchema = z.strictObject({
  email: z.optional(z.array(z.email({ error: 'must be an e-mail address' }))),
  sms: z.optional(z.array(z.e164({ error: 'must be a phone number in E.164 form, e.g. "+491701234567"' }))),
  smsMinSeverity: z.optional(z.enum(['critical', 'warning'], { error: 'must be "critical" or "warning"' })),
});

/**
 * A Healthchecks.io-style ping URL: https (http only on loopback), no credentials, query or
 * fragment (`/start` and `/fail` are appended to it). It is a secret of sorts (whoever has it can
 * ping): a problem names its host only.
 */
export const HeartbeatUrlSchema = z.pipe(
  z.string(),
  z.transform((text, ctx) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      ctx.issues.push({ code: 'custom', message: 'must be an absolute URL such as "https://hc-ping.com/<uuid>"', input: '(not shown)' });
      return z.NEVER;
    }
    const problems: string[] = [];
    if (url.username || url.password) problems.push('must not carry credentials (user:pass@)');
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOST.test(url.hostname)))
      problems.push('must use https (http is allowed only for loopback hosts)');
    if (url.search || url.hash) problems.push('must not have a query or fragment ("/start" and "/fail" are appended to it)');
    for (const message of problems) ctx.issues.push({ code: 'custom', message, input: `${url.protocol}//${url.host}/…` });
    if (problems.length > 0) return z.NEVER;
    return url.origin + url.pathname.replace(/\/+$/, '');
  }),
);

/** Where the ping URL of the heartbeat outside AWS comes from: written here, or an SSM parameter. */
export const HeartbeatSchema = z.union(
  [
    z.strictObject({ url: doc(HeartbeatUrlSchema, 'The ping URL, e.g. "https://hc-ping.com/<uuid>" (Healthchecks.io; also Cronitor, Uptime Kuma push).') }),
    z.strictObject({ ssmParameter: doc(SsmParameterNameSchema, 'An SSM parameter (String or SecureString) holding the ping URL, so it stays out of the code.') }),
  ],
  { error: 'must be {"url": "https://hc-ping.com/<uuid>"} or {"ssmParameter": "/name"}' },
);
export type HeartbeatConfig = z.output<typeof HeartbeatSchema>;

/** When the runs remind about a problem that has not changed. */
export const DEFAULT_REMIND_EVERY_RUNS = { critical: 1, warning: 7 } as const;

/** How many consecutive runs may fail to evaluate a portal (network, timeout, 5xx, rate limit) before it is critical. */
export const DEFAULT_ESCALATE_UNCHECKED_AFTER_RUNS = 3;

/** How alerts repeat and resolve between runs (needs state: DynamoDB when deployed, `--state FILE` in the CLI). */
export const NotificationsSchema = z.strictObject({
  remindEveryRuns: z.optional(
    doc(
      z.strictObject({ critical: z.optional(intRange(0, 1000)), warning: z.optional(intRange(0, 1000)) }),
      'An unchanged problem is repeated every N runs (0: never). Default {"critical": 1, "warning": 7}.',
    ),
  ),
  smsResolved: z.optional(doc(z.boolean(), 'Also text the "resolved" notice (it is always e-mailed). Default false.')),
  escalateUncheckedAfterRuns: z.optional(
    doc(
      intRange(0, 1000),
      'A portal that could not be evaluated (network, timeout, 5xx, rate limit, an answer that is not DocSpace) in this many consecutive runs is alerted as critical (0: never). Default 3.',
    ),
  ),
});
export type NotificationsConfig = z.output<typeof NotificationsSchema>;

const InstantSchema = z.string().check(
  z.refine((text) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) && !Number.isNaN(Date.parse(text)), {
    error: 'must be an ISO-8601 instant with a zone, e.g. "2027-01-31T00:00:00Z"',
  }),
);

/** Mutes matching alerts until a time; the report still shows the findings, marked silenced. */
export const SilenceSchema = z.strictObject({
  portal: doc(z.string().check(z.minLength(1, { error: 'must name a configured portal' })), 'The portal the silence applies to.'),
  codes: z.optional(
    doc(
      z.array(z.enum(FINDING_CODES as [FindingCode, ...FindingCode[]], { error: `must be a finding code: ${FINDING_CODES.join(', ')}` })).check(
        z.minLength(1, { error: 'must list at least one code (leave codes out to silence every code)' }),
      ),
      'The finding codes silenced. Default: every code.',
    ),
  ),
  until: doc(InstantSchema, 'When the silence ends (ISO-8601 with a zone). Alerts resume with the next run after it.'),
  reason: doc(z.string().check(z.minLength(1, { error: 'must say why (it is shown in the report)' }), z.maxLength(200, { error: 'must be at most 200 characters' })), 'Why, shown in the report.'),
});
export type SilenceConfig = z.output<typeof SilenceSchema>;

/** The whole monitor config (`monitor.config.json`). */
/** How long the evidence archive keeps each run's report when `archive.retentionDays` is left out. */
export const DEFAULT_ARCHIVE_RETENTION_DAYS = 400;

/** The evidence archive the deployed stack keeps: every run's report in an S3 bucket. */
export const ArchiveConfigSchema = z.strictObject({
  retentionDays: z.optional(doc(intRange(1, 3650), `How many days each run's report is kept before it expires. Default ${DEFAULT_ARCHIVE_RETENTION_DAYS}.`)),
  objectLockDays: z.optional(
    doc(intRange(1, 3650), 'Keep each report immutable (S3 Object Lock, compliance mode) for this many days: nobody, root included, can delete or change it sooner. At most retentionDays. Default: no lock.'),
  ),
  monthlyReport: z.optional(doc(z.boolean(), "E-mail the previous month's compliance report (Markdown, fleet totals first) on the 1st of each month at 08:00 UTC. Default false.")),
});
export type ArchiveConfig = z.infer<typeof ArchiveConfigSchema>;

export const MonitorConfigSchema = z
  .strictObject({
    $schema: z.optional(z.string()),
    portals: doc(z.array(PortalConfigSchema).check(z.minLength(1, { error: 'must list at least one portal' })), 'The DocSpace portals to check.'),
    policy: z.optional(doc(PolicySchema, 'The backup policy every portal is judged by.')),
    concurrency: z.optional(doc(intRange(1, 200), 'How many portals are checked at once. Default 10.')),
    checkSchedule: z.optional(doc(CheckScheduleSchema, 'When the deployed check runs. Default {"cron": "0 7 * * ? *", "timeZone": "UTC"}.')),
    alerts: z.optional(doc(AlertsSchema, 'Who the deployed monitor alerts: e-mail addresses and E.164 phone numbers.')),
    notifications: z.optional(doc(NotificationsSchema, 'When unchanged problems are repeated and whether "resolved" notices are texted.')),
    silences: z.optional(doc(z.array(SilenceSchema), 'Silenced alerts: matching findings are not alerted until the silence ends.')),
    digest: z.optional(doc(CheckScheduleSchema, 'A periodic e-mail listing every portal\'s status, e.g. {"cron": "0 8 ? * MON *", "timeZone": "Europe/Berlin"}. Default: none.')),
    archive: z.optional(doc(ArchiveConfigSchema, "The evidence archive of the deployed monitor: how long each run's report is kept, Object Lock, the monthly report.")),
    heartbeat: z.optional(
      doc(
        HeartbeatSchema,
        'A dead-man\'s switch outside AWS: the deployed check pings <url>/start when it begins, <url> when it completes with every alert delivered, <url>/fail when it fails. Default: none.',
      ),
    ),
  })
  .check(
    z.superRefine((config, ctx) => {
      const seen = new Map<string, number>();
      config.portals.forEach((portal, index) => {
        const first = seen.get(portal.name);
        if (first === undefined) seen.set(portal.name, index);
        else ctx.addIssue({ code: 'custom', message: duplicateNameText(index, first, portal.name), path: [] });
      });
      const graceProblem = (policy: PolicyConfig | undefined, fallback: PolicyConfig | undefined, path: PropertyKey[]) => {
        const grace = policy?.graceMinutes ?? fallback?.graceMinutes ?? DEFAULT_GRACE_MINUTES;
        const archiveGrace = policy?.archiveGraceMinutes ?? fallback?.archiveGraceMinutes ?? DEFAULT_ARCHIVE_GRACE_MINUTES;
        if (archiveGrace < grace)
          ctx.addIssue({
            code: 'custom',
            message: `must be at least graceMinutes (${grace}): an archive cannot be due before its backup`,
            input: archiveGrace,
            path: [...path, 'archiveGraceMinutes'],
          });
      };
      graceProblem(config.policy, undefined, ['policy']);
      config.portals.forEach((portal, index) => {
        if (portal.policy?.graceMinutes !== undefined || portal.policy?.archiveGraceMinutes !== undefined)
          graceProblem(portal.policy, config.policy, ['portals', index, 'policy']);
      });
      const { retentionDays = DEFAULT_ARCHIVE_RETENTION_DAYS, objectLockDays } = config.archive ?? {};
      if (objectLockDays !== undefined && objectLockDays > retentionDays)
        ctx.addIssue({
          code: 'custom',
          message: `must be at most archive.retentionDays (${retentionDays}): a locked report cannot expire before its lock ends`,
          input: objectLockDays,
          path: ['archive', 'objectLockDays'],
        });
      config.silences?.forEach((silence, index) => {
        if (!seen.has(silence.portal))
          ctx.addIssue({
            code: 'custom',
            message: `must name a configured portal (${config.portals.map((portal) => portal.name).join(', ')})`,
            input: silence.portal,
            path: ['silences', index, 'portal'],
          });
      });
    }),
  );
export type MonitorConfig = z.output<typeof MonitorConfigSchema>;

/**
 * Validates a parsed config.
 *
 * @param data - the parsed JSON
 * @param source - where it came from, for the error message (a file path)
 * @throws ConfigError listing every problem by JSON path
 */
export function parseConfig(data: unknown, source = DEFAULT_CONFIG_PATH): MonitorConfig {
  const result = MonitorConfigSchema.safeParse(data, { reportInput: true });
  if (result.success) return result.data;
  const problems = result.error.issues.flatMap((issue) => issueText(issue).split('\n'));
  // zod skips the whole-config checks once a member failed; duplicates are still worth listing.
  problems.push(...duplicateNameProblems(data));
  throw new ConfigError(source, [...new Set(problems)]);
}

/**
 * Reads and validates a config file: a regular file of at most 16 MiB (a FIFO, a device or a
 * larger file is refused, not read).
 *
 * @example
 * const config = await loadConfig('monitor.config.json');
 * @throws ConfigError when the file is missing, not a regular file, too large, not JSON, or does not fit the schema
 */
export async function loadConfig(path: string = DEFAULT_CONFIG_PATH): Promise<MonitorConfig> {
  let text: string;
  try {
    text = await readRegularFile(path);
  } catch (error) {
    if (!(error instanceof LocalFileError)) throw error;
    throw new ConfigError(path, [error.problem === LocalFileProblem.MISSING ? 'file not found' : error.message]);
  }
  return parseConfigText(text, path);
}

/**
 * Parses and validates config JSON text (a leading byte order mark is skipped). A syntax error
 * names its line and column and a fixed reason, never the text around it.
 */
export function parseConfigText(text: string, source: string): MonitorConfig {
  const parsed = parseJsonText(text);
  if (!parsed.ok) throw new ConfigError(source, [`not valid JSON: ${parsed.reason} at line ${parsed.line}, column ${parsed.column}`]);
  return parseConfig(parsed.value, source);
}

/**
 * The policy one portal is judged by: defaults, then the top-level policy, then the portal's
 * own overrides (key by key; `severity` code by code).
 */
export function resolvePolicy(config: MonitorConfig, portal: PortalConfig): BackupPolicy {
  const top = config.policy ?? {};
  const own = portal.policy ?? {};
  return {
    schedule: own.schedule ?? top.schedule,
    graceMinutes: own.graceMinutes ?? top.graceMinutes ?? DEFAULT_GRACE_MINUTES,
    archiveGraceMinutes: own.archiveGraceMinutes ?? top.archiveGraceMinutes ?? DEFAULT_ARCHIVE_GRACE_MINUTES,
    maxBackupAgeHours: own.maxBackupAgeHours ?? top.maxBackupAgeHours,
    allowedStorageTypes: own.allowedStorageTypes ?? top.allowedStorageTypes,
    minBackupsStored: own.minBackupsStored ?? top.minBackupsStored,
    dump: own.dump ?? top.dump,
    requireArchive: own.requireArchive ?? top.requireArchive ?? true,
    checkLastBackupError: own.checkLastBackupError ?? top.checkLastBackupError ?? true,
    severity: { ...top.severity, ...own.severity },
  };
}
