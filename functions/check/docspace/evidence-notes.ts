/**
 * What a portal's evidence held that could not be used, gathered for the report: history
 * records skipped for want of a date, schedule members ignored as odd. Nothing here is judged.
 */
import type { EvidenceNotes, Fetched } from './evidence.ts';
import type { BackupHistory, BackupRecord, BackupSchedule } from './schemas.ts';

/**
 * The notes of a portal's schedule and history, or `undefined` when there is nothing to note.
 *
 * @param schedule - the schedule as read
 * @param history - the history as read; undefined when not asked
 */
export function evidenceNotesOf(schedule: Fetched<BackupSchedule | null>, history: Fetched<BackupHistory> | undefined): EvidenceNotes | undefined {
  const skippedHistoryRecords = history?.ok ? history.value.skippedRecords : 0;
  const ignoredMembers = schedule.ok ? (schedule.value?.ignoredMembers ?? []) : [];
  if (skippedHistoryRecords === 0 && ignoredMembers.length === 0) return undefined;
  return {
    ...(skippedHistoryRecords === 0 ? {} : { skippedHistoryRecords }),
    ...(ignoredMembers.length === 0 ? {} : { ignoredMembers }),
  };
}

/**
 * The history as the verdict judges it: its dated records (the skipped ones are only counted).
 *
 * @param history - the history as read; undefined when not asked
 */
export function historyRecords(history: Fetched<BackupHistory> | undefined): Fetched<readonly BackupRecord[]> | undefined {
  if (history === undefined || !history.ok) return history;
  return { ok: true, value: history.value.records };
}
