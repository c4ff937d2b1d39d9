/**
 * bin/app.ts as `cdk synth` runs it: a child process with the config path in the context.
 * (Lives here because this suite owns the CDK app; it mirrors bin/app.ts.)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

function synth(configPath: string, outdir: string, context: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ config: configPath, ...context }), CDK_OUTDIR: outdir, CDK_VALIDATION: 'false' },
  });
}

describe('bin/app.ts', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'monitor-app-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails synth with the path-by-path config message and no stack trace', () => {
    // Prepare
    const configPath = join(dir, 'bad.json');
    writeFileSync(configPath, JSON.stringify({ portals: [{ name: 'Bad Name', url: 'https://a.example', apiKey: { env: 'KEY' } }], alerts: { sms: ['0170'] } }));

    // Act
    const result = synth(configPath, join(dir, 'bad.out'));

    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      [
        `invalid config ${configPath}:`,
        '  - portals[0].name: must be 1-64 lowercase letters, digits and "-", starting and ending with a letter or digit, got "Bad Name"',
        '  - alerts.sms[0]: must be a phone number in E.164 form, e.g. "+491701234567", got "0170"',
      ].join('\n'),
    );
  });

  it('fails synth with the same message format for a config the CLI accepts but a deployment cannot use', () => {
    // Prepare
    const configPath = join(dir, 'cli-only.json');
    writeFileSync(configPath, JSON.stringify({ portals: [{ name: 'acme', url: 'https://a.example', apiKey: { env: 'KEY' } }] }));

    // Act
    const result = synth(configPath, join(dir, 'cli-only.out'));

    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      `invalid config ${configPath}:\n  - portals[0].apiKey: must name an SSM parameter ({"ssmParameter": "/name"}) to be deployed ({"env": ...} works in the CLI only), got {"env":"KEY"}`,
    );
  });

  // One synth for two behaviours (each synth costs seconds of CPU): a valid config synthesizes,
  // and -c stackName names the stack. The default name is test/e2e/bundled-handler.test.ts's,
  // whose `cdk synth` reads the stack DocSpaceBackupMonitor.
  it('synthesizes the stack from a valid config, named after -c stackName, so several monitors can be deployed side by side', () => {
    // Prepare
    const configPath = join(dir, 'named.json');
    const outdir = join(dir, 'named.out');
    writeFileSync(configPath, JSON.stringify({ portals: [{ name: 'acme', url: 'https://a.example', apiKey: { ssmParameter: '/docspace/acme' } }], alerts: { email: ['ops@example.com'] } }));

    // Act
    const result = synth(configPath, outdir, { stackName: 'DocSpaceBackupMonitor-eu' });

    // Assess
    expect(result.status, result.stderr).toBe(0);
    const templatePath = join(outdir, 'DocSpaceBackupMonitor-eu.template.json');
    expect(existsSync(templatePath)).toBe(true);
    expect(readFileSync(templatePath, 'utf8')).toContain('parameter/docspace/acme');
    expect(existsSync(join(outdir, 'DocSpaceBackupMonitor.template.json'))).toBe(false);
  });

  it('fails for a stack name CloudFormation would refuse', () => {
    // Prepare
    const configPath = join(dir, 'bad-name.json');
    writeFileSync(configPath, JSON.stringify({ portals: [{ name: 'acme', url: 'https://a.example', apiKey: { ssmParameter: '/docspace/acme' } }] }));

    // Act
    const result = synth(configPath, join(dir, 'bad-name.out'), { stackName: 'my monitor' });

    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe('invalid config -c stackName:\n  - must be a CloudFormation stack name (letters, digits, "-"; starting with a letter), got "my monitor"');
  });

  it('grants the API keys by their path with -c apiKeyParameterPath, and refuses a key outside it without a stack trace', () => {
    // Prepare
    const portal = (name: string, parameter: string) => ({ name, url: `https://${name}.example`, apiKey: { ssmParameter: parameter } });
    const insidePath = join(dir, 'path-inside.json');
    const outsidePath = join(dir, 'path-outside.json');
    writeFileSync(insidePath, JSON.stringify({ portals: [portal('acme', '/docspace/acme'), portal('beta', '/docspace/beta')], alerts: { email: ['ops@example.com'] } }));
    writeFileSync(outsidePath, JSON.stringify({ portals: [portal('acme', '/docspace/acme'), portal('beta', '/other/beta')], alerts: { email: ['ops@example.com'] } }));
    const outdir = join(dir, 'path-inside.out');

    // Act
    const granted = synth(insidePath, outdir, { apiKeyParameterPath: '/docspace/' });
    const refused = synth(outsidePath, join(dir, 'path-outside.out'), { apiKeyParameterPath: '/docspace/' });

    // Assess
    expect(granted.status, granted.stderr).toBe(0);
    const template = readFileSync(join(outdir, 'DocSpaceBackupMonitor.template.json'), 'utf8');
    expect(template).toContain(':parameter/docspace/*');
    expect(template).not.toContain(':parameter/docspace/acme');
    expect(refused.status).toBe(1);
    expect(refused.stderr.trim()).toBe('apiKeyParameterPath cannot be used:\n  - portals[1].apiKey.ssmParameter: must lie under "/docspace/", got "/other/beta"');
  });
});
