/**
 * The vocabulary of the compliance report: what a portal's day was, what an incident is, and
 * the per-portal and fleet figures an auditor reads.
 */

/** What one run found of one portal, for compliance. */
export const RunOutcome = {
  /** Every piece of evidence was read and nothing was wrong. */
  COMPLIANT: 'compliant',
  /** A rule was broken, at most with warnings. */
  WARNING: 'warning',
  /** A rule was broken critically. */
  CRITICAL: 'critical',
  /** The portal could not be evaluated (key, schedule or other evidence missing) and nothing judged was wrong. */
  NOT_VERIFIED: 'not-verified',
} as const;
export type RunOutcome = (typeof RunOutcome)[keyof typeof RunOutcome];

/** What one UTC day was for one portal: its runs' worst outcome, or `no-run` when no run covered it. */
export const DayStatus = { ...RunOutcome, NO_RUN: 'no-run' } as const;
export type DayStatus = (typeof DayStatus)[keyof typeof DayStatus];

/** How an incident ended by the end of the period. */
export const IncidentEnd = {
  /** A later run found the portal compliant again. */
  FIXED: 'fixed',
  /** Still failing at the end, with every finding of its last failing run silenced. */
  SILENCED: 'silenced',
  /** Still failing at the end. */
  OPEN: 'open',
} as const;
export type IncidentEnd = (typeof IncidentEnd)[keyof typeof IncidentEnd];

/** A stretch of runs in which a portal was not compliant. */
export interface Incident {
  /** The first run that found the portal not compliant (ISO-8601). */
  readonly firstFailingRun: string;
  /** The last run that found it not compliant (ISO-8601). */
  readonly lastFailingRun: string;
  /** Every finding code the failing runs reported (sorted). */
  readonly codes: readonly string[];
  /** The worst outcome in the incident. */
  readonly severity: 'critical' | 'warning';
  readonly end: IncidentEnd;
  /** The run that found the portal compliant again, when `end` is `fixed`. */
  readonly fixedAt?: string;
  /** Until when the silence holds, when `end` is `silenced`. */
  readonly silencedUntil?: string;
  /** From the first failing run to the fix, or to the last run of the period when not fixed. */
  readonly hours: number;
}

/**
 * The longest stretch without a proven backup: a backup seen by a run that read all its evidence
 * and found nothing wrong but setup drift (schedule, storage, retention, dump).
 */
export interface BackupGap {
  /** The last proven backup before the gap, or the period's start when none was seen (ISO-8601). */
  readonly from: string;
  /** The next proven backup, or the end of the evidence (ISO-8601). */
  readonly to: string;
  readonly hours: number;
  /** `true` when the gap was still open at the end of the period. */
  readonly open: boolean;
}

/** One portal over the period. */
export interface PortalCompliance {
  readonly name: string;
  readonly url?: string;
  /** One status per day of the period, in order. */
  readonly days: readonly DayStatus[];
  readonly compliantDays: number;
  readonly nonCompliantDays: number;
  /** Days no run evaluated the portal: no run, or it could not be evaluated. */
  readonly notVerifiedDays: number;
  /** Of the not-verified days, those without any run that checked this portal. */
  readonly daysWithoutRun: number;
  /** Compliant days as a percentage of the period's days, one decimal. */
  readonly compliancePercent: number;
  readonly incidents: readonly Incident[];
  readonly longestWithoutProvenBackup: BackupGap;
}

/** The fleet over the period. */
export interface FleetCompliance {
  readonly portals: number;
  /** Portal-days, summed over the portals. */
  readonly compliantDays: number;
  readonly nonCompliantDays: number;
  readonly notVerifiedDays: number;
  readonly compliancePercent: number;
  readonly incidents: number;
  /** Incidents still open (or silenced) at the end of the period. */
  readonly openIncidents: number;
  /** Archived runs read. */
  readonly runs: number;
  /** Days of the period without any archived run: gaps in the evidence. */
  readonly daysWithoutRun: readonly string[];
  /** Archived reports that could not be read or understood, by key: they count as no run. */
  readonly unreadableReports: readonly string[];
}

/** The compliance report of one period. */
export interface ComplianceReport {
  /** First and last day (UTC, `YYYY-MM-DD`, inclusive). */
  readonly from: string;
  readonly to: string;
  /** The days of the period, in order. */
  readonly days: readonly string[];
  /** When the report was made (ISO-8601). */
  readonly generatedAt: string;
  /** Where the archived runs were read from. */
  readonly source: string;
  readonly fleet: FleetCompliance;
  readonly portals: readonly PortalCompliance[];
}
