/**
 * Config and invocation events as hostile input (docs/RELIABILITY.md, rows C01-C07), with
 * property-based tests: whatever arrives, the answer is a clear, path-by-path error (or a valid
 * config), never a crash, a stack trace or an echoed secret. Adds to test/check/config.test.ts
 * and test/check/check-event.test.ts, which hold the example-based cases.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CheckEventError, parseCheckEvent } from '../../functions/check/check-event.ts';
import { parseConfig, parseConfigText, type MonitorConfig } from '../../functions/check/config.ts';
import { ConfigError } from '../../functions/check/errors.ts';
import { findCanaryLeaks, newCanaryKey } from '../support/canary.ts';

/** A config that uses every section, so a mutation can land anywhere. */
const VALID = {
  $schema: './monitor.config.schema.json',
  portals: [
    {
      name: 'acme-prod',
      url: 'https://acme.onlyoffice.com',
      apiKey: { ssmParameter: '/docspace/acme-prod/api-key', kmsKeyArn: 'arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', scheme: 'auto' },
      timeZone: 'Europe/Berlin',
      policy: { graceMinutes: 90, severity: { SCHEDULE_MISMATCH: 'critical' } },
    },
    { name: 'acme-test', url: 'https://docspace.acme.example/docspace/', apiKey: { env: 'ACME_TEST_DOCSPACE_KEY' } },
  ],
  policy: {
    schedule: { period: 'EveryWeek', hour: 2, day: 'Monday' },
    graceMinutes: 60,
    archiveGraceMinutes: 240,
    maxBackupAgeHours: 30,
    allowedStorageTypes: ['CustomCloud', 'ThirdPartyConsumer'],
    minBackupsStored: 7,
    dump: false,
    requireArchive: true,
    checkLastBackupError: true,
  },
  concurrency: 10,
  checkSchedule: { cron: '0 7 * * ? *', timeZone: 'Europe/Berlin' },
  alerts: { email: ['ops@acme.example'], sms: ['+491701234567'], smsMinSeverity: 'critical' },
};

/** A problem line: a JSON path (or `(top level)`), a colon, then what is wrong. */
const PROBLEM_LINE = /^(\(top level\)|[$A-Za-z_][\w$]*|\[")[^\n]*: \S/;

/** Every path (as keys) in a JSON value, the root excluded. */
function pathsIn(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((item, index) => [[...prefix, index], ...pathsIn(item, [...prefix, index])]);
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([key, member]) => [[...prefix, key], ...pathsIn(member, [...prefix, key])]);
  return [];
}

/** A deep copy of `data` with the member at `path` replaced by `value`. */
function withValueAt(data: unknown, path: readonly (string | number)[], value: unknown): unknown {
  const copy = structuredClone(data) as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  parent[path[path.length - 1]!] = value;
  return copy;
}

/** The path a config problem names, as users write it: `portals[0].apiKey`. */
function formatted(path: readonly (string | number)[]): string {
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? key : `.${key}`)).join('');
}

/** The problems `parseConfig` lists, `[]` when it accepts; fails on anything but a ConfigError. */
function problemsOf(parse: () => MonitorConfig): readonly string[] {
  try {
    parse();
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(error)}`, { cause: error });
    expect(error.message).not.toMatch(/\n\s+at /);
    return error.problems;
  }
}

const ALL_PATHS = pathsIn(VALID);

describe('parseConfig with hostile input', () => {
  it('C01 any text gives a valid config or a ConfigError of path-by-path problems (or the JSON syntax error), never a crash or a stack trace', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.json({ maxDepth: 4 }), fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value))), (text) => {
        const problems = problemsOf(() => parseConfigText(text, 'hostile.json'));
        for (const problem of problems) expect(problem).toMatch(/^not valid JSON: [^\n]+$|^(\(top level\)|[$A-Za-z_][\w$]*|\[")[^\n]*: \S/);
      }),
      { numRuns: 400 },
    );
  });

  it('C02 a valid config with any member anywhere replaced by any value gives a ConfigError naming that member (or one around it), never a crash', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ALL_PATHS), fc.anything({ maxDepth: 3 }), (path, value) => {
        const problems = problemsOf(() => parseConfig(withValueAt(VALID, path, value)));
        if (problems.length === 0) return;
        const at = formatted(path);
        for (const problem of problems) expect(problem).toMatch(PROBLEM_LINE);
        const named = problems.map((problem) => problem.slice(0, problem.indexOf(': ')));
        expect(named.some((name) => name.startsWith(at) || at.startsWith(name) || name === '(top level)')).toBe(true);
      }),
      { numRuns: 600 },
    );
  });

  it('C03 a portal URL carrying credentials (user:pass@) is refused without echoing them', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9]{4,12}$/).map((user) => `usr${user}`),
        fc.option(fc.stringMatching(/^[A-Za-z0-9._~-]{6,16}$/).map((pass) => `pw${pass}`), { nil: undefined }),
        fc.domain(),
        (user, pass, host) => {
          const url = `https://${user}${pass === undefined ? '' : `:${pass}`}@${host}/`;
          const problems = problemsOf(() => parseConfig({ portals: [{ name: 'acme', url, apiKey: { env: 'KEY' } }] }));
          expect(problems).toContain('portals[0].url: must not carry credentials (user:pass@); the API key is configured in apiKey, got "(redacted)"');
          expect(problems.join('\n')).not.toContain(user);
          if (pass !== undefined) expect(problems.join('\n')).not.toContain(pass);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('C04 a portal URL that is not https is refused unless its host is loopback, look-alike hosts included', () => {
    const lookAlikes = ['127.0.0.1.nip.io', 'localhost.acme.example', '127.0.0.1.example', '0x7f000001.example', 'acme.example'];
    fc.assert(
      fc.property(
        fc.constantFrom('http', 'ftp', 'ws', 'wss', 'gopher', 'file', 'javascript'),
        fc.oneof(fc.domain().filter((host) => !/^localhost$/i.test(host)), fc.constantFrom(...lookAlikes)),
        (scheme, host) => {
          const url = scheme === 'javascript' ? `javascript://${host}/%0Aalert(1)` : `${scheme}://${host}/`;
          const problems = problemsOf(() => parseConfig({ portals: [{ name: 'acme', url, apiKey: { env: 'KEY' } }] }));
          expect(problems.some((problem) => problem.startsWith('portals[0].url: must use https (http is allowed only for loopback hosts), got "'))).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('C05 duplicate portal names are refused, each duplicate naming its first occurrence', () => {
    const name = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/);
    fc.assert(
      fc.property(fc.array(name, { minLength: 2, maxLength: 8 }).filter((names) => new Set(names).size < names.length), (names) => {
        const problems = problemsOf(() =>
          parseConfig({ portals: names.map((portal) => ({ name: portal, url: `https://${portal}.example`, apiKey: { env: 'KEY' } })) }),
        );
        const expected = names.flatMap((portal, index) => {
          const first = names.indexOf(portal);
          return first === index ? [] : [`portals[${index}].name: duplicate portal name (also portals[${first}].name), got ${JSON.stringify(portal)}`];
        });
        expect(problems).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('C06 an API key pasted anywhere (as a value, as the Bearer header, as a member name) is never echoed in a problem', () => {
    const canary = newCanaryKey('config');
    fc.assert(
      fc.property(
        fc.constantFrom(...ALL_PATHS),
        fc.constantFrom(canary, `Bearer ${canary}`, ` ${canary}\n`, { [canary]: 'x' }, [canary], { value: canary }),
        (path, value) => {
          const problems = problemsOf(() => parseConfig(withValueAt(VALID, path, value)));
          expect(findCanaryLeaks(problems.join('\n'))).toEqual([]);
        },
      ),
      { numRuns: 600 },
    );
  });
});

describe('parseCheckEvent with hostile input', () => {
  const config = parseConfig(VALID);

  it('C07 any invocation event gives one of the accepted requests or a CheckEventError that never echoes a value, a stack or more than a bounded text', () => {
    const canary = newCanaryKey('event');
    const hostile = fc.oneof(
      fc.anything({ maxDepth: 3 }),
      fc.record({ portals: fc.array(fc.oneof(fc.constant(canary), fc.string()), { maxLength: 5 }) }, { requiredKeys: [] }),
      fc.dictionary(fc.string({ maxLength: 80 }), fc.oneof(fc.constant(canary), fc.jsonValue({ maxDepth: 2 })), { maxKeys: 20 }),
      fc.constantFrom(
        { url: 'https://evil.example/' },
        { apiKey: canary },
        { [canary]: true },
        { [`Bearer ${canary}`]: 1 },
        { action: canary },
        { action: 'test-alert', portals: [canary] },
        { portals: [canary, 'acme-prod'] },
      ),
    );
    fc.assert(
      fc.property(hostile, (event) => {
        let request: unknown;
        try {
          request = parseCheckEvent(event, config);
        } catch (error) {
          expect(error).toBeInstanceOf(CheckEventError);
          const message = (error as Error).message;
          expect(message).toMatch(/^(unsupported event|unknown portal)/);
          expect(message).not.toMatch(/\n\s+at /);
          expect(message.length).toBeLessThan(3_000);
          // Neither a value nor a member name holding the key is repeated.
          expect(findCanaryLeaks(message)).toEqual([]);
          expect(message).not.toMatch(/[\p{Cc}\p{Cf}]/u);
          return;
        }
        expect(['check', 'test-alert', 'digest']).toContain((request as { action: string }).action);
      }),
      { numRuns: 500 },
    );
  });
});
