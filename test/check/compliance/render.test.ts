import { describe, expect, it } from 'vitest';
import { MAX_MONTHLY_REPORT_PUBLISH_BYTES, previousMonth, renderMonthlyReport } from '../../../functions/check/compliance/monthly-report.ts';
import { csvCell, renderComplianceCsv } from '../../../functions/check/compliance/render-csv.ts';
import { htmlText, renderComplianceHtml } from '../../../functions/check/compliance/render-html.ts';
import { renderComplianceMarkdown } from '../../../functions/check/compliance/render-markdown.ts';
import { ComplianceSummarizer } from '../../../functions/check/compliance/summarize.ts';
import type { ComplianceReport } from '../../../functions/check/compliance/types.ts';
import { snsPublishBytes } from '../../../functions/check/alerts/sns-message.ts';
import { archivedReport } from '../../support/archived-reports.ts';

/** A report whose archived strings try to inject markup, Markdown and spreadsheet formulas. */
function hostileReport(): ComplianceReport {
  const summarizer = new ComplianceSummarizer({ from: '2026-07-01', to: '2026-07-02', now: new Date('2026-07-03T00:00:00Z') });
  summarizer.addText(
    'r1',
    archivedReport('2026-07-01T06:00:00Z', 'r1', [
      { name: 'alpha', status: 'CRITICAL', findings: [{ code: '<img src=x onerror=alert(1)>|=HYPERLINK("http://x")', severity: 'critical', silencedUntil: '</td><script>alert(1)</script>' }] },
    ]),
  );
  return summarizer.result('s3://reports');
}

describe('renderComplianceHtml', () => {
  it('escapes every string taken from an archived report, so no markup or script reaches the page', () => {
    // Act
    const html = renderComplianceHtml(hostileReport());

    // Assess
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
    expect(html).toContain('&#60;/td&#62;&#60;script&#62;alert(1)&#60;/script&#62;');
    // Self-contained: nothing is fetched.
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:|\/\/)/i);
  });

  it('escapes the five characters that matter in content and attributes', () => {
    expect(htmlText(`<a href="x" title='y'>&`)).toBe('&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;');
  });
});

describe('renderComplianceMarkdown', () => {
  it('escapes Markdown and table syntax in strings from an archived report', () => {
    // Act
    const markdown = renderComplianceMarkdown(hostileReport());

    // Assess
    const incidentRow = markdown.split('\n').find((line) => line.includes('HYPERLINK'))!;
    expect(incidentRow).toContain('\\<img src=x onerror=alert\\(1\\)\\>\\|=HYPERLINK\\(');
    // The row keeps its six cells: the injected pipe is escaped.
    expect(incidentRow.split(/(?<!\\)\|/).length - 2).toBe(6);
  });
});

describe('renderComplianceCsv', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
  ])('defuses and quotes the cell %j as %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('keeps numbers as they are, negative ones included', () => {
    expect(csvCell(-1.5)).toBe('-1.5');
  });

  it('writes a formula-looking code from an archived report as text', () => {
    // Prepare
    const summarizer = new ComplianceSummarizer({ from: '2026-07-01', to: '2026-07-01', now: new Date('2026-07-02T00:00:00Z') });
    summarizer.addText('r1', archivedReport('2026-07-01T06:00:00Z', 'r1', [{ name: 'alpha', status: 'CRITICAL', findings: [{ code: '=HYPERLINK("http://x")', severity: 'critical' }] }]));

    // Act
    const csv = renderComplianceCsv(summarizer.result('test'));

    // Assess
    expect(csv).toContain(`,"'=HYPERLINK(""http://x"")",critical,open,`);
  });
});

describe('previousMonth', () => {
  it.each([
    ['2026-12-01T08:00:00Z', '2026-11-01', '2026-11-30'],
    ['2026-03-01T00:00:00Z', '2026-02-01', '2026-02-28'],
    ['2028-03-01T08:00:00Z', '2028-02-01', '2028-02-29'],
    ['2027-01-01T08:00:00Z', '2026-12-01', '2026-12-31'],
    ['2026-07-31T23:59:59Z', '2026-06-01', '2026-06-30'],
  ])('gives the calendar month before %s (UTC): %s to %s', (now, from, to) => {
    expect(previousMonth(new Date(now))).toEqual({ from, to });
  });
});

describe('renderMonthlyReport', () => {
  it('sends everything, least compliant portal first, when it fits one SNS message', () => {
    // Prepare
    const summarizer = new ComplianceSummarizer({ from: '2026-11-01', to: '2026-11-30', now: new Date('2026-12-01T08:00:00Z') });
    summarizer.addText('r', archivedReport('2026-11-02T07:00:00Z', 'r', [{ name: 'a-fine', status: 'OK', lastBackupTime: '2026-11-02T02:00:00Z' }, { name: 'z-broken', status: 'CRITICAL', findings: [{ code: 'NO_SCHEDULE', severity: 'critical' }] }]));

    // Act
    const alert = renderMonthlyReport(summarizer.result('s3://b'), 'npx docspace-backup-monitor report …');

    // Assess
    expect(alert.attributes).toMatchObject({ state: 'report', portal: '*' });
    expect(alert.subject).toBe('DocSpace backup compliance 2026-11: 1.7 % of portal-days, 1 incidents');
    expect(alert.email.indexOf('| z-broken |')).toBeLessThan(alert.email.indexOf('| a-fine |'));
    expect(alert.email).not.toContain('left out to fit');
  });

  it('cuts the portal list to fit one SNS message and says how to get the full report', () => {
    // Prepare: 3,000 portals over a month do not fit in 256 KB.
    const summarizer = new ComplianceSummarizer({ from: '2026-11-01', to: '2026-11-30', now: new Date('2026-12-01T08:00:00Z') });
    const portals = Array.from({ length: 3000 }, (_, index) => ({ name: `portal-${String(index).padStart(4, '0')}`, status: 'OK' as const, lastBackupTime: '2026-11-02T02:00:00Z' }));
    summarizer.addText('r', archivedReport('2026-11-02T07:00:00Z', 'r', portals));

    // Act
    const alert = renderMonthlyReport(summarizer.result('s3://b'), 'npx docspace-backup-monitor report --bucket b');

    // Assess
    expect(snsPublishBytes(alert)).toBeLessThanOrEqual(MAX_MONTHLY_REPORT_PUBLISH_BYTES);
    const shown = alert.email.split('\n').filter((line) => line.startsWith('| portal-')).length;
    expect(shown).toBeGreaterThan(100);
    expect(alert.email).toContain(`**${3000 - shown} more portals are left out to fit this message**; for the full report run \`npx docspace-backup-monitor report --bucket b\`.`);
    expect(alert.email).toContain('| 3000 | 3000 | 0 | 87000 |');
  });
});
