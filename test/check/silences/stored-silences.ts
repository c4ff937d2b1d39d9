/** Run-time silences for the silences tests, built by hand. */
import type { Silence } from '../../../functions/check/silences/types.ts';

/** The instant the tests change or judge silences at. */
export const NOW = new Date('2027-01-05T07:00:00Z');

/** One hour, in milliseconds. */
export const HOUR_MS = 60 * 60 * 1000;

/** `NOW` moved by `hours` (negative: earlier). */
export function hoursFromNow(hours: number): Date {
  return new Date(NOW.getTime() + hours * HOUR_MS);
}

/** A silence of acme-prod's BACKUP_OVERDUE, added an hour before {@link NOW} by alice, for 4 hours; `changes` override any member. */
export function storedSilence(changes: Partial<Silence> = {}): Silence {
  return {
    id: 's-0000000a',
    portal: 'acme-prod',
    codes: ['BACKUP_OVERDUE'],
    until: hoursFromNow(3).toISOString(),
    reason: 'moving the backup bucket',
    createdBy: 'arn:aws:sts::123456789012:assumed-role/ops/alice',
    createdAt: hoursFromNow(-1).toISOString(),
    ...changes,
  };
}
