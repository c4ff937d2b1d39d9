/**
 * Keeps run-time silences in the `--state` file, next to the portals' memories:
 * `{ "version": 1, "portals": {…}, "silences": [Silence, …] }`; an acknowledgement goes into its
 * portal's memory (`portals.<name>.ack`). Each change reads the file, changes its part and writes
 * the whole file to a temporary file in the same directory, renamed over it (with the old file's
 * permissions), leaving every other member as it was. One process at a time per file, as for the
 * state itself.
 */
import { randomUUID } from 'node:crypto';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { PortalMemory } from '../notify/types.ts';
import { sanitizePortalText } from '../policy/format.ts';
import { StateStoreError, type StateOperation } from '../state/errors.ts';
import { acquireFileLock, StateLockError, type FileLock } from '../state/file-lock.ts';
import { STATE_FILE_VERSION } from '../state/json-file-state-store.ts';
import { describeStateIssues, parsePortalMemory, safeName } from '../state/portal-memory-schema.ts';
import { acknowledgedMemory } from './acknowledgement.ts';
import { StoredSilencesSchema } from './silence-schema.ts';
import { keptSilences, withSilenceAdded, withSilenceExpired } from './silence-rules.ts';
import type { Silence, SilenceStore } from './types.ts';

/** The file as read: its members untouched, its silences checked. */
interface StateFileContent {
  readonly json: Record<string, unknown>;
  readonly silences: Silence[];
}

/** Options for {@link JsonFileSilenceStore}. */
export interface JsonFileSilenceStoreOptions {
  /** The state file's path (the CLI's `--state FILE`); it need not exist yet, but its directory must. */
  readonly file: string;
}

/** The Node error code (`ENOENT`, `EACCES`…) of a failed file operation. */
function nodeErrorCode(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? code : 'UnknownError';
}

/**
 * A {@link SilenceStore} in the CLI's state file.
 *
 * @example
 * const silences = new JsonFileSilenceStore({ file: '.state/monitor.json' });
 * await silences.addSilence({ id: newSilenceId(), portal: 'acme-prod', until, reason, createdBy: 'alice', createdAt: now.toISOString() }, now);
 */
export class JsonFileSilenceStore implements SilenceStore {
  readonly #file: string;
  readonly #where: string;

  public constructor(options: JsonFileSilenceStoreOptions) {
    if (typeof options.file !== 'string' || options.file.trim() === '') throw new Error('JsonFileSilenceStore file must be a file path, got an empty one');
    this.#file = options.file;
    this.#where = `state file ${sanitizePortalText(options.file, 500)}`;
  }

  /** The store in words, for messages: `state file .state/monitor.json`. */
  public get where(): string {
    return this.#where;
  }

  /** Every silence in the file; a missing or empty file holds none. */
  public async listSilences(): Promise<Silence[]> {
    return (await this.#read('load')).silences;
  }

  public async addSilence(silence: Silence, now: Date): Promise<void> {
    await this.#locked(async () => {
      const content = await this.#read('claim');
      await this.#write({ ...content.json, silences: withSilenceAdded(content.silences, silence, now) });
    });
  }

  public async expireSilence(id: string, by: string, now: Date): Promise<Silence> {
    return this.#locked(async () => {
      const content = await this.#read('claim');
      const changed = withSilenceExpired(content.silences, id, by, now, this.#where);
      await this.#write({ ...content.json, silences: changed.silences });
      return changed.silence;
    });
  }

  public acknowledge(portal: string, by: string, reason: string, now: Date): Promise<PortalMemory> {
    return this.#locked(() => this.#acknowledge(portal, by, reason, now));
  }

  /**
   * Runs a change while holding the state file's lock (`FILE.lock`, as a `check --state` run that
   * writes does), so that neither overwrites the other's change.
   *
   * @throws StateLockError when a run holds the lock
   */
  async #locked<T>(change: () => Promise<T>): Promise<T> {
    let lock: FileLock | undefined;
    try {
      lock = await acquireFileLock(this.#file);
    } catch (error) {
      // A lock that cannot be created at all: the write fails next and says why.
      if (!(error instanceof StateLockError) || error.inUse) throw error;
    }
    try {
      return await change();
    } finally {
      await lock?.release();
    }
  }

  async #acknowledge(portal: string, by: string, reason: string, now: Date): Promise<PortalMemory> {
    const content = await this.#read('claim');
    const portals = (content.json.portals ?? {}) as Record<string, unknown>;
    const stored = Object.hasOwn(portals, portal) ? portals[portal] : undefined;
    let memory: PortalMemory | undefined;
    if (stored !== undefined) {
      const parsed = parsePortalMemory(stored);
      if (!parsed.ok) throw this.#error(`${this.#where} holds no valid memory of portal ${safeName(portal)}: ${parsed.problems}`, 'claim');
      memory = parsed.memory;
    }
    const acknowledged = acknowledgedMemory(memory, portal, { by, reason, now }, this.#where);
    await this.#write({ ...content.json, portals: { ...portals, [portal]: acknowledged }, silences: keptSilences(content.silences, now) });
    return acknowledged;
  }

  public async hasPortalMemory(portal: string): Promise<boolean> {
    const portals = (await this.#read('load')).json.portals;
    return typeof portals === 'object' && portals !== null && Object.hasOwn(portals, portal);
  }

  #error(message: string, operation: StateOperation, code?: string, options?: ErrorOptions): StateStoreError {
    return new StateStoreError(message, { operation, store: this.#file, ...(code === undefined ? {} : { code }) }, options);
  }

  /** The file's members and its checked silences; throws a {@link StateStoreError} saying what is wrong. */
  async #read(operation: StateOperation): Promise<StateFileContent> {
    let text: string;
    try {
      text = await readFile(this.#file, 'utf8');
    } catch (error) {
      const code = nodeErrorCode(error);
      if (code === 'ENOENT') return { json: { version: STATE_FILE_VERSION, portals: {} }, silences: [] };
      throw this.#error(`could not read ${this.#where}: ${code}`, operation, code, { cause: error });
    }
    if (text.trim() === '') return { json: { version: STATE_FILE_VERSION, portals: {} }, silences: [] };
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // No cause: the parser's message quotes the file's text.
      throw this.#error(`${this.#where} is not valid JSON: fix it, or delete it to start with no memory and no silences`, operation);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json) || (json as { version?: unknown }).version !== STATE_FILE_VERSION)
      throw this.#error(`${this.#where} is not a version ${STATE_FILE_VERSION} state file ({"version": ${STATE_FILE_VERSION}, "portals": …})`, operation);
    const parsed = StoredSilencesSchema.safeParse((json as { silences?: unknown }).silences ?? []);
    if (!parsed.success)
      throw this.#error(`${this.#where} holds silences that are not valid: ${describeStateIssues(parsed.error.issues)}: fix them, or remove the "silences" member`, operation);
    return { json: json as Record<string, unknown>, silences: parsed.data };
  }

  /** Writes `json` to a temporary file next to the state file, then renames it over the state file. */
  async #write(json: Record<string, unknown>): Promise<void> {
    const temporary = join(dirname(this.#file), `.${basename(this.#file)}.${process.pid}.${randomUUID()}.tmp`);
    try {
      // The old file's permissions (a new file gets the umask's).
      const mode = await stat(this.#file).then(
        (stats) => stats.mode & 0o777,
        () => undefined,
      );
      const handle = await open(temporary, 'wx');
      try {
        await handle.writeFile(`${JSON.stringify(json, null, 2)}\n`, 'utf8');
        if (mode !== undefined) await handle.chmod(mode);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, this.#file);
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      const code = nodeErrorCode(error);
      throw this.#error(`could not write ${this.#where}: ${code}`, 'claim', code, { cause: error });
    }
  }
}
