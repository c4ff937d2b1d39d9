/**
 * Vitest setup file (see vitest.config.ts): for every test file of the suite, records every
 * stdout, stderr and console write and fails the test during which a registered canary key, in
 * any form (as written, JSON-escaped, URL-encoded, split by zero-width characters or white space,
 * base64 or base64url), or a `Bearer sk-` value was written. Output written outside a test (in
 * `beforeAll`, at import) fails the file in `afterAll`. See test/support/canary.ts.
 */
import { afterAll, afterEach, beforeEach } from 'vitest';
import { checkTestOutput, expectNoCanaryLeak, recordOutput } from '../support/canary.ts';

const recorder = recordOutput();

beforeEach(() => {
  // What was written before this test (imports, beforeAll) is checked on its own.
  expectNoCanaryLeak(recorder.take(), 'the output written before this test (imports, beforeAll)');
});

afterEach(() => {
  checkTestOutput(recorder.take(), "this test's output (stdout, stderr, console)");
});

afterAll(() => {
  const rest = recorder.take();
  recorder.restore();
  expectNoCanaryLeak(rest, 'the output written after the last test (afterAll)');
});
