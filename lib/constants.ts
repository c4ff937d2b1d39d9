/**
 * Names shared by the CDK app, the Lambda handler, the tests and the docs. One place, so a
 * dashboard, an alarm and the handler never disagree about a namespace or a variable.
 */

/** CloudWatch namespace of the handler's EMF metrics (`BackupAgeHours`, `CheckFailed`, ...). */
export const METRICS_NAMESPACE = 'DocSpaceBackupMonitor';

/** Powertools service name: the `service` key of every log line and a metrics dimension. */
export const SERVICE_NAME = 'docspace-backup-monitor';

/** Environment variables the deployed function reads. */
export const FunctionEnv = {
  /** ARN of the topic alerts are published to. */
  ALERT_TOPIC_ARN: 'ALERT_TOPIC_ARN',
  /** Powertools: the service name (see {@link SERVICE_NAME}). */
  POWERTOOLS_SERVICE_NAME: 'POWERTOOLS_SERVICE_NAME',
  /** Powertools: the metrics namespace (see {@link METRICS_NAMESPACE}). */
  POWERTOOLS_METRICS_NAMESPACE: 'POWERTOOLS_METRICS_NAMESPACE',
} as const;

/**
 * The expression esbuild replaces with the validated config as JSON text at bundle time. It is
 * not a real environment variable: the config is part of the code, fixed at deploy time, and
 * not bound by the 4 KB limit on Lambda environment variables.
 */
export const CONFIG_DEFINE = 'process.env.MONITOR_CONFIG_JSON';

/** Message attribute every alert carries, and the SMS filter policy matches on. */
export const SEVERITY_ATTRIBUTE = 'severity';
