/**
 * Names shared by the CDK app, the Lambda handler, the tests and the docs. One place, so a
 * dashboard, an alarm and the handler never disagree about a namespace or a variable.
 */

/** CloudWatch namespace of the handler's EMF metrics (`BackupAgeHours`, `CheckFailed`, ...). */
export const METRICS_NAMESPACE = 'DocSpaceBackupMonitor';

/** Powertools service name: the `service` key of every log line and a metrics dimension. */
export const SERVICE_NAME = 'docspace-backup-monitor';

/** Environment variables the deployed function reads (defined with the function, which must not import lib/). */
export { FunctionEnv } from '../functions/check/lambda/function-env.ts';

/**
 * The expression esbuild replaces with the validated config as JSON text at bundle time. It is
 * not a real environment variable: the config is part of the code, fixed at deploy time, and
 * not bound by the 4 KB limit on Lambda environment variables.
 */
export const CONFIG_DEFINE = 'process.env.MONITOR_CONFIG_JSON';

/**
 * What {@link CONFIG_DEFINE} becomes: a name exported by a module esbuild injects (see
 * lib/deployed-config-module.ts). The config travels in that file, not on esbuild's command
 * line, whose arguments Linux limits to 128 KiB each (about 900 portals).
 */
export const CONFIG_INJECTED_NAME = '__docspaceMonitorConfigJson';

/** Message attribute every alert carries, and the SMS filter policy matches on. */
export const SEVERITY_ATTRIBUTE = 'severity';

/**
 * Message attribute every notice carries: why it is sent (`firing`, `reminder`, `resolved`; see
 * `NoticeState`). The SMS filter policy matches on it as well as on {@link SEVERITY_ATTRIBUTE}.
 */
export const STATE_ATTRIBUTE = 'state';

/** The `action` of the event the digest schedule sends the function (with the Scheduler's `scheduledTime`). */
export const DIGEST_ACTION = 'digest';

/** The `action` of the event the monthly-report schedule sends the function (with the Scheduler's `scheduledTime`). */
export const MONTHLY_REPORT_ACTION = 'monthly-report';

/** The zone the digest schedule runs in when the config's `digest.timeZone` is left out. */
export const DEFAULT_DIGEST_TIME_ZONE = 'UTC';
