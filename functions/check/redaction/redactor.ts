/**
 * The run's redactor: it holds every secret of the run (each API key that was read, so each one
 * that can be sent) and removes each of them, in any form, from any text. A form is the secret
 * as written (glued to other words too: there is no word-boundary rule), JSON-escaped,
 * URL-encoded (upper- or lower-case hex, `+` for a space), in base64 or base64url at any
 * alignment, and split by zero-width characters or white space (decoded-text.ts,
 * secret-forms.ts). Applied to
 * every string a portal sends, after decoding, and as a last pass over every text the run
 * renders (redacting-outputs.ts).
 */
import { decodeText } from './decoded-text.ts';
import { secretForms } from './secret-forms.ts';

/** What a secret is replaced by. */
export const REDACTED = '(redacted)';

/**
 * Secrets shorter than this are not looked for: they would match innocent text (and the base64
 * of a shorter one leaves too few characters to tell it from chance).
 */
export const MIN_SECRET_LENGTH = 8;

/** How many characters of a form are its lookup key; every form is at least this long (a base64 core of an 8-byte secret has 10). */
const PREFIX_LENGTH = 8;

/** The base of the rolling hash of {@link PREFIX_LENGTH} characters, and its highest power. */
const HASH_BASE = 31;
const HASH_TOP_POWER = Array.from({ length: PREFIX_LENGTH - 1 }).reduce<number>((power) => Math.imul(power, HASH_BASE), 1);

/** The hash of `text.slice(start, start + PREFIX_LENGTH)` (32-bit, wrapping). */
function prefixHash(text: string, start: number): number {
  let hash = 0;
  for (let index = start; index < start + PREFIX_LENGTH; index += 1) hash = (Math.imul(hash, HASH_BASE) + text.charCodeAt(index)) | 0;
  return hash;
}

/**
 * Removes every registered secret, in every form, from texts.
 *
 * @example
 * const redactor = new Redactor(['tok+en/123456']);
 * redactor.redact('denied for tok\\u002Ben%2F123456'); // 'denied for (redacted)'
 */
export class Redactor {
  readonly #secrets = new Set<string>();
  /** Every form of every secret, by the hash of its first {@link PREFIX_LENGTH} characters. */
  readonly #formsByPrefix = new Map<number, string[]>();
  #shortestForm = Number.POSITIVE_INFINITY;

  /** @param secrets - the secrets to start with */
  public constructor(secrets: Iterable<string> = []) {
    for (const secret of secrets) this.add(secret);
  }

  /** How many secrets are held. */
  public get size(): number {
    return this.#secrets.size;
  }

  /**
   * Registers a secret (trimmed, as it is sent). One shorter than {@link MIN_SECRET_LENGTH} is
   * ignored.
   *
   * @param secret - an API key or another secret
   */
  public add(secret: string): void {
    const key = secret.trim();
    if (key.length < MIN_SECRET_LENGTH || this.#secrets.has(key)) return;
    this.#secrets.add(key);
    for (const form of secretForms(key).filter((candidate) => candidate.length >= PREFIX_LENGTH)) {
      const prefix = prefixHash(form, 0);
      const forms = this.#formsByPrefix.get(prefix) ?? [];
      if (!forms.includes(form)) forms.push(form);
      this.#formsByPrefix.set(prefix, forms);
      this.#shortestForm = Math.min(this.#shortestForm, form.length);
    }
  }

  /**
   * The text with every form of every secret replaced by {@link REDACTED}.
   *
   * @param text - any text: a body, a header, a message, a log line, a rendered alert
   * @returns the same string when it holds no secret
   */
  public redact(text: string): string {
    if (this.#secrets.size === 0 || text.length < this.#shortestForm) return text;
    const decoded = decodeText(text);
    const spans = this.#spansIn(decoded.text).map(([first, last]) => decoded.writtenSpan(first, last));
    // A secret that itself holds what looks like an escape (`%41`, `\/`) is found as written.
    if (decoded.text !== text) spans.push(...this.#spansIn(text));
    if (spans.length === 0) return text;

    let out = '';
    let at = 0;
    for (const [start, end] of mergedSpans(spans)) {
      out += text.slice(at, start) + REDACTED;
      at = end;
    }
    return out + text.slice(at);
  }

  /**
   * A JSON-like value with every string in it (member names too) redacted; other values as they
   * are. Returns the value itself when nothing changed.
   *
   * @param value - a parsed body, a report, log attributes
   */
  public redactDeep<T>(value: T): T {
    if (this.#secrets.size === 0) return value;
    return redactValue(value, (text) => this.redact(text)) as T;
  }

  /** Where the forms are in a decoded text: `[start, end)` spans, in any order, possibly overlapping. */
  #spansIn(text: string): [number, number][] {
    const spans: [number, number][] = [];
    if (text.length < this.#shortestForm) return spans;
    // A rolling hash of each window of PREFIX_LENGTH characters: one Map lookup per position.
    let hash = prefixHash(text, 0);
    for (let index = 0; ; index += 1) {
      const forms = this.#formsByPrefix.get(hash);
      if (forms !== undefined) for (const form of forms) if (text.startsWith(form, index)) spans.push([index, index + form.length]);
      if (index + PREFIX_LENGTH >= text.length) return spans;
      hash = (Math.imul(hash - Math.imul(text.charCodeAt(index), HASH_TOP_POWER), HASH_BASE) + text.charCodeAt(index + PREFIX_LENGTH)) | 0;
    }
  }
}

/** Spans sorted, with overlapping or touching ones joined. */
function mergedSpans(spans: readonly [number, number][]): [number, number][] {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function redactValue(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) {
    const items = value.map((item) => redactValue(item, redact));
    return items.every((item, index) => item === value[index]) ? value : items;
  }
  if (!isPlainObject(value)) return value;
  let changed = false;
  const copy: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(value)) {
    const redactedName = redact(name);
    const redactedMember = redactValue(member, redact);
    if (redactedName !== name || redactedMember !== member) changed = true;
    copy[redactedName] = redactedMember;
  }
  return changed ? copy : value;
}
