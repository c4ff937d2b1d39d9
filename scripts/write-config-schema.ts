// Regenerates monitor.config.schema.json from the zod config schema (npm run schema).
import { writeFile } from 'node:fs/promises';
import { CONFIG_JSON_SCHEMA_PATH, configJsonSchemaText } from '../functions/check/config-json-schema.ts';

await writeFile(CONFIG_JSON_SCHEMA_PATH, configJsonSchemaText());
console.log(`wrote ${CONFIG_JSON_SCHEMA_PATH}`);
