import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLazySdk, LAZY_SDK_FILE, lazyAwsSdk } from '../../scripts/build-lazy-aws-sdk.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A program using the SDK the ways the check and its CLI may: clients, commands, errors, a subclass. */
const PROGRAM = `
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
if (process.argv[2] === 'without-sdk') {
  console.log(JSON.stringify({ ran: true }));
} else {
  const notFound = new ParameterNotFound({ message: 'gone', $metadata: {} });
  class TeamClient extends SSMClient { team = true; }
  const client = new TeamClient({ region: 'eu-central-1' });
  console.log(JSON.stringify({
    command: new GetParameterCommand({ Name: '/docspace/a' }).input.Name,
    instance: notFound instanceof ParameterNotFound,
    otherClass: notFound instanceof ConditionalCheckFailedException,
    name: notFound.name,
    subclass: client instanceof TeamClient && client instanceof SSMClient && client.team,
    send: typeof client.send,
  }));
}
`;

describe('the lazily loaded AWS SDK of the command', () => {
  let dir: string;
  let bundleText: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docspace-lazy-sdk-'));
    const result = await build({
      stdin: { contents: PROGRAM, resolveDir: ROOT, loader: 'js' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      mainFields: ['module', 'main'],
      banner: { js: "import { createRequire as __c } from 'node:module'; const require = __c(import.meta.url);" },
      plugins: [lazyAwsSdk()],
      external: [`./${LAZY_SDK_FILE}`],
      write: false,
      outfile: join(dir, 'program.mjs'),
      logLevel: 'error',
    });
    bundleText = result.outputFiles[0]!.text;
    await writeFile(join(dir, 'program.mjs'), bundleText);
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const run = (argument: string) => {
    const child = spawnSync(process.execPath, [join(dir, 'program.mjs'), argument], { encoding: 'utf8', env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
    return { code: child.status, stderr: child.stderr, output: child.status === 0 ? (JSON.parse(child.stdout) as Record<string, unknown>) : undefined };
  };

  it('runs without the SDK file as long as nothing of the SDK is used', () => {
    // Act
    const result = run('without-sdk');

    // Assess
    expect(result.stderr).toBe('');
    expect(result.output).toEqual({ ran: true });
  });

  it('bundles no SDK code into the command itself', () => {
    // Assess
    expect(bundleText).not.toMatch(/@smithy|SSMServiceException|signature-v4/i);
  });

  it('gives the real classes on first use: commands, errors with instanceof, and subclasses', async () => {
    // Prepare
    await writeFile(join(dir, LAZY_SDK_FILE), await buildLazySdk(bundleText, ROOT));

    // Act
    const result = run('with-sdk');

    // Assess
    expect(result.stderr).toBe('');
    expect(result.output).toEqual({ command: '/docspace/a', instance: true, otherClass: false, name: 'ParameterNotFound', subclass: true, send: 'function' });
  });

  it('puts exactly the SDK exports the program uses into the SDK file', async () => {
    // Act
    const sdkFile = new TextDecoder().decode(await buildLazySdk(bundleText, ROOT));

    // Assess
    const markers = [...new Set(bundleText.match(/lazy-aws-sdk:@aws-sdk\/client-[a-z0-9-]+#\w+/g))].sort();
    expect(markers).toEqual([
      'lazy-aws-sdk:@aws-sdk/client-dynamodb#ConditionalCheckFailedException',
      'lazy-aws-sdk:@aws-sdk/client-ssm#GetParameterCommand',
      'lazy-aws-sdk:@aws-sdk/client-ssm#ParameterNotFound',
      'lazy-aws-sdk:@aws-sdk/client-ssm#SSMClient',
    ]);
    expect(sdkFile).toContain('@aws-sdk/client-ssm');
    expect(sdkFile).not.toMatch(/PutParameterCommand/);
  });
});
