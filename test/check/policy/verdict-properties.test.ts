/**
 * Properties of the verdict (issue 10), for any schedule, zone, evidence and `now`: a portal with
 * no dispatch and no archive since a slot whose grace has passed is never OK; moving `now`
 * forward never turns a stale portal fresh; a timestamp after `now` never makes a portal fresher;
 * and "overdue in every zone" (the zone unknown) is only said of a portal overdue in its real zone.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BackupRecord, BackupSchedule, CronParams } from '../../../functions/check/docspace/schemas.ts';
import { dueSlot } from '../../../functions/check/policy/freshness.ts';
import { Status, type BackupPolicy, type PortalZone, type Verdict } from '../../../functions/check/policy/types.ts';
import { evaluate } from '../../../functions/check/policy/verdict.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Spawning nothing, each run is a few ms (an unknown zone tries 105 offsets): this keeps the file near a second. */
const RUNS = { numRuns: 150 };

/** Real zones, the quarter-hour and half-hour ones and both ends of the offset range among them. */
const REAL_ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'America/St_Johns',
  'Asia/Kathmandu',
  'Asia/Kolkata',
  'Australia/Eucla',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Pacific/Kiritimati',
  'Etc/GMT+12',
  'America/Santiago',
].map((id): PortalZone => ({ kind: 'iana', id }));

const crons: fc.Arbitrary<CronParams> = fc.oneof(
  fc.record({ period: fc.constant(0), hour: fc.integer({ min: 0, max: 23 }), day: fc.constant(0) }),
  fc.record({ period: fc.constant(1), hour: fc.integer({ min: 0, max: 23 }), day: fc.integer({ min: 1, max: 7 }) }),
  fc.record({ period: fc.constant(2), hour: fc.integer({ min: 0, max: 23 }), day: fc.integer({ min: 1, max: 31 }) }),
);
const nows = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2028, 0, 1) }).map((ms) => new Date(ms));
/** The zone the portal reports: a real one, a fixed-offset fallback, or none (`undefined`). */
const reportedZones: fc.Arbitrary<PortalZone | undefined> = fc.oneof(
  fc.constantFrom(...REAL_ZONES),
  fc.integer({ min: -48, max: 56 }).map((quarters): PortalZone => ({ kind: 'fixed', offsetMinutes: quarters * 15 })),
  fc.constant(undefined),
);
const policies: fc.Arbitrary<BackupPolicy> = fc
  .record({
    graceMinutes: fc.integer({ min: 15, max: 10_080 }),
    extraArchiveGrace: fc.integer({ min: 0, max: 2_000 }),
    maxBackupAgeHours: fc.option(fc.integer({ min: 1, max: 9_600 }), { nil: undefined }),
    requireArchive: fc.boolean(),
  })
  .map(({ graceMinutes, extraArchiveGrace, maxBackupAgeHours, requireArchive }) => ({
    graceMinutes,
    archiveGraceMinutes: graceMinutes + extraArchiveGrace,
    maxBackupAgeHours,
    requireArchive,
    checkLastBackupError: false,
    severity: {},
  }));
/** An offset from `now`, from 120 days before to 400 days after. */
const offsets = fc.integer({ min: -120 * DAY, max: 400 * DAY });

function schedule(cron: CronParams, lastBackupTime: Date | null): BackupSchedule {
  return { storageType: 0, storageModule: undefined, cronParams: cron, backupsStored: 7, lastBackupTime, dump: false };
}

function archive(createdOn: Date): BackupRecord {
  return { id: String(createdOn.getTime()), fileName: 'acme.tar.gz', createdOn };
}

interface Case {
  readonly cron: CronParams;
  readonly zone: PortalZone | undefined;
  readonly policy: BackupPolicy;
  readonly lastBackupTime: Date | null;
  readonly history: readonly BackupRecord[];
  readonly now: Date;
}

function judge(c: Case): Verdict {
  return evaluate({
    portal: { name: 'acme', url: 'https://acme.onlyoffice.com/' },
    zone: c.zone,
    ...(c.zone === undefined ? { zoneFailure: { cause: 'TIMEOUT', source: 'settings', detail: 'settings request failed' } } : {}),
    schedule: { ok: true, value: schedule(c.cron, c.lastBackupTime) },
    history: c.policy.requireArchive ? { ok: true, value: c.history } : undefined,
    policy: c.policy,
    now: c.now,
  });
}

const RANK: Record<Status, number> = { OK: 0, WARNING: 1, UNKNOWN: 2, CRITICAL: 3 };
const STALE_CODES = ['BACKUP_OVERDUE', 'BACKUP_TOO_OLD', 'ARCHIVE_MISSING'];

function staleCodes(verdict: Verdict): string[] {
  return [...new Set(verdict.findings.map((finding) => finding.code).filter((code) => STALE_CODES.includes(code)))].sort();
}

/** True when `later` is no fresher than `earlier`: every stale code stays, and the status is no better. */
function isNoFresher(later: Verdict, earlier: Verdict): boolean {
  return staleCodes(earlier).every((code) => staleCodes(later).includes(code)) && RANK[later.status] >= RANK[earlier.status];
}

describe('evaluate (properties)', () => {
  it('never calls a portal OK that has no dispatch and no archive since a slot whose grace has passed', () => {
    fc.assert(
      fc.property(
        crons,
        fc.constantFrom(...REAL_ZONES),
        fc.boolean(),
        policies,
        nows,
        fc.oneof(fc.constant('never' as const), fc.constant('before' as const), fc.constant('future' as const)),
        fc.array(fc.boolean(), { maxLength: 3 }),
        fc.integer({ min: 1, max: 60 * DAY }),
        (cron, realZone, zoneKnown, policy, now, dispatch, archives, gap) => {
          // Prepare: the slot whose grace has passed, in the portal's real zone.
          const slot = dueSlot(cron, realZone, now, policy.graceMinutes);
          fc.pre(slot !== undefined);
          const before = new Date(slot!.getTime() - gap);
          const future = new Date(now.getTime() + 16 * MINUTE + gap);
          const lastBackupTime = dispatch === 'never' ? null : dispatch === 'before' ? before : future;
          const history = archives.map((isFuture, index) => archive(isFuture ? new Date(future.getTime() + index) : new Date(before.getTime() - index)));

          // Act
          const verdict = judge({ cron, zone: zoneKnown ? realZone : undefined, policy, lastBackupTime, history, now });

          // Assess
          expect(verdict.status).not.toBe(Status.OK);
        },
      ),
      RUNS,
    );
  });

  it('never turns a stale portal fresh as now moves forward (evidence not in the future)', () => {
    fc.assert(
      fc.property(
        crons,
        reportedZones,
        policies,
        nows,
        fc.option(fc.integer({ min: -120 * DAY, max: 0 }), { nil: null }),
        fc.array(fc.integer({ min: -120 * DAY, max: 0 }), { maxLength: 3 }),
        fc.integer({ min: 0, max: 60 * DAY }),
        (cron, zone, policy, now, lastOffset, archiveOffsets, step) => {
          // Prepare
          const lastBackupTime = lastOffset === null ? null : new Date(now.getTime() + lastOffset);
          const history = archiveOffsets.map((offset) => archive(new Date(now.getTime() + offset)));
          const base = { cron, zone, policy, lastBackupTime, history };

          // Act
          const earlier = judge({ ...base, now });
          const later = judge({ ...base, now: new Date(now.getTime() + step) });

          // Assess
          expect(isNoFresher(later, earlier)).toBe(true);
        },
      ),
      RUNS,
    );
  });

  it('never makes a portal fresher by a timestamp after now: not than without it, nor than at now', () => {
    fc.assert(
      fc.property(
        crons,
        reportedZones,
        policies,
        nows,
        fc.option(offsets, { nil: null }),
        fc.array(offsets, { maxLength: 3 }),
        fc.integer({ min: 1, max: 400 * DAY }),
        fc.boolean(),
        (cron, zone, policy, now, lastOffset, archiveOffsets, ahead, onDispatch) => {
          // Prepare: the same portal without the timestamp (never dispatched, or one archive fewer), with it at now, and after now.
          const lastBackupTime = lastOffset === null ? null : new Date(now.getTime() + lastOffset);
          const history = archiveOffsets.map((offset) => archive(new Date(now.getTime() + offset)));
          const archived = { ...policy, requireArchive: true };
          const at = (instant: Date | null): Case =>
            onDispatch
              ? { cron, zone, policy, lastBackupTime: instant, history, now }
              : { cron, zone, policy: archived, lastBackupTime, history: instant === null ? history : [...history, archive(instant)], now };
          const afterNow = new Date(now.getTime() + ahead);

          // Act
          const verdictAfterNow = judge(at(afterNow));

          // Assess: within the 15 minutes a clock may be ahead, the timestamp counts as at now.
          expect(isNoFresher(verdictAfterNow, judge(at(now)))).toBe(true);
          if (ahead > 15 * MINUTE) expect(isNoFresher(verdictAfterNow, judge(at(null)))).toBe(true);
        },
      ),
      RUNS,
    );
  });

  it('says "overdue in every zone" only of a portal that is overdue in its real zone', () => {
    fc.assert(
      fc.property(crons, fc.constantFrom(...REAL_ZONES), policies, nows, offsets, (cron, realZone, policy, now, lastOffset) => {
        // Prepare
        const base = { cron, policy: { ...policy, requireArchive: false }, lastBackupTime: new Date(now.getTime() - Math.abs(lastOffset)), history: [], now };

        // Act
        const unknown = judge({ ...base, zone: undefined });
        const real = judge({ ...base, zone: realZone });

        // Assess
        if (staleCodes(unknown).includes('BACKUP_OVERDUE')) expect(staleCodes(real)).toContain('BACKUP_OVERDUE');
        if (staleCodes(real).includes('BACKUP_OVERDUE')) expect(unknown.status).not.toBe(Status.OK);
      }),
      RUNS,
    );
  });
});
