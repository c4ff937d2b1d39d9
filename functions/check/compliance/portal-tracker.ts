/**
 * Follows one portal through the period's runs, in order, keeping only what the report needs:
 * a status per day, the incident in progress and the gap since the last proven backup. Memory
 * does not grow with the number of runs, only with the number of days and incidents.
 */
import type { ArchivedPortal } from './archived-report-schema.ts';
import { judgeRun, worseOutcome } from './run-outcome.ts';
import { DayStatus, IncidentEnd, RunOutcome, type BackupGap, type Incident, type PortalCompliance } from './types.ts';

const HOUR_MS = 3_600_000;

interface OpenIncident {
  firstFailingRun: Date;
  lastFailingRun: Date;
  codes: Set<string>;
  severity: 'critical' | 'warning';
  /** Until when every finding of the last failing run is silenced; undefined when one is not. */
  silencedUntil: string | undefined;
}

/** A percentage with one decimal. */
export function percentOf(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10;
}

function hoursBetween(from: Date, to: Date): number {
  return Math.round(((to.getTime() - from.getTime()) / HOUR_MS) * 10) / 10;
}

/** One portal's compliance, built run by run. */
export class PortalTracker {
  readonly #name: string;
  #url: string | undefined;
  readonly #days: DayStatus[];
  readonly #periodStart: Date;
  readonly #incidents: Incident[] = [];
  #open: OpenIncident | undefined;
  #lastRun: Date | undefined;
  #lastProvenBackup: Date | undefined;
  #longest: BackupGap | undefined;

  public constructor(name: string, dayCount: number, periodStart: Date) {
    this.#name = name;
    this.#days = Array.from({ length: dayCount }, () => DayStatus.NO_RUN);
    this.#periodStart = periodStart;
  }

  /**
   * Takes one run's verdict of this portal. Runs must come in the order they were made.
   *
   * @param dayIndex - the run's day within the period
   */
  public add(portal: ArchivedPortal, checkedAt: Date, dayIndex: number): void {
    this.#url ??= portal.url;
    this.#lastRun = checkedAt;
    const { outcome, judged, provesBackup } = judgeRun(portal);
    const day = this.#days[dayIndex]!;
    this.#days[dayIndex] = day === DayStatus.NO_RUN ? outcome : worseOutcome(day, outcome);

    if (outcome === RunOutcome.WARNING || outcome === RunOutcome.CRITICAL) {
      const open = (this.#open ??= { firstFailingRun: checkedAt, lastFailingRun: checkedAt, codes: new Set(), severity: 'warning', silencedUntil: undefined });
      open.lastFailingRun = checkedAt;
      for (const finding of judged) open.codes.add(finding.code);
      if (outcome === RunOutcome.CRITICAL) open.severity = 'critical';
      const silences = judged.map((finding) => finding.silenced?.until);
      open.silencedUntil = silences.every((until) => until !== undefined) ? silences.sort().at(-1) : undefined;
    } else if (outcome === RunOutcome.COMPLIANT) {
      if (this.#open) this.#closeIncident(this.#open, checkedAt);
      this.#open = undefined;
    }
    if (provesBackup && portal.lastBackupTime) this.#proveBackup(new Date(portal.lastBackupTime), checkedAt);
  }

  /** The portal over the whole period; `end` is where the evidence stops (the period's end, or now if sooner). */
  public result(end: Date): PortalCompliance {
    const incidents = [...this.#incidents];
    if (this.#open) {
      const open = this.#open;
      incidents.push({
        firstFailingRun: open.firstFailingRun.toISOString(),
        lastFailingRun: open.lastFailingRun.toISOString(),
        codes: [...open.codes].sort(),
        severity: open.severity,
        end: open.silencedUntil === undefined ? IncidentEnd.OPEN : IncidentEnd.SILENCED,
        ...(open.silencedUntil === undefined ? {} : { silencedUntil: open.silencedUntil }),
        hours: hoursBetween(open.firstFailingRun, this.#lastRun ?? open.lastFailingRun),
      });
    }
    const count = (...statuses: DayStatus[]) => this.#days.filter((day) => statuses.includes(day)).length;
    const compliantDays = count(DayStatus.COMPLIANT);
    return {
      name: this.#name,
      ...(this.#url === undefined ? {} : { url: this.#url }),
      days: [...this.#days],
      compliantDays,
      nonCompliantDays: count(DayStatus.WARNING, DayStatus.CRITICAL),
      notVerifiedDays: count(DayStatus.NOT_VERIFIED, DayStatus.NO_RUN),
      daysWithoutRun: count(DayStatus.NO_RUN),
      compliancePercent: percentOf(compliantDays, this.#days.length),
      incidents,
      longestWithoutProvenBackup: this.#longestGap(end),
    };
  }

  #closeIncident(open: OpenIncident, fixedAt: Date): void {
    this.#incidents.push({
      firstFailingRun: open.firstFailingRun.toISOString(),
      lastFailingRun: open.lastFailingRun.toISOString(),
      codes: [...open.codes].sort(),
      severity: open.severity,
      end: IncidentEnd.FIXED,
      fixedAt: fixedAt.toISOString(),
      hours: hoursBetween(open.firstFailingRun, fixedAt),
    });
  }

  /** A backup a compliant run saw; one dated after the run itself proves nothing. */
  #proveBackup(backup: Date, checkedAt: Date): void {
    if (Number.isNaN(backup.getTime()) || backup > checkedAt) return;
    if (this.#lastProvenBackup !== undefined && backup <= this.#lastProvenBackup) return;
    // The first backup seen may predate the period: the gap runs from it, not from the period's start.
    const from = this.#lastProvenBackup ?? (backup < this.#periodStart ? undefined : this.#periodStart);
    if (from !== undefined) this.#considerGap(from, backup, false);
    this.#lastProvenBackup = backup;
  }

  #longestGap(end: Date): BackupGap {
    const from = this.#lastProvenBackup ?? this.#periodStart;
    if (end > from) this.#considerGap(from, end, true);
    return this.#longest ?? { from: from.toISOString(), to: from.toISOString(), hours: 0, open: false };
  }

  #considerGap(from: Date, to: Date, open: boolean): void {
    const hours = hoursBetween(from, to);
    if (this.#longest === undefined || hours > this.#longest.hours) this.#longest = { from: from.toISOString(), to: to.toISOString(), hours, open };
  }
}
