/**
 * Reads the DocSpace fixtures in test/fixtures/docspace/ through the real body schemas, so the
 * verdict tests judge exactly what the client would hand over.
 */
import { readFileSync } from 'node:fs';
import {
  BackupHistorySchema,
  BackupProgressSchema,
  BackupScheduleSchema,
  EnvelopeSchema,
  PortalSettingsSchema,
  type BackupProgress,
  type BackupRecord,
  type BackupSchedule,
  type PortalSettings,
} from '../../../functions/check/docspace/schemas.ts';

const FIXTURES = new URL('../../fixtures/docspace/', import.meta.url);

/** The envelope's `response` of a fixture file; `undefined` when it is left out. */
function fixtureResponse(name: string): unknown {
  const json: unknown = JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'));
  return EnvelopeSchema.parse(json).response ?? undefined;
}

/** A schedule fixture, parsed; `null` when the portal has none (`schedule-none.json`). */
export function scheduleFixture(name: string): BackupSchedule | null {
  const response = fixtureResponse(name);
  return response === undefined ? null : BackupScheduleSchema.parse(response);
}

/** A progress fixture, parsed; `null` when there is no task (`progress-none.json`). */
export function progressFixture(name: string): BackupProgress | null {
  const response = fixtureResponse(name);
  return response === undefined ? null : BackupProgressSchema.parse(response);
}

/** A history fixture, parsed. */
export function historyFixture(name: string): BackupRecord[] {
  return [...BackupHistorySchema.parse(fixtureResponse(name)).records];
}

/** The settings fixture's `response`, parsed. */
export function settingsFixture(name: string): PortalSettings {
  return PortalSettingsSchema.parse(fixtureResponse(name));
}
