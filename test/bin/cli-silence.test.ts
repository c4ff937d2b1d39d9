/**
 * `docspace-backup-monitor silence` and `ack` as a user runs them: the real command in a child
 * process. With `--state FILE`, the next `check --state FILE` honours them (against the simulated
 * portals on loopback, judged at the real clock as the commands are). With `--table` or `--stack`,
 * they change the deployed state table (dynalite), as the caller's AWS identity (a local STS), the
 * table found from the stack's outputs (a local CloudFormation). Refused input says what and where.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Silence } from '../../functions/check/silences/types.ts';
import { fakeAwsChildEnvironment } from '../support/aws-env.ts';
import { runCli, type CliResult } from '../support/cli-process.ts';
import { startDynalite, type LocalDynamoDb } from '../support/dynalite.ts';
import { startFakeIdentityAndStacks, type FakeIdentityAndStacks } from '../support/fake-identity-and-stacks.ts';
import { scenarioConfig, type Scenario } from '../support/scenarios.ts';
import { serveScenarios } from '../support/served-scenarios.ts';
import type { SimulatedPortals } from '../support/simulated-portal.ts';

/** The scenarios used: OK, and CRITICAL (alerted, and reminded every run by default). */
const USED = ['compliant', 'overdue'] as const;
const OPERATOR = 'night-shift-operator';
const ALICE = 'arn:aws:sts::123456789012:assumed-role/ops/alice';

interface JsonReport {
  readonly portals: readonly {
    readonly name: string;
    readonly notification: string | null;
    readonly acknowledged?: { readonly by: string; readonly reason: string };
    readonly findings: readonly { readonly code: string; readonly silenced?: { readonly id?: string; readonly by?: string; readonly reason: string } }[];
  }[];
}

let dir: string;
let server: SimulatedPortals;
let scenarios: readonly Scenario[];
let env: Record<string, string>;
let dynamodb: LocalDynamoDb;
let aws: FakeIdentityAndStacks;
let awsEnv: Record<string, string | undefined>;

function path(file: string): string {
  return join(dir, file);
}

function cli(args: readonly string[], extraEnv: Record<string, string | undefined> = {}): Promise<CliResult> {
  return runCli(args, { cwd: dir, env: { ...env, ...extraEnv } });
}

/** `check --state FILE --json --show-alerts` at the real clock; the alerts shown go to stderr. */
async function check(state: string): Promise<{ result: CliResult; report: JsonReport; alerts: string[] }> {
  const result = await cli(['check', '--config', 'monitor.json', '--state', state, '--json', '--show-alerts']);
  const alerts = [...result.stderr.matchAll(/^Attributes: (.*)$/gm)].map(([, line]) => {
    const attributes = Object.fromEntries(line!.split(' ').map((pair) => pair.split('=') as [string, string]));
    return `${attributes.portal}:${attributes.state}:${attributes.codes}`;
  });
  return { result, report: JSON.parse(result.stdout) as JsonReport, alerts };
}

function overdueOf(report: JsonReport): JsonReport['portals'][number] {
  return report.portals.find((portal) => portal.name === 'overdue')!;
}

beforeAll(async () => {
  // Judged at the real clock, as `silence add --for` and `ack` are (the scenarios leave 20 minutes of slack).
  const served = await serveScenarios(new Date(), USED);
  ({ scenarios, server } = served);
  dir = await mkdtemp(join(tmpdir(), 'docspace-backup-monitor-cli-silence-'));
  await writeFile(path('monitor.json'), JSON.stringify(scenarioConfig(scenarios, (name) => server.urlOf(name))));
  env = { ...served.keyEnv, USER: OPERATOR };

  dynamodb = await startDynalite();
  aws = await startFakeIdentityAndStacks();
  awsEnv = fakeAwsChildEnvironment({ AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint, AWS_ENDPOINT_URL_STS: aws.endpoint, AWS_ENDPOINT_URL_CLOUDFORMATION: aws.endpoint });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await dynamodb?.close();
  await aws?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('docspace-backup-monitor silence with --state', { timeout: 120_000 }, () => {
  it('holds back the next run\'s alert for the silenced portal, names the silence in the report, and alerts again once it is expired', async () => {
    // Prepare
    const state = path('silenced.json');

    // Act
    const added = await cli(['silence', 'add', '--portal', 'overdue', '--for', '4h', '--reason', 'restoring the bucket', '--state', state]);
    const id = /silence (s-[0-9a-f]{8}) added/.exec(added.stdout)?.[1];
    const silenced = await check(state);
    const listed = await cli(['silence', 'list', '--json', '--state', state]);
    const expired = await cli(['silence', 'expire', id ?? 'none', '--state', state]);
    const afterExpiry = await check(state);

    // Assess
    expect(added.code, added.stderr).toBe(0);
    expect(id).toBeDefined();
    expect(silenced.result.code).toBe(2);
    expect(silenced.alerts).toEqual([]);
    for (const finding of overdueOf(silenced.report).findings) expect(finding.silenced).toEqual({ until: expect.any(String), reason: 'restoring the bucket', id, by: OPERATOR });
    const { silences } = JSON.parse(listed.stdout) as { silences: (Silence & { state: string })[] };
    expect(silences).toEqual([expect.objectContaining({ id, portal: 'overdue', state: 'active', createdBy: OPERATOR, reason: 'restoring the bucket' })]);
    expect(expired.code, expired.stderr).toBe(0);
    expect(expired.stdout).toContain(`silence ${id} expired by ${OPERATOR}`);
    expect(afterExpiry.alerts).toEqual(['overdue:firing:BACKUP_OVERDUE,ARCHIVE_MISSING']);
    expect(overdueOf(afterExpiry.report).findings.every((finding) => finding.silenced === undefined)).toBe(true);
  });

  it('warns when no run has checked the portal, and keeps the silence', async () => {
    // Prepare
    const state = path('typo.json');
    await check(state);

    // Act
    const added = await cli(['silence', 'add', '--portal', 'overdeu', '--for', '1h', '--reason', 'typo', '--state', state]);

    // Assess
    expect(added.code).toBe(0);
    expect(added.stderr).toBe(
      `warning: no run has checked portal overdeu in state file ${state} yet: check the name against the config (the silence is kept; it mutes nothing for a portal the monitor does not check)\n`,
    );
  });

  it('stops the reminders of an acknowledged portal and shows who acknowledged it, until its codes change', async () => {
    // Prepare
    const state = path('acknowledged.json');
    const first = await check(state);

    // Act
    const acked = await cli(['ack', '--portal', 'overdue', '--reason', 'vendor ticket 4711', '--state', state]);
    const next = await check(state);
    const remembered = JSON.parse(await readFile(state, 'utf8')) as { portals: Record<string, { ack?: unknown }> };

    // Assess
    expect(first.alerts).toEqual(['overdue:firing:BACKUP_OVERDUE,ARCHIVE_MISSING']);
    expect(acked.code, acked.stderr).toBe(0);
    expect(acked.stdout).toContain(`acknowledged overdue in state file ${state}: CRITICAL (ARCHIVE_MISSING, BACKUP_OVERDUE) by ${OPERATOR}: vendor ticket 4711`);
    // Without the acknowledgement the critical portal would be reminded on this run.
    expect(next.alerts).toEqual([]);
    expect(overdueOf(next.report).notification).toBeNull();
    expect(overdueOf(next.report).acknowledged).toMatchObject({ by: OPERATOR, reason: 'vendor ticket 4711' });
    expect(remembered.portals.overdue?.ack).toMatchObject({ status: 'CRITICAL', codes: ['ARCHIVE_MISSING', 'BACKUP_OVERDUE'] });
  });

  it('refuses to acknowledge a portal that is OK, saying why, and changes nothing', async () => {
    // Prepare
    const state = path('ok.json');
    await check(state);
    const before = await readFile(state, 'utf8');

    // Act
    const refused = await cli(['ack', '--portal', 'compliant', '--reason', 'nothing to see', '--state', state]);

    // Assess
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/^error: portal compliant has nothing outstanding to acknowledge: the last run found it OK/);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(await readFile(state, 'utf8')).toBe(before);
  });

  it.each([
    [['silence', 'add', '--portal', 'overdue', '--for', '4 hours', '--reason', 'r'], '--for must be a duration such as 30m, 4h, 2d or 1d12h, got "4 hours"'],
    [['silence', 'expire', 's-00000000'], 'no silence s-00000000 in state file '],
    [['silence', 'list', '--state', 'a.json', '--table', 't'], 'give one of --state, --table and --stack, not --state and --table'],
    [['ack', '--portal', 'overdue'], '--reason TEXT is required'],
  ])('refuses %j with a message that says what is wrong (exit 3, no stack trace)', async (args, message) => {
    // Act
    const result = await cli(args.includes('--table') ? args : [...args, '--state', path('refused.json')]);

    // Assess
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`error: ${message}`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('docspace-backup-monitor silence with the deployed table', { timeout: 120_000 }, () => {
  it('adds a silence to the table the stack names, as the caller\'s AWS identity, and lists it with --table', async () => {
    // Prepare
    const table = await dynamodb.createStateTable('cli-silence-stack');
    aws.putStack('DocSpaceBackupMonitor', { StateTableName: table, AlertTopicArn: 'arn:aws:sns:eu-central-1:123456789012:alerts' });

    // Act
    const added = await cli(['silence', 'add', '--portal', 'overdue', '--code', 'archive_missing', '--for', '2d', '--reason', 'bucket migration'], awsEnv);
    const listed = await cli(['silence', 'list', '--json', '--table', table], awsEnv);
    const text = await cli(['silence', 'list', '--table', table], awsEnv);

    // Assess
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain(`added to DynamoDB table ${table}: overdue ARCHIVE_MISSING until `);
    const { silences } = JSON.parse(listed.stdout) as { silences: (Silence & { state: string })[] };
    expect(silences).toEqual([expect.objectContaining({ portal: 'overdue', codes: ['ARCHIVE_MISSING'], createdBy: ALICE, reason: 'bucket migration', state: 'active' })]);
    expect(text.stdout).toMatch(new RegExp(`^ID\\s+STATE\\s+PORTAL\\s+CODES\\s+UNTIL\\s+BY\\s+REASON\\n${silences[0]!.id}\\s+active\\s+overdue\\s+ARCHIVE_MISSING\\s+\\S+\\s+${ALICE.replace(/[/.]/g, '\\$&')}\\s+bucket migration\\n$`));
  });

  it('fails naming the stack when it does not exist, and asks for --stack or --table', async () => {
    // Act
    const result = await cli(['silence', 'list', '--stack', 'NoSuchMonitor'], awsEnv);

    // Assess
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(
      'error: could not read the outputs of stack NoSuchMonitor (CloudFormation DescribeStacks): ValidationError (no stack NoSuchMonitor in this account and region? name it with --stack, or the table with --table)\n',
    );
  });

  it('fails naming the table and the AWS error code when the table does not exist', async () => {
    // Act
    const result = await cli(['silence', 'expire', 's-00000000', '--table', 'no-such-table'], awsEnv);

    // Assess
    expect(result.code).toBe(3);
    expect(result.stderr).toBe('error: could not change silences or acknowledgements in DynamoDB table no-such-table: ResourceNotFoundException\n');
  });
});
