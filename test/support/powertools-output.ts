/**
 * The handler's Powertools, set up for a test: its service name and metrics namespace set, the
 * variables that change its log level cleared, and what it writes on process.stdout and stderr
 * (through its own Console) captured for the test to read instead of printed.
 */
import { vi } from 'vitest';

/** What Powertools wrote, chunk by chunk, until `restore()`. */
export interface PowertoolsOutput {
  readonly stdout: string[];
  readonly stderr: string[];
  /** Lets stdout and stderr through again (`vi.restoreAllMocks()` does the same). */
  restore(): void;
}

/** Variables that would change what Powertools logs: cleared, so every test logs at INFO. */
const LOG_LEVEL_VARIABLES = ['POWERTOOLS_DEV', 'POWERTOOLS_LOG_LEVEL', 'AWS_LAMBDA_LOG_LEVEL', 'LOG_LEVEL'] as const;

/**
 * Stubs Powertools' environment and captures its output. Call it before the handler's module is
 * loaded; undo the stubs with `vi.unstubAllEnvs()`.
 *
 * @param names - the service name and metrics namespace the handler reports under
 */
export function capturePowertoolsOutput(names: { readonly service: string; readonly namespace: string }): PowertoolsOutput {
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', names.namespace);
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', names.service);
  for (const name of LOG_LEVEL_VARIABLES) vi.stubEnv(name, undefined);
  const stdout: string[] = [];
  const stderr: string[] = [];
  const stdoutSpy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => stdout.push(String(chunk)) > 0);
  const stderrSpy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => stderr.push(String(chunk)) > 0);
  return {
    stdout,
    stderr,
    restore() {
      stdoutSpy.mockRestore();
      stderrSpy.mockRestore();
    },
  };
}
