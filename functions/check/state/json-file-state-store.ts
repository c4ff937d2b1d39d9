/**
 * Keeps each portal's memory in one JSON file, for the CLI (`check --state FILE`):
 * `{ "version": 1, "portals": { "<name>": PortalMemory } }`. The file is read once, kept in
 * memory, and written whole after each change: to a temporary file in the same directory, then
 * renamed over it, so a crash leaves the old file or the new one, never half of one. The file
 * keeps its permissions, and a symbolic link keeps pointing at it: the link is resolved and the
 * file it points to is replaced. Only a regular file of at most 16 MiB is read. Operations run
 * one after another, so claims of different portals at the same time all land. Same duplicate
 * and release rules as the DynamoDB table. One process at a time per file (two processes writing
 * the same file keep only the last one's changes): the CLI holds a lock file (file-lock.ts).
 */
import { randomUUID } from 'node:crypto';
import { lstat, open, readlink, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import * as z from 'zod/mini';
import { parseJsonText } from '../files/parse-json-text.ts';
import { LocalFileError, LocalFileProblem, readRegularFile } from '../files/read-regular-file.ts';
import type { PortalMemory, StateStore } from '../notify/types.ts';
import { sanitizePortalText } from '../text/portal-text.ts';
import { StateStoreError, type StateOperation } from './errors.ts';
import { PortalMemorySchema, describeStateIssues, releasableMemory, safeName, writableMemory } from './portal-memory-schema.ts';

/** The file format this store reads and writes. */
export const STATE_FILE_VERSION = 1;

/** How much of the file path a message shows, in characters. */
const MAX_PATH_LENGTH = 500;

/** The state file. */
export const StateFileSchema = z.object({
  version: z.literal(STATE_FILE_VERSION),
  portals: z.record(z.string(), PortalMemorySchema),
  /** Run-time silences (`silence add --state FILE`): kept as they are; silences/json-file-silence-store.ts reads and checks them. */
  silences: z.optional(z.unknown()),
});
export type StateFile = z.infer<typeof StateFileSchema>;

/** Options for {@link JsonFileStateStore}. */
export interface JsonFileStateStoreOptions {
  /** The state file's path; it need not exist yet, but its directory must. */
  readonly file: string;
}

/** The Node error code (`ENOENT`, `EACCES`…) of a failed file operation. */
function nodeErrorCode(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? code : 'UnknownError';
}

/** How many symbolic links in a row are followed to the state file before giving up. */
const MAX_SYMLINK_HOPS = 40;

/**
 * The file a write replaces: the state file itself, or the file its symbolic link (chain) points
 * to, even when that file does not exist yet; and that file's permission bits, if it exists.
 */
async function writeTarget(file: string): Promise<{ path: string; mode?: number }> {
  let path = file;
  try {
    path = await realpath(file);
  } catch (error) {
    if (nodeErrorCode(error) !== 'ENOENT') throw error;
    // A dangling link: follow it by hand to the file it will create.
    for (let hops = 0; hops < MAX_SYMLINK_HOPS; hops += 1) {
      const link = await lstat(path).catch(() => undefined);
      if (!link?.isSymbolicLink()) break;
      path = resolve(dirname(path), await readlink(path));
    }
  }
  const existing = await stat(path).catch(() => undefined);
  return existing === undefined ? { path } : { path, mode: existing.mode & 0o7777 };
}

/**
 * A {@link StateStore} in a JSON file.
 *
 * @example
 * const stateStore = new JsonFileStateStore({ file: options.state });
 * const memories = await stateStore.load(config.portals.map((portal) => portal.name));
 */
export class JsonFileStateStore implements StateStore {
  readonly #file: string;
  readonly #where: string;
  /** The file's records as last read or written; `undefined` until first read. */
  #records: ReadonlyMap<string, PortalMemory> | undefined;
  /** The file's `silences` section as last read, written back untouched. */
  #silences: unknown;
  /** The end of the chain of operations; each one starts when the one before has settled. */
  #tail: Promise<unknown> = Promise.resolve();

  public constructor(options: JsonFileStateStoreOptions) {
    if (typeof options.file !== 'string' || options.file.trim() === '') throw new Error('JsonFileStateStore file must be a file path, got an empty one');
    this.#file = options.file;
    this.#where = `state file ${sanitizePortalText(options.file, MAX_PATH_LENGTH)}`;
  }

  /** Reads the file (again) and returns the records of these portals; a missing or empty file holds none. */
  public load(portals: readonly string[]): Promise<Map<string, PortalMemory>> {
    return this.#serially(async () => {
      const records = await this.#read('load');
      this.#records = records;
      const memories = new Map<string, PortalMemory>();
      for (const portal of portals) {
        const record = records.get(portal);
        if (record !== undefined) memories.set(portal, record);
      }
      return memories;
    });
  }

  /** Writes `next` unless the portal's record already holds `next.lastRunKey`. */
  public claim(next: PortalMemory): Promise<boolean> {
    return this.#serially(async () => {
      const record = writableMemory(next, 'claim', this.#file, this.#where);
      const records = (this.#records ??= await this.#read('claim'));
      if (records.get(record.portal)?.lastRunKey === record.lastRunKey) return false;
      await this.#write(new Map(records).set(record.portal, record), 'claim');
      return true;
    });
  }

  /** Puts `previous` back, or removes the portal, only while its record still holds `claimed.lastRunKey`. */
  public release(claimed: PortalMemory, previous: PortalMemory | undefined): Promise<void> {
    return this.#serially(async () => {
      const record = releasableMemory(claimed, previous, this.#file, this.#where);
      const records = (this.#records ??= await this.#read('release'));
      if (records.get(claimed.portal)?.lastRunKey !== claimed.lastRunKey) return;
      const updated = new Map(records);
      if (record === undefined) updated.delete(claimed.portal);
      else updated.set(claimed.portal, record);
      await this.#write(updated, 'release');
    });
  }

  /** Runs `task` after every operation started before it has settled. */
  #serially<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task);
    this.#tail = result.catch(() => undefined);
    return result;
  }

  #error(message: string, operation: StateOperation, code?: string, options?: ErrorOptions): StateStoreError {
    return new StateStoreError(message, { operation, store: this.#file, ...(code === undefined ? {} : { code }) }, options);
  }

  /** The file's records; throws a {@link StateStoreError} saying what is wrong with the file. */
  async #read(operation: StateOperation): Promise<ReadonlyMap<string, PortalMemory>> {
    let text: string;
    try {
      text = await readRegularFile(this.#file);
    } catch (error) {
      if (!(error instanceof LocalFileError)) throw error;
      if (error.problem === LocalFileProblem.MISSING) return new Map();
      if (error.problem === LocalFileProblem.UNREADABLE)
        throw this.#error(`could not read ${this.#where}: ${error.code}`, operation, error.code, { cause: error.cause });
      throw this.#error(`${this.#where} ${error.message}`, operation);
    }
    if (text.replace(/^\uFEFF/, '').trim() === '') return new Map();

    const remedy = 'fix it, or delete it to start with no memory of earlier runs';
    const syntax = parseJsonText(text);
    // Only line, column and a fixed reason: the parser's own message quotes the file's text.
    if (!syntax.ok) throw this.#error(`${this.#where} is not valid JSON (line ${syntax.line}, column ${syntax.column}: ${syntax.reason}): ${remedy}`, operation);
    const json = syntax.value;
    if (typeof json !== 'object' || json === null || Array.isArray(json))
      throw this.#error(`${this.#where} is not a JSON object with "version" and "portals": ${remedy}`, operation);
    const { version } = json as { version?: unknown };
    if (version !== STATE_FILE_VERSION) {
      const found = typeof version === 'number' ? `version ${version}` : 'no version number';
      throw this.#error(`${this.#where} has ${found}; this monitor reads version ${STATE_FILE_VERSION}: ${remedy}`, operation);
    }

    const parsed = StateFileSchema.safeParse(json);
    if (!parsed.success) throw this.#error(`${this.#where} does not hold valid monitor state: ${describeStateIssues(parsed.error.issues)}: ${remedy}`, operation);
    this.#silences = parsed.data.silences;
    const records = new Map<string, PortalMemory>();
    for (const [name, record] of Object.entries(parsed.data.portals)) {
      if (record.portal !== name)
        throw this.#error(`${this.#where} does not hold valid monitor state: portals.${safeName(name)}.portal: differs from its key: ${remedy}`, operation);
      records.set(name, record);
    }
    return records;
  }

  /** The file's `silences` member as it is on disk now; as last read when the file cannot be read or parsed. */
  async #currentSilences(): Promise<unknown> {
    try {
      const json: unknown = JSON.parse(await readRegularFile(this.#file));
      if (typeof json === 'object' && json !== null && 'silences' in json) this.#silences = json.silences;
    } catch {
      // Kept as last read: #read reports what is wrong with the file.
    }
    return this.#silences;
  }

  /** Writes all records to a temporary file next to the state file, then renames it over the state file. */
  async #write(records: ReadonlyMap<string, PortalMemory>, operation: StateOperation): Promise<void> {
    // Sorted by portal, so that the file changes only where a record does.
    const portals = Object.fromEntries([...records].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    // The silences as the file has them now: `silence add` may have changed them since the load.
    const silences = await this.#currentSilences();
    const content: StateFile = { version: STATE_FILE_VERSION, portals, ...(silences === undefined ? {} : { silences }) };
    let temporary: string | undefined;
    try {
      // Next to the file a link points to, so the rename replaces that file and the link stays.
      const target = await writeTarget(this.#file);
      temporary = join(dirname(target.path), `.${basename(target.path)}.${process.pid}.${randomUUID()}.tmp`);
      const handle = await open(temporary, 'wx', target.mode ?? 0o666);
      try {
        // The umask narrowed the mode given to open: set the file's own mode exactly.
        if (target.mode !== undefined) await handle.chmod(target.mode);
        await handle.writeFile(`${JSON.stringify(content, null, 2)}\n`, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, target.path);
    } catch (error) {
      if (temporary !== undefined) await rm(temporary, { force: true }).catch(() => undefined);
      const code = nodeErrorCode(error);
      throw this.#error(`could not write ${this.#where}: ${code}`, operation, code, { cause: error });
    }
    this.#records = records;
  }
}
