/**
 * The simulated portals of the demo and the end-to-end tests: one portal per state the
 * monitor must recognize, with bodies computed from `now` so the demo is right on any day.
 */
import { lastDueSlot } from '../../functions/check/policy/slots.ts';
import type { PortalZone } from '../../functions/check/policy/types.ts';
import { problemResponse, type SimulatedPortal } from './simulated-portal.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const BERLIN: PortalZone = { kind: 'iana', id: 'Europe/Berlin' };

/** DocSpace's wire format for a timestamp: UTC without an offset. */
export function wireTime(instant: Date): string {
  return instant.toISOString().slice(0, 19);
}

/** One simulated portal and what the monitor must say about it. */
export interface Scenario {
  readonly name: string;
  /** One line for the demo: what state the portal is in. */
  readonly story: string;
  readonly portal: SimulatedPortal;
  /** Per-portal policy overrides for the config. */
  readonly policy?: Record<string, unknown>;
  /** Set when the config names the zone; otherwise the portal's settings give it. */
  readonly timeZone?: string;
  readonly expectedStatus: 'OK' | 'WARNING' | 'CRITICAL' | 'UNKNOWN';
  readonly expectedCodes: readonly string[];
}

interface ScheduleWire {
  storageType: number;
  storageParams: Record<string, string>;
  cronParams: { period: number; hour: number; day: number };
  backupsStored: number | null;
  lastBackupTime: string;
  dump: boolean;
}

function schedule(overrides: Partial<ScheduleWire>): ScheduleWire {
  return {
    storageType: 0,
    storageParams: { folderId: '5182' },
    cronParams: { period: 0, hour: 2, day: 0 },
    backupsStored: 7,
    lastBackupTime: '0001-01-01T00:00:00',
    dump: false,
    ...overrides,
  };
}

function progress(error = '') {
  return { isCompleted: true, progress: error ? 37 : 100, error, link: '', tenantId: 1, backupProgressEnum: 0, status: 2, taskId: '3f2c9a1e-6b7d-4e0f-9a8b-1c2d3e4f5a6b' };
}

function archive(name: string, createdOn: Date) {
  return {
    id: `6a1f0c2e-8d3b-4b5a-9c7d-${String(createdOn.getTime()).slice(-12).padStart(12, '0')}`,
    fileName: `${name}_${wireTime(createdOn).replace(/[:T]/g, '-')}.tar.gz`,
    storageType: 0,
    createdOn: wireTime(createdOn),
    expiresOn: '0001-01-01T00:00:00',
  };
}

const settings = { timezone: 'Europe/Berlin', utcOffset: '01:00:00', utcHoursOffset: 1, culture: 'en-US', version: '3.7.2' };

/**
 * The demo's portals as of `now`, each keyed by its name, with the API key it expects.
 *
 * @param keyOf - the API key each portal expects (and the config's env variable serves)
 */
export function buildScenarios(now: Date, keyOf: (name: string) => string): readonly Scenario[] {
  const daily = { period: 0, hour: 2, day: 0 };
  const weekly = { period: 1, hour: 3, day: 1 };
  // Slots taken 20 minutes back, so every dispatch and archive below lies in the past.
  const settled = new Date(now.getTime() - 20 * MINUTE);
  const lastSlot = lastDueSlot(daily, BERLIN, settled)!;
  const lastWeeklySlot = lastDueSlot(weekly, BERLIN, settled)!;
  const fresh = new Date(lastSlot.getTime() + 7 * MINUTE);
  const freshArchive = new Date(lastSlot.getTime() + 19 * MINUTE);
  const stale = new Date(lastSlot.getTime() - 3 * DAY + 6 * MINUTE);
  const base = (name: string, overrides: Partial<SimulatedPortal> = {}): SimulatedPortal => ({
    apiKey: keyOf(name),
    settings,
    progress: progress(),
    history: [archive(name, freshArchive), archive(name, new Date(freshArchive.getTime() - DAY))],
    schedule: schedule({ lastBackupTime: wireTime(fresh) }),
    ...overrides,
  });

  return [
    {
      name: 'compliant',
      story: 'daily backup at 02:00 Berlin, dispatched and archived on time',
      portal: base('compliant'),
      expectedStatus: 'OK',
      expectedCodes: [],
    },
    {
      name: 'overdue',
      story: 'subscription in its grace period: the schedule reads fine but nothing ran for 3 days',
      portal: base('overdue', {
        schedule: schedule({ lastBackupTime: wireTime(stale) }),
        progress: null,
        history: [archive('overdue', new Date(stale.getTime() + 12 * MINUTE))],
      }),
      expectedStatus: 'CRITICAL',
      expectedCodes: ['BACKUP_OVERDUE', 'ARCHIVE_MISSING'],
    },
    {
      name: 'drifted',
      story: 'someone changed the schedule to weekly, kept only 2 copies and moved it to local storage',
      timeZone: 'Europe/Berlin',
      portal: base('drifted', {
        schedule: schedule({
          storageType: 3,
          storageParams: {},
          cronParams: weekly,
          backupsStored: 2,
          lastBackupTime: wireTime(new Date(lastWeeklySlot.getTime() + 5 * MINUTE)),
        }),
        history: [archive('drifted', new Date(lastWeeklySlot.getTime() + 15 * MINUTE))],
      }),
      expectedStatus: 'WARNING',
      expectedCodes: ['SCHEDULE_MISMATCH', 'STORAGE_NOT_ALLOWED', 'RETENTION_TOO_LOW'],
    },
    {
      name: 'never-ran',
      story: "schedule saved after the last slot's backup, never dispatched since (lastBackupTime 0001-01-01)",
      // The archive of the last slot stays evidence: a reset schedule does not reset it.
      portal: base('never-ran', { schedule: schedule({ lastBackupTime: '0001-01-01T00:00:00' }), progress: null }),
      expectedStatus: 'WARNING',
      expectedCodes: ['NEVER_RAN'],
    },
    {
      name: 'failed-task',
      story: 'dispatched on time, but the backup task failed: the last archive is 2 days old',
      portal: base('failed-task', {
        progress: progress('The required folder was not found'),
        history: [archive('failed-task', new Date(freshArchive.getTime() - 2 * DAY))],
      }),
      expectedStatus: 'CRITICAL',
      expectedCodes: ['LAST_BACKUP_FAILED', 'ARCHIVE_MISSING'],
    },
    {
      name: 'no-archive',
      story: 'dispatched on time, no error reported, but no archive in the backup history',
      portal: base('no-archive', { history: [] }),
      expectedStatus: 'CRITICAL',
      expectedCodes: ['ARCHIVE_MISSING'],
    },
    {
      name: 'no-schedule',
      story: 'automatic backup switched off (DocSpace SaaS deletes it when billing fails)',
      portal: base('no-schedule', { schedule: null }),
      expectedStatus: 'CRITICAL',
      expectedCodes: ['NO_SCHEDULE'],
    },
    {
      name: 'key-revoked',
      story: "the monitor's API key was revoked (HTTP 401)",
      portal: base('key-revoked', { apiKey: 'sk-some-other-key-the-monitor-does-not-have' }),
      expectedStatus: 'UNKNOWN',
      expectedCodes: ['CHECK_FAILED'],
    },
    {
      name: 'unpaid',
      story: 'subscription unpaid (HTTP 402)',
      portal: base('unpaid', { schedule: problemResponse(402, 'Payment Required'), history: problemResponse(402, 'Payment Required') }),
      expectedStatus: 'UNKNOWN',
      expectedCodes: ['CHECK_FAILED'],
    },
    {
      name: 'slow',
      story: 'compliant, but answers slowly (1.5 s a request)',
      portal: base('slow', { latencyMs: 1500 }),
      expectedStatus: 'OK',
      expectedCodes: [],
    },
  ];
}

/** The policy the demo config applies to every portal. */
export const SCENARIO_POLICY = {
  schedule: { period: 'EveryDay', hour: 2 },
  graceMinutes: 60,
  archiveGraceMinutes: 240,
  allowedStorageTypes: ['Documents', 'ThirdPartyConsumer', 'CustomCloud'],
  minBackupsStored: 7,
};

/** The environment variable that holds a scenario portal's API key. */
export function keyVariableOf(name: string): string {
  return `DEMO_${name.toUpperCase().replace(/-/g, '_')}_KEY`;
}

/** A config document for the scenarios, served at `urlOf(name)`. */
export function scenarioConfig(scenarios: readonly Scenario[], urlOf: (name: string) => string): Record<string, unknown> {
  return {
    portals: scenarios.map((scenario) => ({
      name: scenario.name,
      url: urlOf(scenario.name),
      apiKey: { env: keyVariableOf(scenario.name) },
      ...(scenario.timeZone ? { timeZone: scenario.timeZone } : {}),
      ...(scenario.policy ? { policy: scenario.policy } : {}),
    })),
    policy: SCENARIO_POLICY,
  };
}
