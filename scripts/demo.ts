/**
 * `npm run demo`: starts simulated DocSpace portals on loopback, one per state the monitor must
 * recognize, runs the real, compiled `docspace-backup-monitor check` against them (no AWS account
 * needed), prints the report, one alert in full and the subject and SMS of the others, and checks
 * every verdict is the expected one.
 *
 * Options: --show-alerts (print every alert in full).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildScenarios, keyVariableOf, scenarioConfig } from '../test/support/scenarios.ts';
import { startSimulatedPortals } from '../test/support/simulated-portal.ts';
import { buildJavaScript, CLI_BUNDLE } from './build.ts';
import { shortenAlerts } from './demo-output.ts';

const CLI = CLI_BUNDLE;
const { values: options } = parseArgs({ options: { 'show-alerts': { type: 'boolean', default: false } } });

function runCli(args: string[], env: NodeJS.ProcessEnv, echo: boolean): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', echo ? 'inherit' : 'pipe'] });
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (echo) process.stdout.write(chunk);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 3, stdout }));
  });
}

// The command as the sources are now (`npm ci` built it once; this takes a second or two).
await buildJavaScript();
const now = new Date();
const keys = new Map<string, string>();
const keyOf = (name: string) => {
  if (!keys.has(name)) keys.set(name, `sk-demo-${randomBytes(12).toString('hex')}`);
  return keys.get(name)!;
};
const scenarios = buildScenarios(now, keyOf);
const server = await startSimulatedPortals(Object.fromEntries(scenarios.map((scenario) => [scenario.name, scenario.portal])));
const dir = await mkdtemp(join(tmpdir(), 'docspace-backup-monitor-demo-'));
let failed = false;
try {
  const configPath = join(dir, 'monitor.config.json');
  await writeFile(configPath, JSON.stringify(scenarioConfig(scenarios, (name) => server.urlOf(name)), null, 2));
  const env = { ...process.env, ...Object.fromEntries(scenarios.map((scenario) => [keyVariableOf(scenario.name), keyOf(scenario.name)])) };
  // The revoked key: the monitor holds a key the portal no longer accepts.
  env[keyVariableOf('key-revoked')] = 'sk-demo-revoked-key';

  console.log(`Simulated DocSpace portals on ${server.baseUrl}, one per state:`);
  for (const scenario of scenarios) console.log(`  ${scenario.name.padEnd(12)} ${scenario.story}`);
  console.log(`\n$ docspace-backup-monitor check --config ${configPath} --show-alerts\n`);

  const human = await runCli(['check', '--config', configPath, '--show-alerts'], env, options['show-alerts']);
  if (!options['show-alerts']) process.stdout.write(shortenAlerts(human.stdout));
  console.log(`\n(exit code ${human.code}: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN)`);

  const machine = await runCli(['check', '--config', configPath, '--json', '--now', now.toISOString()], env, false);
  const report = JSON.parse(machine.stdout) as { portals: { name: string; status: string; findings: { code: string }[] }[] };
  console.log('\nEvery verdict against what the simulated portal was set up to show:');
  for (const scenario of scenarios) {
    const verdict = report.portals.find((portal) => portal.name === scenario.name);
    const codes = [...new Set(verdict?.findings.map((finding) => finding.code) ?? [])];
    const right = verdict?.status === scenario.expectedStatus && codes.sort().join() === [...scenario.expectedCodes].sort().join();
    failed ||= !right;
    console.log(`  ${right ? 'ok  ' : 'FAIL'} ${scenario.name.padEnd(12)} ${verdict?.status ?? 'missing'} ${codes.join(', ')}${right ? '' : `  (expected ${scenario.expectedStatus} ${scenario.expectedCodes.join(', ')})`}`);
  }
  console.log(failed ? '\nThe demo found a wrong verdict.' : '\nAll verdicts are as expected. Deploy it: see "Deploy to AWS" in README.md.');
} finally {
  await server.close();
  await rm(dir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
