/**
 * One check run: for each portal, read its key, fetch the schedule and its evidence, judge,
 * and alert. Every dependency is passed in, so the CLI, the Lambda handler and the tests
 * drive the same engine.
 */
import type { Notifier } from './alerts/notifier.ts';
import { readKeysBefore, type ApiKeyReader, type ApiKeyResult } from './api-keys/api-key-reader.ts';
import { resolvePolicy, DEFAULT_CONCURRENCY, type MonitorConfig, type PortalConfig } from './config.ts';
import type { DocSpaceClient, PortalTarget } from './docspace/client.ts';
import { evidenceNotesOf, historyRecords } from './docspace/evidence-notes.ts';
import type { CronParams } from './docspace/schemas.ts';
import { AlertPublishError } from './errors.ts';
import { silentLogger, type CheckLogger } from './logger.ts';
import { zoneFromSettings } from './policy/time-zone.ts';
import { CheckFailedCause, Status, type Fetched, type PortalZone, type Verdict } from './policy/types.ts';
import { evaluate, overallStatus, type VerdictInput } from './policy/verdict.ts';
import { createLimiter, mapWithConcurrency } from './concurrency.ts';
import { errorName } from './error-name.ts';
import { escalate } from './notify/escalation.ts';
import { notifyPortal, type NotifyContext, type PortalNotification } from './notify/notify-portal.ts';
import { resolveNotifications } from './notify/resolve-notifications.ts';
import { expiredSilences } from './notify/silences.ts';
import type { PortalMemory, StateStore } from './notify/types.ts';
import { asStateStoreError, StateOperation, type StateStoreError } from './state/errors.ts';
import { Redactor } from './redaction/redactor.ts';
import { redactingLogger, redactingNotifier } from './redaction/redacting-outputs.ts';
import { loadSilences } from './silences/load-silences.ts';
import type { SilenceReader } from './silences/types.ts';

/** What a check run talks to. */
export interface CheckDependencies {
  readonly docspace: Pick<DocSpaceClient, 'getSchedule' | 'getProgress' | 'getHistory' | 'getSettings'>;
  readonly keys: ApiKeyReader;
  /** Where alerts go; without one, nothing is sent. */
  readonly notifier?: Notifier;
  /**
   * Where each portal's last verdict is remembered between runs, for notices on changes,
   * reminders, resolved notices and duplicate suppression.
   *
   * @default - none: every portal that is not OK (and not silenced) is alerted each run
   */
  readonly state?: StateStore;
  /**
   * Where run-time silences are kept (`silence add`), read once per run; those in force mute
   * findings as the config's do.
   *
   * @default - only the config's silences
   */
  readonly silences?: SilenceReader;
  readonly logger?: CheckLogger;
}

/** How one run is done. */
export interface CheckOptions {
  /** The instant the verdict is judged at. */
  readonly now: Date;
  /** Only these portals (by name); all when absent. Names must exist: see {@link selectPortals}. */
  readonly portals?: readonly string[];
  /** How many portals are checked at once. @default config.concurrency ?? 10 */
  readonly concurrency?: number;
  /**
   * How long the run may still take, in ms (Lambda's `context.getRemainingTimeInMillis`). When
   * only `publishReserveMs` is left, the key reads and checks in flight are aborted, no new check
   * starts, the portals whose key was not read are reported as `CHECK_FAILED` /
   * `API_KEY_UNAVAILABLE` and those not checked as `CHECK_FAILED` / `TIMEOUT`, so what is known
   * is still published instead of the run being killed silently.
   *
   * @default - no limit
   */
  readonly remainingTimeMs?: () => number;
  /** Time kept for publishing once checks stop. @default DEFAULT_PUBLISH_RESERVE_MS */
  readonly publishReserveMs?: number;
  /**
   * Stops the run now (the CLI's SIGINT or SIGTERM), as its deadline would, publishing included:
   * the key phase and checks in flight are aborted and no new check starts, alerts in flight are
   * aborted and their claims released, and no further alert is claimed or sent. The run still
   * returns its report, with each alert not sent in `publishFailures`.
   *
   * @default - the run is not stopped from outside
   */
  readonly signal?: AbortSignal;
  /**
   * Names the run, so that a second delivery of it sends nothing: the Scheduler's scheduled
   * time, or the invocation's request id (Lambda keeps it across its retries).
   *
   * @default now.toISOString()
   */
  readonly runKey?: string;
}

/** Time a run keeps for publishing alerts when its deadline approaches: SNS retries included. */
export const DEFAULT_PUBLISH_RESERVE_MS = 30_000;

/**
 * How long before the end of the run's time publishing stops: an alert in flight is aborted and
 * its state released, so that Lambda never kills the run between remembering an alert as sent
 * and sending it (a retry of the run then sends it). It leaves room for a claim that started just
 * before and for the release, each bounded by STATE_WRITE_TIMEOUT_MS (5 s).
 */
export const PUBLISH_STOP_BEFORE_END_MS = 15_000;

/** The outcome of one run. */
export interface CheckRun {
  readonly checkedAt: Date;
  /** The name of the run (see {@link CheckOptions.runKey}): the evidence archive keys reports by it. */
  readonly runKey: string;
  readonly status: Status;
  readonly verdicts: readonly Verdict[];
  /** How many alerts were delivered. */
  readonly alertsSent: number;
  /** Alerts that could not be delivered: the run has failed when this is not empty. */
  readonly publishFailures: readonly AlertPublishError[];
  /** State that could not be read or written: the run has failed when this is not empty. */
  readonly stateFailures: readonly StateStoreError[];
  /** What happened to each portal's notification, by portal name. */
  readonly notifications: ReadonlyMap<string, PortalNotification>;
  /** Silences whose time is over: remove them from the config. */
  readonly expiredSilences: NonNullable<MonitorConfig['silences']>;
  /**
   * Every key read in this run, to redact from whatever is rendered of it (reports, messages);
   * the run's own alerts and log lines are redacted already.
   *
   * @default - none (a run built by hand): nothing is redacted
   */
  readonly redactor?: Redactor;
}

/**
 * The configured portals with these names, in config order.
 *
 * @throws Error naming the unknown names and the known ones
 */
export function selectPortals(config: MonitorConfig, names?: readonly string[]): readonly PortalConfig[] {
  if (!names || names.length === 0) return config.portals;
  const unknown = names.filter((name) => !config.portals.some((portal) => portal.name === name));
  if (unknown.length > 0)
    throw new Error(
      `unknown portal ${unknown.map((name) => JSON.stringify(name)).join(', ')}; configured: ${config.portals.map((p) => p.name).join(', ')}`,
    );
  return config.portals.filter((portal) => names.includes(portal.name));
}

/**
 * Checks every selected portal and sends an alert for each one that is not OK. Never throws
 * for a portal's problem: each becomes a finding. Alerts that cannot be delivered are
 * collected in `publishFailures` after every other portal was handled.
 *
 * @example
 * const run = await runCheck({ docspace: new DocSpaceClient(), keys: createKeyReader() }, config, { now: new Date() });
 * process.exitCode = exitCodeOf(run);
 */
export async function runCheck(deps: CheckDependencies, config: MonitorConfig, options: CheckOptions): Promise<CheckRun> {
  // Every key read goes into the redactor, and every log line and alert of the run through it.
  const redactor = new Redactor();
  const logger = redactingLogger(deps.logger ?? silentLogger, redactor);
  const portals = selectPortals(config, options.portals);
  // With state, checks stop before publishing does, so the alerts of the last checks still go out.
  // The deadline bounds the key phase too: an SSM that never answers costs no more than it.
  const reserveMs = options.publishReserveMs ?? DEFAULT_PUBLISH_RESERVE_MS;
  const deadline = startDeadline(options, deps.state === undefined ? reserveMs : Math.max(reserveMs, PUBLISH_STOP_BEFORE_END_MS + 5_000));
  const publishDeadline = startDeadline(options, PUBLISH_STOP_BEFORE_END_MS);
  const notices: Promise<void>[] = [];
  const notifications = new Map<string, PortalNotification>();
  let verdicts: Verdict[];
  let notify: NotifyContext;
  try {
    // With the deadline passed already no check can start: no key is read either.
    const keys = deadline.signal.aborted
      ? new Map<string, ApiKeyResult>()
      : await readKeysBefore(deps.keys, portals, options.remainingTimeMs === undefined && options.signal === undefined ? undefined : deadline.signal);
    for (const key of keys.values()) if (key.ok) redactor.add(key.key);
    const [memories, silences] = await Promise.all([loadMemories(deps.state, portals, logger), loadSilences(deps.silences, config.silences ?? [], options.now, logger)]);
    notify = {
      notifier: deps.notifier && redactingNotifier(deps.notifier, redactor),
      notifications: resolveNotifications(config.notifications),
      silences: silences.silences,
      runKey: options.runKey ?? options.now.toISOString(),
      now: options.now,
      // Only a run that remembers alerts as sent can lose one to a kill mid-send; a stateless run
      // publishes to the end (a killed run fails, and its retry sends everything again), unless stopped.
      ...((options.remainingTimeMs === undefined || deps.state === undefined) && options.signal === undefined ? {} : { publishSignal: publishDeadline.signal }),
      logger,
      publishFailures: [],
      ...memories,
      // One store that cannot be read (the same file or table holds both) is one failure.
      stateFailures: [...memories.stateFailures, ...silences.stateFailures.filter((failure) => !memories.stateFailures.some((known) => known.store === failure.store))],
    };
    const context = notify;
    const concurrency = options.concurrency ?? config.concurrency ?? DEFAULT_CONCURRENCY;
    // A portal's notice (state write, publish) runs outside its check's slot, so the next portal's
    // check does not wait for it; notices have their own bound, so a slow topic is not flooded.
    const noticeSlot = createLimiter(concurrency);

    verdicts = await mapWithConcurrency(portals, concurrency, async (portal) => {
      const key = keys.get(portal.name);
      // A portal whose key could not be read is judged on that (no I/O), even after the deadline.
      const checked =
        deadline.signal.aborted && key?.ok !== false
          ? { verdict: notCheckedVerdict(config, portal, options.now, options.signal?.aborted === true) }
          : await checkPortalSafely(deps, config, portal, key, options.now, logger, deadline.signal);
      // What one run cannot see, the runs before it can: a schedule that never ran for too long, a portal unverified for many runs.
      const verdict = escalate({
        ...checked,
        previous: context.memories.get(portal.name),
        runKey: context.runKey,
        graceMinutes: resolvePolicy(config, portal).graceMinutes,
        escalateUncheckedAfterRuns: context.notifications.escalateUncheckedAfterRuns,
        now: options.now,
      });
      logger.info('portal checked', {
        portal: verdict.portal,
        status: verdict.status,
        codes: verdict.findings.map((finding) => finding.code),
      });
      notices.push(
        noticeSlot(() => notifyPortal(context, verdict)).then(
          (notification) => void notifications.set(verdict.portal, notification),
          // notifyPortal collects its failures; anything it still throws is this portal's lost alert, not the run's end.
          (error: unknown) => {
            context.publishFailures.push(new AlertPublishError(`alert handling for ${verdict.portal} failed: ${errorName(error)}`, verdict.portal));
            notifications.set(verdict.portal, { delivered: false, silenced: [], duplicate: false });
          },
        ),
      );
      return verdict;
    });
  } finally {
    // Every notice is settled before the run reports or fails, while its deadlines still run.
    await Promise.allSettled(notices);
    deadline.stop();
    publishDeadline.stop();
  }
  return {
    checkedAt: options.now,
    runKey: notify.runKey,
    status: overallStatus(verdicts.map((verdict) => verdict.status)),
    verdicts,
    alertsSent: [...notifications.values()].filter((notification) => notification.delivered).length,
    publishFailures: notify.publishFailures,
    stateFailures: notify.stateFailures,
    notifications,
    expiredSilences: expiredSilences(config.silences ?? [], options.now),
    redactor,
  };
}

/**
 * The memories of these portals. A store that cannot be read fails the run, but the run goes
 * on without it: every portal that is not OK is alerted, as on a first run.
 */
async function loadMemories(
  state: StateStore | undefined,
  portals: readonly PortalConfig[],
  logger: CheckLogger,
): Promise<{ state?: StateStore; memories: ReadonlyMap<string, PortalMemory>; stateFailures: StateStoreError[] }> {
  if (state === undefined) return { memories: new Map(), stateFailures: [] };
  try {
    return { state, memories: await state.load(portals.map((portal) => portal.name)), stateFailures: [] };
  } catch (error) {
    const failure = asStateStoreError(error, StateOperation.LOAD);
    logger.error('state not read; alerting as on a first run', { error: failure.message });
    return { memories: new Map(), stateFailures: [failure] };
  }
}

/** A signal that aborts when only `reserveMs` is left of the run's time, or when the run is stopped. */
function startDeadline(options: CheckOptions, reserveMs: number): { signal: AbortSignal; stop(): void } {
  const controller = new AbortController();
  const abort = () => controller.abort();
  const stopped = options.signal;
  if (stopped?.aborted) abort();
  else stopped?.addEventListener('abort', abort, { once: true });
  const unlisten = () => stopped?.removeEventListener('abort', abort);
  if (options.remainingTimeMs === undefined) return { signal: controller.signal, stop: unlisten };
  const budget = options.remainingTimeMs() - reserveMs;
  if (budget <= 0) {
    abort();
    return { signal: controller.signal, stop: unlisten };
  }
  const timer = setTimeout(abort, budget);
  return {
    signal: controller.signal,
    stop: () => {
      clearTimeout(timer);
      unlisten();
    },
  };
}

function notCheckedVerdict(config: MonitorConfig, portal: PortalConfig, now: Date, stopped: boolean): Verdict {
  return evaluate({
    ...baseInput(config, portal, now),
    schedule: failed(
      CheckFailedCause.TIMEOUT,
      'schedule',
      stopped
        ? 'not checked: the run was stopped (interrupted) before this portal was checked'
        : "not checked: the run's time limit was near, so checks stopped to leave time for publishing; raise the function timeout, lower the number of portals per run or raise concurrency",
    ),
  });
}

/** One portal's verdict, and the schedule facts escalation needs (when the schedule was read). */
interface PortalCheck {
  readonly verdict: Verdict;
  readonly cron?: CronParams;
  readonly zone?: PortalZone;
}

async function checkPortalSafely(
  deps: CheckDependencies,
  config: MonitorConfig,
  portal: PortalConfig,
  key: ApiKeyResult | undefined,
  now: Date,
  logger: CheckLogger,
  signal: AbortSignal,
): Promise<PortalCheck> {
  try {
    return await checkPortal(deps, config, portal, key, now, signal);
  } catch (error) {
    // A bug or an unforeseen input must cost one portal's verdict, never the run.
    logger.error('portal check failed unexpectedly', { portal: portal.name, error: errorName(error) });
    const verdict = evaluate({
      ...baseInput(config, portal, now),
      schedule: failed(CheckFailedCause.BAD_RESPONSE, 'schedule', `the check failed unexpectedly (${errorName(error)}); see the monitor's logs`),
    });
    return { verdict };
  }
}

function baseInput(config: MonitorConfig, portal: PortalConfig, now: Date) {
  return { portal: { name: portal.name, url: portal.url }, policy: resolvePolicy(config, portal), now };
}

function failed(cause: CheckFailedCause, source: 'apiKey' | 'schedule' | 'settings', detail: string): Fetched<never> {
  return { ok: false, failure: { cause, source, detail } };
}

async function checkPortal(
  deps: CheckDependencies,
  config: MonitorConfig,
  portal: PortalConfig,
  key: ApiKeyResult | undefined,
  now: Date,
  signal: AbortSignal,
): Promise<PortalCheck> {
  const base = baseInput(config, portal, now);
  if (!key?.ok)
    return { verdict: evaluate({ ...base, schedule: failed(CheckFailedCause.API_KEY_UNAVAILABLE, 'apiKey', key?.detail ?? 'no API key was read') }) };

  const target: PortalTarget = { name: portal.name, url: portal.url, apiKey: key.key, scheme: portal.apiKey.scheme, signal };
  const { docspace } = deps;
  // Independent requests of one portal go out together.
  const [schedule, progress, history, settings] = await Promise.all([
    docspace.getSchedule(target),
    base.policy.checkLastBackupError ? docspace.getProgress(target) : undefined,
    base.policy.requireArchive ? docspace.getHistory(target) : undefined,
    portal.timeZone === undefined ? docspace.getSettings(target) : undefined,
  ]);

  const evidence: Omit<VerdictInput, 'zone' | 'zoneNote'> = { ...base, schedule, progress, history: historyRecords(history) };
  // What the evidence held that could not be used (skipped history records, odd members) rides along for the report.
  const notes = evidenceNotesOf(schedule, history);
  const cron = schedule.ok && schedule.value !== null ? schedule.value.cronParams : undefined;
  const judge = (input: VerdictInput): PortalCheck => {
    const verdict = evaluate(input);
    return { verdict: notes === undefined ? verdict : { ...verdict, evidenceNotes: notes }, cron, zone: input.zone };
  };
  if (portal.timeZone !== undefined) return judge({ ...evidence, zone: { kind: 'iana', id: portal.timeZone } });
  if (!schedule.ok || !settings) return judge(evidence);
  if (!settings.ok) return judge({ ...evidence, zoneFailure: settings.failure });

  const resolved = zoneFromSettings(settings.value);
  if ('failure' in resolved) return judge({ ...evidence, zoneFailure: { cause: CheckFailedCause.BAD_RESPONSE, source: 'settings', detail: resolved.failure } });
  const zone: PortalZone = resolved.zone;
  return judge({ ...evidence, zone, zoneNote: resolved.note });
}
