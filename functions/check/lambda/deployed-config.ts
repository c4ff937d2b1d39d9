/**
 * The monitor config the function was deployed with. At bundle time esbuild replaces
 * `process.env.MONITOR_CONFIG_JSON` with the config's JSON text (from a module the construct
 * writes and esbuild injects: lib/deployed-config-module.ts), so the config is part of the code:
 * fixed at deploy time, never read from the event. It is validated here, at init, with the same
 * schema as the CLI and `cdk synth`; a bad one fails the init with the path-by-path
 * {@link ConfigError}.
 */
import { parseConfigText, type MonitorConfig } from '../config.ts';
import { ConfigError } from '../errors.ts';

/** How the config is named in a {@link ConfigError}. */
export const DEPLOYED_CONFIG_SOURCE = 'the deployed config (MONITOR_CONFIG_JSON)';

function parseDeployedConfig(text: string | undefined): MonitorConfig {
  if (text === undefined || text.trim() === '')
    throw new ConfigError(DEPLOYED_CONFIG_SOURCE, [
      'is missing: the DocSpaceBackupMonitor construct inlines it into the bundle at deploy time; deploy the function with that construct',
    ]);
  return parseConfigText(text, DEPLOYED_CONFIG_SOURCE);
}

/**
 * The validated config.
 *
 * @throws ConfigError at init, listing every problem by JSON path
 */
export const deployedConfig: MonitorConfig = parseDeployedConfig(process.env.MONITOR_CONFIG_JSON);
