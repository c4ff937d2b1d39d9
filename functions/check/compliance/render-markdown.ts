/**
 * The compliance report as Markdown: fleet totals first, then a table of portals, then each
 * portal's timeline and incidents. Also the body of the monthly report e-mail. Pure.
 */
import { DayStatus, type ComplianceReport, type Incident, type PortalCompliance } from './types.ts';

/** One character per day in the text timeline. */
export const DAY_SYMBOL: Readonly<Record<DayStatus, string>> = {
  [DayStatus.COMPLIANT]: '+',
  [DayStatus.WARNING]: 'w',
  [DayStatus.CRITICAL]: 'X',
  [DayStatus.NOT_VERIFIED]: '?',
  [DayStatus.NO_RUN]: '.',
};

/** Text from an archived report, made safe in a Markdown table cell: no markup, no line breaks. */
export function markdownText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').replace(/[\\`*_{}[\]()<>#+!|~]/g, (character) => `\\${character}`);
}

function row(cells: readonly (string | number)[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string[] {
  return [row(header), row(header.map(() => '---')), ...rows.map(row)];
}

/** `2026-07-03T06:00:00.000Z` as `2026-07-03 06:00 UTC`. */
export function utcText(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** How an incident ended, in words, as plain text (the caller escapes it for its format). */
export function incidentEndText(incident: Incident): string {
  if (incident.fixedAt !== undefined) return `fixed ${utcText(incident.fixedAt)}`;
  if (incident.silencedUntil !== undefined) return `silenced until ${incident.silencedUntil}`;
  return 'still open';
}

function gapText(portal: PortalCompliance): string {
  const gap = portal.longestWithoutProvenBackup;
  return `${gap.hours} h (${utcText(gap.from)} → ${gap.open ? 'end of evidence' : utcText(gap.to)})`;
}

/** How a Markdown report is cut to fit (the monthly e-mail). */
export interface MarkdownLimit {
  /** Only the first this many portals get a row and a section; the note says how many more there are. */
  readonly portals: number;
  /** What to run for the full report. */
  readonly fullReportHint: string;
}

/**
 * The report as Markdown.
 *
 * @param limit - cut the portal list (the caller orders it), saying so
 * @example
 * process.stdout.write(renderComplianceMarkdown(await readCompliance(source, { from, to, now })));
 */
export function renderComplianceMarkdown(full: ComplianceReport, limit?: MarkdownLimit): string {
  const report = limit === undefined ? full : { ...full, portals: full.portals.slice(0, limit.portals) };
  const { fleet } = full;
  const out = [
    `# Backup compliance ${report.from} to ${report.to}`,
    '',
    `${report.days.length} days (UTC), ${fleet.runs} archived runs read from ${markdownText(report.source)}; generated ${utcText(report.generatedAt)}.`,
    '',
    '## Fleet',
    '',
    ...table(
      ['portals', 'compliant days', 'not compliant days', 'not verified days', 'compliance', 'incidents', 'still open'],
      [[fleet.portals, fleet.compliantDays, fleet.nonCompliantDays, fleet.notVerifiedDays, `${fleet.compliancePercent} %`, fleet.incidents, fleet.openIncidents]],
    ),
    '',
    fleet.daysWithoutRun.length === 0
      ? 'Every day of the period has at least one archived run.'
      : `**Days without any run (gaps in the evidence): ${fleet.daysWithoutRun.length}**: ${fleet.daysWithoutRun.join(', ')}`,
  ];
  if (fleet.unreadableReports.length > 0)
    out.push('', `**Archived reports that could not be read (counted as no run): ${fleet.unreadableReports.length}**: ${fleet.unreadableReports.map(markdownText).join(', ')}`);
  out.push(
    '',
    '## Portals',
    '',
    ...table(
      ['portal', 'compliant', 'not compliant', 'not verified', 'of which no run', 'compliance', 'incidents', 'longest without a proven backup'],
      report.portals.map((portal) => [
        markdownText(portal.name),
        portal.compliantDays,
        portal.nonCompliantDays,
        portal.notVerifiedDays,
        portal.daysWithoutRun,
        `${portal.compliancePercent} %`,
        portal.incidents.length,
        gapText(portal),
      ]),
    ),
    '',
    ...(report.portals.length < full.portals.length
      ? [`**${full.portals.length - report.portals.length} more portals are left out to fit this message**; for the full report run \`${limit?.fullReportHint}\`.`, '']
      : []),
    `Timelines: one character per day from ${report.from}: \`+\` compliant, \`w\` warning, \`X\` critical, \`?\` not verified, \`.\` no run.`,
  );
  for (const portal of report.portals) {
    out.push('', `### ${markdownText(portal.name)}`, '', `\`${portal.days.map((day) => DAY_SYMBOL[day]).join('')}\``);
    if (portal.incidents.length === 0) {
      out.push('', 'No incidents.');
      continue;
    }
    out.push(
      '',
      ...table(
        ['first failing run', 'last failing run', 'codes', 'severity', 'ended', 'lasted'],
        portal.incidents.map((incident) => [
          utcText(incident.firstFailingRun),
          utcText(incident.lastFailingRun),
          incident.codes.map(markdownText).join(', '),
          incident.severity,
          markdownText(incidentEndText(incident)),
          `${incident.hours} h`,
        ]),
      ),
    );
  }
  return `${out.join('\n')}\n`;
}
