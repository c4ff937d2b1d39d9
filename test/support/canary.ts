/**
 * Canary secrets: API keys a test registers so that the whole suite can prove they never reach
 * an output. The registry lives on `globalThis`, so every copy of this module in a worker (a
 * test that calls `vi.resetModules()` gets a fresh one) shares it with the suite's setup file
 * (test/faults/setup-canary-guard.ts), which records every stdout, stderr and console write and
 * fails a test whose output holds a registered canary or a `Bearer sk-` header value.
 *
 * The simulated portal registers every key it accepts; a test that makes keys of its own calls
 * {@link newCanaryKey} (or {@link registerCanary}).
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
  readonly kind: 'canary' | 'bearer';
  /** The offset in the text. */
  readonly index: number;
  /** About 40 characters on each side, canaries replaced by {@link CANARY_MASK}, one line. */
  readonly excerpt: string;
}

/** Replaces every registered canary (and every `Bearer sk-…` value) in a text by a mask. */
export function maskCanaries(text: string, canaries: readonly string[] = registeredCanaries()): string {
  let masked = text;
  for (const canary of canaries) masked = masked.split(canary).join(CANARY_MASK);
  return masked.replace(/Bearer\s+sk-\S*/gi, `Bearer ${CANARY_MASK}`);
}

function excerptAt(text: string, index: number, length: number, canaries: readonly string[]): string {
  const start = Math.max(0, index - 40);
  const end = Math.min(text.length, index + length + 40);
  return JSON.stringify(maskCanaries(text.slice(start, end), canaries));
}

/**
 * The leaks in a text: each registered canary and each `Bearer sk-` it holds.
 *
 * @param text - output, a report, an alert, an error message…
 * @param canaries - the secrets to look for
 * @returns the leaks, in the order found; `[]` when the text is clean
 */
export function findCanaryLeaks(text: string, canaries: readonly string[] = registeredCanaries()): CanaryLeak[] {
  const leaks: CanaryLeak[] = [];
  for (const canary of canaries) {
    for (let index = text.indexOf(canary); index !== -1; index = text.indexOf(canary, index + canary.length))
      leaks.push({ kind: 'canary', index, excerpt: excerptAt(text, index, canary.length, canaries) });
  }
  for (const match of text.matchAll(BEARER_KEY_PATTERN))
    leaks.push({ kind: 'bearer', index: match.index, excerpt: excerptAt(text, match.index, match[0].length, canaries) });
  return leaks.sort((a, b) => a.index - b.index);
}

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
  const shown = leaks.slice(0, 5).map((leak) => `  - ${leak.kind === 'canary' ? 'a registered canary' : 'a Bearer sk- value'} at ${leak.index}: ${leak.excerpt}`);
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
