/**
 * Canary secrets: API keys a test registers so that the whole suite can prove they never reach
 * an output. The registry lives on `globalThis`, so every copy of this module in a worker (a
 * test that calls `vi.resetModules()` gets a fresh one) shares it with the suite's setup file
 * (test/faults/setup-canary-guard.ts), which records every stdout, stderr and console write and
 * fails a test whose output holds a registered canary or a `Bearer sk-` header value.
 *
 * The simulated portal registers every key it accepts; a test that makes keys of its own calls
 * {@link newCanaryKey} (or {@link registerCanary}).
 *
 * A canary is found in any form a portal could echo it in: as written (glued to a word too),
 * JSON-escaped (`\u002B`, `\/`), URL-encoded (`%2B`, `%2b`, `+` for a space), split by zero-width
 * characters or by white space (what sanitizing makes of them), and base64 or base64url at any
 * alignment. The search decodes the text and looks for the key, so it does not share code, nor
 * blind spots, with the monitor's own redaction (functions/check/redaction/), which encodes the key
 * and looks for each encoding.
 */
import { randomUUID } from 'node:crypto';
import { format } from 'node:util';

/** The shortest value registered: shorter ones would match innocent text. */
export const MIN_CANARY_LENGTH = 12;

/** What an `Authorization` header value of a DocSpace API key looks like in text. */
export const BEARER_KEY_PATTERN = /Bearer\s+sk-/gi;

/** How a canary is shown in a leak report: never the value itself. */
export const CANARY_MASK = '<CANARY>';

const REGISTRY = Symbol.for('docspace-backup-monitor.test.canaries');

function registry(): Set<string> {
  const holder = globalThis as { [REGISTRY]?: Set<string> };
  holder[REGISTRY] ??= new Set<string>();
  return holder[REGISTRY];
}

/**
 * Registers a secret that must never appear in any output of this test process. Values shorter
 * than {@link MIN_CANARY_LENGTH} are not registered (they would match innocent text).
 *
 * @param value - an API key or another secret
 * @returns the value, so a key can be registered where it is made
 * @example
 * const key = registerCanary(`sk-test-${randomUUID()}`);
 */
export function registerCanary(value: string): string {
  if (value.length >= MIN_CANARY_LENGTH) registry().add(value);
  return value;
}

/**
 * A new, unique DocSpace-shaped API key (`sk-canary-<label>-<32 hex>`), registered.
 *
 * @param label - a word that says which test or portal it belongs to
 */
export function newCanaryKey(label = 'key'): string {
  return registerCanary(`sk-canary-${label}-${randomUUID().replace(/-/g, '')}`);
}

/** Every registered canary. */
export function registeredCanaries(): readonly string[] {
  return [...registry()];
}

/** One leak found in a text; `excerpt` shows where, with every canary masked. */
export interface CanaryLeak {
  /**
   * `canary` as written, `encoded` after undoing JSON escapes, URL-encoding and zero-width
   * characters, `split` once white space is taken out too, `base64` in a decoded base64 or
   * base64url run, `bearer` a `Bearer sk-` value.
   */
  readonly kind: 'canary' | 'encoded' | 'split' | 'base64' | 'bearer';
  /** The offset in the text (for `encoded`, `split` and `base64`: in the decoded view of it). */
  readonly index: number;
  /** About 40 characters on each side, canaries replaced by {@link CANARY_MASK}, one line. */
  readonly excerpt: string;
}

/** Zero-width characters a portal can hide inside a key: ZWSP, ZWNJ, ZWJ, word joiner, BOM, soft hyphen. */
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;

/** A run long enough to be base64 of a canary (standard or url alphabet, padding at the end). */
const BASE64_RUN = /[A-Za-z0-9+/_-]{16,}={0,2}/g;

/** The masked excerpt of a decoded view: base64 runs are masked too, as they may hold a canary. */
const BASE64_MASK = '<BASE64>';

/** `\uXXXX`, `\/`, `\"` and `\\` undone; anything else left as written. */
function jsonUnescaped(text: string): string {
  return text.replace(/\\(?:u([0-9a-fA-F]{4})|([\\/"]))/g, (_match, hex: string | undefined, char: string | undefined) =>
    hex === undefined ? char! : String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

/** Every `%XX` run decoded as UTF-8 (upper or lower hex), where it decodes; `+` is left as is. */
function percentDecoded(text: string): string {
  return text.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run.replace(/%([0-9a-fA-F]{2})/g, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    }
  });
}

/**
 * The text as a portal's encodings would decode it: zero-width characters gone, JSON escapes and
 * URL-encoding undone; with `form`, `+` is a space first, as in a form-encoded value.
 */
function decodedView(text: string, form = false): string {
  const unescaped = jsonUnescaped(text.replace(ZERO_WIDTH, ''));
  return percentDecoded(form ? unescaped.replace(/\+/g, ' ') : unescaped).replace(ZERO_WIDTH, '');
}

/** Every decoded base64 (or base64url) run of a text, at each of the four alignments, as latin1. */
function base64Decodings(text: string): { index: number; decoded: string }[] {
  const decodings: { index: number; decoded: string }[] = [];
  for (const match of text.matchAll(BASE64_RUN)) {
    for (let offset = 0; offset < 4; offset += 1)
      decodings.push({ index: match.index + offset, decoded: Buffer.from(match[0].slice(offset), 'base64').toString('latin1') });
  }
  return decodings;
}

function occurrences(text: string, canary: string): number[] {
  const found: number[] = [];
  for (let index = text.indexOf(canary); index !== -1; index = text.indexOf(canary, index + canary.length)) found.push(index);
  return found;
}

/** Replaces every registered canary (and every `Bearer sk-…` value) in a text by a mask. */
export function maskCanaries(text: string, canaries: readonly string[] = registeredCanaries()): string {
  let masked = text;
  for (const canary of canaries) masked = masked.split(canary).join(CANARY_MASK);
  return masked.replace(/Bearer\s+sk-\S*/gi, `Bearer ${CANARY_MASK}`);
}

function excerptAt(text: string, index: number, length: number, canaries: readonly string[], decoded = false): string {
  const start = Math.max(0, index - 40);
  const end = Math.min(text.length, index + length + 40);
  const masked = maskCanaries(text.slice(start, end), canaries);
  return JSON.stringify(decoded ? masked.replace(BASE64_RUN, BASE64_MASK) : masked);
}

/**
 * The leaks in a text: each registered canary, in any form a portal could echo it in (see the
 * module's summary), and each `Bearer sk-` it holds. A canary found as written is not counted
 * again in the decoded views.
 *
 * @param text - output, a report, an alert, an error message…
 * @param canaries - the secrets to look for
 * @returns the leaks, in the order found; `[]` when the text is clean
 */
export function findCanaryLeaks(text: string, canaries: readonly string[] = registeredCanaries()): CanaryLeak[] {
  const leaks: CanaryLeak[] = [];
  const decoded = decodedView(text);
  const views = [
    { kind: 'canary' as const, text },
    { kind: 'encoded' as const, text: decoded },
    { kind: 'encoded' as const, text: decodedView(text, true) },
    { kind: 'split' as const, text: decoded.replace(/\s+/g, '') },
  ];
  const base64 = base64Decodings(views[3]!.text);
  for (const canary of canaries) {
    let seen = 0;
    for (const view of views) {
      const found = occurrences(view.text, canary);
      // Each view holds what the ones before it hold: only what is new there is a new leak.
      for (const index of found.slice(seen))
        leaks.push({ kind: view.kind, index, excerpt: excerptAt(view.text, index, canary.length, canaries, view.kind !== 'canary') });
      seen = Math.max(seen, found.length);
    }
    // One run may hold several encodings of the canary (runs merge once white space is out).
    for (const { index, decoded: bytes } of base64)
      for (const _found of occurrences(bytes, canary)) leaks.push({ kind: 'base64', index, excerpt: excerptAt(views[3]!.text, index, 0, canaries, true) });
  }
  for (const match of text.matchAll(BEARER_KEY_PATTERN))
    leaks.push({ kind: 'bearer', index: match.index, excerpt: excerptAt(text, match.index, match[0].length, canaries) });
  return leaks.sort((a, b) => a.index - b.index);
}

/** How a leak report names each kind. */
const LEAK_WORDS: Readonly<Record<CanaryLeak['kind'], string>> = {
  canary: 'a registered canary',
  encoded: 'a registered canary, JSON-escaped, URL-encoded or split by zero-width characters (in the decoded text)',
  split: 'a registered canary split by white space (in the decoded text without white space)',
  base64: 'a registered canary in base64 (in the decoded text without white space)',
  bearer: 'a Bearer sk- value',
};

/**
 * Fails when a text holds a canary or a `Bearer sk-` value. The error shows where, masked: it
 * never repeats the secret.
 *
 * @param text - what to check
 * @param where - what the text is, for the message (`"the SNS requests"`)
 * @throws Error naming the place and a masked excerpt of each leak (at most five)
 */
export function expectNoCanaryLeak(text: string, where: string): void {
  const leaks = findCanaryLeaks(text);
  if (leaks.length === 0) return;
  const shown = leaks.slice(0, 5).map((leak) => `  - ${LEAK_WORDS[leak.kind]} at ${leak.index}: ${leak.excerpt}`);
  throw new Error(`secret leaked into ${where} (${leaks.length} time${leaks.length === 1 ? '' : 's'}):\n${shown.join('\n')}`);
}

/**
 * Everything a value lets out as text: an `Error` with its name, message, stack and causes (and
 * the errors of an `AggregateError`), anything else as JSON (or `String` when JSON cannot).
 *
 * @param value - what to render
 */
export function textOf(value: unknown): string {
  if (value instanceof Error) {
    const parts = [value.name, value.message, value.stack ?? ''];
    if (value.cause !== undefined) parts.push(textOf(value.cause));
    if (value instanceof AggregateError) parts.push(...value.errors.map(textOf));
    return parts.join('\n');
  }
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

const EXPECTED_LEAKS = Symbol.for('docspace-backup-monitor.test.expected-leaks');

/**
 * Tells the suite's guard that the running test leaks on purpose (a test of the guard itself):
 * the guard then fails the test unless it finds at least `count` leaks in its output.
 *
 * @param count - how many leaks the test writes
 */
export function expectGuardToCatch(count: number): void {
  (globalThis as { [EXPECTED_LEAKS]?: number })[EXPECTED_LEAKS] = count;
}

/**
 * What the suite's guard does with the output of one test: fails when it holds a leak, or, after
 * {@link expectGuardToCatch}, when it holds fewer leaks than announced.
 *
 * @param text - the test's output
 * @param where - what the text is, for the message
 * @throws Error describing the leaks (masked), or the leaks that were announced and not found
 */
export function checkTestOutput(text: string, where: string): void {
  const holder = globalThis as { [EXPECTED_LEAKS]?: number };
  const expected = holder[EXPECTED_LEAKS];
  delete holder[EXPECTED_LEAKS];
  if (expected === undefined) {
    expectNoCanaryLeak(text, where);
    return;
  }
  const found = findCanaryLeaks(text).length;
  if (found < expected) throw new Error(`the canary guard found ${found} of the ${expected} leaks written to ${where}`);
}

/** What {@link recordOutput} collected, and how to stop it. */
export interface OutputRecorder {
  /** The text written since the last call (or since recording began), and forgets it. */
  take(): string;
  /** Puts the original writers back. */
  restore(): void;
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/** The most text kept between two `take()` calls; older text is scanned for leaks as it is dropped. */
const MAX_RECORDED_CHARS = 4 * 1024 * 1024;

/**
 * Records every write to `process.stdout`, `process.stderr` and the console methods, passing
 * each one on unchanged. Text dropped because of the size bound is scanned first: the text
 * around each leak in it is kept, so the next `take()` still holds the leak.
 *
 * @example
 * const recorder = recordOutput();
 * afterEach(() => expectNoCanaryLeak(recorder.take(), 'the output of this test'));
 */
export function recordOutput(): OutputRecorder {
  let chunks: string[] = [];
  let size = 0;
  let dropped: string[] = [];
  const record = (text: string): void => {
    chunks.push(text);
    size += text.length;
    if (size <= MAX_RECORDED_CHARS) return;
    const old = chunks.join('');
    // Keep the raw text around each leak, so that take() still holds (and reports) it.
    dropped.push(...findCanaryLeaks(old).map((leak) => old.slice(Math.max(0, leak.index - 100), leak.index + 300)));
    const tail = old.slice(-1024);
    chunks = [tail];
    size = tail.length;
  };

  const streams = [process.stdout, process.stderr] as const;
  const originalWrites = streams.map((stream) => stream.write);
  streams.forEach((stream, index) => {
    const original = originalWrites[index]!;
    stream.write = function write(this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
      record(typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : String(chunk));
      return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof stream.write;
  });

  const target = console as unknown as Record<(typeof CONSOLE_METHODS)[number], (...args: unknown[]) => void>;
  const originalConsole = CONSOLE_METHODS.map((method) => target[method]);
  CONSOLE_METHODS.forEach((method, index) => {
    const original = originalConsole[index]!;
    target[method] = (...args: unknown[]) => {
      record(`${format(...args)}\n`);
      original.apply(console, args);
    };
  });

  return {
    take() {
      const text = [...dropped, chunks.join('')].join('\n');
      chunks = [];
      size = 0;
      dropped = [];
      return text;
    },
    restore() {
      streams.forEach((stream, index) => {
        stream.write = originalWrites[index]!;
      });
      CONSOLE_METHODS.forEach((method, index) => {
        target[method] = originalConsole[index]!;
      });
    },
  };
}
