import { mkdir, mkdtemp, readFile, readdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireFileLock, isProcessAlive, MAX_LOCK_AGE_MS, StateLockError } from '../../../functions/check/state/file-lock.ts';

const NOW = new Date('2026-03-02T09:00:00.000Z');
/** A PID no process has: above the kernel's limit. */
const DEAD_PID = 2 ** 22 + 1;

let directory: string;
let file: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'state-lock-'));
  file = join(directory, 'state.json');
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function writeLock(holder: { pid: number; host: string; startedAt: string }): Promise<void> {
  await writeFile(`${file}.lock`, JSON.stringify(holder));
}

describe('acquireFileLock', () => {
  it('creates FILE.lock holding the PID, the host and the start time, and release removes it', async () => {
    // Act
    const lock = await acquireFileLock(file, { now: () => NOW });
    const held = JSON.parse(await readFile(`${file}.lock`, 'utf8')) as unknown;
    await lock.release();

    // Assess
    expect(lock.path).toBe(`${file}.lock`);
    expect(held).toEqual({ pid: process.pid, host: hostname(), startedAt: NOW.toISOString() });
    expect(await readdir(directory)).toEqual([]);
  });

  it('fails for a second run while the first holds the lock, naming the holder and the lock file', async () => {
    // Prepare
    const first = await acquireFileLock(file, { now: () => NOW, pid: process.ppid });

    // Act
    const second = acquireFileLock(file, { now: () => NOW });

    // Assess
    await expect(second).rejects.toBeInstanceOf(StateLockError);
    await expect(second).rejects.toMatchObject({ inUse: true, holder: { pid: process.ppid, host: hostname() } });
    await expect(second).rejects.toThrow(
      `the state file is in use by another run: PID ${process.ppid} on host ${hostname()} since ${NOW.toISOString()} (lock file ${file}.lock); wait for it to end, or remove the lock file if that run no longer exists`,
    );
    await first.release();
    await expect(acquireFileLock(file)).resolves.toMatchObject({ path: `${file}.lock` });
  });

  it('takes over a lock whose holder is no longer alive on this host', async () => {
    // Prepare
    await writeLock({ pid: DEAD_PID, host: hostname(), startedAt: NOW.toISOString() });

    // Act
    const lock = await acquireFileLock(file, { now: () => NOW });

    // Assess
    expect(JSON.parse(await readFile(lock.path, 'utf8'))).toMatchObject({ pid: process.pid });
  });

  it.each([
    ['refuses', 'just under the age limit', MAX_LOCK_AGE_MS - 1, false],
    ['takes over', 'just over the age limit', MAX_LOCK_AGE_MS + 1, true],
  ])('%s a lock of another host %s, whose PID it cannot check', async (_verb, _age, ageMs, takenOver) => {
    // Prepare
    await writeLock({ pid: DEAD_PID, host: 'other-host', startedAt: new Date(NOW.getTime() - ageMs).toISOString() });

    // Act
    const taking = acquireFileLock(file, { now: () => NOW });

    // Assess
    if (takenOver) await expect(taking).resolves.toMatchObject({ path: `${file}.lock` });
    else await expect(taking).rejects.toThrow(`PID ${DEAD_PID} on host other-host`);
  });

  it('refuses an empty lock file that was just created (a run writing it now), and takes over an old one', async () => {
    // Prepare
    await writeFile(`${file}.lock`, '');

    // Act
    const fresh = acquireFileLock(file);
    await expect(fresh).rejects.toThrow('the state file is locked by another run that is starting');
    const old = new Date(Date.now() - 60_000);
    await utimes(`${file}.lock`, old, old);
    const lock = await acquireFileLock(file);

    // Assess
    expect(JSON.parse(await readFile(lock.path, 'utf8'))).toMatchObject({ pid: process.pid });
  });

  it('puts the lock beside the file a symbolic link points to, so two links to one file share it', async () => {
    // Prepare
    await mkdir(join(directory, 'real'));
    await writeFile(join(directory, 'real', 'state.json'), '');
    await symlink(join('real', 'state.json'), file);
    const first = await acquireFileLock(file, { pid: process.ppid });

    // Act
    const second = acquireFileLock(join(directory, 'real', 'state.json'));

    // Assess
    expect(first.path).toBe(join(directory, 'real', 'state.json.lock'));
    await expect(second).rejects.toThrow(StateLockError);
  });

  it('does not remove a lock another run has taken over', async () => {
    // Prepare
    const lock = await acquireFileLock(file, { now: () => NOW });
    await writeLock({ pid: process.ppid, host: hostname(), startedAt: NOW.toISOString() });

    // Act
    lock.releaseSync();

    // Assess
    expect(JSON.parse(await readFile(`${file}.lock`, 'utf8'))).toMatchObject({ pid: process.ppid });
  });

  it('fails with the Node error code when the lock file cannot be created', async () => {
    // Prepare
    const missing = join(directory, 'missing', 'state.json');

    // Act
    const taking = acquireFileLock(missing);

    // Assess
    await expect(taking).rejects.toThrow(`could not create the lock file ${missing}.lock: ENOENT`);
    await expect(taking).rejects.toMatchObject({ inUse: false });
  });
});

describe('isProcessAlive', () => {
  it('is true for this process and false for a PID nobody has', () => {
    // Assess
    expect(isProcessAlive(process.pid)).toBe(true);
    expect(isProcessAlive(DEAD_PID)).toBe(false);
  });
});
