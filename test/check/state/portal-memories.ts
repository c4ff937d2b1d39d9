/** Portal memories for the state store tests, built by hand. */
import type { PortalMemory } from '../../../functions/check/notify/types.ts';

/** The scheduled time of a run, used as its run key. */
export function runKey(hour: number): string {
  return `2025-01-06T${String(hour).padStart(2, '0')}:00:00Z`;
}

/** A CRITICAL portal first seen at 02:00, notified once, written by the 02:00 run; `overrides` change any field. */
export function memoryOf(portal: string, overrides: Partial<PortalMemory> = {}): PortalMemory {
  return {
    portal,
    status: 'CRITICAL',
    codes: ['BACKUP_OVERDUE', 'LAST_BACKUP_FAILED'],
    since: '2025-01-06T02:00:00.000Z',
    notifiedStatus: 'CRITICAL',
    notifiedCodes: ['BACKUP_OVERDUE', 'LAST_BACKUP_FAILED'],
    notifiedSeverity: 'critical',
    lastNotifiedAt: '2025-01-06T02:00:05.000Z',
    runsSinceNotice: 0,
    lastRunKey: runKey(2),
    ...overrides,
  };
}

/** A portal that was OK in the 01:00 run and has never been notified about. */
export function okMemoryOf(portal: string, overrides: Partial<PortalMemory> = {}): PortalMemory {
  const { lastNotifiedAt: _never, notifiedSeverity: _none, ...memory } = memoryOf(portal, {
    status: 'OK',
    codes: [],
    notifiedStatus: 'OK',
    notifiedCodes: [],
    since: '2025-01-01T01:00:00.000Z',
    runsSinceNotice: 7,
    lastRunKey: runKey(1),
  });
  return { ...memory, ...overrides };
}
