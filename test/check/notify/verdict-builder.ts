/**
 * Hand-built verdicts, findings, silences and memories for the notice tests. Findings carry
 * placeholder text: the notice policy reads only their code, severity and source.
 */
import type { SilenceConfig } from '../../../functions/check/config.ts';
import type { PortalMemory } from '../../../functions/check/notify/types.ts';
import type { CheckFailedCause, EvidenceSource, Finding, FindingCode, Severity, Status, Verdict } from '../../../functions/check/policy/types.ts';

/** The portal every test judges. */
export const PORTAL = 'acme-prod';

/** The instant of the run under test. */
export const NOW = new Date('2027-01-05T07:00:00Z');

/** One day, in milliseconds: the check runs daily. */
export const DAY_MS = 24 * 60 * 60 * 1000;

/** A finding with only what the notice policy reads filled in meaningfully. */
export function finding(code: FindingCode, severity: Severity): Finding {
  return { code, severity, message: `${code} message`, remedy: `${code} remedy` };
}

/** A `CHECK_FAILED` finding about one piece of evidence. */
export function checkFailed(source: EvidenceSource, cause: CheckFailedCause, severity: Severity): Finding {
  return { ...finding('CHECK_FAILED', severity), source, cause };
}

export const OVERDUE = finding('BACKUP_OVERDUE', 'critical');
export const ARCHIVE_MISSING = finding('ARCHIVE_MISSING', 'critical');
export const MISMATCH = finding('SCHEDULE_MISMATCH', 'warning');
export const RETENTION = finding('RETENTION_TOO_LOW', 'warning');
/** The API key was rejected: nothing could be judged (UNKNOWN), a person must act (critical). */
export const AUTH_REJECTED = checkFailed('schedule', 'AUTH_REJECTED', 'critical');
/** The portal timed out: nothing could be judged (UNKNOWN), but it is transient (warning). */
export const SCHEDULE_TIMEOUT = checkFailed('schedule', 'TIMEOUT', 'warning');
/** The history could not be read: the schedule was still judged, so the status is not UNKNOWN. */
export const HISTORY_TIMEOUT = checkFailed('history', 'TIMEOUT', 'warning');

/** One run's verdict for {@link PORTAL}, with the status as the policy would give it. */
export function verdict(status: Status, ...findings: Finding[]): Verdict {
  return { portal: PORTAL, url: 'https://acme.onlyoffice.com/', status, timeZone: 'Europe/Berlin', checkedAt: NOW, findings };
}

/** A silence for {@link PORTAL} until a day after {@link NOW}; `changes` override any member. */
export function silence(changes: Partial<SilenceConfig> = {}): SilenceConfig {
  return { portal: PORTAL, until: '2027-01-06T07:00:00Z', reason: 'moving storage', ...changes };
}

/**
 * What the monitor remembers after a run that saw `status` and `codes` and notified about them
 * (or, for OK, had nothing outstanding); `changes` override any member.
 */
export function memory(status: Status, codes: readonly FindingCode[], changes: Partial<PortalMemory> = {}): PortalMemory {
  return {
    portal: PORTAL,
    status,
    codes,
    since: '2027-01-01T07:00:00.000Z',
    notifiedStatus: status,
    notifiedCodes: codes,
    lastNotifiedAt: '2027-01-01T07:00:00.000Z',
    runsSinceNotice: 0,
    lastRunKey: 'run-previous',
    ...changes,
  };
}
