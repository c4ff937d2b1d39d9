/**
 * vitest global setup: compiles the command (dist/cli.mjs) and the construct (dist/lib/) from the
 * sources under test before any test runs, so that process tests never run a stale build, and a
 * fresh clone needs nothing but `npm ci && npm test`. esbuild takes a second or two.
 */
import { buildJavaScript } from '../../scripts/build.ts';

export default async function setup(): Promise<void> {
  await buildJavaScript();
}
