import { execFileSync } from 'node:child_process';
import { chmod, lstat, mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_LOCAL_FILE_BYTES } from '../../../functions/check/files/read-regular-file.ts';
import { StateStoreError } from '../../../functions/check/state/errors.ts';
import { JsonFileStateStore, STATE_FILE_VERSION } from '../../../functions/check/state/json-file-state-store.ts';
import { memoryOf, okMemoryOf, runKey } from './portal-memories.ts';

let directory: string;
let file: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'json-state-'));
  file = join(directory, 'state.json');
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** A state file holding these records, as JSON text. */
function stateText(portals: Record<string, unknown>, version: unknown = STATE_FILE_VERSION): string {
  return JSON.stringify({ version, portals });
}

describe('JsonFileStateStore', () => {
  describe('constructor', () => {
    it('fails when the file path is empty', () => {
      // Act & Assess
      expect(() => new JsonFileStateStore({ file: ' ' })).toThrow('JsonFileStateStore file must be a file path, got an empty one');
    });
  });

  describe('load', () => {
    it.each([
      ['an empty file', ''],
      ['a file of whitespace', ' \n'],
      ['a file with no portals', stateText({})],
    ])('returns no records from %s', async (_case, text) => {
      // Prepare
      await writeFile(file, text);

      // Act
      const memories = await new JsonFileStateStore({ file }).load(['acme']);

      // Assess
      expect(memories.size).toBe(0);
    });

    it('reads the records of a file it did not write, ignoring fields it does not know', async () => {
      // Prepare
      const acme = memoryOf('acme');
      await writeFile(file, stateText({ acme: { ...acme, addedByANewerVersion: true } }));

      // Act
      const memories = await new JsonFileStateStore({ file }).load(['acme']);

      // Assess
      expect(memories.get('acme')).toEqual(acme);
    });

    it.each([
      ['is not JSON', '{"version": 1, "portals": NOT-JSON-TEXT}', /^state file .*state\.json is not valid JSON \(line 1, column 27: unexpected character [^)]*\)\): fix it, or delete it to start with no memory of earlier runs$/],
      ['is JSON with a trailing comma', '{\n  "version": 1,\n}', /is not valid JSON \(line 3, column 1: expected a property name in double quotes/],
      ['holds a pasted key the parser would quote', '{"version": 1, "portals": sk-NOT-JSON-TEXT"}', /is not valid JSON \(line 1, column 27: unexpected character/],
      ['is a JSON array', '[]', /is not a JSON object with "version" and "portals"/],
      ['is a JSON string', '"state"', /is not a JSON object with "version" and "portals"/],
      ['has no version', JSON.stringify({ portals: {} }), /has no version number; this monitor reads version 1/],
      ['has another version', stateText({}, 2), /has version 2; this monitor reads version 1/],
      ['has no portals', JSON.stringify({ version: 1 }), /does not hold valid monitor state: portals: expected record/],
      ['has a record with an unknown status', stateText({ acme: { ...memoryOf('acme'), status: 'NOT-A-STATUS' } }), /portals\.acme\.status: not an accepted value/],
      ['has a record without a run key', stateText({ acme: { ...memoryOf('acme'), lastRunKey: undefined } }), /portals\.acme\.lastRunKey: expected string/],
      ['has a record with codes that are not a list', stateText({ acme: { ...memoryOf('acme'), codes: 'BACKUP_OVERDUE' } }), /portals\.acme\.codes: expected array/],
      ['has a record under another portal’s name', stateText({ beta: memoryOf('acme') }), /portals\.beta\.portal: differs from its key/],
    ])('fails with a message naming the file and the problem when the file %s', async (_case, text, message) => {
      // Prepare
      await writeFile(file, text);

      // Act
      const loading = new JsonFileStateStore({ file }).load(['acme']);

      // Assess
      const error: unknown = await loading.catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StateStoreError);
      const stateError = error as StateStoreError;
      expect(stateError.message).toMatch(message);
      expect(stateError.message).toContain(file);
      expect(stateError).toMatchObject({ operation: 'load', store: file });
      expect(stateError.message).not.toMatch(/NOT-JSON-TEXT|NOT-A-STATUS|\n\s+at /);
    });

    it('cleans control characters out of portal names from the file before they reach the message', async () => {
      // Prepare
      await writeFile(file, stateText({ 'evil\u001b[31m\nportal': { ...memoryOf('evil'), status: 'NOT-A-STATUS' } }));

      // Act
      const loading = new JsonFileStateStore({ file }).load(['acme']);

      // Assess
      await expect(loading).rejects.toThrow('portals.evil [31m portal.status: not an accepted value');
      await expect(loading).rejects.not.toThrow(/[\u0000-\u001f]/);
    });

    it('fails with the Node error code when the file cannot be opened', async () => {
      // Prepare
      const looped = join(directory, 'loop');
      await symlink(looped, looped);

      // Act
      const loading = new JsonFileStateStore({ file: looped }).load(['acme']);

      // Assess
      await expect(loading).rejects.toThrow(`could not read state file ${looped}: ELOOP`);
      await expect(loading).rejects.toMatchObject({ name: 'StateStoreError', operation: 'load', code: 'ELOOP' });
    });

    it.each([
      ['a directory', async (path: string) => mkdir(path), 'is a directory, not a regular file'],
      ['a FIFO', async (path: string) => void execFileSync('mkfifo', [path]), 'is a FIFO (named pipe), not a regular file'],
      ['a file over 16 MiB', async (path: string) => writeFile(path, '').then(() => truncate(path, MAX_LOCAL_FILE_BYTES + 1)), 'is larger than 16 MiB, the most the monitor reads'],
    ])('refuses %s without reading it, naming the path and why', async (_case, make, why) => {
      // Prepare
      await make(file);

      // Act
      const loading = new JsonFileStateStore({ file }).load(['acme']);

      // Assess
      await expect(loading).rejects.toThrow(`state file ${file} ${why}`);
      await expect(loading).rejects.toMatchObject({ name: 'StateStoreError', operation: 'load' });
    });

    it('reads a file that starts with a UTF-8 byte order mark', async () => {
      // Prepare
      await writeFile(file, `\uFEFF${stateText({ acme: memoryOf('acme') })}`);

      // Act
      const memories = await new JsonFileStateStore({ file }).load(['acme']);

      // Assess
      expect(memories.get('acme')).toEqual(memoryOf('acme'));
    });

    it('reads the file again on each load, so changes by another process are seen', async () => {
      // Prepare
      const store = new JsonFileStateStore({ file });
      await store.load(['acme']);
      await new JsonFileStateStore({ file }).claim(memoryOf('acme'));

      // Act
      const memories = await store.load(['acme']);

      // Assess
      expect(memories.get('acme')).toEqual(memoryOf('acme'));
    });
  });

  describe('claim', () => {
    it('writes the whole state as version 1 JSON, portals sorted by name, and leaves no temporary file behind', async () => {
      // Prepare
      const store = new JsonFileStateStore({ file });

      // Act
      await store.claim(memoryOf('gamma'));
      await store.claim(okMemoryOf('acme'));
      await store.claim(memoryOf('beta'));

      // Assess
      const text = await readFile(file, 'utf8');
      expect(JSON.parse(text)).toEqual({ version: 1, portals: { acme: okMemoryOf('acme'), beta: memoryOf('beta'), gamma: memoryOf('gamma') } });
      expect(Object.keys((JSON.parse(text) as { portals: object }).portals)).toEqual(['acme', 'beta', 'gamma']);
      expect(text.endsWith('}\n')).toBe(true);
      expect(await readdir(directory)).toEqual(['state.json']);
    });

    it.each([
      ['600', 0o600],
      ['640', 0o640],
      ['604', 0o604],
    ])('keeps the file mode %s across the write and rename', async (_mode, mode) => {
      // Prepare
      await writeFile(file, stateText({}));
      await chmod(file, mode);

      // Act
      await new JsonFileStateStore({ file }).claim(memoryOf('acme'));

      // Assess
      expect((await stat(file)).mode & 0o777).toBe(mode);
      expect(await readdir(directory)).toEqual(['state.json']);
    });

    it('updates the file a symbolic link points to, and keeps the link', async () => {
      // Prepare
      await mkdir(join(directory, 'real'));
      const target = join(directory, 'real', 'state.json');
      await writeFile(target, stateText({ retired: memoryOf('retired') }));
      await chmod(target, 0o600);
      const link = join(directory, 'link.json');
      await symlink(join('real', 'state.json'), link);

      // Act
      await new JsonFileStateStore({ file: link }).claim(memoryOf('acme'));

      // Assess
      expect((await lstat(link)).isSymbolicLink()).toBe(true);
      expect(JSON.parse(await readFile(target, 'utf8'))).toEqual({ version: 1, portals: { acme: memoryOf('acme'), retired: memoryOf('retired') } });
      expect((await stat(target)).mode & 0o777).toBe(0o600);
      expect((await readdir(directory)).sort()).toEqual(['link.json', 'real']);
      expect(await readdir(join(directory, 'real'))).toEqual(['state.json']);
    });

    it('creates the file a dangling symbolic link points to, and keeps the link', async () => {
      // Prepare
      const link = join(directory, 'link.json');
      await symlink('target.json', link);

      // Act
      await new JsonFileStateStore({ file: link }).claim(memoryOf('acme'));

      // Assess
      expect((await lstat(link)).isSymbolicLink()).toBe(true);
      expect(JSON.parse(await readFile(join(directory, 'target.json'), 'utf8'))).toEqual({ version: 1, portals: { acme: memoryOf('acme') } });
    });

    it('keeps records of portals it was not asked about', async () => {
      // Prepare
      await writeFile(file, stateText({ retired: memoryOf('retired') }));
      const store = new JsonFileStateStore({ file });

      // Act
      await store.claim(memoryOf('acme'));

      // Assess
      expect(await new JsonFileStateStore({ file }).load(['retired', 'acme'])).toEqual(
        new Map([
          ['retired', memoryOf('retired')],
          ['acme', memoryOf('acme')],
        ]),
      );
    });

    it('fails without writing when the file is corrupt and was not loaded first', async () => {
      // Prepare
      await writeFile(file, 'corrupt');

      // Act
      const claiming = new JsonFileStateStore({ file }).claim(memoryOf('acme'));

      // Assess
      await expect(claiming).rejects.toMatchObject({ name: 'StateStoreError', operation: 'claim' });
      await expect(claiming).rejects.toThrow('is not valid JSON');
      expect(await readFile(file, 'utf8')).toBe('corrupt');
    });

    it('fails with ENOENT when the directory does not exist', async () => {
      // Prepare
      const missing = join(directory, 'missing', 'state.json');

      // Act
      const claiming = new JsonFileStateStore({ file: missing }).claim(memoryOf('acme'));

      // Assess
      await expect(claiming).rejects.toThrow(`could not write state file ${missing}: ENOENT`);
      await expect(claiming).rejects.toMatchObject({ operation: 'claim', store: missing, code: 'ENOENT' });
    });

    it('removes its temporary file when the rename fails, and does not count the failed claim', async () => {
      // Prepare: the state file's path becomes a directory after the store has read it
      const store = new JsonFileStateStore({ file });
      await store.load(['acme']);
      await mkdir(join(file, 'blocker'), { recursive: true });
      const next = memoryOf('acme', { lastRunKey: runKey(3) });

      // Act
      const claiming = store.claim(next);

      // Assess
      await expect(claiming).rejects.toMatchObject({ name: 'StateStoreError', operation: 'claim' });
      expect(await readdir(directory)).toEqual(['state.json']);
      await rm(file, { recursive: true });
      expect(await store.claim(next)).toBe(true);
      expect(await new JsonFileStateStore({ file }).load(['acme'])).toEqual(new Map([['acme', next]]));
    });

    it('goes on with later operations after one has failed', async () => {
      // Prepare
      const store = new JsonFileStateStore({ file });
      const failing = store.claim(memoryOf('acme', { runsSinceNotice: -1 }));

      // Act
      const claimed = await store.claim(memoryOf('acme'));

      // Assess
      await expect(failing).rejects.toThrow(StateStoreError);
      expect(claimed).toBe(true);
    });
  });

  describe('release', () => {
    it('rewrites the file without the portal when there was no previous record, and leaves no temporary file behind', async () => {
      // Prepare
      const store = new JsonFileStateStore({ file });
      const claimed = memoryOf('acme');
      await store.claim(memoryOf('beta'));
      await store.claim(claimed);

      // Act
      await store.release(claimed, undefined);

      // Assess
      expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ version: 1, portals: { beta: memoryOf('beta') } });
      expect(await readdir(directory)).toEqual(['state.json']);
    });
  });
});
