/**
 * One run at a time per state file: a lock file beside it (`state.json.lock`), created with
 * O_EXCL and holding the holder's PID, host and start time. Two CLI runs on one `--state` file
 * would each write the whole file, and the second could bring back an alert the first had
 * released as not delivered; with the lock, the second refuses to start. A lock whose holder is
 * gone (its PID is not alive on this host) or that is older than {@link MAX_LOCK_AGE_MS} is stale
 * and taken over.
 */
import { readFileSync, unlinkSync } from 'node:fs';
import { open, realpath, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { sanitizePortalText } from '../policy/format.ts';
import { LocalFileError, LocalFileProblem, readRegularFile } from '../files/read-regular-file.ts';

/** A lock older than this is stale whoever holds it: no run lasts that long (`--timeout` is at most an hour). */
export const MAX_LOCK_AGE_MS = 2 * 60 * 60_000;

/** How long an empty or unreadable lock file is taken as one being written right now, not as stale. */
const UNREADABLE_LOCK_GRACE_MS = 10_000;

/** The largest lock file read, in bytes: it holds one short JSON object. */
const MAX_LOCK_FILE_BYTES = 4096;

/** What a lock file holds. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** ISO-8601. */
  readonly startedAt: string;
}

/** The state file is locked by another run (or the lock could not be taken): the run must not start. */
export class StateLockError extends Error {
  /** The lock file. */
  public readonly lockFile: string;
  /** Who holds it, when the lock file says. */
  public readonly holder: LockHolder | undefined;
  /**
   * `false` when the lock file could not be created at all (its directory is missing or not
   * writable): then the state file cannot be written either, so no other run can clash with it.
   */
  public readonly inUse: boolean;

  public constructor(message: string, lockFile: string, holder?: LockHolder, options?: ErrorOptions & { readonly inUse?: boolean }) {
    super(message, options);
    this.name = 'StateLockError';
    this.lockFile = lockFile;
    this.holder = holder;
    this.inUse = options?.inUse ?? true;
  }
}

/** A lock held by this process. */
export interface FileLock {
  /** The lock file's path. */
  readonly path: string;
  /** Removes the lock file, if it is still this run's. */
  release(): Promise<void>;
  /** The same, synchronously: for `process.on('exit')`. */
  releaseSync(): void;
}

/** Options for {@link acquireFileLock}; tests replace the clock, the host and the liveness check. */
export interface FileLockOptions {
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** @default os.hostname() */
  readonly host?: string;
  /** @default process.pid */
  readonly pid?: number;
  /** Whether a process of this host is alive. @default - `process.kill(pid, 0)` */
  readonly isAlive?: (pid: number) => boolean;
  /** @default MAX_LOCK_AGE_MS */
  readonly maxAgeMs?: number;
}

/** Whether a process with this PID exists on this host (one of another user counts). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (Number.isInteger(value.pid) && typeof value.host === 'string' && typeof value.startedAt === 'string' && !Number.isNaN(Date.parse(value.startedAt)))
      return { pid: value.pid!, host: value.host, startedAt: value.startedAt };
  } catch {
    // An unreadable lock file is judged by its age below.
  }
  return undefined;
}

function describeHolder(holder: LockHolder): string {
  return `PID ${holder.pid} on host ${sanitizePortalText(holder.host, 100)} since ${sanitizePortalText(holder.startedAt, 40)}`;
}

/**
 * Takes the lock of a state file, or throws saying who holds it.
 *
 * @param stateFile - the state file (a symbolic link is resolved: the lock sits beside its target)
 * @param options - clock, host, PID and liveness, for tests
 * @throws StateLockError when another live run holds the lock, or the lock file cannot be created
 * @example
 * const lock = await acquireFileLock(values.state);
 * try { await run(); } finally { await lock.release(); }
 */
export async function acquireFileLock(stateFile: string, options: FileLockOptions = {}): Promise<FileLock> {
  const now = options.now ?? (() => new Date());
  const host = options.host ?? hostname();
  const pid = options.pid ?? process.pid;
  const isAlive = options.isAlive ?? isProcessAlive;
  const maxAgeMs = options.maxAgeMs ?? MAX_LOCK_AGE_MS;
  const path = `${await realpath(stateFile).catch(() => stateFile)}.lock`;
  const shown = sanitizePortalText(path, 500);
  const content = `${JSON.stringify({ pid, host, startedAt: now().toISOString() } satisfies LockHolder)}\n`;

  // A stale lock is removed and the creation tried again; a second run doing the same at the same time loses the race.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const handle = await open(path, 'wx', 0o644);
      try {
        await handle.writeFile(content, 'utf8');
      } finally {
        await handle.close();
      }
      return ownLock(path, content);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new StateLockError(`could not create the lock file ${shown}: ${(error as NodeJS.ErrnoException).code ?? 'UnknownError'}`, path, undefined, {
          cause: error,
          inUse: false,
        });
    }

    let text: string;
    try {
      text = await readRegularFile(path, MAX_LOCK_FILE_BYTES);
    } catch (error) {
      if (error instanceof LocalFileError && error.problem === LocalFileProblem.MISSING) continue;
      throw new StateLockError(`the lock file ${shown} ${error instanceof LocalFileError ? error.message : 'cannot be read'}; remove it`, path);
    }
    const holder = parseHolder(text);
    // A lock file that does not say who holds it is judged by its age: it may be one being written now.
    const since = holder === undefined ? (await stat(path).catch(() => undefined))?.mtimeMs : Date.parse(holder.startedAt);
    const ageMs = since === undefined ? Number.POSITIVE_INFINITY : now().getTime() - since;
    const stale =
      holder === undefined ? ageMs >= UNREADABLE_LOCK_GRACE_MS : (holder.host === host && (holder.pid === pid || !isAlive(holder.pid))) || ageMs > maxAgeMs;
    if (!stale)
      throw new StateLockError(
        holder === undefined
          ? `the state file is locked by another run that is starting (${shown}); try again in a moment`
          : `the state file is in use by another run: ${describeHolder(holder)} (lock file ${shown}); wait for it to end, or remove the lock file if that run no longer exists`,
        path,
        holder,
      );
    // Remove the stale lock only if it is still the one judged stale.
    const again = await readRegularFile(path, MAX_LOCK_FILE_BYTES).catch(() => undefined);
    if (again === text) await unlink(path).catch(() => undefined);
  }
  throw new StateLockError(`could not take the lock ${shown}: other runs keep taking it`, path);
}

function ownLock(path: string, content: string): FileLock {
  const isOurs = () => {
    try {
      return readFileSync(path, 'utf8') === content;
    } catch {
      return false;
    }
  };
  let released = false;
  return {
    path,
    async release() {
      this.releaseSync();
    },
    releaseSync() {
      if (released) return;
      released = true;
      // Never remove a lock another run took over (after judging this one stale).
      if (isOurs()) {
        try {
          unlinkSync(path);
        } catch {
          // Already gone.
        }
      }
    },
  };
}
