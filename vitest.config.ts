import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fails any test whose output holds a registered canary key or a `Bearer sk-` value.
    setupFiles: ['test/faults/setup-canary-guard.ts'],
    // Compiles dist/cli.mjs from the sources under test: process tests run the compiled command.
    globalSetup: ['test/support/build-cli.global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      CDK_VALIDATION: 'false',
    },
  },
});
