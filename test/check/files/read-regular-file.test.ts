import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalFileError, MAX_LOCAL_FILE_BYTES, readRegularFile } from '../../../functions/check/files/read-regular-file.ts';

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'regular-file-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('readRegularFile', () => {
  it('reads a regular file, through a symbolic link too', async () => {
    // Prepare
    const file = join(directory, 'a.json');
    await writeFile(file, '{"ä": 1}');
    await symlink(file, join(directory, 'link.json'));

    // Act & Assess
    expect(await readRegularFile(file)).toBe('{"ä": 1}');
    expect(await readRegularFile(join(directory, 'link.json'))).toBe('{"ä": 1}');
  });

  it('reads a file of exactly the limit, and refuses one byte more', async () => {
    // Prepare
    const file = join(directory, 'a.json');
    await writeFile(file, 'x'.repeat(100));

    // Act & Assess
    expect(await readRegularFile(file, 100)).toHaveLength(100);
    await expect(readRegularFile(file, 99)).rejects.toMatchObject({ name: 'LocalFileError', problem: 'too-large' });
  });

  it.each([
    ['a FIFO', (path: string) => void execFileSync('mkfifo', [path]), 'not-regular', 'is a FIFO (named pipe), not a regular file; name a JSON file'],
    ['a directory', (path: string) => mkdir(path), 'not-regular', 'is a directory, not a regular file; name a JSON file'],
    ['a file over 16 MiB', (path: string) => writeFile(path, '').then(() => truncate(path, MAX_LOCAL_FILE_BYTES + 1)), 'too-large', 'is larger than 16 MiB, the most the monitor reads; is it the right file?'],
    ['a missing file', () => undefined, 'missing', 'file not found'],
  ])('refuses %s without reading it', async (_case, make, problem, message) => {
    // Prepare
    const path = join(directory, 'it');
    await make(path);

    // Act
    const reading = readRegularFile(path);

    // Assess
    await expect(reading).rejects.toBeInstanceOf(LocalFileError);
    await expect(reading).rejects.toMatchObject({ problem, message });
  });

  it('refuses a character device', async () => {
    // Act & Assess
    await expect(readRegularFile('/dev/zero')).rejects.toMatchObject({ problem: 'not-regular', message: 'is a device, not a regular file; name a JSON file' });
  });

  it('fails with the Node error code when the file cannot be opened', async () => {
    // Prepare
    const loop = join(directory, 'loop');
    await symlink(loop, loop);

    // Act & Assess
    await expect(readRegularFile(loop)).rejects.toMatchObject({ problem: 'unreadable', code: 'ELOOP', message: 'cannot be read (ELOOP)' });
  });
});
