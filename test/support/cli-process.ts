/**
 * Runs the real `docspace-backup-monitor` command as a child process, the way users run it
 * (`node dist/cli.mjs`, the compiled command package.json's `bin` names, which the suite's global
 * setup compiles from the sources under test), and collects its exit code and both output streams.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expectNoCanaryLeak } from './canary.ts';

/** The published command's entry file (`bin` in package.json), built by test/support/build-cli.global-setup.ts. */
export const CLI_PATH = fileURLToPath(new URL('../../dist/cli.mjs', import.meta.url));

/**
 * How long a run may take before it is killed, so a hung CLI fails its test instead of the
 * suite. Generous: on a busy 2-core machine a healthy run can take 20 s.
 */
export const DEFAULT_CLI_KILL_AFTER_MS = 90_000;

/** What one run of the command did. */
export interface CliResult {
  /** The exit code; `null` when the process was killed (see `signal`). */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** How to run the command. */
export interface CliRunOptions {
  /**
   * The working directory (where the default `monitor.config.json` is looked for).
   *
   * @default - the test process's working directory
   */
  readonly cwd?: string;
  /**
   * Variables set on top of this process's environment; `undefined` removes one.
   *
   * @default - this process's environment as is
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Kills the process after this many milliseconds.
   *
   * @default DEFAULT_CLI_KILL_AFTER_MS
   */
  readonly killAfterMs?: number;
}

/**
 * Runs `docspace-backup-monitor <args>` and resolves once it has exited; never rejects for a
 * non-zero exit code.
 *
 * @param args - the command line after the command's name, e.g. `['check', '--json']`
 * @param options - working directory, environment, kill timer
 * @example
 * const { code, stdout } = await runCli(['check', '--config', path, '--json'], { cwd: dir });
 */
export function runCli(args: readonly string[], options: CliRunOptions = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_PATH, ...args], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? DEFAULT_CLI_KILL_AFTER_MS);
    child.on('error', (error) => {
      clearTimeout(killer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      const result = { code, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') };
      // The child's output bypasses the suite's output guard: check it here for registered keys.
      try {
        expectNoCanaryLeak(result.stdout, 'the CLI stdout');
        expectNoCanaryLeak(result.stderr, 'the CLI stderr');
      } catch (leak) {
        reject(leak as Error);
        return;
      }
      resolve(result);
    });
  });
}
