/**
 * The README's "Run the check yourself" block, run as written against a simulated portal: each
 * line is taken from README.md, and the block may hold only the kinds of line this test knows how
 * to run, so it cannot drift into a command nobody tried.
 *
 * - `cp examples/X Y`: copies the shipped example into a fresh folder, then does what the line's
 *   comment asks a person to do: puts the portal's address in it (here, the simulated portal's).
 * - `export NAME=sk-…`: sets NAME to the simulated portal's key.
 * - `npx docspace-backup-monitor ARGS`: runs the compiled command, which is what npx runs (the
 *   package's `bin`), with ARGS as written, in that folder. Each must judge the healthy portal OK.
 */
import { readFileSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-process.ts';
import { buildScenarios } from '../support/scenarios.ts';
import { startSimulatedPortals, type SimulatedPortals } from '../support/simulated-portal.ts';

const REPO = new URL('../../', import.meta.url);
const README = readFileSync(new URL('README.md', REPO), 'utf8');

/** The shell lines of the first `sh` block in the README section `heading`, comments removed. */
export function snippetLines(markdown: string, heading: string): string[] {
  const section = markdown.split(/^## /m).find((part) => part.startsWith(`${heading}\n`));
  if (section === undefined) throw new Error(`README.md has no section "## ${heading}"`);
  const block = /^```sh\n([\s\S]*?)^```$/m.exec(section)?.[1];
  if (block === undefined) throw new Error(`README.md's "${heading}" has no sh block`);
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '');
}

const LINES = snippetLines(README, 'Run the check yourself');

describe('the README\'s "Run the check yourself" block', () => {
  let portals: SimulatedPortals;
  let dir: string;
  const env: Record<string, string> = {};
  const key = 'sk-readme-snippet-4f1d2c3b5a697e80';
  // The block's config names one portal; it is simulated as a healthy one under that name.
  const healthy = buildScenarios(new Date(), () => key).find((scenario) => scenario.name === 'compliant')!;
  let portalName: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docspace-readme-'));
    const example = LINES.map((line) => /^cp (examples\/\S+\.json) \S+$/.exec(line)?.[1]).find((path) => path !== undefined);
    if (example === undefined) throw new Error('the block copies no example config');
    portalName = (JSON.parse(await readFile(new URL(example, REPO), 'utf8')) as { portals: { name: string }[] }).portals[0]!.name;
    portals = await startSimulatedPortals({ [portalName]: healthy.portal });
  });

  afterAll(async () => {
    await portals?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('copies a shipped example, sets a key and runs the command at least three ways', () => {
    // Assess
    expect(LINES[0]).toMatch(/^cp examples\//);
    expect(LINES.filter((line) => line.startsWith('export '))).toHaveLength(1);
    expect(LINES.filter((line) => line.startsWith('npx docspace-backup-monitor ')).length).toBeGreaterThanOrEqual(3);
  });

  it.each(LINES.map((line, index) => [index + 1, line]))('line %i runs as written: %s', async (_number, line) => {
    const copy = /^cp (examples\/\S+) (\S+)$/.exec(line);
    const variable = /^export ([A-Z_][A-Z0-9_]*)=(\S+)$/.exec(line);
    const command = /^npx docspace-backup-monitor (.+)$/.exec(line);
    if (copy) {
      // Act
      const target = join(dir, copy[2]!);
      await copyFile(new URL(copy[1]!, REPO), target);
      // What the comment asks: the portal's url.
      const config = JSON.parse(await readFile(target, 'utf8')) as { portals: { url: string; apiKey: { env?: string } }[] };
      config.portals[0]!.url = portals.urlOf(portalName);
      await writeFile(target, JSON.stringify(config));

      // Assess
      expect(config.portals).toHaveLength(1);
      expect(config.portals[0]!.apiKey.env).toMatch(/^[A-Z_]+$/);
      expect(README).toContain(`export ${config.portals[0]!.apiKey.env}=`);
    } else if (variable) {
      // Act
      env[variable[1]!] = key;

      // Assess
      expect(variable[2]).toMatch(/^sk-/);
    } else if (command) {
      // Act
      const result = await runCli(command[1]!.split(/\s+/), { cwd: dir, env });

      // Assess
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      if (command[1]!.includes('--json')) expect(JSON.parse(result.stdout)).toMatchObject({ portals: [{ name: portalName, status: 'OK' }] });
      else expect(result.stdout).toMatch(new RegExp(`^.*${portalName}.*\\bOK\\b`, 'm'));
    } else {
      throw new Error(`the README's block has a line this test cannot run; teach the test or change the line: ${line}`);
    }
  });
});
