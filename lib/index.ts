/**
 * The package's entry for other CDK apps: `import { DocSpaceBackupMonitor } from
 * 'docspace-backup-monitor'`. Compiled to dist/lib/index.mjs (scripts/build.ts); its types are
 * in dist/types/.
 */
export { DocSpaceBackupMonitor, MonitorPropsError, type DocSpaceBackupMonitorProps, type MonitorConfigInput } from './docspace-backup-monitor.ts';
export { DocSpaceBackupMonitorStack, type DocSpaceBackupMonitorStackProps } from './docspace-backup-monitor-stack.ts';
export { SelfAlarms, type SelfAlarmsProps } from './self-alarms.ts';
export { loadConfig, parseConfig, type MonitorConfig } from '../functions/check/config.ts';
export { ConfigError } from '../functions/check/errors.ts';
