/**
 * The alert as e-mail text, for someone woken up at night: what is wrong with which portal, the
 * evidence, and what to do, without having to open the docs. Pure.
 */
import { sanitizePortalText } from '../policy/format.ts';
import { Status, type Finding, type FindingValue, type Verdict } from '../policy/types.ts';
import { mostSevereFirst } from './render-subject.ts';

/** The longest text kept from one portal-originated string. */
const MAX_TEXT_LENGTH = 2000;

const HEADLINES: Readonly<Record<Status, string>> = {
  [Status.OK]: 'backups look fine',
  [Status.WARNING]: 'backups need attention',
  [Status.CRITICAL]: 'backups are NOT proven to be running',
  [Status.UNKNOWN]: 'backups could not be checked',
};

/** `2026-03-02 07:00:00 UTC` */
function utc(date: Date): string {
  if (Number.isNaN(date.getTime())) return '(invalid time)';
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** The same instant in the portal's zone when Intl knows the zone, e.g. ` = 2026-03-01 02:07 Europe/Berlin`. */
function local(date: Date, timeZone: string): string {
  if (timeZone === 'UTC' || Number.isNaN(date.getTime())) return '';
  try {
    const text = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(date);
    return ` = ${text.replace(',', '')} ${sanitizePortalText(timeZone, 100)}`;
  } catch {
    return '';
  }
}

function formatValue(value: FindingValue): string {
  if (value === null) return 'none';
  if (typeof value !== 'object') return sanitizePortalText(String(value), MAX_TEXT_LENGTH);
  return Object.entries(value)
    .map(([key, member]) => `${sanitizePortalText(key, 100)}=${member === null ? 'none' : sanitizePortalText(String(member), MAX_TEXT_LENGTH)}`)
    .join(', ');
}

function lastBackupLine(verdict: Verdict): string {
  if (verdict.lastBackupTime === undefined) return 'Last backup: (not read)';
  if (verdict.lastBackupTime === null) return 'Last backup: none since the schedule was saved';
  return `Last backup: ${utc(verdict.lastBackupTime)}${local(verdict.lastBackupTime, verdict.timeZone)} (when the scheduler started it)`;
}

function findingBlock(finding: Finding, index: number): string[] {
  const lines = [`${index + 1}. ${finding.severity.toUpperCase()}  ${finding.code}${finding.cause ? ` (${finding.cause})` : ''}`];
  lines.push(`   ${sanitizePortalText(finding.message, MAX_TEXT_LENGTH)}`);
  if (finding.expected !== undefined) lines.push(`   Expected: ${formatValue(finding.expected)}`);
  if (finding.actual !== undefined) lines.push(`   Actual:   ${formatValue(finding.actual)}`);
  if (finding.source !== undefined) lines.push(`   Failed request: ${finding.source}`);
  lines.push(`   What to do: ${sanitizePortalText(finding.remedy, MAX_TEXT_LENGTH)}`);
  return lines;
}

function countText(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'no findings';
  const critical = findings.filter((finding) => finding.severity === 'critical').length;
  const parts = [critical > 0 && `${critical} critical`, findings.length - critical > 0 && `${findings.length - critical} warning`];
  return `${findings.length} finding${findings.length === 1 ? '' : 's'}: ${parts.filter(Boolean).join(', ')}`;
}

/**
 * Renders the e-mail body: a headline (portal, status, URL, time zone, when it was checked, in
 * UTC), then each finding (most severe first) with its severity, code, message, expected and
 * actual values and what to do, then a footer saying who sent it.
 *
 * @param verdict - one portal's outcome
 */
export function renderEmail(verdict: Verdict): string {
  const portal = sanitizePortalText(verdict.portal, 200);
  const lines = [
    `DocSpace portal ${portal}: ${HEADLINES[verdict.status] ?? sanitizePortalText(verdict.status, 40)} (${sanitizePortalText(verdict.status, 40)})`,
    '',
    `Portal:      ${portal}`,
    `URL:         ${sanitizePortalText(verdict.url, 500)}`,
    `Status:      ${sanitizePortalText(verdict.status, 40)} (${countText(verdict.findings)})`,
    `Time zone:   ${sanitizePortalText(verdict.timeZone, 100)}${verdict.timeZoneNote ? ` (${sanitizePortalText(verdict.timeZoneNote, 500)})` : ''}`,
    `Checked at:  ${utc(verdict.checkedAt)}`,
    lastBackupLine(verdict),
  ];
  const findings = mostSevereFirst(verdict.findings);
  if (findings.length > 0) {
    lines.push('', 'Findings', '--------');
    findings.forEach((finding, index) => lines.push(...findingBlock(finding, index), ''));
  } else {
    lines.push('', 'Every check passed.', '');
  }
  lines.push(
    '-- ',
    'Sent by docspace-backup-monitor, which reads each portal\'s backup schedule, progress and history',
    'through the DocSpace API and judges them against the configured policy.',
    'A backup is only proven by an archive in the portal\'s backup history (DocSpace: Settings > Backup);',
    'a schedule or a "last backup" time alone proves that a backup was started, not that it succeeded.',
  );
  return `${lines.join('\n')}\n`;
}
