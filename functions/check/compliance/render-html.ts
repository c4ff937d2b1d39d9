/**
 * The compliance report as one self-contained HTML page (no scripts, no external resources), to
 * print or attach to an audit ticket: fleet totals, then per portal its figures, a timeline as an
 * inline SVG strip (one cell per day) and its incidents. Every text is escaped. Pure.
 */
import { incidentEndText, utcText } from './render-markdown.ts';
import { DayStatus, type ComplianceReport, type PortalCompliance } from './types.ts';

/** The colour of each day's cell; `no-run` is a paler grey than `not-verified`. */
export const DAY_COLOUR: Readonly<Record<DayStatus, string>> = {
  [DayStatus.COMPLIANT]: '#2e7d32',
  [DayStatus.WARNING]: '#f9a825',
  [DayStatus.CRITICAL]: '#c62828',
  [DayStatus.NOT_VERIFIED]: '#757575',
  [DayStatus.NO_RUN]: '#cfcfcf',
};

const DAY_LABEL: Readonly<Record<DayStatus, string>> = {
  [DayStatus.COMPLIANT]: 'compliant',
  [DayStatus.WARNING]: 'warning',
  [DayStatus.CRITICAL]: 'critical',
  [DayStatus.NOT_VERIFIED]: 'not verified',
  [DayStatus.NO_RUN]: 'not verified (no run)',
};

/** Width of the strip in CSS pixels; cells share it, with a 1-pixel gap between them. */
const STRIP_WIDTH = 960;
const STRIP_HEIGHT = 28;

/** Text made safe in HTML content and attribute values. */
export function htmlText(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** One portal's timeline: an SVG strip with one `rect` per day, each titled with its date and status. */
export function timelineSvg(days: readonly string[], statuses: readonly PortalCompliance['days'][number][]): string {
  const cell = STRIP_WIDTH / Math.max(days.length, 1);
  const gap = cell >= 4 ? 1 : 0;
  const rects = statuses.map(
    (status, index) =>
      `<rect x="${(index * cell).toFixed(2)}" y="0" width="${(cell - gap).toFixed(2)}" height="${STRIP_HEIGHT}" fill="${DAY_COLOUR[status]}" data-day="${days[index]}" data-status="${status}"><title>${days[index]}: ${DAY_LABEL[status]}</title></rect>`,
  );
  return `<svg class="timeline" role="img" aria-label="one cell per day" width="${STRIP_WIDTH}" height="${STRIP_HEIGHT}" viewBox="0 0 ${STRIP_WIDTH} ${STRIP_HEIGHT}" xmlns="http://www.w3.org/2000/svg">${rects.join('')}</svg>`;
}

function legend(): string {
  return `<p class="legend">${Object.values(DayStatus)
    .map((status) => `<span><i style="background:${DAY_COLOUR[status]}"></i>${DAY_LABEL[status]}</span>`)
    .join(' ')}</p>`;
}

function portalSection(report: ComplianceReport, portal: PortalCompliance): string {
  const gap = portal.longestWithoutProvenBackup;
  const incidents =
    portal.incidents.length === 0
      ? '<p>No incidents.</p>'
      : `<table><thead><tr><th>first failing run</th><th>last failing run</th><th>codes</th><th>severity</th><th>ended</th><th>lasted</th></tr></thead><tbody>${portal.incidents
          .map(
            (incident) =>
              `<tr class="${incident.severity}"><td>${htmlText(utcText(incident.firstFailingRun))}</td><td>${htmlText(utcText(incident.lastFailingRun))}</td><td>${htmlText(incident.codes.join(', '))}</td><td>${incident.severity}</td><td>${htmlText(incidentEndText(incident))}</td><td>${incident.hours} h</td></tr>`,
          )
          .join('')}</tbody></table>`;
  return `<section class="portal" data-portal="${htmlText(portal.name)}">
<h2>${htmlText(portal.name)}</h2>
${portal.url === undefined ? '' : `<p class="url">${htmlText(portal.url)}</p>`}
<p>${portal.compliancePercent} % compliant: ${portal.compliantDays} days compliant, ${portal.nonCompliantDays} not compliant, ${portal.notVerifiedDays} not verified (${portal.daysWithoutRun} without a run). Longest without a proven backup: ${gap.hours} h (${htmlText(utcText(gap.from))} to ${gap.open ? 'the end of the evidence' : htmlText(utcText(gap.to))}).</p>
${timelineSvg(report.days, portal.days)}
<p class="axis"><span>${report.from}</span><span>${report.to}</span></p>
${incidents}
</section>`;
}

/** The report as a self-contained HTML page. */
export function renderComplianceHtml(report: ComplianceReport): string {
  const { fleet } = report;
  const title = `Backup compliance ${report.from} to ${report.to}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${htmlText(title)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; max-width: 1000px; }
h1 { font-size: 22px; } h2 { font-size: 17px; margin: 0 0 4px; }
table { border-collapse: collapse; margin: 8px 0; } th, td { border: 1px solid #bbb; padding: 3px 8px; text-align: left; }
.fleet td { font-size: 16px; font-weight: 600; }
.portal { margin: 20px 0; padding-top: 12px; border-top: 1px solid #ddd; break-inside: avoid; }
.url { color: #555; margin: 0 0 6px; }
.timeline { display: block; max-width: 100%; height: auto; }
.axis { display: flex; justify-content: space-between; width: 960px; max-width: 100%; margin: 2px 0; color: #555; font-size: 12px; }
.legend span { margin-right: 14px; } .legend i { display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: -1px; }
.gaps { color: #8a1c1c; font-weight: 600; }
tr.critical td:nth-child(4) { color: #c62828; font-weight: 600; }
@media print { body { margin: 0; } .portal { page-break-inside: avoid; } }
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
</style>
</head>
<body>
<h1>${htmlText(title)}</h1>
<p>${report.days.length} days (UTC), ${fleet.runs} archived runs read from ${htmlText(report.source)}; generated ${htmlText(utcText(report.generatedAt))}.</p>
<table class="fleet"><thead><tr><th>portals</th><th>compliant days</th><th>not compliant days</th><th>not verified days</th><th>compliance</th><th>incidents</th><th>still open</th></tr></thead>
<tbody><tr><td>${fleet.portals}</td><td>${fleet.compliantDays}</td><td>${fleet.nonCompliantDays}</td><td>${fleet.notVerifiedDays}</td><td>${fleet.compliancePercent} %</td><td>${fleet.incidents}</td><td>${fleet.openIncidents}</td></tr></tbody></table>
${fleet.daysWithoutRun.length === 0 ? '<p>Every day of the period has at least one archived run.</p>' : `<p class="gaps">Days without any run (gaps in the evidence): ${fleet.daysWithoutRun.length}: ${fleet.daysWithoutRun.join(', ')}</p>`}
${fleet.unreadableReports.length === 0 ? '' : `<p class="gaps">Archived reports that could not be read (counted as no run): ${fleet.unreadableReports.map(htmlText).join(', ')}</p>`}
${legend()}
${report.portals.map((portal) => portalSection(report, portal)).join('\n')}
</body>
</html>
`;
}
