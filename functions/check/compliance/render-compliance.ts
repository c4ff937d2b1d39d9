/** The compliance report in the format asked for. Pure. */
import { renderComplianceCsv } from './render-csv.ts';
import { renderComplianceHtml } from './render-html.ts';
import { renderComplianceMarkdown } from './render-markdown.ts';
import type { ComplianceReport } from './types.ts';

/** The formats `report --format` offers. */
export const COMPLIANCE_FORMATS = ['md', 'csv', 'json', 'html'] as const;
export type ComplianceFormat = (typeof COMPLIANCE_FORMATS)[number];

/** The report as text in `format`. */
export function renderCompliance(report: ComplianceReport, format: ComplianceFormat): string {
  switch (format) {
    case 'md':
      return renderComplianceMarkdown(report);
    case 'csv':
      return renderComplianceCsv(report);
    case 'html':
      return renderComplianceHtml(report);
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
  }
}
