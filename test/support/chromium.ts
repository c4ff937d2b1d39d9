/**
 * Headless Chromium from the system packages (Debian's `chromium`), for tests that must see a
 * page as a browser renders it. Started with the flags this machine's closed network needs and
 * a fresh profile; only the local file is loaded.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Where the system's Chromium is, or `undefined` (the test then says how to install it). */
export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((path) => existsSync(path));

/** Why a browser test is skipped on a machine without Chromium. */
export const CHROMIUM_MISSING = 'Chromium is not installed: `apt-get install -y chromium` (.ci/run installs it in CI)';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--hide-scrollbars',
  '--force-device-scale-factor=1',
];

async function withProfile<T>(run: (profile: string) => Promise<T>): Promise<T> {
  const profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
  try {
    return await run(profile);
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Renders `htmlFile` and saves a screenshot of the top `width` × `height` pixels to `pngFile`. */
export async function screenshot(htmlFile: string, pngFile: string, width: number, height: number): Promise<void> {
  await withProfile((profile) =>
    execFileAsync(CHROMIUM!, [...FLAGS, `--user-data-dir=${profile}`, `--window-size=${width},${height}`, `--screenshot=${pngFile}`, pathToFileURL(htmlFile).href], {
      timeout: 60_000,
      killSignal: 'SIGKILL',
    }),
  );
}

/** The DOM after rendering, as Chromium serializes it. */
export async function renderedDom(htmlFile: string): Promise<string> {
  const { stdout } = await withProfile((profile) =>
    execFileAsync(CHROMIUM!, [...FLAGS, `--user-data-dir=${profile}`, '--dump-dom', pathToFileURL(htmlFile).href], { timeout: 60_000, killSignal: 'SIGKILL', maxBuffer: 32 * 1024 * 1024 }),
  );
  return stdout;
}
