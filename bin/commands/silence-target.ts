/**
 * Where `silence` and `ack` make their change, and who makes it: the `--state FILE` of the CLI
 * (the author is `$USER`), or the deployed stack's state table, named with `--table` or found
 * from the stack's `StateTableName` output (`--stack`, CloudFormation DescribeStacks; the author
 * is the caller's AWS identity from STS GetCallerIdentity).
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { userInfo } from 'node:os';
import { awsErrorCode } from '../../functions/check/aws-error-code.ts';
import { DynamoDbSilenceStore } from '../../functions/check/silences/dynamodb-silence-store.ts';
import { SilenceError } from '../../functions/check/silences/errors.ts';
import { JsonFileSilenceStore } from '../../functions/check/silences/json-file-silence-store.ts';
import type { SilenceStore } from '../../functions/check/silences/types.ts';

/** The stack `cdk deploy` creates unless `-c stackName=…` says otherwise (as in bin/app.ts). */
export const DEFAULT_STACK_NAME = 'DocSpaceBackupMonitor';

/** The stack output naming the state table (lib/docspace-backup-monitor-stack.ts). */
export const STATE_TABLE_OUTPUT = 'StateTableName';

/** The options every `silence` and `ack` subcommand takes to say where. */
export const TARGET_OPTIONS = {
  state: { type: 'string' },
  table: { type: 'string' },
  stack: { type: 'string' },
} as const;

/** Help text for {@link TARGET_OPTIONS}. */
export const TARGET_HELP = `Where (one of; default: --stack ${DEFAULT_STACK_NAME}):
  --state FILE        the CLI's state file (check --state FILE); the change is made as $USER
  --table NAME        the deployed state table (stack output ${STATE_TABLE_OUTPUT})
  --stack NAME        the deployed stack, whose ${STATE_TABLE_OUTPUT} output names the table
                      (AWS credentials and region from the usual AWS SDK sources; the change is
                      made as the caller's AWS identity, from STS GetCallerIdentity)`;

/** Where the change goes, and who makes it. */
export interface SilenceTarget {
  readonly store: SilenceStore & { readonly where: string };
  /** Who makes the change: the AWS identity's ARN, or the local user name. */
  readonly actor: string;
  /** Lets go of the store's connections. */
  close(): void;
}

/** What the user gave for where. */
export interface TargetValues {
  readonly state?: string;
  readonly table?: string;
  readonly stack?: string;
}

/** A refused command line: the message says which option and what is allowed. */
export class SilenceUsageError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'SilenceUsageError';
  }
}

/** The local user, for a change to the state file: `$USER`, else the OS account name. */
export function localUser(): string {
  const fromEnv = process.env.USER ?? process.env.USERNAME;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return fromEnv.trim();
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Resolves where the change goes and who makes it.
 *
 * @throws SilenceUsageError when more than one of --state, --table, --stack is given, or one is blank
 * @throws SilenceError when the stack or its output is not found, or the caller's identity cannot be read
 */
export async function resolveTarget(values: TargetValues): Promise<SilenceTarget> {
  const given = (['state', 'table', 'stack'] as const).filter((name) => values[name] !== undefined);
  if (given.length > 1) throw new SilenceUsageError(`give one of --state, --table and --stack, not ${given.map((name) => `--${name}`).join(' and ')}`);
  for (const name of given) if (values[name]!.trim() === '') throw new SilenceUsageError(`--${name} must not be empty`);
  if (values.state !== undefined) return { store: new JsonFileSilenceStore({ file: values.state }), actor: localUser(), close: () => undefined };

  const tableName = values.table ?? (await stateTableOf(values.stack ?? DEFAULT_STACK_NAME));
  const actor = await callerIdentity();
  const client = new DynamoDBClient({ maxAttempts: 4 });
  return { store: new DynamoDbSilenceStore({ tableName, client }), actor, close: () => client.destroy() };
}

/** The state table named by the stack's {@link STATE_TABLE_OUTPUT} output. */
async function stateTableOf(stackName: string): Promise<string> {
  if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(stackName))
    throw new SilenceUsageError(`--stack must be a CloudFormation stack name (letters, digits, "-"; starting with a letter), got ${JSON.stringify(stackName.slice(0, 130))}`);
  const client = new CloudFormationClient({ maxAttempts: 4 });
  try {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    const table = Stacks?.[0]?.Outputs?.find((output) => output.OutputKey === STATE_TABLE_OUTPUT)?.OutputValue;
    if (table === undefined || table === '')
      throw new SilenceError(`stack ${stackName} has no ${STATE_TABLE_OUTPUT} output: is it a DocSpace backup monitor? Name the table with --table`);
    return table;
  } catch (error) {
    if (error instanceof SilenceError) throw error;
    const code = awsErrorCode(error);
    const hint = code === 'ValidationError' ? ` (no stack ${stackName} in this account and region? name it with --stack, or the table with --table)` : '';
    throw new SilenceError(`could not read the outputs of stack ${stackName} (CloudFormation DescribeStacks): ${code}${hint}`, { cause: error });
  } finally {
    client.destroy();
  }
}

/** The caller's AWS identity (its ARN), recorded as the author of the change. */
async function callerIdentity(): Promise<string> {
  const client = new STSClient({ maxAttempts: 4 });
  try {
    const { Arn } = await client.send(new GetCallerIdentityCommand({}));
    if (Arn === undefined || Arn === '') throw new SilenceError('STS GetCallerIdentity named no ARN');
    return Arn;
  } catch (error) {
    if (error instanceof SilenceError) throw error;
    throw new SilenceError(`could not tell who you are (STS GetCallerIdentity: ${awsErrorCode(error)}): every change records who made it; check your AWS credentials`, {
      cause: error,
    });
  } finally {
    client.destroy();
  }
}
