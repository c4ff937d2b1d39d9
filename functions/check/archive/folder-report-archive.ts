/**
 * The archive in a folder, for the CLI (`check --archive DIR`, `report --archive DIR`): the same
 * partitioned layout as the bucket, so a folder can be synced to S3 and read back as it is.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { errorName } from '../error-name.ts';
import { ReportArchiveError, type ReportArchive, type ReportSource } from './report-archive.ts';

/** The largest report file read back: a 1,000-portal report is about 0.6 MB. */
export const MAX_REPORT_FILE_BYTES = 64 * 1024 * 1024;

/** Reports in the files of one folder. */
export class FolderReportArchive implements ReportArchive, ReportSource {
  public readonly location: string;
  readonly #root: string;

  public constructor(folder: string) {
    this.#root = resolve(folder);
    this.location = folder;
  }

  /** Writes the report to a temporary file beside its place, then renames it: a reader never sees half a report. */
  public async write(key: string, body: string): Promise<void> {
    const file = this.#pathOf(key);
    const temporary = `${file}.${randomUUID()}.tmp`;
    try {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(temporary, body, { encoding: 'utf8', mode: 0o640, flag: 'wx' });
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      throw new ReportArchiveError(`the report could not be archived in ${this.location} (${key}): ${fileErrorName(error)}`, { cause: error });
    }
  }

  public async keysUnder(prefix: string): Promise<string[]> {
    const folder = this.#pathOf(prefix);
    let names: string[];
    try {
      names = await readdir(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new ReportArchiveError(`the archive ${this.location} could not be listed (${prefix}): ${fileErrorName(error)}`, { cause: error });
    }
    return names
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => `${prefix}${name}`);
  }

  public async read(key: string): Promise<string> {
    const file = this.#pathOf(key);
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new ReportArchiveError(`${key} in ${this.location} is not a regular file`);
      if (info.size > MAX_REPORT_FILE_BYTES) throw new ReportArchiveError(`${key} in ${this.location} is ${info.size} bytes, over the ${MAX_REPORT_FILE_BYTES}-byte limit of a report`);
      return await readFile(file, 'utf8');
    } catch (error) {
      if (error instanceof ReportArchiveError) throw error;
      throw new ReportArchiveError(`${key} could not be read from ${this.location}: ${fileErrorName(error)}`, { cause: error });
    }
  }

  /** The file of a key, which must stay inside the folder. */
  #pathOf(key: string): string {
    const file = resolve(this.#root, ...key.split('/'));
    const inside = relative(this.#root, file);
    if (inside.startsWith('..') || inside.startsWith(sep) || inside === '') throw new ReportArchiveError(`archive key ${JSON.stringify(key)} leaves the folder`);
    return join(this.#root, inside);
  }
}

/** A file system error's code (`EACCES`, `ENOSPC`…), or what was thrown: never a message, which quotes paths and values. */
function fileErrorName(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : errorName(error);
}
