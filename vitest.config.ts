import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fails any test whose output holds a registered canary key or a `Bearer sk-` value.
    setupFiles: ['test/faults/setup-canary-guard.ts'],
    // Compiles dist/cli.mjs from the sources under test: process tests run the compiled command.
    globalSetup: ['test/support/build-cli.global-setup.ts'],
    // Forks, not threads: threads break CDK's local bundling.
    pool: 'forks',
    // Vitest's default is one worker per core but one, which is a single worker on a 2-core
    // machine: every file then waits for the one before. Most of the suite's time is waiting
    // (loopback servers, timeouts, child processes), not computing, so three files at a time
    // finish the suite in about half the time on 2 cores; no test depends on an idle machine.
    maxWorkers: 3,
    // Limits for a hung test, not for a slow one: on a busy shared machine a test that spawns
    // the CLI or synthesizes the app can take a minute. No test asserts a duration.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      CDK_VALIDATION: 'false',
    },
  },
});
