import { describe, expect, it } from 'vitest';
import type { CronParams } from '../../../functions/check/docspace/schemas.ts';
import { escalate, isUnevaluated, neverRanDeadline, nextEscalationFacts, type EscalationInput } from '../../../functions/check/notify/escalation.ts';
import type { PortalMemory } from '../../../functions/check/notify/types.ts';
import type { PortalZone, Verdict } from '../../../functions/check/policy/types.ts';
import { AUTH_REJECTED, checkFailed, DAY_MS, finding, HISTORY_TIMEOUT, memory, NOW, OVERDUE, SCHEDULE_TIMEOUT, verdict } from './verdict-builder.ts';

const UTC: PortalZone = { kind: 'iana', id: 'UTC' };
const BERLIN: PortalZone = { kind: 'iana', id: 'Europe/Berlin' };
const DAILY_02: CronParams = { period: 0, hour: 2, day: 0 };
const WEEKLY_SUNDAY_02: CronParams = { period: 1, hour: 2, day: 1 };
const MONTHLY_31_03: CronParams = { period: 2, hour: 3, day: 31 };
const NEVER_RAN = finding('NEVER_RAN', 'warning');
const RUN_KEY = NOW.toISOString();

/** A verdict whose schedule was read and never dispatched. */
function neverRanVerdict(...others: Verdict['findings']): Verdict {
  return { ...verdict('WARNING', NEVER_RAN, ...others), lastBackupTime: null };
}

function unevaluated(...findings: Verdict['findings']): Verdict {
  return verdict('UNKNOWN', ...findings);
}

function ago(ms: number): string {
  return new Date(NOW.getTime() - ms).toISOString();
}

function input(changes: Partial<EscalationInput> & Pick<EscalationInput, 'verdict'>): EscalationInput {
  return { runKey: RUN_KEY, cron: DAILY_02, zone: UTC, graceMinutes: 60, escalateUncheckedAfterRuns: 3, now: NOW, ...changes };
}

function previous(changes: Partial<PortalMemory> = {}): PortalMemory {
  return memory('WARNING', ['NEVER_RAN'], { lastRunKey: ago(DAY_MS), ...changes });
}

describe('nextEscalationFacts', () => {
  it.each<{ scenario: string; before?: Partial<PortalMemory>; verdict: Verdict; facts: object }>([
    { scenario: 'a first NEVER_RAN starts its clock now', verdict: neverRanVerdict(), facts: { neverRanSince: NOW.toISOString() } },
    { scenario: 'a NEVER_RAN seen before keeps its first sighting', before: { neverRanSince: ago(3 * DAY_MS) }, verdict: neverRanVerdict(), facts: { neverRanSince: ago(3 * DAY_MS) } },
    { scenario: 'a dispatched schedule forgets it', before: { neverRanSince: ago(3 * DAY_MS) }, verdict: { ...verdict('OK'), lastBackupTime: new Date(ago(DAY_MS)) }, facts: {} },
    { scenario: 'no schedule forgets it', before: { neverRanSince: ago(3 * DAY_MS) }, verdict: verdict('CRITICAL', finding('NO_SCHEDULE', 'critical')), facts: {} },
    {
      scenario: 'an unread schedule keeps it, and starts a streak',
      before: { neverRanSince: ago(3 * DAY_MS) },
      verdict: unevaluated(SCHEDULE_TIMEOUT),
      facts: { neverRanSince: ago(3 * DAY_MS), uncheckedRuns: 1, uncheckedSince: NOW.toISOString() },
    },
    {
      scenario: 'a streak goes on from where it began',
      before: { uncheckedRuns: 2, uncheckedSince: ago(2 * DAY_MS) },
      verdict: unevaluated(AUTH_REJECTED),
      facts: { uncheckedRuns: 3, uncheckedSince: ago(2 * DAY_MS) },
    },
    { scenario: 'an evaluated run ends a streak', before: { uncheckedRuns: 5, uncheckedSince: ago(5 * DAY_MS) }, verdict: verdict('CRITICAL', OVERDUE), facts: {} },
    { scenario: 'a history failure alone is no unevaluated run', verdict: verdict('WARNING', HISTORY_TIMEOUT), facts: {} },
    {
      scenario: 'a settings failure alone is no unevaluated run (the verdict judges under every zone)',
      before: { uncheckedRuns: 2, uncheckedSince: ago(2 * DAY_MS) },
      verdict: unevaluated(checkFailed('settings', 'NETWORK', 'warning')),
      facts: {},
    },
  ])('$scenario', ({ before, verdict: judged, facts }) => {
    // Act
    const next = nextEscalationFacts(before === undefined ? undefined : previous(before), judged, NOW);

    // Assess
    expect(next).toEqual(facts);
  });

  it('tells unevaluated verdicts by a CHECK_FAILED of the key or the schedule', () => {
    // Assess
    expect(isUnevaluated(unevaluated(checkFailed('apiKey', 'API_KEY_INVALID', 'critical')))).toBe(true);
    expect(isUnevaluated(verdict('WARNING', checkFailed('progress', 'TIMEOUT', 'warning')))).toBe(false);
  });
});

describe('neverRanDeadline', () => {
  it.each<{ scenario: string; since: string; cron: CronParams; zone?: PortalZone; deadline: string }>([
    { scenario: 'daily: one day and the grace after first seen', since: '2027-01-04T07:00:00Z', cron: DAILY_02, zone: UTC, deadline: '2027-01-05T08:00:00Z' },
    { scenario: 'weekly: seven days and the grace', since: '2027-01-04T07:00:00Z', cron: WEEKLY_SUNDAY_02, zone: BERLIN, deadline: '2027-01-11T08:00:00Z' },
    { scenario: 'monthly on the 31st: 31 days when the next slot is sooner', since: '2027-03-01T07:00:00Z', cron: MONTHLY_31_03, zone: UTC, deadline: '2027-04-01T08:00:00Z' },
    { scenario: 'monthly on the 31st: the next slot when it is later (no 31st in February)', since: '2027-01-31T04:00:00Z', cron: MONTHLY_31_03, zone: UTC, deadline: '2027-03-31T04:00:00Z' },
    { scenario: 'monthly on the 31st across a DST change, in the zone', since: '2027-01-31T04:00:00Z', cron: MONTHLY_31_03, zone: BERLIN, deadline: '2027-03-31T02:00:00Z' },
    { scenario: 'daily with the zone unknown: still one day, every zone has a slot within it', since: '2027-01-04T07:00:00Z', cron: DAILY_02, deadline: '2027-01-05T08:00:00Z' },
    // In UTC−01:00 the 31 January slot (04:00 UTC) is not after first seen, so its next is 31 March 04:00 UTC: the latest.
    { scenario: 'monthly with the zone unknown: the latest slot over every zone', since: '2027-01-31T04:00:00Z', cron: MONTHLY_31_03, deadline: '2027-03-31T05:00:00Z' },
  ])('$scenario', ({ since, cron, zone, deadline }) => {
    // Act
    const due = neverRanDeadline(new Date(since), cron, zone, 60);

    // Assess
    expect(due?.toISOString()).toBe(new Date(deadline).toISOString());
  });
});

describe('escalate', () => {
  describe('a NEVER_RAN that lasts', () => {
    it.each<{ scenario: string; firstSeen: string; severity: string }>([
      { scenario: 'stays a warning within one day and the grace', firstSeen: ago(DAY_MS), severity: 'warning' },
      { scenario: 'stays a warning one minute before the deadline', firstSeen: ago(DAY_MS + 59 * 60_000), severity: 'warning' },
      { scenario: 'is critical at the deadline', firstSeen: ago(DAY_MS + 60 * 60_000), severity: 'critical' },
      { scenario: 'is critical days later', firstSeen: ago(5 * DAY_MS), severity: 'critical' },
    ])('$scenario (daily, grace 60 min)', ({ firstSeen, severity }) => {
      // Act
      const escalated = escalate(input({ verdict: neverRanVerdict(), previous: previous({ neverRanSince: firstSeen }) }));

      // Assess
      expect(escalated.findings.find((entry) => entry.code === 'NEVER_RAN')?.severity).toBe(severity);
      expect(escalated.status).toBe(severity === 'critical' ? 'CRITICAL' : 'WARNING');
    });

    it('says since when, until when, and why', () => {
      // Act
      const escalated = escalate(input({ verdict: neverRanVerdict(), previous: previous({ neverRanSince: '2027-01-02T07:00:00.000Z' }) }));

      // Assess
      const neverRan = escalated.findings[0]!;
      expect(neverRan).toMatchObject({ code: 'NEVER_RAN', severity: 'critical', actual: { lastBackupTime: null, neverRanSince: '2027-01-02T07:00:00.000Z' } });
      expect(neverRan.message).toContain('first saw it never dispatched at 2027-01-02 07:00 UTC');
      expect(neverRan.message).toContain('due by 2027-01-03 08:00 UTC');
      expect(neverRan.message).toContain('backup scheduler is not running');
    });

    it('is not escalated on the first sighting, whatever the clock says', () => {
      // Act
      const escalated = escalate(input({ verdict: neverRanVerdict(), previous: previous() }));

      // Assess
      expect(escalated.findings[0]?.severity).toBe('warning');
    });

    it('is not escalated without state', () => {
      // Act
      const escalated = escalate(input({ verdict: neverRanVerdict(), previous: undefined }));

      // Assess
      expect(escalated).toEqual(neverRanVerdict());
    });

    it('waits for the latest zone when the zone is unknown', () => {
      // Prepare: first seen 2027-01-31 04:00 UTC, monthly on the 31st at 03:00: due 04:00 UTC in UTC, 05:00 UTC in the latest zone
      const before = previous({ neverRanSince: '2027-01-31T04:00:00.000Z' });
      const now = new Date('2027-03-31T04:30:00Z');

      // Act
      const inUtc = escalate(input({ verdict: neverRanVerdict(), previous: before, cron: MONTHLY_31_03, zone: UTC, now }));
      const inAnyZone = escalate(input({ verdict: neverRanVerdict(), previous: before, cron: MONTHLY_31_03, zone: undefined, now }));

      // Assess
      expect(inUtc.findings[0]?.severity).toBe('critical');
      expect(inAnyZone.findings[0]?.severity).toBe('warning');
    });
  });

  describe('a portal unevaluated run after run', () => {
    it.each<{ scenario: string; runsBefore: number; threshold: number; severity: string }>([
      { scenario: 'stays a warning on the second run', runsBefore: 1, threshold: 3, severity: 'warning' },
      { scenario: 'is critical on the third run', runsBefore: 2, threshold: 3, severity: 'critical' },
      { scenario: 'is critical on the tenth run', runsBefore: 9, threshold: 3, severity: 'critical' },
      { scenario: 'follows a threshold of 1', runsBefore: 0, threshold: 1, severity: 'critical' },
      { scenario: 'never escalates with a threshold of 0', runsBefore: 50, threshold: 0, severity: 'warning' },
    ])('$scenario', ({ runsBefore, threshold, severity }) => {
      // Prepare
      const before = runsBefore === 0 ? previous() : previous({ uncheckedRuns: runsBefore, uncheckedSince: ago(runsBefore * DAY_MS) });

      // Act
      const escalated = escalate(input({ verdict: unevaluated(SCHEDULE_TIMEOUT), previous: before, escalateUncheckedAfterRuns: threshold }));

      // Assess
      expect(escalated.findings[0]).toMatchObject({ code: 'CHECK_FAILED', cause: 'TIMEOUT', severity });
      expect(escalated.status).toBe('UNKNOWN');
    });

    it('says how many runs, and since when', () => {
      // Act
      const escalated = escalate(input({ verdict: unevaluated(SCHEDULE_TIMEOUT), previous: previous({ uncheckedRuns: 2, uncheckedSince: '2027-01-03T07:00:00.000Z' }) }));

      // Assess
      expect(escalated.findings[0]?.message).toContain('could not be evaluated in 3 consecutive runs (since 2027-01-03 07:00 UTC)');
    });

    it('counts a second delivery of the same run once', () => {
      // Prepare: the memory already holds this run (the first delivery wrote it) with 2 runs
      const before = previous({ uncheckedRuns: 2, uncheckedSince: ago(DAY_MS), lastRunKey: RUN_KEY });

      // Act
      const escalated = escalate(input({ verdict: unevaluated(SCHEDULE_TIMEOUT), previous: before }));

      // Assess
      expect(escalated.findings[0]?.severity).toBe('warning');
    });

    it('leaves a failure that is critical anyway, and one of the history, as they are', () => {
      // Prepare
      const judged = verdict('UNKNOWN', AUTH_REJECTED, HISTORY_TIMEOUT);

      // Act
      const escalated = escalate(input({ verdict: judged, previous: previous({ uncheckedRuns: 5, uncheckedSince: ago(5 * DAY_MS) }) }));

      // Assess
      expect(escalated).toBe(judged);
    });
  });
});
