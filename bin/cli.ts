/**
 * The `docspace-backup-monitor` command: args -> loadConfig -> runCheck -> report -> exit code.
 * Exit codes follow the monitoring-plugins convention: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
 */
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { ConsoleNotifier } from '../functions/check/alerts/console-notifier.ts';
import type { Notifier } from '../functions/check/alerts/notifier.ts';
import { SnsNotifier } from '../functions/check/alerts/sns-notifier.ts';
import { createKeyReader } from '../functions/check/api-keys/composite-key-reader.ts';
import { startRunStop, type StopReason } from '../functions/check/cli/run-stop.ts';
import { DEFAULT_CONFIG_PATH, loadConfig } from '../functions/check/config.ts';
import { DocSpaceClient } from '../functions/check/docspace/client.ts';
import { ConfigError } from '../functions/check/errors.ts';
import { acquireFileLock, StateLockError, type FileLock } from '../functions/check/state/file-lock.ts';
import { JsonFileStateStore } from '../functions/check/state/json-file-state-store.ts';
import { JsonFileSilenceStore } from '../functions/check/silences/json-file-silence-store.ts';
import { ExitCode, exitCodeOf, reportToJson, reportToText } from '../functions/check/report/report.ts';
import { runCheck, selectPortals } from '../functions/check/run-check.ts';
import { archiveRun } from '../functions/check/archive/archive-run.ts';
import { FolderReportArchive } from '../functions/check/archive/folder-report-archive.ts';
import { ReportArchiveError } from '../functions/check/archive/report-archive.ts';
import { report } from './report-command.ts';
import { UsageError } from './usage-error.ts';

/** The run's time limit unless --timeout says otherwise. */
const DEFAULT_TIMEOUT = '120s';
const MIN_TIMEOUT_MS = 45_000;
const MAX_TIMEOUT_MS = 60 * 60_000;
import { finishHeartbeat, heartbeatOption } from '../functions/check/heartbeat/cli-heartbeat.ts';
import type { Heartbeat } from '../functions/check/heartbeat/heartbeat.ts';

const HELP = `Usage: docspace-backup-monitor check [options]
       docspace-backup-monitor report --from DAY --to DAY (--bucket NAME | --archive DIR) [options]
       (report --help for its options)
       docspace-backup-monitor silence add|list|expire …   (see silence --help)
       docspace-backup-monitor ack --portal NAME --reason TEXT   (see ack --help)

Checks that ONLYOFFICE DocSpace portals are really being backed up: reads each portal's
backup schedule, last backup task and backup history, and judges them against the policy
in the config file.

Options:
  --config FILE       the config file (default: ${DEFAULT_CONFIG_PATH}); see docs/CONFIG.md
  --portal NAME       check only this portal; repeat for several (default: all)
  --json              print the report as JSON on stdout, and nothing else there
  --now ISO-8601      judge as of this instant, e.g. 2026-03-02T09:00:00Z (default: now)
  --publish ARN       publish an alert per portal that is not OK to this SNS topic
                      (AWS credentials and region from the usual AWS SDK sources)
  --show-alerts       print the alerts that would be sent (to stderr with --json)
  --state FILE        remember verdicts between runs in this JSON file: alert on changes,
                      remind at the configured interval, send "resolved" notices
                      (default: no state; every portal that is not OK is alerted each run;
                      without --publish or --show-alerts the file is only read). A run that
                      writes it holds FILE.lock; another such run on the same file refuses
                      to start (exit 3) until it ends. The silences and acknowledgements
                      of "silence add --state FILE" and "ack --state FILE" in it hold back alerts
  --timeout DURATION  the run's time limit, e.g. 90s or 5m (default: ${DEFAULT_TIMEOUT}; 45s-60m): checks
                      stop 30 s before it to leave time for alerts; with --state, alerts stop
                      15 s before it, so that none is remembered as sent without being sent
  --concurrency N     portals checked at once (default: config "concurrency", else 10)
  --archive DIR       keep the run's JSON report in DIR, partitioned by day
                      (DIR/reports/year=…/month=…/day=…/…json), as evidence for
                      the report command; a report that cannot be kept fails the run
  --heartbeat URL     ping a Healthchecks.io-style URL: URL/start when the check begins, URL
                      when it completes with every alert delivered, URL/fail when it fails
                      (a failed ping is a warning on stderr, never the exit code)
  -h, --help          show this help
  --version           print the version (docspace-backup-monitor --version)

API keys come from SSM Parameter Store ({"ssmParameter": …}, needs AWS credentials) or
from an environment variable ({"env": …}).

Exit codes (monitoring-plugins convention, for cron, Nagios, Icinga):
  0 OK        every portal is backed up as the policy expects
  1 WARNING   a portal drifted from the policy, or a check failed transiently
  2 CRITICAL  a portal's backups are missing, overdue or failing
  3 UNKNOWN   a portal could not be evaluated (key rejected, unpaid, unreachable:
              see its CHECK_FAILED finding), the config or the usage is wrong,
              an alert could not be delivered, the --state file could not
              be read or written or is in use by another run, or the run was
              stopped by SIGINT or SIGTERM
  CRITICAL wins over UNKNOWN, which wins over WARNING (a stopped run is always 3).

SIGINT and SIGTERM stop the run within seconds: checks and alerts in flight are aborted,
alerts not sent are not remembered as sent (the next run sends them), the state is written,
and the run exits 3. A second signal exits at once.`;


function parseNow(text: string | undefined): Date {
  if (text === undefined) return new Date();
  const now = new Date(text);
  // An instant needs its offset (without one, Date takes the host's zone), and Date rolls
  // 2026-02-30 over to 2026-03-02: both are refused rather than judged at another instant.
  const [, year, month, day] = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i.exec(text) ?? [];
  const calendarDay = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (year === undefined || calendarDay.getUTCMonth() !== Number(month) - 1 || calendarDay.getUTCDate() !== Number(day) || Number.isNaN(now.getTime()))
    throw new UsageError(`--now must be an ISO-8601 instant such as 2026-03-02T09:00:00Z, got ${JSON.stringify(text)}`);
  return now;
}

function parseConcurrency(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 200) throw new UsageError(`--concurrency must be a whole number 1-200, got ${JSON.stringify(text)}`);
  return value;
}

function parseTimeout(text: string): number {
  const match = /^(\d{1,7})(s|m)?$/.exec(text);
  const ms = match === null ? Number.NaN : Number(match[1]) * (match[2] === 'm' ? 60_000 : 1000);
  if (!(ms >= MIN_TIMEOUT_MS && ms <= MAX_TIMEOUT_MS))
    throw new UsageError(`--timeout must be a duration of 45s to 60m such as 120s or 5m (seconds when no unit is given), got ${JSON.stringify(text)}`);
  return ms;
}

function stopLine(reason: StopReason): string {
  return reason === 'time limit'
    ? "warning: the run's time limit (--timeout) is up: stopping the checks and alerts still in flight"
    : `stopping: ${reason} received; aborting the checks and alerts in flight (a second signal exits at once)`;
}

/**
 * The state file's lock. A lock that cannot be created at all (the directory is missing or not
 * writable) does not stop the alerts: the state cannot be written there either, so the run goes
 * on and fails for its state, as without a lock.
 */
async function lockState(stateFile: string): Promise<FileLock | undefined> {
  try {
    return await acquireFileLock(stateFile);
  } catch (error) {
    if (!(error instanceof StateLockError) || error.inUse) throw error;
    console.error(`warning: ${error.message}; going on without it`);
    return undefined;
  }
}

function parseTopicArn(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/.test(text))
    throw new UsageError(`--publish must be an SNS topic ARN such as arn:aws:sns:eu-central-1:123456789012:docspace-alerts, got ${JSON.stringify(text)}`);
  return text;
}

function notifierFor(topicArn: string | undefined, shown: Writable | undefined): Notifier | undefined {
  const notifiers: Notifier[] = [];
  if (shown) notifiers.push(new ConsoleNotifier(shown));
  if (topicArn) notifiers.push(new SnsNotifier({ topicArn, clientConfig: { region: topicArn.split(':')[3] } }));
  if (notifiers.length <= 1) return notifiers[0];
  return { send: async (alert, verdict, signal) => { for (const notifier of notifiers) await notifier.send(alert, verdict, signal); } };
}

async function check(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string' },
      portal: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
      now: { type: 'string' },
      publish: { type: 'string' },
      'show-alerts': { type: 'boolean', default: false },
      state: { type: 'string' },
      concurrency: { type: 'string' },
      timeout: { type: 'string', default: DEFAULT_TIMEOUT },
      archive: { type: 'string' },
      heartbeat: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    console.log(HELP);
    return ExitCode.OK;
  }
  const now = parseNow(values.now);
  const concurrency = parseConcurrency(values.concurrency);
  const topicArn = parseTopicArn(values.publish);
  const timeoutMs = parseTimeout(values.timeout);
  const started = Date.now();
  const heartbeat = (activeHeartbeat = heartbeatOption(values.heartbeat, (problem) => new UsageError(`--heartbeat ${problem}`)));
  await heartbeat?.start();
  const config = await loadConfig(values.config ?? DEFAULT_CONFIG_PATH);
  try {
    selectPortals(config, values.portal);
  } catch (error) {
    throw new UsageError(`--portal: ${(error as Error).message}`);
  }

  // With --json, stdout holds the report alone, so shown alerts go to stderr as they happen;
  // otherwise they are collected and printed after the table. The collector keeps every chunk
  // (a PassThrough nobody reads stops acknowledging writes past 16 KiB, and the run hangs).
  const collected: string[] = [];
  const collector = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      collected.push(chunk.toString('utf8'));
      callback();
    },
  });
  const shownAlerts = values['show-alerts'] ? (values.json ? process.stderr : collector) : undefined;
  const notifier = notifierFor(topicArn, shownAlerts);
  // A run that writes the state holds its lock: two such runs would each write the whole file.
  const lock = values.state !== undefined && notifier !== undefined ? await lockState(values.state) : undefined;
  const releaseLock = () => lock?.releaseSync();
  process.once('exit', releaseLock);
  const stop = startRunStop({ timeoutMs: timeoutMs - (Date.now() - started), onExit: releaseLock, onStop: (reason) => console.error(stopLine(reason)) });
  const docspace = new DocSpaceClient();
  try {
    const run = await runCheck(
      {
        docspace,
        keys: createKeyReader(),
        notifier,
        ...(values.state === undefined ? {} : { state: new JsonFileStateStore({ file: values.state }), silences: new JsonFileSilenceStore({ file: values.state }) }),
      },
      config,
      { now, portals: values.portal, concurrency, remainingTimeMs: () => started + timeoutMs - Date.now(), signal: stop.signal },
    );
    // Every claim and release is written by now: the next run may start.
    stop.dispose();
    releaseLock();
    if (values.json) process.stdout.write(`${JSON.stringify(reportToJson(run), null, 2)}\n`);
    else console.log(reportToText(run, topicArn !== undefined));
    if (shownAlerts === collector) {
      const text = collected.join('');
      console.log(text === '' ? '\nNo alerts in this run.' : `\nAlerts ${topicArn ? 'published' : 'that would be sent'}, one per portal with news:\n\n${text}`);
    }
    const redact = (text: string) => run.redactor?.redact(text) ?? text;
    for (const failure of [...run.publishFailures, ...run.stateFailures]) console.error(`error: ${redact(failure.message)}`);
    // The evidence is kept after the alerts went out; a report that cannot be kept fails the run.
    let archiveFailure: Error | undefined;
    if (values.archive !== undefined) {
      try {
        await archiveRun(new FolderReportArchive(values.archive), run);
      } catch (error) {
        archiveFailure = error as Error;
        console.error(`error: ${redact(archiveFailure.message)}`);
      }
    }
    // The table lists expired silences itself; with --json, say it where a person reads.
    if (values.json)
      for (const silence of run.expiredSilences)
        console.error(redact(`warning: the silence of ${silence.portal} (${silence.reason}) expired at ${silence.until}; remove it from the config`));
    await finishHeartbeat(heartbeat, { run, ...(archiveFailure === undefined ? {} : { error: archiveFailure }) });
    activeHeartbeat = undefined;
    if (stop.interrupted) {
      console.error(`error: stopped by ${stop.reason}: alerts not sent were not remembered as sent; the next run sends them`);
      return ExitCode.UNKNOWN;
    }
    const exitCode = exitCodeOf(run);
    return archiveFailure !== undefined && exitCode !== ExitCode.CRITICAL ? ExitCode.UNKNOWN : exitCode;
  } finally {
    stop.dispose();
    releaseLock();
    process.off('exit', releaseLock);
    await docspace.close();
  }
}

/** The package's version: package.json is one folder up from bin/cli.ts and from the compiled dist/cli.mjs. */
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** The heartbeat of the run in progress, pinged `/fail` when the run throws. */
let activeHeartbeat: Heartbeat | undefined;

/** Runs the CLI with these arguments and resolves to its exit code; never throws. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === '--version' || command === '-v') {
      console.log(packageVersion());
      return ExitCode.OK;
    }
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      console.log(HELP);
      return command === undefined ? ExitCode.UNKNOWN : ExitCode.OK;
    }
    if (command === 'report') return await report(rest, new Date());
    // Loaded on demand: `check` does not pay for the STS and CloudFormation clients.
    if (command === 'silence') return await (await import('./commands/silence.ts')).silenceCommand(rest);
    if (command === 'ack') return await (await import('./commands/ack.ts')).ackCommand(rest);
    if (command !== 'check') throw new UsageError(`unknown command ${JSON.stringify(command)}; the commands are "check", "report", "silence" and "ack"`);
    return await check(rest);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof UsageError || error instanceof StateLockError || error instanceof ReportArchiveError) console.error(`error: ${error.message}`);
    else if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) console.error(`error: ${(error as Error).message} (see --help)`);
    else console.error(`error: ${(error as Error).name}: ${(error as Error).message}`);
    await finishHeartbeat(activeHeartbeat, { error });
    return ExitCode.UNKNOWN;
  }
}

process.exitCode = await main(process.argv.slice(2));
