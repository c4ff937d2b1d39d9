/**
 * Notifications across runs, end to end below the edges: `runCheck` over real loopback HTTP to
 * the simulated portal, whose behaviour is switched between runs, with a real state store and a
 * recording notifier. A portal that breaks, stays broken and recovers must produce exactly one
 * firing alert, the configured reminders and one resolved notice, with silences and duplicate
 * deliveries honoured.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Alert, Notifier } from '../../functions/check/alerts/notifier.ts';
import { EnvKeyReader } from '../../functions/check/api-keys/env-key-reader.ts';
import { parseConfig } from '../../functions/check/config.ts';
import { DocSpaceClient } from '../../functions/check/docspace/client.ts';
import { AlertPublishError } from '../../functions/check/errors.ts';
import type { PortalMemory, StateStore } from '../../functions/check/notify/types.ts';
import type { Verdict } from '../../functions/check/policy/types.ts';
import { exitCodeOf, reportToJson, reportToText } from '../../functions/check/report/report.ts';
import { runCheck, type CheckRun } from '../../functions/check/run-check.ts';
import { StateStoreError } from '../../functions/check/state/errors.ts';
import { JsonFileStateStore } from '../../functions/check/state/json-file-state-store.ts';
import { MemoryStateStore } from '../../functions/check/state/memory-state-store.ts';
import { buildScenarios, SCENARIO_POLICY } from '../support/scenarios.ts';
import { startSimulatedPortals, type SimulatedPortal } from '../support/simulated-portal.ts';

/** The first run: Monday 2 March 2026, 10:00 in Berlin. The check runs daily after it. */
const NOW = new Date('2026-03-02T09:00:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;

/** The scenario portals a test portal can be made to behave like (see test/support/scenarios.ts). */
type Behaviour = 'compliant' | 'overdue' | 'failed-task' | 'never-ran';

/** What the notifier was given: one entry per `send` that returned. */
interface SentAlert {
  readonly portal: string;
  readonly alert: Alert;
}

/** One portal of the `--json` report, as far as these tests read it. */
interface ReportPortal {
  readonly name: string;
  readonly status: string;
  readonly notification: string | null;
  readonly findings: readonly { readonly code: string; readonly silenced?: { readonly until: string; readonly reason: string } }[];
}

interface Report {
  readonly portals: readonly ReportPortal[];
  readonly expiredSilences?: readonly unknown[];
  readonly stateFailures?: readonly { readonly message: string }[];
  readonly alertFailures?: readonly { readonly portal: string; readonly message: string }[];
}

function dayAfter(days: number): Date {
  return new Date(NOW.getTime() + days * DAY_MS);
}

/** A notifier that records what it sends; `refuse` says which sends fail (by portal and attempt). */
function recordingNotifier(refuse: (portal: string, attempt: number) => boolean = () => false): Notifier & { readonly sent: SentAlert[] } {
  const sent: SentAlert[] = [];
  const attempts = new Map<string, number>();
  return {
    sent,
    async send(alert: Alert, verdict: Verdict) {
      const attempt = (attempts.get(verdict.portal) ?? 0) + 1;
      attempts.set(verdict.portal, attempt);
      if (refuse(verdict.portal, attempt))
        throw new AlertPublishError(`alert for portal ${verdict.portal} could not be published to the test topic: Throttling`, verdict.portal);
      sent.push({ portal: verdict.portal, alert });
    },
  };
}

/**
 * Portals named `names`, served on loopback, with a config that takes every key from `KEY`.
 * `check` serves each portal as the named scenario as of `now`, then runs the check at `now`.
 */
async function startMonitor(names: readonly string[], extra: Record<string, unknown> = {}) {
  const key = `sk-test-${randomUUID()}`;
  const server = await startSimulatedPortals({});
  onTestFinished(() => server.close());
  const docspace = new DocSpaceClient();
  onTestFinished(() => docspace.close());
  const config = parseConfig({
    portals: names.map((name) => ({ name, url: server.urlOf(name), apiKey: { env: 'KEY' } })),
    policy: SCENARIO_POLICY,
    ...extra,
  });
  const keys = new EnvKeyReader({ env: { KEY: key } });

  function behaving(behaviour: Behaviour, now: Date): SimulatedPortal {
    return buildScenarios(now, () => key).find((scenario) => scenario.name === behaviour)!.portal;
  }

  return {
    config,
    check(
      portals: Readonly<Record<string, Behaviour>>,
      now: Date,
      deps: { readonly state?: StateStore; readonly notifier?: Notifier; readonly runKey?: string },
    ): Promise<CheckRun> {
      for (const [name, behaviour] of Object.entries(portals)) server.setPortal(name, behaving(behaviour, now));
      return runCheck({ docspace, keys, notifier: deps.notifier, state: deps.state }, config, { now, ...(deps.runKey === undefined ? {} : { runKey: deps.runKey }) });
    },
  };
}

/** Breaks, stays broken for `brokenRuns` daily runs, recovers, and stays OK one more run. */
function breakAndRecover(brokenRuns: number): Behaviour[] {
  return ['compliant', ...Array.from({ length: brokenRuns }, (): Behaviour => 'overdue'), 'compliant', 'compliant'];
}

function noticeOf(run: CheckRun, portal: string): string | null {
  return run.notifications.get(portal)?.notice ?? null;
}

function reportOf(run: CheckRun): Report {
  return reportToJson(run) as Report;
}

describe('runCheck with a state store', () => {
  it.each([
    {
      setting: 'the default (critical: every run)',
      notifications: undefined,
      brokenRuns: 4,
      expected: [null, 'firing', 'reminder', 'reminder', 'reminder', 'resolved', null],
    },
    {
      setting: '{"critical": 3}',
      notifications: { remindEveryRuns: { critical: 3 } },
      brokenRuns: 7,
      expected: [null, 'firing', null, null, 'reminder', null, null, 'reminder', 'resolved', null],
    },
    {
      setting: '{"critical": 0} (never)',
      notifications: { remindEveryRuns: { critical: 0 } },
      brokenRuns: 3,
      expected: [null, 'firing', null, null, 'resolved', null],
    },
  ])(
    'sends one firing alert, reminders per $setting and one resolved notice for a portal that breaks, stays broken and recovers',
    async ({ notifications, brokenRuns, expected }) => {
      // Prepare
      const monitor = await startMonitor(['acme'], notifications === undefined ? {} : { notifications });
      const state = new MemoryStateStore();
      const notifier = recordingNotifier();

      // Act
      const runs: CheckRun[] = [];
      for (const [day, behaviour] of breakAndRecover(brokenRuns).entries()) runs.push(await monitor.check({ acme: behaviour }, dayAfter(day), { state, notifier }));

      // Assess
      expect(runs.map((run) => noticeOf(run, 'acme'))).toEqual(expected);
      expect(notifier.sent.map((sent) => sent.alert.attributes.state)).toEqual(expected.filter((notice) => notice !== null));
      expect(runs.map((run) => run.alertsSent)).toEqual(expected.map((notice) => (notice === null ? 0 : 1)));
      const [firing, ...rest] = notifier.sent.map((sent) => sent.alert);
      expect(firing!.attributes).toEqual({ state: 'firing', severity: 'critical', status: 'CRITICAL', portal: 'acme', codes: 'BACKUP_OVERDUE,ARCHIVE_MISSING' });
      expect(firing!.email).toContain('Status:      OK -> CRITICAL');
      const resolved = rest.at(-1)!;
      expect(resolved.attributes).toEqual({ state: 'resolved', severity: 'critical', status: 'OK', portal: 'acme', codes: 'ARCHIVE_MISSING,BACKUP_OVERDUE' });
      expect(resolved.email).toContain('RESOLVED, back to OK (was CRITICAL)');
      for (const reminder of rest.slice(0, -1)) {
        expect(reminder.attributes).toMatchObject({ state: 'reminder', status: 'CRITICAL', codes: 'BACKUP_OVERDUE,ARCHIVE_MISSING' });
        expect(reminder.email).toContain(`Still unchanged since ${dayAfter(1).toISOString().slice(0, 19).replace('T', ' ')} UTC`);
      }
      expect(runs.every((run) => run.publishFailures.length === 0 && run.stateFailures.length === 0)).toBe(true);
      expect(state.get('acme')).toMatchObject({ status: 'OK', codes: [], notifiedStatus: 'OK', notifiedCodes: [], lastRunKey: dayAfter(expected.length - 1).toISOString() });
    },
  );

  it('keeps the memory in a JSON file between runs, each run with a fresh store as the CLI does', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'docspace-notifications-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'state.json');
    const monitor = await startMonitor(['acme']);
    const notifier = recordingNotifier();

    // Act
    const runs: CheckRun[] = [];
    for (const [day, behaviour] of breakAndRecover(2).entries())
      runs.push(await monitor.check({ acme: behaviour }, dayAfter(day), { state: new JsonFileStateStore({ file }), notifier }));

    // Assess
    expect(runs.map((run) => noticeOf(run, 'acme'))).toEqual([null, 'firing', 'reminder', 'resolved', null]);
    expect(notifier.sent.map((sent) => sent.alert.attributes.state)).toEqual(['firing', 'reminder', 'resolved']);
    const saved = JSON.parse(await readFile(file, 'utf8')) as { version: number; portals: Record<string, PortalMemory> };
    expect(saved.version).toBe(1);
    expect(saved.portals.acme).toMatchObject({ portal: 'acme', status: 'OK', codes: [], lastRunKey: dayAfter(4).toISOString(), lastNotifiedAt: dayAfter(3).toISOString() });
  });

  it('fires again, with the flip in the e-mail, when the finding codes change while the portal stays critical', async () => {
    // Prepare
    const monitor = await startMonitor(['acme']);
    const state = new MemoryStateStore();
    const notifier = recordingNotifier();
    await monitor.check({ acme: 'overdue' }, dayAfter(0), { state, notifier });

    // Act
    const run = await monitor.check({ acme: 'failed-task' }, dayAfter(1), { state, notifier });

    // Assess
    expect(noticeOf(run, 'acme')).toBe('firing');
    expect(notifier.sent.map((sent) => sent.alert.attributes.state)).toEqual(['firing', 'firing']);
    const [first, second] = notifier.sent.map((sent) => sent.alert);
    expect(first!.email).toContain('This is the first alert about this portal');
    expect(second!.attributes).toMatchObject({ state: 'firing', status: 'CRITICAL', codes: 'ARCHIVE_MISSING,LAST_BACKUP_FAILED' });
    expect(second!.email).toContain(
      ['Status:      CRITICAL -> CRITICAL (unchanged)', 'New:         LAST_BACKUP_FAILED', 'Cleared:     BACKUP_OVERDUE', `Last alert:  ${dayAfter(0).toISOString().slice(0, 19).replace('T', ' ')} UTC`].join(
        '\n',
      ),
    );
    expect(JSON.parse(second!.json)).toMatchObject({ state: 'firing', flip: { from: 'CRITICAL', to: 'CRITICAL', added: ['LAST_BACKUP_FAILED'], cleared: ['BACKUP_OVERDUE'] } });
  });

  it('sends nothing while a silence covers every finding, marks them silenced in the report, and fires on the first run after the silence ends', async () => {
    // Prepare
    const silence = { portal: 'acme', codes: ['BACKUP_OVERDUE', 'ARCHIVE_MISSING'], until: '2026-03-03T21:00:00Z', reason: 'moving storage to S3' };
    const monitor = await startMonitor(['acme'], { silences: [silence] });
    const state = new MemoryStateStore();
    const notifier = recordingNotifier();

    // Act
    const silenced = [await monitor.check({ acme: 'overdue' }, dayAfter(0), { state, notifier }), await monitor.check({ acme: 'overdue' }, dayAfter(1), { state, notifier })];
    const afterSilence = await monitor.check({ acme: 'overdue' }, dayAfter(2), { state, notifier });

    // Assess
    for (const run of silenced) {
      expect(run.verdicts[0]!.status).toBe('CRITICAL');
      expect(run.alertsSent).toBe(0);
      expect(run.notifications.get('acme')).toEqual({
        silenced: [
          { code: 'BACKUP_OVERDUE', until: silence.until, reason: silence.reason },
          { code: 'ARCHIVE_MISSING', until: silence.until, reason: silence.reason },
        ],
        duplicate: false,
        delivered: false,
      });
      expect(run.expiredSilences).toEqual([]);
      const report = reportOf(run);
      expect(report.portals[0]!.notification).toBeNull();
      expect(report.portals[0]!.findings.map((finding) => [finding.code, finding.silenced])).toEqual([
        ['BACKUP_OVERDUE', { until: silence.until, reason: silence.reason }],
        ['ARCHIVE_MISSING', { until: silence.until, reason: silence.reason }],
      ]);
      expect(report).not.toHaveProperty('expiredSilences');
      expect(reportToText(run).match(/silenced until 2026-03-03T21:00:00Z: moving storage to S3/g)).toHaveLength(2);
    }
    expect(notifier.sent.map((sent) => sent.alert.attributes.state)).toEqual(['firing']);
    expect(noticeOf(afterSilence, 'acme')).toBe('firing');
    expect(notifier.sent[0]!.alert.attributes).toMatchObject({ status: 'CRITICAL', codes: 'BACKUP_OVERDUE,ARCHIVE_MISSING' });
    expect(afterSilence.notifications.get('acme')?.silenced).toEqual([]);
    expect(afterSilence.expiredSilences).toEqual([silence]);
    expect(reportOf(afterSilence).expiredSilences).toEqual([silence]);
    expect(reportToText(afterSilence)).toContain('expired silence (remove it from the config): acme BACKUP_OVERDUE, ARCHIVE_MISSING until 2026-03-03T21:00:00Z: moving storage to S3');
    expect(reportToText(afterSilence)).not.toContain('silenced until');
  });

  it('alerts the findings a silence does not cover, and lists the silenced one in the e-mail but not in the codes', async () => {
    // Prepare
    const silence = { portal: 'acme', codes: ['ARCHIVE_MISSING'], until: '2026-04-01T00:00:00Z', reason: 'history endpoint being migrated' };
    const monitor = await startMonitor(['acme'], { silences: [silence] });
    const notifier = recordingNotifier();

    // Act
    const run = await monitor.check({ acme: 'overdue' }, dayAfter(0), { state: new MemoryStateStore(), notifier });

    // Assess
    expect(noticeOf(run, 'acme')).toBe('firing');
    const alert = notifier.sent[0]!.alert;
    expect(alert.attributes).toMatchObject({ state: 'firing', status: 'CRITICAL', codes: 'BACKUP_OVERDUE' });
    expect(alert.email).toContain('- ARCHIVE_MISSING silenced until 2026-04-01 00:00:00 UTC: history endpoint being migrated');
    expect(reportOf(run).portals[0]!.findings.map((finding) => [finding.code, finding.silenced?.reason])).toEqual([
      ['BACKUP_OVERDUE', undefined],
      ['ARCHIVE_MISSING', silence.reason],
    ]);
  });

  it('only reads the state when there is no notifier, so a later run with one still sends the firing alert', async () => {
    // Prepare
    const monitor = await startMonitor(['acme']);
    const state = new MemoryStateStore();
    const notifier = recordingNotifier();

    // Act
    const dryRun = await monitor.check({ acme: 'overdue' }, NOW, { state });
    const realRun = await monitor.check({ acme: 'overdue' }, new Date(NOW.getTime() + 60_000), { state, notifier });

    // Assess
    expect(noticeOf(dryRun, 'acme')).toBe('firing');
    expect(state.get('acme')?.lastRunKey).toBe(new Date(NOW.getTime() + 60_000).toISOString());
    expect(noticeOf(realRun, 'acme')).toBe('firing');
    expect(notifier.sent.map((sent) => sent.alert.attributes.state)).toEqual(['firing']);
  });

  it('sends nothing and reports "duplicate" for every portal when the same run is delivered twice', async () => {
    // Prepare
    const monitor = await startMonitor(['acme', 'beta']);
    const state = new MemoryStateStore();
    const notifier = recordingNotifier();
    const runKey = '2026-03-02T09:00:00Z';
    const first = await monitor.check({ acme: 'overdue', beta: 'compliant' }, NOW, { state, notifier, runKey });
    const remembered = [state.get('acme'), state.get('beta')];

    // Act
    const second = await monitor.check({ acme: 'overdue', beta: 'compliant' }, new Date(NOW.getTime() + 5_000), { state, notifier, runKey });

    // Assess
    expect(noticeOf(first, 'acme')).toBe('firing');
    expect(notifier.sent.map((sent) => [sent.portal, sent.alert.attributes.state])).toEqual([['acme', 'firing']]);
    expect(second.alertsSent).toBe(0);
    expect([...second.notifications.values()].map((notification) => notification.duplicate)).toEqual([true, true]);
    expect(reportOf(second).portals.map((portal) => [portal.name, portal.notification])).toEqual([
      ['acme', 'duplicate'],
      ['beta', 'duplicate'],
    ]);
    expect([state.get('acme'), state.get('beta')]).toEqual(remembered);
    expect(second.stateFailures).toEqual([]);
  });

  it('puts the memory back when an alert is not delivered, so a retry of the same run sends that alert and only it', async () => {
    // Prepare
    const monitor = await startMonitor(['acme', 'beta']);
    const state = new MemoryStateStore();
    const notifier = recordingNotifier((portal, attempt) => portal === 'beta' && attempt === 1);
    await monitor.check({ acme: 'compliant', beta: 'compliant' }, dayAfter(0), { state, notifier, runKey: 'run-0' });
    const betaBefore = state.get('beta');

    // Act
    const failed = await monitor.check({ acme: 'overdue', beta: 'overdue' }, dayAfter(1), { state, notifier, runKey: 'run-1' });
    const betaAfterFailure = state.get('beta');
    const retry = await monitor.check({ acme: 'overdue', beta: 'overdue' }, dayAfter(1), { state, notifier, runKey: 'run-1' });

    // Assess
    expect(failed.publishFailures.map((failure) => failure.portal)).toEqual(['beta']);
    expect(failed.notifications.get('beta')).toMatchObject({ notice: 'firing', delivered: false, duplicate: false });
    expect(failed.alertsSent).toBe(1);
    expect(exitCodeOf(failed)).toBe(2);
    expect(reportOf(failed).alertFailures).toEqual([{ portal: 'beta', message: 'alert for portal beta could not be published to the test topic: Throttling' }]);
    expect(betaAfterFailure).toEqual(betaBefore);
    expect(state.get('acme')?.lastRunKey).toBe('run-1');

    expect(retry.publishFailures).toEqual([]);
    expect(retry.alertsSent).toBe(1);
    expect(retry.notifications.get('acme')).toMatchObject({ duplicate: true, delivered: false });
    expect(retry.notifications.get('beta')).toMatchObject({ notice: 'firing', delivered: true, duplicate: false });
    expect(notifier.sent.map((sent) => [sent.portal, sent.alert.attributes.state])).toEqual([
      ['acme', 'firing'],
      ['beta', 'firing'],
    ]);
    expect(state.get('beta')).toMatchObject({ status: 'CRITICAL', notifiedStatus: 'CRITICAL', lastRunKey: 'run-1' });
  });

  it('alerts as on a first run, and fails the run, when the state store cannot be read', async () => {
    // Prepare
    const monitor = await startMonitor(['acme']);
    // The memory of an earlier run that already notified this warning: a working store sends nothing.
    const earlier: PortalMemory = {
      portal: 'acme',
      status: 'WARNING',
      codes: ['NEVER_RAN'],
      since: dayAfter(-1).toISOString(),
      notifiedStatus: 'WARNING',
      notifiedCodes: ['NEVER_RAN'],
      notifiedSeverity: 'warning',
      lastNotifiedAt: dayAfter(-1).toISOString(),
      runsSinceNotice: 0,
      lastRunKey: dayAfter(-1).toISOString(),
    };
    const refusal = new StateStoreError('could not load state from DynamoDB table monitor-state: ResourceNotFoundException', {
      operation: 'load',
      store: 'monitor-state',
      code: 'ResourceNotFoundException',
    });
    const unreadable = new MemoryStateStore([earlier]);
    unreadable.load = () => Promise.reject(refusal);
    const control = await monitor.check({ acme: 'never-ran' }, NOW, { state: new MemoryStateStore([earlier]), notifier: recordingNotifier() });
    const notifier = recordingNotifier();

    // Act
    const run = await monitor.check({ acme: 'never-ran' }, NOW, { state: unreadable, notifier });

    // Assess
    expect(noticeOf(control, 'acme')).toBeNull();
    expect(run.status).toBe('WARNING');
    expect(notifier.sent.map((sent) => sent.alert.attributes)).toEqual([{ state: 'firing', severity: 'warning', status: 'WARNING', portal: 'acme', codes: 'NEVER_RAN' }]);
    expect(notifier.sent[0]!.alert.email).toContain('This is the first alert about this portal');
    expect(run.stateFailures).toEqual([refusal]);
    expect(exitCodeOf(run)).toBe(3);
    expect(reportOf(run).stateFailures).toEqual([{ message: refusal.message }]);
    expect(reportToText(run)).toContain(`STATE NOT KEPT: ${refusal.message}`);
  });
});
