/**
 * The module through which the validated config gets into the Lambda bundle. esbuild injects it
 * and replaces `process.env.MONITOR_CONFIG_JSON` (CONFIG_DEFINE) with its one export, so the
 * config ends up as a string literal in the code, as a `define` would put it, but without
 * passing through esbuild's command line: Linux limits each argument to 128 KiB, which a
 * `define` of about 900 portals exceeds (`spawnSync npx E2BIG`).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_INJECTED_NAME } from './constants.ts';

/** The folder, inside the cloud assembly, that holds the config modules. */
export const CONFIG_MODULE_FOLDER = 'docspace-backup-monitor-config';

/** The source of the module: one export, the config's JSON text as a string literal. */
export function configModuleSource(configJson: string): string {
  return `export const ${CONFIG_INJECTED_NAME} = ${JSON.stringify(configJson)};\n`;
}

/**
 * Writes the config module under `outdir` and returns its path. The name is the content's
 * hash, so equal configs share a file and a changed config gets a new one (and a new bundle).
 * The file lies in the cloud assembly (`cdk.out`), which belongs to the user running the synth,
 * not in a shared temp folder where another user could plant a file of the same name.
 *
 * @param outdir - the stage's cloud assembly folder
 * @param configJson - the validated config as JSON text
 */
export function writeConfigModule(outdir: string, configJson: string): string {
  const folder = join(outdir, CONFIG_MODULE_FOLDER);
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `config-${createHash('sha256').update(configJson).digest('hex').slice(0, 32)}.mjs`);
  writeFileSync(file, configModuleSource(configJson));
  return file;
}
