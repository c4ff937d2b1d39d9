import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONFIG_JSON_SCHEMA_PATH, configJsonSchemaText } from '../../functions/check/config-json-schema.ts';
import { loadConfig, parseConfig, parseConfigText, resolvePolicy, type MonitorConfig } from '../../functions/check/config.ts';
import { ConfigError } from '../../functions/check/errors.ts';

const portal = { name: 'acme-prod', url: 'https://acme.onlyoffice.com', apiKey: { ssmParameter: '/docspace/acme-prod/api-key' } };

function problemsOf(data: unknown): readonly string[] {
  try {
    parseConfig(data);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected the config to be refused');
}

describe('parseConfig', () => {
  it('accepts the shape of the contract and normalizes names to DocSpace numbers', () => {
    // Act
    const config = parseConfig({
      portals: [{ ...portal, timeZone: 'Europe/Berlin', policy: { graceMinutes: 30 } }],
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
        severity: { SCHEDULE_MISMATCH: 'critical' },
      },
    });

    // Assess
    expect(config.policy?.schedule).toEqual({ period: 1, hour: 2, day: 2 });
    expect(config.policy?.allowedStorageTypes).toEqual([2, 5]);
    expect(config.portals[0]?.url).toBe('https://acme.onlyoffice.com/');
  });

  it.each([
    [{ period: 'EveryDay', hour: 0 }, { period: 0, hour: 0, day: 0 }],
    [{ period: 0, hour: 23, day: 0 }, { period: 0, hour: 23, day: 0 }],
    [{ period: 1, hour: 5, day: 1 }, { period: 1, hour: 5, day: 1 }],
    [{ period: 'EveryWeek', hour: 5, day: 'Saturday' }, { period: 1, hour: 5, day: 7 }],
    [{ period: 'everyweek', hour: 5, day: 'sunday' }, { period: 1, hour: 5, day: 1 }],
    [{ period: 'EveryMonth', hour: 3, day: 31 }, { period: 2, hour: 3, day: 31 }],
    [{ period: 2, hour: 3, day: 1 }, { period: 2, hour: 3, day: 1 }],
  ])('normalizes the expected schedule %j', (schedule, expected) => {
    expect(parseConfig({ portals: [portal], policy: { schedule } }).policy?.schedule).toEqual(expected);
  });

  it.each([
    [{ portals: [portal], policy: { schedule: { period: 'EveryWeek', hour: 24, day: 'Monday' } } }, 'policy.schedule.hour: must be 0-23, got 24'],
    [{ portals: [portal, { ...portal, name: 'b', policy: { schedule: { period: 1, hour: 24, day: 2 } } }] }, 'portals[1].policy.schedule.hour: must be 0-23, got 24'],
    [{ portals: [portal], policy: { schedule: { period: 'EveryWeek', hour: 2, day: 8 } } }, 'policy.schedule.day: must be a weekday name or 1-7 (1 = Sunday), got 8'],
    [{ portals: [portal], policy: { schedule: { period: 'EveryWeek', hour: 2 } } }, 'policy.schedule.day: must be a weekday name or 1-7 (1 = Sunday)'],
    [{ portals: [portal], policy: { schedule: { period: 'EveryMonth', hour: 2, day: 32 } } }, 'policy.schedule.day: must be a day of the month 1-31, got 32'],
    [{ portals: [portal], policy: { schedule: { period: 'EveryMonth', hour: 2, day: 'Monday' } } }, 'policy.schedule.day: must be a day of the month 1-31, got "Monday"'],
    [{ portals: [portal], policy: { schedule: { period: 'Weekly', hour: 2, day: 1 } } }, 'policy.schedule.period: must be EveryDay, EveryWeek, EveryMonth or 0-2, got "Weekly"'],
    [{ portals: [portal], policy: { schedule: { period: 3, hour: 2, day: 1 } } }, 'policy.schedule.period: must be EveryDay, EveryWeek, EveryMonth or 0-2, got 3'],
    [{ portals: [portal], policy: { graceMinutes: -1 } }, 'policy.graceMinutes: must be 15-10080, got -1'],
    [{ portals: [portal], policy: { graceMinutes: 1.5 } }, 'policy.graceMinutes: must be a whole number 15-10080, got 1.5'],
    [{ portals: [portal], policy: { minBackupsStored: 31 } }, 'policy.minBackupsStored: must be 1-30, got 31'],
    [{ portals: [portal], policy: { graceMinutes: 14 } }, 'policy.graceMinutes: must be 15-10080, got 14'],
    [{ portals: [portal], policy: { severity: { CHECK_FAILED: 'warning' } } }, 'policy.severity.CHECK_FAILED: cannot be overridden: its severity follows its cause (critical for what a person must fix)'],
    [{ portals: [portal], policy: { graceMinutes: 90, archiveGraceMinutes: 60 } }, 'policy.archiveGraceMinutes: must be at least graceMinutes (90): an archive cannot be due before its backup, got 60'],
    [{ portals: [{ ...portal, policy: { archiveGraceMinutes: 30 } }] }, 'portals[0].policy.archiveGraceMinutes: must be at least graceMinutes (60): an archive cannot be due before its backup, got 30'],
    [{ portals: [{ ...portal, apiKey: { ssmParameter: 'docspace/acme/api-key' } }] }, 'portals[0].apiKey.ssmParameter: must be an SSM parameter name such as "/docspace/acme-prod/api-key" (a name with "/" starts with "/"), got a value that is not shown'],
    [{ portals: [portal], policy: { graceMinute: 3 } }, 'policy.graceMinute: unknown key (check its spelling in docs/CONFIG.md)'],
    [{ portals: [portal], policy: { severity: { NO_SCHEDULE: 'loud' } } }, 'policy.severity.NO_SCHEDULE: must be "critical" or "warning", got "loud"'],
    [{ portals: [portal], policy: { allowedStorageTypes: ['S3'] } }, 'policy.allowedStorageTypes[0]: must be Documents, ThridpartyDocuments, CustomCloud, Local, DataStore, ThirdPartyConsumer or 0-5, got "S3"'],
    [{ portals: [] }, 'portals: must list at least one portal, got []'],
    [{}, 'portals: is required'],
    [{ portals: [{ ...portal, name: 'Acme_Prod' }] }, 'portals[0].name: must be 1-64 lowercase letters, digits and "-", starting and ending with a letter or digit, got "Acme_Prod"'],
    [{ portals: [portal, { ...portal }] }, 'portals[1].name: duplicate portal name (also portals[0].name), got "acme-prod"'],
    [{ portals: [{ ...portal, url: 'http://acme.onlyoffice.com' }] }, 'portals[0].url: must use https (http is allowed only for loopback hosts), got "http://acme.onlyoffice.com"'],
    [{ portals: [{ ...portal, url: 'acme.onlyoffice.com' }] }, 'portals[0].url: must be an absolute URL such as "https://acme.onlyoffice.com", got "acme.onlyoffice.com"'],
    [{ portals: [{ ...portal, url: 'https://acme.onlyoffice.com/?x=1' }] }, 'portals[0].url: must not have a query or fragment, got "https://acme.onlyoffice.com/?x=1"'],
    [{ portals: [{ ...portal, apiKey: {} }] }, 'portals[0].apiKey: must be {"ssmParameter": "/name"} or {"env": "VARIABLE_NAME"}'],
    [{ portals: [{ ...portal, apiKey: { env: '1X' } }] }, 'portals[0].apiKey.env: must be an environment variable name, got a value that is not shown'],
    [{ portals: [{ ...portal, timeZone: 'Mars/Olympus' }] }, 'portals[0].timeZone: must be an IANA time zone id such as "Europe/Berlin", got "Mars/Olympus"'],
    [{ portals: [portal], alerts: { email: ['ops'] } }, 'alerts.email[0]: must be an e-mail address, got "ops"'],
    [{ portals: [portal], alerts: { sms: ['01701234567'] } }, 'alerts.sms[0]: must be a phone number in E.164 form, e.g. "+491701234567", got "01701234567"'],
    [{ portals: [portal], checkSchedule: { cron: '0 7 * * * *' } }, 'checkSchedule.cron: must have "?" in exactly one of day-of-month (3rd) and day-of-week (5th), got "0 7 * * * *"'],
    [{ portals: [portal], checkSchedule: { cron: 'daily' } }, 'checkSchedule.cron: must be an EventBridge cron with 6 fields, e.g. "0 7 * * ? *", got "daily"'],
  ])('fails when the config is %j', (data, problem) => {
    expect(problemsOf(data)).toContain(problem);
  });

  it('lists every problem at once, each by its path', () => {
    // Act
    const problems = problemsOf({
      portals: [{ ...portal, policy: { schedule: { period: 'EveryWeek', hour: 24, day: 'Funday' } } }, { ...portal, url: 'http://x.example' }],
      policy: { graceMinutes: -5 },
    });

    // Assess
    expect(problems).toEqual(
      expect.arrayContaining([
        'portals[0].policy.schedule.hour: must be 0-23, got 24',
        'portals[0].policy.schedule.day: must be a weekday name or 1-7 (1 = Sunday), got "Funday"',
        'portals[1].url: must use https (http is allowed only for loopback hosts), got "http://x.example"',
        'portals[1].name: duplicate portal name (also portals[0].name), got "acme-prod"',
        'policy.graceMinutes: must be 15-10080, got -5',
      ]),
    );
  });

  it.each(['http://127.0.0.1:8080', 'http://127.10.0.3/p/', 'http://localhost:3000', 'http://[::1]:9000'])('accepts http for the loopback host %s', (url) => {
    expect(parseConfig({ portals: [{ ...portal, url }] }).portals[0]?.url.startsWith('http://')).toBe(true);
  });

  it('refuses credentials in the URL without echoing them', () => {
    // Act
    const problems = problemsOf({ portals: [{ ...portal, url: 'https://admin:hunter2@acme.onlyoffice.com' }] });

    // Assess
    expect(problems).toContain('portals[0].url: must not carry credentials (user:pass@); the API key is configured in apiKey, got "(redacted)"');
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it.each([
    ['the API key pasted instead of a reference', { ...portal, apiKey: 'sk-canary-1234567890abcdef' }],
    ['the API key pasted as the variable name', { ...portal, apiKey: { env: 'sk-canary-1234567890abcdef' } }],
    ['the API key pasted as the parameter name', { ...portal, apiKey: { ssmParameter: 'sk canary 1234567890abcdef' } }],
    ['a key-like value elsewhere', { ...portal, name: 'sk-canary-1234567890abcdef!' }],
  ])('never echoes %s', (_, bad) => {
    // Act
    const problems = problemsOf({ portals: [bad] });

    // Assess
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).not.toMatch(/canary/);
  });

  it('does not quote the config text around a JSON syntax error', () => {
    // Act
    const act = () => parseConfigText('{"portals": [{"apiKey": "sk-canary-secret" oops}]}', 'bad.json');

    // Assess
    expect(act).toThrow(/not valid JSON/);
    expect(act).not.toThrow(/canary/);
  });

  it('gives a clear error, never a crash, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (data) => {
        try {
          parseConfig(data);
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          for (const problem of (error as ConfigError).problems) expect(problem).toMatch(/^(\(top level\)|[$A-Za-z_][\w$]*|\[")[^\n]*: \S/);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives path-by-path errors for mutated valid configs', () => {
    const valid = { portals: [portal], policy: { graceMinutes: 60, schedule: { period: 'EveryDay', hour: 2 } } };
    fc.assert(
      fc.property(fc.constantFrom('portals', 'policy'), fc.anything(), (key, value) => {
        try {
          parseConfig({ ...valid, [key]: value });
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          expect((error as ConfigError).message).not.toMatch(/\n\s+at /);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseConfigText', () => {
  it('names the line and column of a JSON syntax error', () => {
    // Act
    const act = () => parseConfigText('{\n  "portals": [\n    {"name": "a",}\n  ]\n}', 'bad.json');

    // Assess
    expect(act).toThrow(ConfigError);
    expect(act).toThrow(/invalid config bad\.json:\n {2}- not valid JSON: .* at line 3, column \d+/);
  });
});

describe('loadConfig', () => {
  it('fails when the file does not exist, naming the file', async () => {
    await expect(loadConfig('/nonexistent/monitor.config.json')).rejects.toThrow('invalid config /nonexistent/monitor.config.json:\n  - file not found');
  });

  it('reads and validates a file', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'dbm-config-'));
    const path = join(dir, 'monitor.config.json');
    await writeFile(path, JSON.stringify({ portals: [portal] }));

    // Act
    const config = await loadConfig(path);

    // Assess
    expect(config.portals.map((p) => p.name)).toEqual(['acme-prod']);
  });

  it('accepts the shipped placeholder config', async () => {
    await expect(loadConfig('monitor.config.json')).resolves.toMatchObject({ portals: [{ name: 'example-portal' }] });
  });
});

describe('resolvePolicy', () => {
  const config: MonitorConfig = parseConfig({
    portals: [
      { ...portal, policy: { graceMinutes: 15, severity: { RETENTION_TOO_LOW: 'critical' } } },
      { ...portal, name: 'plain' },
    ],
    policy: { graceMinutes: 90, maxBackupAgeHours: 30, severity: { SCHEDULE_MISMATCH: 'critical' } },
  });

  it('applies defaults, then the top-level policy, then the portal overrides key by key', () => {
    // Act
    const own = resolvePolicy(config, config.portals[0]!);
    const plain = resolvePolicy(config, config.portals[1]!);

    // Assess
    expect(own).toMatchObject({ graceMinutes: 15, archiveGraceMinutes: 240, maxBackupAgeHours: 30, requireArchive: true, checkLastBackupError: true });
    expect(own.severity).toEqual({ SCHEDULE_MISMATCH: 'critical', RETENTION_TOO_LOW: 'critical' });
    expect(plain).toMatchObject({ graceMinutes: 90, archiveGraceMinutes: 240 });
    expect(plain.severity).toEqual({ SCHEDULE_MISMATCH: 'critical' });
  });

  it('uses the documented defaults when no policy is given', () => {
    const bare = parseConfig({ portals: [portal] });
    expect(resolvePolicy(bare, bare.portals[0]!)).toEqual({
      schedule: undefined,
      graceMinutes: 60,
      archiveGraceMinutes: 240,
      maxBackupAgeHours: undefined,
      allowedStorageTypes: undefined,
      minBackupsStored: undefined,
      dump: undefined,
      requireArchive: true,
      checkLastBackupError: true,
      severity: {},
    });
  });
});

describe('configJsonSchema', () => {
  it('matches the committed monitor.config.schema.json (run `npm run schema` after changing the schema)', async () => {
    expect(await readFile(CONFIG_JSON_SCHEMA_PATH, 'utf8')).toBe(configJsonSchemaText());
  });

  it('describes the contract keys for editors', () => {
    const schema = JSON.parse(configJsonSchemaText());
    expect(schema.required).toEqual(['portals']);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['portals', 'policy', 'checkSchedule', 'alerts']));
    expect(schema.properties.portals.items.required).toEqual(['name', 'url', 'apiKey']);
  });

  it('offers the names of periods, weekdays and storage types for completion, and the range of their numbers', () => {
    // Prepare
    const schema = JSON.parse(configJsonSchemaText());
    const policy = schema.properties.policy.properties;
    const branches = (node: { anyOf: { type: string; examples?: string[]; minimum?: number; maximum?: number }[] }) => ({
      names: node.anyOf.find((branch) => branch.type === 'string')?.examples,
      numbers: node.anyOf.filter((branch) => branch.type === 'integer').map((branch) => [branch.minimum, branch.maximum]),
    });

    // Assess
    expect(branches(policy.schedule.properties.period)).toEqual({ names: ['EveryDay', 'EveryWeek', 'EveryMonth'], numbers: [[0, 2]] });
    expect(branches(policy.schedule.properties.day)).toEqual({
      names: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
      numbers: [[0, 31]],
    });
    expect(branches(policy.allowedStorageTypes.items)).toEqual({
      names: ['Documents', 'ThridpartyDocuments', 'CustomCloud', 'Local', 'DataStore', 'ThirdPartyConsumer'],
      numbers: [[0, 5]],
    });
  });

  it('still accepts names in any case and refuses out-of-range numbers with the same messages', () => {
    // Act / Assess: the schema's examples do not narrow what the monitor accepts
    expect(parseConfig({ portals: [portal], policy: { schedule: { period: 'everyweek', hour: 2, day: 'MONDAY' } } }).policy?.schedule).toEqual({ period: 1, hour: 2, day: 2 });
    expect(problemsOf({ portals: [portal], policy: { schedule: { period: 3, hour: 2 } } })).toEqual(['policy.schedule.period: must be EveryDay, EveryWeek, EveryMonth or 0-2, got 3']);
  });
});
