import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONFIG_INJECTED_NAME } from '../../lib/constants.ts';
import { CONFIG_MODULE_FOLDER, writeConfigModule } from '../../lib/deployed-config-module.ts';

let outdir: string;
beforeEach(() => {
  outdir = mkdtempSync(join(tmpdir(), 'config-module-'));
});
afterEach(() => {
  rmSync(outdir, { recursive: true, force: true });
});

describe('writeConfigModule', () => {
  it('writes a module whose one export is the config JSON, character for character', async () => {
    // Prepare: quotes, backslashes, a line separator and non-Latin text must survive as written
    const configJson = JSON.stringify({ portals: [{ name: 'a"b\\c', url: 'https://x.onlyoffice.com', note: 'line\u2028sep Ωмир 日本' }] });

    // Act
    const file = writeConfigModule(outdir, configJson);
    const exported = (await import(pathToFileURL(file).href)) as Record<string, unknown>;

    // Assess
    expect(file.startsWith(join(outdir, CONFIG_MODULE_FOLDER))).toBe(true);
    expect(Object.keys(exported)).toEqual([CONFIG_INJECTED_NAME]);
    expect(exported[CONFIG_INJECTED_NAME]).toBe(configJson);
  });

  it('names the file by its content: the same config one file, another config another', () => {
    // Act
    const first = writeConfigModule(outdir, '{"portals":[1]}');
    const again = writeConfigModule(outdir, '{"portals":[1]}');
    const other = writeConfigModule(outdir, '{"portals":[2]}');

    // Assess
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    expect(readdirSync(join(outdir, CONFIG_MODULE_FOLDER))).toHaveLength(2);
  });
});
