/**
 * The DocSpace backup monitor as one construct: a scheduled Lambda that checks every configured
 * portal, a table that remembers each portal's last verdict, an encrypted alert topic with the
 * configured subscriptions, an optional weekly digest, and alarms on itself.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Annotations, ArnFormat, CfnResource, Duration, Lazy, RemovalPolicy, Stack, Stage, TimeZone } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { z } from 'zod';
import { DEFAULT_ARCHIVE_RETENTION_DAYS, DEFAULT_CHECK_CRON, DEFAULT_CHECK_TIME_ZONE, parseConfig, type MonitorConfig, type MonitorConfigSchema } from '../functions/check/config.ts';
import { STATE_TABLE_ACTIONS, STATE_TABLE_PARTITION_KEY } from '../functions/check/state/state-table.ts';
import { maxHoursWithoutRun } from './check-interval.ts';
import { deployProblems, MAX_HOURS_WITHOUT_RUN } from './deploy-problems.ts';
import {
  CONFIG_DEFINE,
  CONFIG_INJECTED_NAME,
  DEFAULT_DIGEST_TIME_ZONE,
  DIGEST_ACTION,
  MONTHLY_REPORT_ACTION,
  FunctionEnv,
  METRICS_NAMESPACE,
  SERVICE_NAME,
} from './constants.ts';
import { writeConfigModule } from './deployed-config-module.ts';
import { acknowledgeNagFindings } from './nag-acknowledgements.ts';
import { addSubscriptions, grantPublishAlerts, newTopic, newTopicKey } from './alert-topic.ts';
import { apiKeyPathProblems, grantReadApiKeys } from './api-key-grants.ts';
import { ReportArchiveBucket } from './report-archive-bucket.ts';
import { SelfAlarms } from './self-alarms.ts';
import { MonitorDashboard } from './dashboard.ts';
import { DeliveryPath } from './delivery-path.ts';
import { grantReadHeartbeatUrl } from './heartbeat-grant.ts';

/**
 * The folder holding this package's package.json: the repository, or the installed package in
 * an app's node_modules. This file runs from lib/ (TypeScript, in the repository) or from
 * dist/lib/ (compiled, in the package), so the root is found by looking up, not by a fixed `..`.
 */
export function packageRootOf(moduleUrl: string): string {
  let folder = dirname(fileURLToPath(moduleUrl));
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`no package.json above ${fileURLToPath(moduleUrl)}`);
    folder = parent;
  }
  return folder;
}

const PROJECT_ROOT = packageRootOf(import.meta.url);
/** The function's source, shipped with the package and bundled at synth. */
const HANDLER_ENTRY = join(PROJECT_ROOT, 'functions', 'check', 'handler.ts');

/** The Node.js module the bundle takes through {@link NODE_HTTP_SHIM}. */
export const NODE_HTTP = 'node:http';

/** Gives the bundle `node:http` by `require` (see the file for why). */
export const NODE_HTTP_SHIM = join(PROJECT_ROOT, 'functions', 'check', 'lambda', 'node-http.cjs');

/** Gives bundled CommonJS code a `require` inside the ESM bundle. */
const ESM_REQUIRE_BANNER = "import { createRequire as __monitorCreateRequire } from 'node:module'; const require = __monitorCreateRequire(import.meta.url);";

/** How long a dead-letter queue keeps a failed run: the SQS maximum, so nobody loses one over a holiday. */
const DEAD_LETTER_RETENTION = Duration.days(14);

/** When the monthly compliance report is sent: the 1st of each month, 08:00 UTC. */
const MONTHLY_REPORT_CRON = '0 8 1 * ? *';
/** How long EventBridge Scheduler keeps retrying to start a run before it goes to its dead-letter queue. */
export const SCHEDULE_MAX_EVENT_AGE = Duration.hours(1);
/** How often EventBridge Scheduler retries to start a run (throttling, the function being updated). */
export const SCHEDULE_RETRY_ATTEMPTS = 10;

/** A prop or a config value the construct cannot deploy; the message says what to change. */
export class MonitorPropsError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'MonitorPropsError';
  }
}

/**
 * A monitor config as written in `monitor.config.json` (docs/CONFIG.md): the plain object the
 * `config` prop takes.
 */
export type MonitorConfigInput = z.input<typeof MonitorConfigSchema>;

/** Properties of {@link DocSpaceBackupMonitor}. */
export interface DocSpaceBackupMonitorProps {
  /**
   * The monitor config (docs/CONFIG.md): a plain object as in `monitor.config.json`, or what
   * `loadConfig` returned. The construct validates it with the CLI's schema and messages (a
   * `ConfigError` listing every problem by path). It is inlined into the function's code when
   * it is bundled, so it is fixed at deploy time: change it and deploy again.
   */
  readonly config: MonitorConfigInput | MonitorConfig;

  /**
   * The topic alerts and the self-alarms publish to. An existing topic must let CloudWatch
   * publish to it (and, if encrypted, use its key) for the self-alarms to be delivered.
   *
   * @default - a new topic encrypted with a new KMS key
   */
  readonly alertTopic?: sns.ITopic;

  /**
   * The DynamoDB table that keeps each portal's last verdict between runs (what was notified,
   * and when), so that a run alerts on a change, reminds at an interval and says "resolved". Its
   * partition key must be `portal`, a string, with no sort key. The function may only
   * `BatchGetItem`, `PutItem` and `DeleteItem` on it. If it is encrypted with a customer-managed
   * key, that key's policy must let the function use it through DynamoDB: nothing is granted on it.
   *
   * @default - a new table: on-demand, point-in-time recovery, encrypted with an AWS-owned key,
   * retained when the stack is deleted
   */
  readonly stateTable?: dynamodb.ITable;

  /**
   * How long one run may take. A portal is checked with four parallel requests, each bounded
   * by a 20 s deadline over all its attempts and waits, so a portal that hangs costs about 20 s,
   * and `concurrency` portals are checked at once: 10 minutes covers about 28 rounds of hanging
   * portals (280 at the default concurrency of 10), while a healthy portal answers in about a
   * second. Near the end the run stops checking and publishes what it knows (30 s reserve); a
   * timed-out run raises the errors alarm.
   *
   * @default Duration.minutes(10)
   */
  readonly timeout?: Duration;

  /**
   * Memory of the function in MB (Lambda also scales CPU with it). The check is I/O-bound; on
   * arm64, 512 MB keeps cold start and JSON parsing quick at a cost of cents per month.
   *
   * @default 512
   */
  readonly memorySize?: number;

  /**
   * How often Lambda retries a failed asynchronous run (0-2) before the event goes to the
   * dead-letter queue. A retry checks every portal again and can repeat alerts.
   *
   * @default 1
   */
  readonly retryAttempts?: number;

  /**
   * How long the function's log group keeps log lines. Only for the log group the construct
   * creates: with `logGroup`, set the retention on that group.
   *
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * An existing log group for the function's JSON log lines; the function is granted to write
   * to it.
   *
   * @default - a new log group, kept when the stack is deleted, with `logRetention`
   */
  readonly logGroup?: logs.ILogGroup;

  /**
   * How long the function may go without being invoked before the "did not run" alarm fires;
   * whole hours, at most 7 days (the CloudWatch evaluation limit).
   *
   * A digest run is an invocation too: two digest runs must be more than this far apart (synth
   * fails otherwise), and a check that stops is then reported at most this much later when a
   * digest ran in between.
   *
   * @default - the longest gap between two runs of `checkSchedule.cron`, plus one hour, plus one
   * more hour in a time zone with daylight saving time (25 hours for the default daily UTC run);
   * a cron that runs less often than every 6 days, or uses `L`, `W` or `#`, then fails synth
   */
  readonly maxTimeWithoutRun?: Duration;

  /**
   * An SSM path (such as `/docspace/`) under which every portal's `ssmParameter` lies: the
   * function may then read every parameter under it, granted as one ARN. By default each
   * parameter is granted by its own ARN, and a role holds about 650 of those within IAM's default
   * quota of 10 managed policies a role (docs/PERFORMANCE.md). Set a path for larger fleets, and
   * keep nothing but the monitor's API keys under it. A portal whose parameter lies elsewhere
   * fails synth.
   *
   * @default - each configured parameter, by its own ARN
   */
  readonly apiKeyParameterPath?: string;
}

/**
 * Checks DocSpace portals' backups on a schedule and alerts by e-mail and SMS.
 *
 * Builds: the check function (Node.js 24, arm64, config inlined), its log group, an EventBridge
 * Scheduler schedule (and one for the digest when `config.digest` is set), the state table, two
 * encrypted dead-letter queues, the alert topic (KMS-encrypted, TLS only) with the configured
 * subscriptions, least-privilege permissions and {@link SelfAlarms}.
 *
 * Every notice carries the message attributes `severity` and `state` (`firing`, `reminder`,
 * `resolved`). E-mail subscriptions are not filtered: they get every notice, the digest, the test
 * alert and the self-alarms. SMS subscriptions get `firing` and `reminder` notices (and
 * `resolved` with `notifications.smsResolved`) of `alerts.smsMinSeverity` or worse.
 *
 * @example
 * const config = await loadConfig('monitor.config.json');
 * new DocSpaceBackupMonitor(stack, 'Monitor', { config });
 */
export class DocSpaceBackupMonitor extends Construct {
  /** The check function. */
  public readonly function: NodejsFunction;
  /** The function's log group (JSON lines): `logGroup`, or a new one. */
  public readonly logGroup: logs.ILogGroup;
  /** The topic alerts and self-alarms are published to. */
  public readonly topic: sns.ITopic;
  /** The key encrypting the topic; `undefined` when `alertTopic` was given. */
  public readonly topicKey?: kms.Key;
  /** The schedule that starts a run. */
  public readonly schedule: scheduler.Schedule;
  /** The schedule that asks for the digest; `undefined` when `config.digest` is not set. */
  public readonly digestSchedule?: scheduler.Schedule;
  /** The bucket every run's report is archived in (the evidence `report` reads). */
  public readonly reportBucket: s3.Bucket;
  /** The schedule that asks for the monthly compliance report; `undefined` unless `config.archive.monthlyReport`. */
  public readonly monthlyReportSchedule?: scheduler.Schedule;
  /** The table that keeps each portal's last verdict between runs (`stateTable`, or a new one). */
  public readonly stateTable: dynamodb.ITable;
  /** Failed asynchronous runs, after Lambda's retries (the on-failure destination). */
  public readonly deadLetterQueue: sqs.Queue;
  /** Runs EventBridge Scheduler could not deliver to the function. */
  public readonly scheduleDeadLetterQueue: sqs.Queue;
  /** The alarms on the monitor itself. */
  public readonly selfAlarms: SelfAlarms;
  /** The alarms on the alert topic, the SMS delivery status role and the delivery-path reads. */
  public readonly deliveryPath: DeliveryPath;
  /** The CloudWatch dashboard. */
  public readonly dashboard: MonitorDashboard;
  /** The SSM path the function may read every parameter under; `undefined`: each parameter by its ARN. */
  public readonly apiKeyParameterPath?: string;

  public constructor(scope: Construct, id: string, props: DocSpaceBackupMonitorProps) {
    super(scope, id);
    const config = parseConfig(props.config, `(the config prop of ${this.node.path})`);
    const timeout = props.timeout ?? Duration.minutes(10);
    const memorySize = props.memorySize ?? 512;
    const retryAttempts = props.retryAttempts ?? 1;
    const logRetention = props.logRetention ?? logs.RetentionDays.THREE_MONTHS;
    const cron = config.checkSchedule?.cron ?? DEFAULT_CHECK_CRON;
    const timeZone = config.checkSchedule?.timeZone ?? DEFAULT_CHECK_TIME_ZONE;
    const problems = deployProblems(config, props.maxTimeWithoutRun);
    if (problems.length > 0) {
      throw new MonitorPropsError(`config cannot be deployed:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    }
    // deployProblems has checked that the schedule's rhythm can be derived.
    const maxTimeWithoutRun = props.maxTimeWithoutRun ?? Duration.hours(maxHoursWithoutRun(cron, timeZone) ?? MAX_HOURS_WITHOUT_RUN);
    validateProps({ timeout, memorySize, retryAttempts, maxTimeWithoutRun });
    if (props.logGroup && props.logRetention !== undefined)
      throw new MonitorPropsError('logRetention applies only to the log group the construct creates: with logGroup, set the retention on that group');
    const pathProblems = props.apiKeyParameterPath === undefined ? [] : apiKeyPathProblems(props.apiKeyParameterPath, config);
    if (pathProblems.length > 0) throw new MonitorPropsError(`apiKeyParameterPath cannot be used:\n${pathProblems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.apiKeyParameterPath = props.apiKeyParameterPath;
    assertLocalEsbuild();

    if (props.alertTopic) {
      this.topic = props.alertTopic;
    } else {
      this.topicKey = newTopicKey(this);
      this.topic = newTopic(this, this.topicKey);
    }
    addSubscriptions(this.topic, config);

    this.stateTable = props.stateTable ?? newStateTable(this);
    const archive = new ReportArchiveBucket(this, 'ReportArchive', {
      retention: Duration.days(config.archive?.retentionDays ?? DEFAULT_ARCHIVE_RETENTION_DAYS),
      ...(config.archive?.objectLockDays === undefined ? {} : { objectLockRetention: Duration.days(config.archive.objectLockDays) }),
    });
    this.reportBucket = archive.bucket;

    this.logGroup = props.logGroup ?? new logs.LogGroup(this, 'LogGroup', { retention: logRetention });

    const deadLetterQueue = (queueId: string) =>
      new sqs.Queue(this, queueId, {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: DEAD_LETTER_RETENTION,
      });
    this.deadLetterQueue = deadLetterQueue('DeadLetterQueue');
    this.scheduleDeadLetterQueue = deadLetterQueue('ScheduleDeadLetterQueue');

    const role = new iam.Role(this, 'FunctionRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'DocSpace backup monitor: read the portals\' API keys, keep their state, publish alerts, write its own logs',
    });
    this.function = new NodejsFunction(this, 'Function', {
      description: 'Checks that ONLYOFFICE DocSpace portals are being backed up',
      entry: HANDLER_ENTRY,
      handler: 'handler',
      // The package's own folder and files, also when it is installed in an app's node_modules
      // (where no lock file ships): esbuild runs there (`npx --no-install esbuild`, which finds
      // the package's esbuild) and resolves the handler's imports from there. package.json
      // stands in for the lock file, which only picks the package manager (npm).
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package.json'),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      timeout,
      memorySize,
      role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      environment: {
        [FunctionEnv.ALERT_TOPIC_ARN]: this.topic.topicArn,
        [FunctionEnv.STATE_TABLE_NAME]: this.stateTable.tableName,
        [FunctionEnv.REPORT_BUCKET_NAME]: this.reportBucket.bucketName,
        [FunctionEnv.POWERTOOLS_SERVICE_NAME]: SERVICE_NAME,
        [FunctionEnv.POWERTOOLS_METRICS_NAMESPACE]: METRICS_NAMESPACE,
      },
      retryAttempts,
      onFailure: sendOnlyQueueDestination(this.deadLetterQueue),
      bundling: {
        // ESM, written as index.mjs: ESM wherever it runs (Lambda, or a test loading it from
        // cdk.out inside this "type": "module" package). Bundled CommonJS dependencies (undici)
        // call require() for Node built-ins, which ESM lacks: the banner provides it.
        format: OutputFormat.ESM,
        banner: ESM_REQUIRE_BANNER,
        target: 'node24',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: false,
        // The SDK clients go into the bundle, tree-shaken to the commands the check sends: the
        // function runs the SDK version the tests ran, and loads in about half the time, with
        // less memory, than with the runtime's whole clients (docs/PERFORMANCE.md).
        bundleAwsSDK: true,
        // The SDK imports node:http as ESM, which on Node 22+ loads Node's built-in undici:
        // functions/check/lambda/node-http.cjs says why and requires it instead.
        esbuildArgs: { [`--alias:${NODE_HTTP}`]: NODE_HTTP_SHIM },
        // The config becomes a string literal in the code: fixed at deploy time, and not bound
        // by the 4 KB environment-variable limit. It comes in through an injected module, so
        // esbuild's command line stays short for any number of portals.
        define: { [CONFIG_DEFINE]: CONFIG_INJECTED_NAME },
        inject: [writeConfigModule(assemblyFolder(this), JSON.stringify(config))],
      },
    });
    grantReadApiKeys(role, config, props.apiKeyParameterPath);
    grantKeepState(role, this.stateTable);
    archive.grantWriteReports(role);
    if (config.archive?.monthlyReport === true) archive.grantReadReports(role);
    grantPublishAlerts(role, this.topic);
    grantSendFailedRuns(role, this.deadLetterQueue);
    this.logGroup.grantWrite(role);
    dependOnRolePoliciesOnly(this.function, role);

    const stack = Stack.of(this);
    // Our own role (not the stack-level one LambdaInvoke would create), so the construct keeps
    // everything it needs inside itself; only the default schedule group may assume it.
    const scheduleRole = new iam.Role(this, 'ScheduleRole', {
      description: 'DocSpace backup monitor: lets EventBridge Scheduler start the check',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': stack.formatArn({ service: 'scheduler', resource: 'schedule-group', resourceName: 'default', arnFormat: ArnFormat.SLASH_RESOURCE_NAME }),
          },
        },
      }),
    });
    // Both schedules share the role, the dead-letter queue and the retry policy.
    const invokeFunction = (input: Record<string, string>) =>
      new LambdaInvoke(this.function, {
        role: scheduleRole,
        input: scheduler.ScheduleTargetInput.fromObject(input),
        deadLetterQueue: this.scheduleDeadLetterQueue,
        maxEventAge: SCHEDULE_MAX_EVENT_AGE,
        retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
      });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'Starts the DocSpace backup monitor',
      schedule: scheduler.ScheduleExpression.expression(`cron(${cron})`, TimeZone.of(timeZone)),
      timeWindow: scheduler.TimeWindow.off(),
      target: invokeFunction({ scheduledTime: scheduler.ContextAttribute.scheduledTime }),
    });
    if (config.digest) {
      // deployProblems has checked that digests are further apart than the "did not run" alarm's
      // window: a digest invocation delays that alarm by at most one window, never forever.
      this.digestSchedule = new scheduler.Schedule(this, 'DigestSchedule', {
        description: 'Asks the DocSpace backup monitor for the digest of every portal\'s status',
        schedule: scheduler.ScheduleExpression.expression(`cron(${config.digest.cron})`, TimeZone.of(config.digest.timeZone ?? DEFAULT_DIGEST_TIME_ZONE)),
        timeWindow: scheduler.TimeWindow.off(),
        target: invokeFunction({ action: DIGEST_ACTION, scheduledTime: scheduler.ContextAttribute.scheduledTime }),
      });
    }

    if (config.archive?.monthlyReport === true) {
      this.monthlyReportSchedule = new scheduler.Schedule(this, 'MonthlyReportSchedule', {
        description: "Asks the DocSpace backup monitor to e-mail the previous month's compliance report",
        schedule: scheduler.ScheduleExpression.expression(`cron(${MONTHLY_REPORT_CRON})`, TimeZone.ETC_UTC),
        timeWindow: scheduler.TimeWindow.off(),
        target: invokeFunction({ action: MONTHLY_REPORT_ACTION, scheduledTime: scheduler.ContextAttribute.scheduledTime }),
      });
    }

    this.selfAlarms = new SelfAlarms(this, 'SelfAlarms', {
      function: this.function,
      deadLetterQueue: this.deadLetterQueue,
      scheduleDeadLetterQueue: this.scheduleDeadLetterQueue,
      topic: this.topic,
      maxTimeWithoutRun,
    });
    this.deliveryPath = new DeliveryPath(this, 'DeliveryPath', { config, topic: this.topic, functionRole: role });
    grantReadHeartbeatUrl(role, config);
    const { errorsAlarm, missedRunAlarm, deadLetterQueueAlarm, scheduleDeadLetterQueueAlarm } = this.selfAlarms;
    const alarms = [errorsAlarm, missedRunAlarm, deadLetterQueueAlarm, scheduleDeadLetterQueueAlarm, ...this.deliveryPath.alarms];
    this.dashboard = new MonitorDashboard(this, 'Dashboard', { config, topic: this.topic, alarms });

    // A topic passed in may have its own subscribers; a topic built here has only the config's.
    if (!props.alertTopic && (config.alerts?.email ?? []).length === 0) {
      Annotations.of(this).addWarningV2(
        'docspace-backup-monitor:noEmailSubscription',
        'config.alerts.email is empty: nobody receives the self-alarms or the digest (SMS subscriptions get only firing and reminder notices, and resolved ones with notifications.smsResolved); add an address or subscribe to the topic yourself',
      );
    }

    // The construct's own cdk-nag acknowledgements, so that any app checking it with
    // AwsSolutionsChecks gets them (each with its reason, in nag-acknowledgements.ts).
    acknowledgeNagFindings(this);
  }
}

function validateProps(props: { timeout: Duration; memorySize: number; retryAttempts: number; maxTimeWithoutRun: Duration }): void {
  const timeoutSeconds = props.timeout.toSeconds();
  if (timeoutSeconds < 60 || timeoutSeconds > 900) {
    throw new MonitorPropsError(`timeout must be from 1 to 15 minutes, got ${props.timeout.toHumanString()}`);
  }
  if (!Number.isInteger(props.memorySize) || props.memorySize < 128 || props.memorySize > 10_240) {
    throw new MonitorPropsError(`memorySize must be a whole number of MB from 128 to 10240, got ${props.memorySize}`);
  }
  if (!Number.isInteger(props.retryAttempts) || props.retryAttempts < 0 || props.retryAttempts > 2) {
    throw new MonitorPropsError(`retryAttempts must be 0, 1 or 2, got ${props.retryAttempts}`);
  }
  const hours = props.maxTimeWithoutRun.toHours({ integral: false });
  if (!Number.isInteger(hours) || hours < 1 || hours > 168) {
    throw new MonitorPropsError(`maxTimeWithoutRun must be a whole number of hours from 1 to 168 (7 days), got ${props.maxTimeWithoutRun.toHumanString()}`);
  }
}

/**
 * One item per portal, keyed by its name. Retained on stack deletion: it holds what was already
 * notified, and a new stack starting from nothing would repeat every open problem once.
 */
function newStateTable(scope: Construct): dynamodb.Table {
  return new dynamodb.Table(scope, 'StateTable', {
    partitionKey: { name: STATE_TABLE_PARTITION_KEY, type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    // Portal names, statuses and finding codes: the AWS-owned key costs nothing and needs no grant.
    encryption: dynamodb.TableEncryption.DEFAULT,
    removalPolicy: RemovalPolicy.RETAIN,
  });
}

/**
 * Exactly the item actions the state store calls, on exactly the table: no Scan, no Query, no
 * UpdateItem, no index, no table management.
 */
function grantKeepState(role: iam.Role, table: dynamodb.ITable): void {
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'KeepPortalState',
      actions: [...STATE_TABLE_ACTIONS],
      resources: [table.tableArn],
    }),
  );
}

/**
 * The function's on-failure destination, with no grant of its own: `SqsDestination` would grant
 * `sqs:GetQueueAttributes` and `sqs:GetQueueUrl` too, which Lambda does not need to deliver a
 * failed run ({@link grantSendFailedRuns} grants what it does need).
 */
function sendOnlyQueueDestination(queue: sqs.IQueue): lambda.IDestination {
  return { bind: () => ({ destination: queue.queueArn }) };
}

/**
 * CDK makes a function `DependsOn` its whole role construct: the role, which the function's
 * `Role` GetAtt already orders (cfn-lint W3005), and the role's policies, which it must wait for
 * so that its first run has its permissions. Keeps only the policies (the default one and any
 * overflow managed policies CDK adds for a large fleet), read when the template is written.
 */
function dependOnRolePoliciesOnly(fn: lambda.Function, role: iam.Role): void {
  const cfnFunction = fn.node.defaultChild as lambda.CfnFunction;
  const policies = () =>
    role.node
      .findAll()
      .filter((construct): construct is CfnResource => CfnResource.isCfnResource(construct) && construct !== role.node.defaultChild)
      .map((policy) => Stack.of(policy).resolve(policy.logicalId) as string)
      .sort();
  cfnFunction.addOverride('DependsOn', Lazy.list({ produce: policies }));
}

/** Exactly `sqs:SendMessage` on the dead-letter queue: what Lambda calls to deliver a failed run. */
function grantSendFailedRuns(role: iam.Role, queue: sqs.IQueue): void {
  role.addToPolicy(new iam.PolicyStatement({ sid: 'SendFailedRuns', actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
}

/**
 * The cloud assembly folder of the stage the construct is in, where its config module goes; an
 * absolute path, because esbuild runs in the package's folder, not in the app's.
 */
function assemblyFolder(scope: Construct): string {
  const stage = Stage.of(scope);
  if (stage === undefined) throw new MonitorPropsError('DocSpaceBackupMonitor must be created inside a CDK App or Stage');
  return resolve(stage.outdir);
}

/**
 * The function is bundled by the project's esbuild. Without it CDK would bundle in Docker, where
 * the config module and the node:http shim, which esbuild is given by their paths on this
 * machine, do not exist: say so now rather than fail inside a container.
 *
 * @param resolve - finds a package from the project root (a test passes one that fails)
 */
export function assertLocalEsbuild(resolve: (name: string) => string = createRequire(join(PROJECT_ROOT, 'package.json')).resolve): void {
  try {
    resolve('esbuild');
  } catch {
    throw new MonitorPropsError(
      'esbuild is not installed: the function is bundled with the esbuild installed with this package (a dependency), not in Docker. Run `npm ci` (or `npm install`) before `cdk synth` or `cdk deploy`',
    );
  }
}

