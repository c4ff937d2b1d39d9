import { describe, expect, it } from 'vitest';
import type { SilenceConfig } from '../../../functions/check/config.ts';
import { decideNotice, type NoticeDecision, type NoticeInput } from '../../../functions/check/notify/notice-policy.ts';
import { resolveNotifications, type NotificationSettings } from '../../../functions/check/notify/resolve-notifications.ts';
import type { Notice, NoticeState, PortalMemory } from '../../../functions/check/notify/types.ts';
import type { FindingCode, Status, Verdict } from '../../../functions/check/policy/types.ts';
import {
  ARCHIVE_MISSING,
  AUTH_REJECTED,
  DAY_MS,
  HISTORY_TIMEOUT,
  MISMATCH,
  NOW,
  OVERDUE,
  PORTAL,
  RETENTION,
  SCHEDULE_TIMEOUT,
  memory,
  silence,
  verdict,
} from './verdict-builder.ts';

/** The defaults: remind critical every run, warning every 7 runs; resolved by e-mail only. */
const DEFAULTS = resolveNotifications();
const RUN_KEY = '2027-01-05T07:00:00Z';
const NOW_ISO = NOW.toISOString();
const UNTIL = '2027-01-06T07:00:00Z';
const AT_UNTIL = new Date(UNTIL);
const JUST_BEFORE_UNTIL = new Date(AT_UNTIL.getTime() - 1);

/** Decides with the defaults, no silences, {@link RUN_KEY} and {@link NOW} unless changed. */
function decide(changes: Partial<NoticeInput> & { readonly verdict: Verdict }): NoticeDecision {
  return decideNotice({ notifications: DEFAULTS, silences: [], runKey: RUN_KEY, now: NOW, ...changes });
}

function settings(critical: number, warning: number, smsResolved = false): NotificationSettings {
  return { remindEveryRuns: { critical, warning }, smsResolved, escalateUncheckedAfterRuns: 3 };
}

describe('decideNotice', () => {
  describe('on the first run of a portal', () => {
    it.each<{ scenario: string; judged: Verdict; notice: Notice | undefined; notifiedStatus: Status; notifiedCodes: FindingCode[] }>([
      { scenario: 'stays silent when the portal is OK', judged: verdict('OK'), notice: undefined, notifiedStatus: 'OK', notifiedCodes: [] },
      {
        scenario: 'fires a warning when the portal is WARNING',
        judged: verdict('WARNING', MISMATCH),
        notice: { state: 'firing', severity: 'warning', sms: true },
        notifiedStatus: 'WARNING',
        notifiedCodes: ['SCHEDULE_MISMATCH'],
      },
      {
        scenario: 'fires a critical notice when the portal is CRITICAL',
        judged: verdict('CRITICAL', OVERDUE, MISMATCH),
        notice: { state: 'firing', severity: 'critical', sms: true },
        notifiedStatus: 'CRITICAL',
        notifiedCodes: ['BACKUP_OVERDUE', 'SCHEDULE_MISMATCH'],
      },
      {
        scenario: 'fires a critical notice when the portal is UNKNOWN because the key is rejected',
        judged: verdict('UNKNOWN', AUTH_REJECTED),
        notice: { state: 'firing', severity: 'critical', sms: true },
        notifiedStatus: 'UNKNOWN',
        notifiedCodes: ['CHECK_FAILED'],
      },
      {
        scenario: 'fires a warning when the portal is UNKNOWN because it timed out',
        judged: verdict('UNKNOWN', SCHEDULE_TIMEOUT),
        notice: { state: 'firing', severity: 'warning', sms: true },
        notifiedStatus: 'UNKNOWN',
        notifiedCodes: ['CHECK_FAILED'],
      },
    ])('$scenario, without a flip', ({ judged, notice, notifiedStatus, notifiedCodes }) => {
      // Act
      const decision = decide({ verdict: judged });

      // Assess
      expect(decision.notice).toStrictEqual(notice);
      expect(decision.next).toMatchObject({ notifiedStatus, notifiedCodes, runsSinceNotice: 0, lastRunKey: RUN_KEY });
    });

    it('remembers a silent first run without a notice time', () => {
      // Act
      const decision = decide({ verdict: verdict('OK') });

      // Assess
      expect(decision.next).toStrictEqual({
        portal: PORTAL,
        status: 'OK',
        codes: [],
        since: NOW_ISO,
        notifiedStatus: 'OK',
        notifiedCodes: [],
        runsSinceNotice: 0,
        lastRunKey: RUN_KEY,
      });
    });

    it('remembers a firing first run with its codes sorted and without repeats', () => {
      // Act
      const decision = decide({ verdict: verdict('WARNING', MISMATCH, HISTORY_TIMEOUT, { ...HISTORY_TIMEOUT, source: 'progress' }) });

      // Assess
      expect(decision.next).toStrictEqual({
        portal: PORTAL,
        status: 'WARNING',
        codes: ['CHECK_FAILED', 'SCHEDULE_MISMATCH'],
        since: NOW_ISO,
        notifiedStatus: 'WARNING',
        notifiedCodes: ['CHECK_FAILED', 'SCHEDULE_MISMATCH'],
        notifiedSeverity: 'warning',
        lastNotifiedAt: NOW_ISO,
        runsSinceNotice: 0,
        lastRunKey: RUN_KEY,
      });
    });
  });

  describe('when the status or the codes change since the last notice', () => {
    it.each<{ scenario: string; previous: PortalMemory; judged: Verdict; notice: Notice }>([
      {
        scenario: 'OK to WARNING',
        previous: memory('OK', []),
        judged: verdict('WARNING', MISMATCH),
        notice: { state: 'firing', severity: 'warning', sms: true, flip: { from: 'OK', to: 'WARNING', added: ['SCHEDULE_MISMATCH'], cleared: [] } },
      },
      {
        scenario: 'WARNING to CRITICAL',
        previous: memory('WARNING', ['SCHEDULE_MISMATCH']),
        judged: verdict('CRITICAL', OVERDUE, MISMATCH),
        notice: { state: 'firing', severity: 'critical', sms: true, flip: { from: 'WARNING', to: 'CRITICAL', added: ['BACKUP_OVERDUE'], cleared: [] } },
      },
      {
        scenario: 'CRITICAL to WARNING',
        previous: memory('CRITICAL', ['BACKUP_OVERDUE', 'SCHEDULE_MISMATCH']),
        judged: verdict('WARNING', MISMATCH),
        notice: { state: 'firing', severity: 'warning', sms: true, flip: { from: 'CRITICAL', to: 'WARNING', added: [], cleared: ['BACKUP_OVERDUE'] } },
      },
      {
        scenario: 'CRITICAL to CRITICAL with another code',
        previous: memory('CRITICAL', ['BACKUP_OVERDUE']),
        judged: verdict('CRITICAL', ARCHIVE_MISSING),
        notice: {
          state: 'firing',
          severity: 'critical',
          sms: true,
          flip: { from: 'CRITICAL', to: 'CRITICAL', added: ['ARCHIVE_MISSING'], cleared: ['BACKUP_OVERDUE'] },
        },
      },
      {
        scenario: 'WARNING to WARNING with one more code',
        previous: memory('WARNING', ['SCHEDULE_MISMATCH']),
        judged: verdict('WARNING', MISMATCH, RETENTION),
        notice: { state: 'firing', severity: 'warning', sms: true, flip: { from: 'WARNING', to: 'WARNING', added: ['RETENTION_TOO_LOW'], cleared: [] } },
      },
      {
        scenario: 'CRITICAL with a new critical code added (paged)',
        previous: memory('CRITICAL', ['BACKUP_OVERDUE']),
        judged: verdict('CRITICAL', OVERDUE, ARCHIVE_MISSING),
        notice: { state: 'firing', severity: 'critical', sms: true, flip: { from: 'CRITICAL', to: 'CRITICAL', added: ['ARCHIVE_MISSING'], cleared: [] } },
      },
      {
        scenario: 'UNKNOWN to CRITICAL',
        previous: memory('UNKNOWN', ['CHECK_FAILED']),
        judged: verdict('CRITICAL', OVERDUE),
        notice: {
          state: 'firing',
          severity: 'critical',
          sms: true,
          flip: { from: 'UNKNOWN', to: 'CRITICAL', added: ['BACKUP_OVERDUE'], cleared: ['CHECK_FAILED'] },
        },
      },
      {
        scenario: 'CRITICAL to UNKNOWN',
        previous: memory('CRITICAL', ['BACKUP_OVERDUE']),
        judged: verdict('UNKNOWN', AUTH_REJECTED),
        notice: {
          state: 'firing',
          severity: 'critical',
          sms: true,
          flip: { from: 'CRITICAL', to: 'UNKNOWN', added: ['CHECK_FAILED'], cleared: ['BACKUP_OVERDUE'] },
        },
      },
      {
        scenario: 'OK to WARNING (not UNKNOWN) when only the history could not be read',
        previous: memory('OK', []),
        judged: verdict('WARNING', HISTORY_TIMEOUT),
        notice: { state: 'firing', severity: 'warning', sms: true, flip: { from: 'OK', to: 'WARNING', added: ['CHECK_FAILED'], cleared: [] } },
      },
      {
        scenario: 'WARNING to OK',
        previous: memory('WARNING', ['SCHEDULE_MISMATCH']),
        judged: verdict('OK'),
        notice: { state: 'resolved', severity: 'warning', sms: false, flip: { from: 'WARNING', to: 'OK', added: [], cleared: ['SCHEDULE_MISMATCH'] } },
      },
      {
        scenario: 'CRITICAL to OK',
        previous: memory('CRITICAL', ['BACKUP_OVERDUE', 'SCHEDULE_MISMATCH']),
        judged: verdict('OK'),
        notice: {
          state: 'resolved',
          severity: 'critical',
          sms: false,
          flip: { from: 'CRITICAL', to: 'OK', added: [], cleared: ['BACKUP_OVERDUE', 'SCHEDULE_MISMATCH'] },
        },
      },
      {
        scenario: 'UNKNOWN to OK, resolved as critical',
        previous: memory('UNKNOWN', ['CHECK_FAILED']),
        judged: verdict('OK'),
        notice: { state: 'resolved', severity: 'critical', sms: false, flip: { from: 'UNKNOWN', to: 'OK', added: [], cleared: ['CHECK_FAILED'] } },
      },
    ])('notifies $scenario', ({ previous, judged, notice }) => {
      // Act
      const decision = decide({ previous, verdict: judged });

      // Assess
      expect(decision.notice).toStrictEqual(notice);
    });

    describe('paging only for what got worse', () => {
      const everyThird = resolveNotifications({ remindEveryRuns: { critical: 3 } });

      it.each([
        {
          scenario: 'one code fewer while still CRITICAL (an improvement)',
          previous: memory('CRITICAL', ['ARCHIVE_MISSING', 'BACKUP_OVERDUE']),
          judged: verdict('CRITICAL', OVERDUE),
          flip: { from: 'CRITICAL', to: 'CRITICAL', added: [], cleared: ['ARCHIVE_MISSING'] },
        },
        {
          scenario: 'a transient history timeout added while CRITICAL (only a warning added)',
          previous: memory('CRITICAL', ['BACKUP_OVERDUE']),
          judged: verdict('CRITICAL', OVERDUE, HISTORY_TIMEOUT),
          flip: { from: 'CRITICAL', to: 'CRITICAL', added: ['CHECK_FAILED'], cleared: [] },
        },
      ] as const)('sends $scenario as a warning and keeps the reminder interval running', ({ previous, judged, flip }) => {
        // Act
        const decision = decide({ previous, verdict: judged, notifications: everyThird });

        // Assess
        expect(decision.notice).toStrictEqual({ state: 'firing', severity: 'warning', sms: true, flip });
        expect(decision.next.runsSinceNotice).toBe(previous.runsSinceNotice + 1);
      });

      it('pages the change at full severity when a reminder is due anyway, so a flapping warning never mutes a critical problem', () => {
        // Prepare
        const previous = memory('CRITICAL', ['BACKUP_OVERDUE'], { runsSinceNotice: 2 });

        // Act
        const decision = decide({ previous, verdict: verdict('CRITICAL', OVERDUE, HISTORY_TIMEOUT), notifications: everyThird });

        // Assess
        expect(decision.notice).toMatchObject({ state: 'firing', severity: 'critical' });
        expect(decision.next.runsSinceNotice).toBe(0);
      });

      it('pages every run by default (critical reminders every run) even while a warning flaps', () => {
        // Act
        const added = decide({ previous: memory('CRITICAL', ['BACKUP_OVERDUE']), verdict: verdict('CRITICAL', OVERDUE, HISTORY_TIMEOUT) });
        const cleared = decide({ previous: added.next, verdict: verdict('CRITICAL', OVERDUE), runKey: 'run-next' });

        // Assess
        expect([added.notice?.severity, cleared.notice?.severity]).toEqual(['critical', 'critical']);
      });

      it('pages when the same codes turn from a transient failure into one a person must fix', () => {
        // Prepare
        const previous = memory('UNKNOWN', ['CHECK_FAILED'], { notifiedSeverity: 'warning' });

        // Act
        const decision = decide({ previous, verdict: verdict('UNKNOWN', AUTH_REJECTED), notifications: resolveNotifications({ remindEveryRuns: { critical: 0 } }) });

        // Assess
        expect(decision.notice).toMatchObject({ state: 'firing', severity: 'critical' });
      });
    });

    it('remembers the firing notice it sends', () => {
      // Prepare
      const previous = memory('WARNING', ['SCHEDULE_MISMATCH'], { runsSinceNotice: 3 });

      // Act
      const decision = decide({ previous, verdict: verdict('CRITICAL', OVERDUE, MISMATCH) });

      // Assess
      expect(decision.next).toStrictEqual({
        portal: PORTAL,
        status: 'CRITICAL',
        codes: ['BACKUP_OVERDUE', 'SCHEDULE_MISMATCH'],
        since: NOW_ISO,
        notifiedStatus: 'CRITICAL',
        notifiedCodes: ['BACKUP_OVERDUE', 'SCHEDULE_MISMATCH'],
        notifiedSeverity: 'critical',
        lastNotifiedAt: NOW_ISO,
        runsSinceNotice: 0,
        lastRunKey: RUN_KEY,
      });
    });

    it('resolves with the severity that was notified, so a warning-level UNKNOWN does not text critical phones', () => {
      // Prepare
      const previous = memory('UNKNOWN', ['CHECK_FAILED'], { notifiedSeverity: 'warning' });

      // Act
      const decision = decide({ previous, verdict: verdict('OK') });

      // Assess
      expect(decision.notice).toMatchObject({ state: 'resolved', severity: 'warning' });
    });

    it('remembers nothing outstanding after the resolved notice', () => {
      // Prepare
      const previous = memory('CRITICAL', ['BACKUP_OVERDUE'], { runsSinceNotice: 2 });

      // Act
      const decision = decide({ previous, verdict: verdict('OK') });

      // Assess
      expect(decision.next).toMatchObject({ status: 'OK', codes: [], notifiedStatus: 'OK', notifiedCodes: [], lastNotifiedAt: NOW_ISO, runsSinceNotice: 0 });
    });

    it.each([
      { smsResolved: true, sms: true },
      { smsResolved: false, sms: false },
    ])('texts the resolved notice $sms when smsResolved is $smsResolved', ({ smsResolved, sms }) => {
      // Prepare
      const previous = memory('CRITICAL', ['BACKUP_OVERDUE']);

      // Act
      const decision = decide({ previous, verdict: verdict('OK'), notifications: settings(1, 7, smsResolved) });

      // Assess
      expect(decision.notice).toMatchObject({ state: 'resolved', sms });
    });

    it('texts a firing notice even when smsResolved is off', () => {
      // Act
      const decision = decide({ previous: memory('OK', []), verdict: verdict('CRITICAL', OVERDUE), notifications: settings(1, 7, false) });

      // Assess
      expect(decision.notice).toMatchObject({ state: 'firing', sms: true });
    });
  });

  describe('when nothing changed since the last notice', () => {
    it('stays silent while the portal stays OK and counts the run', () => {
      // Prepare
      const previous = memory('OK', [], { runsSinceNotice: 5 });

      // Act
      const decision = decide({ previous, verdict: verdict('OK') });

      // Assess
      expect(decision.notice).toBeUndefined();
      expect(decision.next).toMatchObject({ runsSinceNotice: 6, lastNotifiedAt: previous.lastNotifiedAt, since: previous.since });
    });

    it.each<{ scenario: string; every: NotificationSettings; judged: Verdict; runsSinceNotice: number; reminds: boolean }>([
      { scenario: 'critical every 1 run, run 1', every: settings(1, 7), judged: verdict('CRITICAL', OVERDUE), runsSinceNotice: 0, reminds: true },
      { scenario: 'critical every 1 run, run 2', every: settings(1, 7), judged: verdict('CRITICAL', OVERDUE), runsSinceNotice: 1, reminds: true },
      { scenario: 'warning every 7 runs, run 6', every: settings(1, 7), judged: verdict('WARNING', MISMATCH), runsSinceNotice: 5, reminds: false },
      { scenario: 'warning every 7 runs, run 7', every: settings(1, 7), judged: verdict('WARNING', MISMATCH), runsSinceNotice: 6, reminds: true },
      { scenario: 'warning every 7 runs, run 8', every: settings(1, 7), judged: verdict('WARNING', MISMATCH), runsSinceNotice: 7, reminds: true },
      { scenario: 'critical never (0), run 1', every: settings(0, 7), judged: verdict('CRITICAL', OVERDUE), runsSinceNotice: 0, reminds: false },
      { scenario: 'critical never (0), run 100', every: settings(0, 7), judged: verdict('CRITICAL', OVERDUE), runsSinceNotice: 99, reminds: false },
      { scenario: 'warning never (0), run 7', every: settings(1, 0), judged: verdict('WARNING', MISMATCH), runsSinceNotice: 6, reminds: false },
      { scenario: 'warning never (0), run 100', every: settings(1, 0), judged: verdict('WARNING', MISMATCH), runsSinceNotice: 99, reminds: false },
      { scenario: 'critical every 3 runs, run 2', every: settings(3, 7), judged: verdict('CRITICAL', OVERDUE), runsSinceNotice: 1, reminds: false },
      { scenario: 'critical every 3 runs, run 3', every: settings(3, 7), judged: verdict('CRITICAL', OVERDUE), runsSinceNotice: 2, reminds: true },
      { scenario: 'critical every 3 runs, run 4', every: settings(3, 7), judged: verdict('CRITICAL', OVERDUE), runsSinceNotice: 3, reminds: true },
      { scenario: 'warning every 2 runs, run 1', every: settings(1, 2), judged: verdict('WARNING', MISMATCH), runsSinceNotice: 0, reminds: false },
      { scenario: 'warning every 2 runs, run 2', every: settings(1, 2), judged: verdict('WARNING', MISMATCH), runsSinceNotice: 1, reminds: true },
      { scenario: 'warning every 2 runs, run 3', every: settings(1, 2), judged: verdict('WARNING', MISMATCH), runsSinceNotice: 2, reminds: true },
      { scenario: 'UNKNOWN with a rejected key at the critical interval, run 1', every: settings(1, 7), judged: verdict('UNKNOWN', AUTH_REJECTED), runsSinceNotice: 0, reminds: true },
      { scenario: 'UNKNOWN with a timeout at the warning interval, run 1', every: settings(1, 7), judged: verdict('UNKNOWN', SCHEDULE_TIMEOUT), runsSinceNotice: 0, reminds: false },
    ])('reminds $reminds for $scenario since the notice', ({ every, judged, runsSinceNotice, reminds }) => {
      // Prepare
      const codes = judged.findings.map((finding) => finding.code);
      const previous = memory(judged.status, codes, { runsSinceNotice });

      // Act
      const decision = decide({ previous, verdict: judged, notifications: every });

      // Assess
      const severity = judged.findings.some((finding) => finding.severity === 'critical') ? 'critical' : 'warning';
      expect(decision.notice).toStrictEqual(reminds ? { state: 'reminder', severity, sms: true } : undefined);
      expect(decision.next.runsSinceNotice).toBe(reminds ? 0 : runsSinceNotice + 1);
      expect(decision.next.lastNotifiedAt).toBe(reminds ? NOW_ISO : previous.lastNotifiedAt);
      expect(decision.next.since).toBe(previous.since);
    });

    it('reminds at the interval of the worst severity left after silences', () => {
      // Prepare: the critical code is silenced, the warning left was notified last run
      const previous = memory('CRITICAL', ['BACKUP_OVERDUE', 'SCHEDULE_MISMATCH'], { notifiedStatus: 'WARNING', notifiedCodes: ['SCHEDULE_MISMATCH'] });

      // Act
      const decision = decide({
        previous,
        verdict: verdict('CRITICAL', OVERDUE, MISMATCH),
        silences: [silence({ codes: ['BACKUP_OVERDUE'] })],
        notifications: settings(1, 7),
      });

      // Assess
      expect(decision.notice).toBeUndefined();
      expect(decision.next.runsSinceNotice).toBe(1);
    });

    it('treats the same codes remembered in another order as unchanged', () => {
      // Prepare
      const previous = memory('CRITICAL', ['SCHEDULE_MISMATCH', 'BACKUP_OVERDUE'], { runsSinceNotice: 0 });

      // Act
      const decision = decide({ previous, verdict: verdict('CRITICAL', OVERDUE, MISMATCH), notifications: settings(3, 7) });

      // Assess
      expect(decision.notice).toBeUndefined();
      expect(decision.next.since).toBe(previous.since);
    });
  });

  describe('with silences', () => {
    it.each<{ scenario: string; silences: SilenceConfig[]; judged: Verdict; now: Date; notice: Notice | undefined; notifiedStatus: Status; notifiedCodes: FindingCode[] }>([
      {
        scenario: 'stays silent when every code is listed',
        silences: [silence({ codes: ['BACKUP_OVERDUE', 'SCHEDULE_MISMATCH'] })],
        judged: verdict('CRITICAL', OVERDUE, MISMATCH),
        now: NOW,
        notice: undefined,
        notifiedStatus: 'OK',
        notifiedCodes: [],
      },
      {
        scenario: 'stays silent when the silence lists no codes',
        silences: [silence()],
        judged: verdict('CRITICAL', OVERDUE, MISMATCH),
        now: NOW,
        notice: undefined,
        notifiedStatus: 'OK',
        notifiedCodes: [],
      },
      {
        scenario: "stays silent when an UNKNOWN verdict's CHECK_FAILED is silenced",
        silences: [silence({ codes: ['CHECK_FAILED'] })],
        judged: verdict('UNKNOWN', AUTH_REJECTED),
        now: NOW,
        notice: undefined,
        notifiedStatus: 'OK',
        notifiedCodes: [],
      },
      {
        scenario: 'fires about the codes left when some are silenced',
        silences: [silence({ codes: ['BACKUP_OVERDUE'] })],
        judged: verdict('CRITICAL', OVERDUE, MISMATCH),
        now: NOW,
        notice: { state: 'firing', severity: 'warning', sms: true, flip: { from: 'OK', to: 'WARNING', added: ['SCHEDULE_MISMATCH'], cleared: [] } },
        notifiedStatus: 'WARNING',
        notifiedCodes: ['SCHEDULE_MISMATCH'],
      },
      {
        scenario: 'stays silent one millisecond before until',
        silences: [silence({ until: UNTIL })],
        judged: verdict('CRITICAL', OVERDUE),
        now: JUST_BEFORE_UNTIL,
        notice: undefined,
        notifiedStatus: 'OK',
        notifiedCodes: [],
      },
      {
        scenario: 'fires exactly at until',
        silences: [silence({ until: UNTIL })],
        judged: verdict('CRITICAL', OVERDUE),
        now: AT_UNTIL,
        notice: { state: 'firing', severity: 'critical', sms: true, flip: { from: 'OK', to: 'CRITICAL', added: ['BACKUP_OVERDUE'], cleared: [] } },
        notifiedStatus: 'CRITICAL',
        notifiedCodes: ['BACKUP_OVERDUE'],
      },
      {
        scenario: "fires despite another portal's silence",
        silences: [silence({ portal: 'globex' })],
        judged: verdict('CRITICAL', OVERDUE),
        now: NOW,
        notice: { state: 'firing', severity: 'critical', sms: true, flip: { from: 'OK', to: 'CRITICAL', added: ['BACKUP_OVERDUE'], cleared: [] } },
        notifiedStatus: 'CRITICAL',
        notifiedCodes: ['BACKUP_OVERDUE'],
      },
    ])('$scenario', ({ silences, judged, now, notice, notifiedStatus, notifiedCodes }) => {
      // Prepare
      const previous = memory('OK', []);

      // Act
      const decision = decide({ previous, verdict: judged, silences, now });

      // Assess
      expect(decision.notice).toStrictEqual(notice);
      expect(decision.next).toMatchObject({ notifiedStatus, notifiedCodes });
    });

    it('reports the silenced findings with until and reason, and remembers the real status', () => {
      // Prepare
      const silences = [silence({ codes: ['SCHEDULE_MISMATCH'], until: '2027-01-31T00:00:00Z', reason: 'moving storage' })];

      // Act
      const decision = decide({ verdict: verdict('WARNING', MISMATCH), silences });

      // Assess
      expect(decision.notice).toBeUndefined();
      expect(decision.silenced).toEqual([{ code: 'SCHEDULE_MISMATCH', until: '2027-01-31T00:00:00Z', reason: 'moving storage' }]);
      expect(decision.next).toMatchObject({ status: 'WARNING', codes: ['SCHEDULE_MISMATCH'], notifiedStatus: 'OK', notifiedCodes: [] });
    });

    it.each([
      { scenario: 'stays silent one millisecond before the silence expires', now: JUST_BEFORE_UNTIL, state: undefined },
      { scenario: 'fires when the silence has expired and the finding persists', now: AT_UNTIL, state: 'firing' },
    ])('$scenario', ({ now, state }) => {
      // Prepare: the last run saw the finding silenced
      const previous = memory('CRITICAL', ['BACKUP_OVERDUE'], { notifiedStatus: 'OK', notifiedCodes: [], runsSinceNotice: 4 });

      // Act
      const decision = decide({ previous, verdict: verdict('CRITICAL', OVERDUE), silences: [silence({ until: UNTIL })], now });

      // Assess
      expect(decision.notice?.state).toBe(state);
      if (state !== undefined) expect(decision.notice?.flip).toEqual({ from: 'OK', to: 'CRITICAL', added: ['BACKUP_OVERDUE'], cleared: [] });
    });

    it('sends no resolved notice when a silence starts while firing', () => {
      // Prepare
      const previous = memory('CRITICAL', ['BACKUP_OVERDUE'], { runsSinceNotice: 0 });

      // Act
      const decision = decide({ previous, verdict: verdict('CRITICAL', OVERDUE), silences: [silence()] });

      // Assess
      expect(decision.notice).toBeUndefined();
      expect(decision.next).toMatchObject({ notifiedStatus: 'OK', notifiedCodes: [], runsSinceNotice: 1, lastNotifiedAt: previous.lastNotifiedAt });
    });

    it('sends no resolved notice when a silenced problem is fixed', () => {
      // Prepare
      const previous = memory('CRITICAL', ['BACKUP_OVERDUE'], { notifiedStatus: 'OK', notifiedCodes: [] });

      // Act
      const decision = decide({ previous, verdict: verdict('OK'), silences: [silence()] });

      // Assess
      expect(decision.notice).toBeUndefined();
    });

    it('sends no resolved notice while the verdict is not OK, even when only silenced findings are left', () => {
      // Prepare: notified about the overdue backup; the mismatch was silenced all along
      const previous = memory('CRITICAL', ['BACKUP_OVERDUE', 'SCHEDULE_MISMATCH'], { notifiedStatus: 'CRITICAL', notifiedCodes: ['BACKUP_OVERDUE'] });

      // Act
      const decision = decide({ previous, verdict: verdict('WARNING', MISMATCH), silences: [silence({ codes: ['SCHEDULE_MISMATCH'] })] });

      // Assess
      expect(decision.notice).toBeUndefined();
      expect(decision.next).toMatchObject({ notifiedStatus: 'OK', notifiedCodes: [] });
    });

    it('fires about what is left when a silence starts on one of two codes', () => {
      // Prepare
      const previous = memory('CRITICAL', ['BACKUP_OVERDUE', 'SCHEDULE_MISMATCH']);

      // Act
      const decision = decide({ previous, verdict: verdict('CRITICAL', OVERDUE, MISMATCH), silences: [silence({ codes: ['BACKUP_OVERDUE'] })] });

      // Assess
      expect(decision.notice).toStrictEqual({
        state: 'firing',
        severity: 'warning',
        sms: true,
        flip: { from: 'CRITICAL', to: 'WARNING', added: [], cleared: ['BACKUP_OVERDUE'] },
      });
    });
  });

  describe('since', () => {
    const SINCE = '2027-01-01T07:00:00.000Z';

    it.each<{ scenario: string; judged: Verdict; silences: SilenceConfig[]; since: string }>([
      { scenario: 'keeps since when the status and codes are the same', judged: verdict('CRITICAL', OVERDUE), silences: [], since: SINCE },
      { scenario: 'keeps since when only a silence changed', judged: verdict('CRITICAL', OVERDUE), silences: [silence()], since: SINCE },
      { scenario: 'restarts since when a code changed', judged: verdict('CRITICAL', ARCHIVE_MISSING), silences: [], since: NOW_ISO },
      { scenario: 'restarts since when the status changed', judged: verdict('WARNING', MISMATCH), silences: [], since: NOW_ISO },
      { scenario: 'restarts since on recovery', judged: verdict('OK'), silences: [], since: NOW_ISO },
    ])('$scenario', ({ judged, silences, since }) => {
      // Prepare
      const previous = memory('CRITICAL', ['BACKUP_OVERDUE'], { since: SINCE });

      // Act
      const decision = decide({ previous, verdict: judged, silences });

      // Assess
      expect(decision.next.since).toBe(since);
    });
  });

  describe('on a duplicate delivery', () => {
    it('sends nothing and changes nothing when the memory already holds this run', () => {
      // Prepare: without the run key, this would fire (OK was notified, the portal is CRITICAL)
      const previous = memory('CRITICAL', ['BACKUP_OVERDUE'], { notifiedStatus: 'OK', notifiedCodes: [], lastRunKey: RUN_KEY });

      // Act
      const decision = decide({ previous, verdict: verdict('CRITICAL', OVERDUE) });

      // Assess
      expect(decision.notice).toBeUndefined();
      expect(decision.next).toBe(previous);
    });

    it('still reports the silenced findings', () => {
      // Prepare
      const previous = memory('CRITICAL', ['BACKUP_OVERDUE'], { lastRunKey: RUN_KEY });

      // Act
      const decision = decide({ previous, verdict: verdict('CRITICAL', OVERDUE), silences: [silence({ reason: 'restore test' })] });

      // Assess
      expect(decision.silenced).toEqual([{ code: 'BACKUP_OVERDUE', until: silence().until, reason: 'restore test' }]);
    });

    it.each<{ state: NoticeState; previous: PortalMemory; judged: Verdict }>([
      { state: 'firing', previous: memory('OK', []), judged: verdict('CRITICAL', OVERDUE) },
      { state: 'reminder', previous: memory('CRITICAL', ['BACKUP_OVERDUE']), judged: verdict('CRITICAL', OVERDUE) },
      { state: 'resolved', previous: memory('CRITICAL', ['BACKUP_OVERDUE']), judged: verdict('OK') },
    ])('decides the same $state notice for two deliveries that read the same memory', ({ state, previous, judged }) => {
      // Act
      const first = decide({ previous, verdict: judged });
      const second = decide({ previous, verdict: judged });

      // Assess
      expect(first.notice?.state).toBe(state);
      expect(second).toStrictEqual(first);
    });

    it('sends nothing when a second delivery reads the memory the first wrote', () => {
      // Prepare
      const first = decide({ previous: memory('OK', []), verdict: verdict('CRITICAL', OVERDUE) });

      // Act
      const second = decide({ previous: first.next, verdict: verdict('CRITICAL', OVERDUE) });

      // Assess
      expect(first.notice?.state).toBe('firing');
      expect(second.notice).toBeUndefined();
      expect(second.next).toStrictEqual(first.next);
    });
  });

  describe('over a sequence of daily runs', () => {
    interface Run {
      readonly verdict: Verdict;
      readonly silences?: readonly SilenceConfig[];
    }

    /**
     * Runs the portal through `runs`, one a day from {@link NOW}, threading the memory as a store
     * would. With `redeliver`, each run is delivered a second time after the first wrote its memory.
     */
    function runSequence(runs: readonly Run[], notifications: NotificationSettings, redeliver = false): NoticeState[] {
      const states: NoticeState[] = [];
      let previous: PortalMemory | undefined;
      runs.forEach((run, index) => {
        const now = new Date(NOW.getTime() + index * DAY_MS);
        const input = { verdict: run.verdict, notifications, silences: run.silences ?? [], runKey: now.toISOString(), now };
        const decision = decideNotice({ ...input, previous });
        const deliveries = redeliver ? [decision, decideNotice({ ...input, previous: decision.next })] : [decision];
        for (const delivered of deliveries) if (delivered.notice) states.push(delivered.notice.state);
        previous = decision.next;
      });
      return states;
    }

    function breaksFor(broken: Verdict, runs: number): Run[] {
      return [{ verdict: verdict('OK') }, ...Array.from({ length: runs }, () => ({ verdict: broken })), { verdict: verdict('OK') }, { verdict: verdict('OK') }];
    }

    const reminders = (count: number): NoticeState[] => Array.from({ length: count }, () => 'reminder');

    it.each<{ scenario: string; broken: Verdict; notifications: NotificationSettings; states: NoticeState[] }>([
      { scenario: 'critical with the default interval (1)', broken: verdict('CRITICAL', OVERDUE), notifications: DEFAULTS, states: ['firing', ...reminders(9), 'resolved'] },
      { scenario: 'warning with the default interval (7)', broken: verdict('WARNING', MISMATCH), notifications: DEFAULTS, states: ['firing', ...reminders(1), 'resolved'] },
      { scenario: 'critical with reminders off (0)', broken: verdict('CRITICAL', OVERDUE), notifications: settings(0, 7), states: ['firing', 'resolved'] },
      { scenario: 'warning every 3 runs', broken: verdict('WARNING', MISMATCH), notifications: settings(1, 3), states: ['firing', ...reminders(3), 'resolved'] },
      { scenario: 'UNKNOWN with a rejected key', broken: verdict('UNKNOWN', AUTH_REJECTED), notifications: DEFAULTS, states: ['firing', ...reminders(9), 'resolved'] },
    ])('sends 1 firing, the reminders and 1 resolved for a portal $scenario broken for 10 runs', ({ broken, notifications, states }) => {
      // Prepare
      const runs = breaksFor(broken, 10);

      // Act
      const sent = runSequence(runs, notifications);

      // Assess
      expect(sent).toEqual(states);
    });

    it.each([
      { scenario: 'critical', broken: verdict('CRITICAL', OVERDUE), states: ['firing', ...reminders(9), 'resolved'] },
      { scenario: 'warning', broken: verdict('WARNING', MISMATCH), states: ['firing', ...reminders(1), 'resolved'] },
    ])('sends nothing more when every run of a $scenario sequence is delivered twice', ({ broken, states }) => {
      // Prepare
      const runs = breaksFor(broken, 10);

      // Act
      const sent = runSequence(runs, DEFAULTS, true);

      // Assess
      expect(sent).toEqual(states);
    });

    it('goes quiet while silenced and fires again when the silence expires with the problem still there', () => {
      // Prepare: the silence is added on day 3 and ends on day 6 at the run's time
      const broken = verdict('CRITICAL', OVERDUE);
      const maintenance = [silence({ until: new Date(NOW.getTime() + 6 * DAY_MS).toISOString(), reason: 'moving storage' })];
      const runs: Run[] = [
        { verdict: verdict('OK') },
        { verdict: broken },
        { verdict: broken },
        { verdict: broken, silences: maintenance },
        { verdict: broken, silences: maintenance },
        { verdict: broken, silences: maintenance },
        { verdict: broken, silences: maintenance },
        { verdict: broken, silences: maintenance },
        { verdict: verdict('OK'), silences: maintenance },
      ];

      // Act
      const sent = runSequence(runs, DEFAULTS, true);

      // Assess: firing, reminder, (silenced days 3-5), firing on day 6, reminder, resolved
      expect(sent).toEqual(['firing', 'reminder', 'firing', 'reminder', 'resolved']);
    });

    it('sends no resolved notice when a problem silenced throughout is fixed', () => {
      // Prepare
      const maintenance = [silence({ until: '2027-02-01T00:00:00Z' })];
      const runs: Run[] = [
        { verdict: verdict('OK'), silences: maintenance },
        { verdict: verdict('CRITICAL', OVERDUE), silences: maintenance },
        { verdict: verdict('CRITICAL', OVERDUE), silences: maintenance },
        { verdict: verdict('OK'), silences: maintenance },
      ];

      // Act
      const sent = runSequence(runs, DEFAULTS);

      // Assess
      expect(sent).toEqual([]);
    });
  });
});

describe('decideNotice with an acknowledgement', () => {
  const ACK = { status: 'CRITICAL', codes: ['BACKUP_OVERDUE'], by: 'alice', at: '2027-01-04T08:00:00.000Z', reason: 'restoring the bucket' } as const;
  const acknowledged = memory('CRITICAL', ['BACKUP_OVERDUE'], { notifiedSeverity: 'critical', ack: ACK });

  it('sends no reminder while the status and codes stay as acknowledged, and keeps the acknowledgement', () => {
    // Act
    const decision = decide({ previous: acknowledged, verdict: verdict('CRITICAL', OVERDUE) });

    // Assess
    expect(decision.notice).toBeUndefined();
    expect(decision.acknowledged).toEqual(ACK);
    expect(decision.next.ack).toEqual(ACK);
    expect(decision.next.runsSinceNotice).toBe(1);
  });

  it('fires again, and ends the acknowledgement, when a code is added', () => {
    // Act
    const decision = decide({ previous: acknowledged, verdict: verdict('CRITICAL', OVERDUE, ARCHIVE_MISSING) });

    // Assess
    expect(decision.notice).toEqual({ state: 'firing', severity: 'critical', sms: true, flip: { from: 'CRITICAL', to: 'CRITICAL', added: ['ARCHIVE_MISSING'], cleared: [] } });
    expect(decision.acknowledged).toBeUndefined();
    expect(decision.next).not.toHaveProperty('ack');
  });

  it('sends the resolved notice, and ends the acknowledgement, when the portal is fixed', () => {
    // Act
    const decision = decide({ previous: acknowledged, verdict: verdict('OK') });

    // Assess
    expect(decision.notice?.state).toBe('resolved');
    expect(decision.next).not.toHaveProperty('ack');
  });

  it('fires when the same code rises from warning to critical', () => {
    // Prepare
    const warningAck = { ...ACK, status: 'UNKNOWN', codes: ['CHECK_FAILED'] } as const;
    const previous = memory('UNKNOWN', ['CHECK_FAILED'], { notifiedSeverity: 'warning', ack: warningAck });

    // Act
    const decision = decide({ previous, verdict: verdict('UNKNOWN', AUTH_REJECTED) });

    // Assess
    expect(decision.notice).toMatchObject({ state: 'firing', severity: 'critical' });
    expect(decision.next).not.toHaveProperty('ack');
  });

  it('holds while only a silenced code comes and goes, since what is alerted stays the same', () => {
    // Prepare
    const silences = [silence({ codes: ['SCHEDULE_MISMATCH'] })];

    // Act
    const decision = decide({ previous: acknowledged, verdict: verdict('CRITICAL', OVERDUE, MISMATCH), silences });

    // Assess
    expect(decision.notice).toBeUndefined();
    expect(decision.next.ack).toEqual(ACK);
  });

  it('reports the acknowledgement, unchanged, for a second delivery of the same run', () => {
    // Prepare
    const previous = { ...acknowledged, lastRunKey: RUN_KEY };

    // Act
    const decision = decide({ previous, verdict: verdict('CRITICAL', OVERDUE) });

    // Assess
    expect(decision.notice).toBeUndefined();
    expect(decision.acknowledged).toEqual(ACK);
    expect(decision.next).toBe(previous);
  });
});

describe('decideNotice with a run-time silence', () => {
  it('names the silence by id and author in the silenced findings, and holds back the alert', () => {
    // Prepare
    const runtime = { ...silence({ codes: ['BACKUP_OVERDUE'] }), id: 's-1a2b3c4d', createdBy: 'arn:aws:sts::123456789012:assumed-role/ops/alice' };

    // Act
    const decision = decide({ previous: memory('OK', []), verdict: verdict('CRITICAL', OVERDUE), silences: [runtime] });

    // Assess
    expect(decision.notice).toBeUndefined();
    expect(decision.silenced).toEqual([
      { code: 'BACKUP_OVERDUE', until: UNTIL, reason: 'moving storage', id: 's-1a2b3c4d', by: 'arn:aws:sts::123456789012:assumed-role/ops/alice' },
    ]);
  });
});
