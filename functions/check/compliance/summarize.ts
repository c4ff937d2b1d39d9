/**
 * The compliance report of a period, built from the archived run reports one at a time: a report
 * is read, folded into each portal's tracker and dropped, so a year of a large fleet never sits
 * in memory at once.
 */
import { archiveDayPrefix, daysBetween } from '../archive/archive-key.ts';
import type { ReportSource } from '../archive/report-archive.ts';
import { mapWithConcurrency } from '../concurrency.ts';
import { ArchivedReportSchema, type ArchivedReport } from './archived-report-schema.ts';
import { percentOf, PortalTracker } from './portal-tracker.ts';
import { IncidentEnd, type ComplianceReport } from './types.ts';

const DAY_MS = 86_400_000;

/** What the report covers. */
export interface ComplianceOptions {
  /** First day, `YYYY-MM-DD` (UTC). */
  readonly from: string;
  /** Last day, `YYYY-MM-DD` (UTC), inclusive. */
  readonly to: string;
  /** Only these portals; every portal of the archived runs when absent. */
  readonly portals?: readonly string[];
  /** When the report is made: evidence cannot reach past it. */
  readonly now: Date;
}

/** Folds archived run reports, in the order they were made, into a {@link ComplianceReport}. Pure. */
export class ComplianceSummarizer {
  readonly #options: ComplianceOptions;
  readonly #days: readonly string[];
  readonly #start: Date;
  readonly #trackers = new Map<string, PortalTracker>();
  readonly #daysWithRun = new Set<number>();
  readonly #seenRuns = new Set<string>();
  readonly #unreadable: string[] = [];
  #runs = 0;

  public constructor(options: ComplianceOptions) {
    this.#options = options;
    this.#days = daysBetween(options.from, options.to);
    this.#start = new Date(`${options.from}T00:00:00Z`);
    for (const name of options.portals ?? []) this.#trackerOf(name);
  }

  /**
   * Takes one archived report's text. A report that cannot be read counts as no run and is
   * listed; a second copy of a run already taken (the same run key) is skipped.
   *
   * @param key - where it was read from, for the list of unreadable reports
   */
  public addText(key: string, text: string): void {
    let parsed: ArchivedReport;
    try {
      const result = ArchivedReportSchema.safeParse(JSON.parse(text));
      if (!result.success) throw result.error;
      parsed = result.data;
    } catch {
      this.#unreadable.push(key);
      return;
    }
    this.add(parsed);
  }

  /** Takes one archived report. Reports outside the period are ignored. */
  public add(report: ArchivedReport): void {
    const checkedAt = new Date(report.checkedAt);
    const dayIndex = Math.floor((checkedAt.getTime() - this.#start.getTime()) / DAY_MS);
    if (dayIndex < 0 || dayIndex >= this.#days.length) return;
    if (report.runKey !== undefined) {
      if (this.#seenRuns.has(report.runKey)) return;
      this.#seenRuns.add(report.runKey);
    }
    this.#runs += 1;
    this.#daysWithRun.add(dayIndex);
    const wanted = this.#options.portals;
    for (const portal of report.portals) {
      if (wanted !== undefined && !wanted.includes(portal.name)) continue;
      this.#trackerOf(portal.name).add(portal, checkedAt, dayIndex);
    }
  }

  /** The report over everything taken. */
  public result(source: string): ComplianceReport {
    const periodEnd = new Date(this.#start.getTime() + this.#days.length * DAY_MS);
    const end = this.#options.now < periodEnd ? this.#options.now : periodEnd;
    const portals = [...this.#trackers.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, tracker]) => tracker.result(end));
    const sum = (pick: (portal: (typeof portals)[number]) => number) => portals.reduce((total, portal) => total + pick(portal), 0);
    const compliantDays = sum((portal) => portal.compliantDays);
    const incidents = portals.flatMap((portal) => portal.incidents);
    return {
      from: this.#options.from,
      to: this.#options.to,
      days: this.#days,
      generatedAt: this.#options.now.toISOString(),
      source,
      fleet: {
        portals: portals.length,
        compliantDays,
        nonCompliantDays: sum((portal) => portal.nonCompliantDays),
        notVerifiedDays: sum((portal) => portal.notVerifiedDays),
        compliancePercent: percentOf(compliantDays, portals.length * this.#days.length),
        incidents: incidents.length,
        openIncidents: incidents.filter((incident) => incident.end !== IncidentEnd.FIXED).length,
        runs: this.#runs,
        daysWithoutRun: this.#days.filter((_, index) => !this.#daysWithRun.has(index)),
        unreadableReports: [...this.#unreadable],
      },
      portals,
    };
  }

  #trackerOf(name: string): PortalTracker {
    let tracker = this.#trackers.get(name);
    if (tracker === undefined) {
      tracker = new PortalTracker(name, this.#days.length, this.#start);
      this.#trackers.set(name, tracker);
    }
    return tracker;
  }
}

/** How many archived reports (and days' listings) are fetched ahead of the one being summarized. */
const READ_AHEAD = 8;

/**
 * Reads the period's archived reports from `source` in the order they were made and summarizes
 * them. Only their keys are listed up front; at most {@link READ_AHEAD} reports are held at once.
 *
 * @throws ReportArchiveError when the archive cannot be listed or a report cannot be fetched
 * @example
 * const report = await readCompliance(new FolderReportArchive('archive'), { from: '2026-07-01', to: '2026-09-30', now: new Date() });
 */
export async function readCompliance(source: ReportSource, options: ComplianceOptions): Promise<ComplianceReport> {
  const summarizer = new ComplianceSummarizer(options);
  const days = daysBetween(options.from, options.to);
  const keys = (await mapWithConcurrency(days, READ_AHEAD, (day) => source.keysUnder(archiveDayPrefix(day)))).flat();
  const ahead: Promise<string>[] = [];
  const fetch = (key: string) => {
    const read = source.read(key);
    // Awaited in turn below; until then a failure must not count as unhandled.
    read.catch(() => undefined);
    ahead.push(read);
  };
  keys.slice(0, READ_AHEAD).forEach(fetch);
  for (const [index, key] of keys.entries()) {
    const text = await ahead.shift()!;
    const next = keys[index + READ_AHEAD];
    if (next !== undefined) fetch(next);
    summarizer.addText(key, text);
  }
  return summarizer.result(source.location);
}
