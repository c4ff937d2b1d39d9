/**
 * The JSON Schema of the config file, generated from the zod schema, for editor completion
 * (`"$schema": "./monitor.config.schema.json"`). A test keeps the committed file in sync.
 */
import * as z from 'zod/mini';
import { MonitorConfigSchema } from './config.ts';

/** The file the JSON Schema is written to, at the repo root. */
export const CONFIG_JSON_SCHEMA_PATH = 'monitor.config.schema.json';

/** The config's JSON Schema (draft 2020-12), describing what a user writes (the input side). */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(MonitorConfigSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
  return {
    ...schema,
    $id: 'https://github.com/docspace-backup-monitor/monitor.config.schema.json',
    title: 'DocSpace backup monitor config',
    description: 'Portals to check and the backup policy they are judged by. Reference: docs/CONFIG.md',
  };
}

/** The file's text: stable key order, two-space indent, final newline. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
