/**
 * The canary (docs/RELIABILITY.md, rows K01-K05): every scenario portal runs with its own unique
 * key, through the engine, the CLI and the deployed handler, and neither the key nor its
 * `Bearer` form shows up in any log line, report, alert, error message or thrown error. K04
 * proves the suite-wide guard (test/faults/setup-canary-guard.ts) really catches a leak, K05 that
 * it catches a raw token and every encoded form of a key. The helpers of test/support/canary.ts
 * are tested here too.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CANARY_MASK,
  checkTestOutput,
  expectGuardToCatch,
  expectNoCanaryLeak,
  findCanaryLeaks,
  maskCanaries,
  MIN_CANARY_LENGTH,
  newCanaryKey,
  registerCanary,
  registeredCanaries,
  textOf,
} from '../support/canary.ts';
import { useFakeAwsEnvironment } from '../support/aws-env.ts';
import { runCli } from '../support/cli-process.ts';
import { SnsErrors } from '../support/fake-sns.ts';
import { buildScenarios, keyVariableOf, scenarioConfig, type Scenario } from '../support/scenarios.ts';
import { startSimulatedPortals } from '../support/simulated-portal.ts';
import { deployFunction, invocationError, type DeployedFunction } from './handler-harness.ts';
import { expectNothingLeaked, NOW, runPortals, startAwsFakes, stopAwsFakes, type AwsFakes, type RunPortal } from './harness.ts';
import { keyRing } from '../support/served-scenarios.ts';

/** Every scenario, each with its own canary key (the revoked portal accepts another one). */
function scenariosWithCanaries(now: Date, label: string): { scenarios: readonly Scenario[]; keyOf: (name: string) => string } {
  const keyOf = keyRing((name) => newCanaryKey(`${label}-${name}`));
  return { scenarios: buildScenarios(now, keyOf), keyOf };
}

describe('the canary across every scenario', () => {
  let aws: AwsFakes;
  let restoreAws: (() => void) | undefined;
  let deployed: DeployedFunction | undefined;

  beforeAll(async () => {
    aws = await startAwsFakes();
  });

  afterAll(async () => {
    await stopAwsFakes(aws);
  });

  afterEach(async () => {
    restoreAws?.();
    restoreAws = undefined;
    await deployed?.close();
    deployed = undefined;
  });

  it('K01 the engine: no key in a verdict, a report, an alert, a log line or a publish failure, for every scenario', async () => {
    // Prepare
    restoreAws = useFakeAwsEnvironment({ ssm: aws.ssm.endpoint, sns: aws.sns.endpoint });
    const { scenarios, keyOf } = scenariosWithCanaries(NOW, 'k01');
    const portals: RunPortal[] = scenarios.map((scenario) => ({ name: `k01-${scenario.name}`, key: keyOf(scenario.name), portal: scenario.portal, timeZone: scenario.timeZone }));
    // One alert is refused, so a publish failure is in play too.
    aws.sns.failPublish(SnsErrors.authorization, { times: 1 });

    // Act
    const result = await runPortals(aws, portals, { client: { headersTimeoutMs: 5_000, requestTimeoutMs: 10_000 } });

    // Assess
    expect(result.run.verdicts.map((verdict) => [verdict.portal, verdict.status])).toEqual(scenarios.map((scenario) => [`k01-${scenario.name}`, scenario.expectedStatus]));
    // Each key really went to its portal, as `Bearer <key>`.
    for (const { name, key } of portals.filter((portal) => portal.name !== 'k01-key-revoked'))
      expect(result.server.requests.some((request) => request.portal === name && request.headers.authorization === `Bearer ${key}`)).toBe(true);
    expect(result.run.publishFailures).toHaveLength(1);
    expectNothingLeaked(result);
  });

  it('K02 the CLI: no key on stdout or stderr, in the JSON report, the text report or the shown alerts, for every scenario', async () => {
    // Prepare
    const now = new Date();
    const { scenarios, keyOf } = scenariosWithCanaries(now, 'k02');
    const server = await startSimulatedPortals(Object.fromEntries(scenarios.map((scenario) => [scenario.name, scenario.portal])));
    const dir = await mkdtemp(join(tmpdir(), 'faults-canary-'));
    const env = Object.fromEntries(scenarios.map((scenario) => [keyVariableOf(scenario.name), keyOf(scenario.name)]));
    try {
      await writeFile(join(dir, 'monitor.config.json'), JSON.stringify(scenarioConfig(scenarios, server.urlOf)));

      // Act
      const runs = await Promise.all([
        runCli(['check', '--json', '--show-alerts', '--now', now.toISOString()], { cwd: dir, env }),
        runCli(['check', '--show-alerts', '--now', now.toISOString()], { cwd: dir, env }),
      ]);

      // Assess
      const report = JSON.parse(runs[0]!.stdout) as { portals: { name: string; status: string }[] };
      expect(report.portals.map((portal) => [portal.name, portal.status])).toEqual(scenarios.map((scenario) => [scenario.name, scenario.expectedStatus]));
      expect(runs.map((run) => run.code)).toEqual([2, 2]);
      // The alerts were rendered where this test reads: stderr with --json, stdout without.
      expect(runs[0]!.stderr).toContain('DocSpace backup overdue');
      expect(runs[1]!.stdout).toContain('DocSpace backup overdue');
      for (const [index, run] of runs.entries()) {
        expectNoCanaryLeak(run.stdout, `stdout of CLI run ${index}`);
        expectNoCanaryLeak(run.stderr, `stderr of CLI run ${index}`);
      }
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('K03 the deployed handler: no key in its logs, metrics, alerts, summary or thrown error, for every scenario', async () => {
    // Prepare
    const names = buildScenarios(new Date(), () => 'unused-key-000000').map((scenario) => scenario.name);
    const fn = (deployed = await deployFunction(names.map((name) => ({ name, scenario: name }))));
    const summary = await fn.handler({});
    fn.sns.failPublish(SnsErrors.kmsAccessDenied, { times: 1 });

    // Act
    const thrown = await invocationError(() => fn.handler({}));

    // Assess
    expect(Object.keys(summary.statuses)).toEqual(names);
    expect(thrown).toBeInstanceOf(AggregateError);
    expectNoCanaryLeak(fn.stdout.join(''), 'stdout (logs, metrics)');
    expectNoCanaryLeak(fn.stderr.join(''), 'stderr');
    expectNoCanaryLeak(fn.sns.requests.map((request) => JSON.stringify(request.form)).join('\n'), 'the SNS requests');
    expectNoCanaryLeak(textOf(summary), 'the summary');
    expectNoCanaryLeak(textOf(thrown), 'the thrown error');
    expect(fn.stdout.join('')).toContain('"message":"portal checked"');
  });

  it('K04 the suite-wide guard catches a key written to console.log, process.stdout, process.stderr and a Bearer header value', () => {
    // Prepare
    const canary = newCanaryKey('guard');
    expectGuardToCatch(4);

    // Act
    console.log(`leaking ${canary} on purpose`);
    process.stdout.write(`leaking ${canary} on purpose\n`);
    process.stderr.write(Buffer.from(`leaking ${canary} on purpose\n`));
    console.error('leaking %s on purpose', `Authorization: Bearer sk-${randomUUID()}`);

    // Assess
    // The guard's own check runs after this test: it fails the test unless it finds all four.
    expect(registeredCanaries()).toContain(canary);
  });
});

/** A raw session token (not `sk-`) with the characters encodings change, registered. */
function rawCanaryToken(): string {
  const hex = randomUUID().replace(/-/g, '');
  return registerCanary(`tok${hex.slice(0, 12)}+${hex.slice(12, 22)}/${hex.slice(22)}=`);
}

/** Every form the guard must see a key in, by name. */
function encodedForms(key: string): Record<string, string> {
  const zeroWidth = [...key].map((char, index) => (index === 5 ? `\u200b${char}` : index === 11 ? `\u2060${char}` : index === 17 ? `\ufeff${char}` : char)).join('');
  return {
    'glued to words': `Invalid${key}token`,
    'JSON-escaped (\\u002B, \\/)': key.replace(/\+/g, '\\u002B').replace(/\//g, '\\/'),
    'JSON-escaped, every character': [...key].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
    'URL-encoded, upper-case hex': encodeURIComponent(key),
    'URL-encoded, lower-case hex': encodeURIComponent(key).replace(/%[0-9A-F]{2}/g, (code) => code.toLowerCase()),
    'form-encoded': new URLSearchParams({ t: key }).toString().slice(2),
    'split by zero-width characters': zeroWidth,
    'split by zero-width characters made spaces': zeroWidth.replace(/[\u200b\u2060\ufeff]/g, ' '),
    'base64 at offset 0': Buffer.from(key).toString('base64'),
    'base64 at offset 1': Buffer.from(`:${key}`).toString('base64'),
    'base64 at offset 2, line-wrapped': Buffer.from(`u:${key} and more`).toString('base64').replace(/(.{20})/g, '$1\n'),
    'base64url': Buffer.from(`user:${key}`).toString('base64url'),
  };
}

describe('the canary for raw and encoded keys', () => {
  it('K05 the suite-wide guard catches a raw token and an sk- key in every encoded form: glued, JSON-escaped, URL-encoded, split by zero-width characters, base64 and base64url', () => {
    // Prepare
    const forms = [...Object.values(encodedForms(rawCanaryToken())), ...Object.values(encodedForms(newCanaryKey('k05')))];
    expectGuardToCatch(forms.length);

    // Act
    for (const [index, form] of forms.entries()) {
      if (index % 3 === 0) console.log(`leaking ${form} on purpose`);
      else if (index % 3 === 1) process.stdout.write(`leaking ${form} on purpose\n`);
      else process.stderr.write(Buffer.from(`leaking ${form} on purpose\n`));
    }

    // Assess
    // The guard's own check runs after this test: it fails the test unless it finds every form.
    expect(forms).toHaveLength(24);
  });
});

describe('findCanaryLeaks', () => {
  it.each(Object.keys(encodedForms('sk-placeholder-000000')))('finds a raw token and an sk- key %s, and shows neither in the excerpt', (name) => {
    // Prepare
    const token = rawCanaryToken();
    const key = newCanaryKey('forms');

    // Act
    const leaks = [token, key].map((secret) => findCanaryLeaks(`before ${encodedForms(secret)[name]} after`));

    // Assess
    for (const [index, found] of leaks.entries()) {
      expect(found, ['token', 'key'][index]).toHaveLength(1);
      expect(found[0]!.kind).not.toBe('bearer');
      for (const secret of [token, key]) for (const form of Object.values(encodedForms(secret))) expect(found[0]!.excerpt).not.toContain(form);
    }
  });

  it('counts a canary written as is once, not again in each decoded view', () => {
    // Prepare
    const canary = newCanaryKey('once');

    // Act
    const leaks = findCanaryLeaks(`x ${canary} y \\u0073${canary.slice(1)}`);

    // Assess
    expect(leaks.map((leak) => leak.kind)).toEqual(['canary', 'encoded']);
  });

  it('finds each registered canary and each Bearer sk- value, in text order', () => {
    // Prepare
    const canary = newCanaryKey('find');
    const text = `a ${canary} b Authorization: bearer  sk-abc c ${canary}`;

    // Act
    const leaks = findCanaryLeaks(text);

    // Assess
    expect(leaks.map((leak) => [leak.kind, leak.index])).toEqual([
      ['canary', 2],
      ['bearer', text.indexOf('bearer')],
      ['canary', text.lastIndexOf(canary)],
    ]);
    for (const leak of leaks) expect(leak.excerpt).not.toContain(canary);
  });

  it.each(['', 'sk-(redacted)', 'Bearer (redacted)', 'Bearer token-not-a-key', 'a key starting with sk- is sent as Bearer'])('finds nothing in %j', (text) => {
    expect(findCanaryLeaks(text, ['sk-canary-unused-0123456789'])).toEqual([]);
  });
});

describe('registerCanary', () => {
  it(`ignores values shorter than ${MIN_CANARY_LENGTH} characters, which would match innocent text`, () => {
    // Act
    registerCanary('sk-test');
    const long = registerCanary(`token-${randomUUID()}`);

    // Assess
    expect(registeredCanaries()).not.toContain('sk-test');
    expect(registeredCanaries()).toContain(long);
  });
});

describe('maskCanaries', () => {
  it('replaces every canary and Bearer sk- value', () => {
    // Prepare
    const canary = newCanaryKey('mask');

    // Act
    const masked = maskCanaries(`x ${canary} y Bearer sk-abc123 z`);

    // Assess
    expect(masked).toBe(`x ${CANARY_MASK} y Bearer ${CANARY_MASK} z`);
  });
});

describe('expectNoCanaryLeak', () => {
  it('fails naming the place and a masked excerpt, never the canary', () => {
    // Prepare
    const canary = newCanaryKey('expect');

    // Act
    const act = () => expectNoCanaryLeak(`prefix ${canary} suffix`, 'the test text');

    // Assess
    expect(act).toThrow(/^secret leaked into the test text \(1 time\):\n {2}- a registered canary at 7: "prefix <CANARY> suffix"$/);
    try {
      act();
    } catch (error) {
      expect(textOf(error)).not.toContain(canary);
    }
  });
});

describe('checkTestOutput', () => {
  it('fails when fewer leaks than announced are found, so a guard that sees nothing cannot pass', () => {
    // Prepare
    expectGuardToCatch(1);

    // Act
    const act = () => checkTestOutput('clean output', 'the output');

    // Assess
    expect(act).toThrow('the canary guard found 0 of the 1 leaks written to the output');
    // The announcement is used up: the next test is checked as usual.
    expect(() => checkTestOutput('clean output', 'the output')).not.toThrow();
  });
});

describe('textOf', () => {
  it('renders an error with its message, stack, cause and the errors of an AggregateError', () => {
    // Prepare
    const error = new AggregateError([new Error('inner one')], 'outer', { cause: new TypeError('the cause') });

    // Act
    const text = textOf(error);

    // Assess
    for (const part of ['AggregateError', 'outer', 'inner one', 'TypeError', 'the cause', 'canary.test.ts']) expect(text).toContain(part);
  });
});
