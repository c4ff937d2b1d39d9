/**
 * Reads a local file the user named (`--config`, `--state`, the state's lock) only when it is a
 * regular file of a sane size: a FIFO, a device, a directory or a socket is refused before it is
 * opened for reading, and a file over the limit is refused without being read whole, so a wrong
 * path never hangs the run or fills its memory.
 */
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';

/** The largest config or state file the monitor reads, in bytes (16 MiB). */
export const MAX_LOCAL_FILE_BYTES = 16 * 1024 * 1024;

/** Why a local file was not read. */
export const LocalFileProblem = {
  /** It does not exist. */
  MISSING: 'missing',
  /** It is a FIFO, a device, a directory or a socket. */
  NOT_REGULAR: 'not-regular',
  /** It is larger than the limit. */
  TOO_LARGE: 'too-large',
  /** The operating system refused (`EACCES`, `ELOOP`…): see `code`. */
  UNREADABLE: 'unreadable',
} as const;
export type LocalFileProblem = (typeof LocalFileProblem)[keyof typeof LocalFileProblem];

/**
 * A local file that was not read. The message says why in words, without the path: callers put
 * the path in their own message (`invalid config monitor.json: …`, `state file s.json …`).
 */
export class LocalFileError extends Error {
  public readonly problem: LocalFileProblem;
  /** Node's error code (`ENOENT`, `EACCES`…) when the operating system refused. */
  public readonly code: string | undefined;

  public constructor(message: string, problem: LocalFileProblem, code?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LocalFileError';
    this.problem = problem;
    this.code = code;
  }
}

/** What kind of file system object this is, in words, for a message. */
function kindOf(stats: { isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isDirectory(): boolean; isSocket(): boolean }): string {
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** The Node error code of a failed file operation, if it has a plain one. */
function nodeCode(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? code : 'UnknownError';
}

function refusal(error: unknown): LocalFileError {
  const code = nodeCode(error);
  if (code === 'ENOENT') return new LocalFileError('file not found', LocalFileProblem.MISSING, code, { cause: error });
  return new LocalFileError(`cannot be read (${code})`, LocalFileProblem.UNREADABLE, code, { cause: error });
}

function tooLarge(maxBytes: number): LocalFileError {
  return new LocalFileError(`is larger than ${maxBytes / (1024 * 1024)} MiB, the most the monitor reads; is it the right file?`, LocalFileProblem.TOO_LARGE);
}

function notRegular(kind: string): LocalFileError {
  return new LocalFileError(`is ${kind}, not a regular file; name a JSON file`, LocalFileProblem.NOT_REGULAR);
}

/**
 * The content of a regular file of at most `maxBytes` bytes, as UTF-8 text. Symbolic links are
 * followed. The file is checked with `stat` before it is opened, opened without blocking (a FIFO
 * that appears in between cannot hang the open), checked again on the open handle, and read
 * with a cap (a file that grew in between is refused too).
 *
 * @param path - the file
 * @param maxBytes - the size limit
 * @throws LocalFileError saying why the file was not read
 * @example
 * const text = await readRegularFile('monitor.config.json');
 */
export async function readRegularFile(path: string, maxBytes: number = MAX_LOCAL_FILE_BYTES): Promise<string> {
  let before;
  try {
    before = await stat(path);
  } catch (error) {
    throw refusal(error);
  }
  if (!before.isFile()) throw notRegular(kindOf(before));
  if (before.size > maxBytes) throw tooLarge(maxBytes);

  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw refusal(error);
  }
  try {
    const opened = await handle.stat();
    if (!opened.isFile()) throw notRegular(kindOf(opened));
    // Read to the end, but never more than one byte past the limit (a file that grew since its stat).
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(1024 * 1024, maxBytes + 1 - length));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      length += bytesRead;
      if (length > maxBytes) throw tooLarge(maxBytes);
    }
    return Buffer.concat(chunks, length).toString('utf8');
  } catch (error) {
    throw error instanceof LocalFileError ? error : refusal(error);
  } finally {
    await handle.close();
  }
}
