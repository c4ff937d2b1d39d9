/**
 * What one run's verdict means for compliance. A portal is non-compliant only on what was judged
 * (a finding other than CHECK_FAILED); when evidence was missing and nothing judged was wrong, it
 * was not verified, whatever the alert's status said.
 */
import type { ArchivedFinding, ArchivedPortal } from './archived-report-schema.ts';
import { RunOutcome } from './types.ts';

const CHECK_FAILED = 'CHECK_FAILED';

/**
 * Findings about the policy's setup, not about the backup itself: a run that found only these
 * still proves the backup it saw. Any other code (an unknown one too) leaves the backup unproven.
 */
const SETUP_DRIFT_CODES: ReadonlySet<string> = new Set(['SCHEDULE_MISMATCH', 'STORAGE_NOT_ALLOWED', 'RETENTION_TOO_LOW', 'DUMP_MISMATCH']);

/** The outcome of one portal in one run, with the findings that make it. */
export interface JudgedRun {
  readonly outcome: RunOutcome;
  /** The findings that were judged (all but CHECK_FAILED). */
  readonly judged: readonly ArchivedFinding[];
  /** Whether the run proves the backup it saw: all evidence read, nothing wrong but setup drift. */
  readonly provesBackup: boolean;
}

/** Judges one portal's verdict of one run for compliance. */
export function judgeRun(portal: ArchivedPortal): JudgedRun {
  const judged = portal.findings.filter((finding) => finding.code !== CHECK_FAILED);
  const unverified = portal.status === 'UNKNOWN' || judged.length < portal.findings.length;
  const provesBackup = !unverified && judged.every((finding) => SETUP_DRIFT_CODES.has(finding.code));
  if (judged.some((finding) => finding.severity === 'critical')) return { outcome: RunOutcome.CRITICAL, judged, provesBackup };
  if (judged.length > 0) return { outcome: RunOutcome.WARNING, judged, provesBackup };
  return { outcome: unverified ? RunOutcome.NOT_VERIFIED : RunOutcome.COMPLIANT, judged, provesBackup };
}

const OUTCOME_RANK: Readonly<Record<RunOutcome, number>> = {
  [RunOutcome.NOT_VERIFIED]: 0,
  [RunOutcome.COMPLIANT]: 1,
  [RunOutcome.WARNING]: 2,
  [RunOutcome.CRITICAL]: 3,
};

/**
 * The day's outcome from two runs of the same day: a failure that day outweighs a compliant run
 * (the portal was not compliant for part of it), and any evaluation outweighs none.
 */
export function worseOutcome(a: RunOutcome, b: RunOutcome): RunOutcome {
  return OUTCOME_RANK[a] >= OUTCOME_RANK[b] ? a : b;
}
