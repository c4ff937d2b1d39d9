/**
 * The alert as e-mail text, for someone woken up at night: what is wrong with which portal, the
 * evidence, and what to do, without having to open the docs. Pure.
 */
import { NoticeState, type Flip, type Notice, type SilencedFinding } from '../notify/types.ts';
import { sanitizePortalText } from '../policy/format.ts';
import { Status, type Finding, type FindingValue, type Verdict } from '../policy/types.ts';
import { alertedFindings, alertedStatus, alertState, instantText, resolvedStatus, silencedOf, type AlertContext } from './alert-context.ts';
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

function countText(findings: readonly Finding[], silencedCount: number): string {
  const silencedText = silencedCount > 0 ? `; ${silencedCount} silenced` : '';
  if (findings.length === 0) return `no findings${silencedText === '' ? '' : ' alerted'}${silencedText}`;
  const critical = findings.filter((finding) => finding.severity === 'critical').length;
  const parts = [critical > 0 && `${critical} critical`, findings.length - critical > 0 && `${findings.length - critical} warning`];
  return `${findings.length} finding${findings.length === 1 ? '' : 's'}: ${parts.filter(Boolean).join(', ')}${silencedText}`;
}

/** A status or code the monitor remembered, cleaned (a state file can be edited by hand). */
function word(text: string): string {
  return sanitizePortalText(String(text), 40) || '?';
}

function codeList(codes: readonly string[]): string {
  return codes.map(word).join(', ');
}

/** An instant from the memory or the config, in UTC; cleaned text when it is not one. */
function when(iso: string): string {
  return instantText(iso, (text) => sanitizePortalText(text, 60) || '(unknown)');
}

function lastAlertLine(context: AlertContext): string[] {
  return context.lastNotifiedAt === undefined ? [] : [`Last alert:  ${when(context.lastNotifiedAt)}`];
}

/** What changed since the last notice, for a `firing` alert. */
function changeBlock(flip: Flip | undefined, context: AlertContext): string[] {
  const title = ['What changed since the last alert', '---------------------------------'];
  if (flip === undefined) return [...title, 'This is the first alert about this portal: the monitor has no earlier result for it.', ''];
  const lines = [...title, `Status:      ${word(flip.from)} -> ${word(flip.to)}${flip.from === flip.to ? ' (unchanged)' : ''}`];
  if (flip.added.length > 0) lines.push(`New:         ${codeList(flip.added)}`);
  if (flip.cleared.length > 0) lines.push(`Cleared:     ${codeList(flip.cleared)}`);
  lines.push(...lastAlertLine(context), '');
  return lines;
}

/** That nothing changed, for a reminder. */
function reminderBlock(context: AlertContext): string[] {
  const since = context.since === undefined ? 'since the last alert' : `since ${when(context.since)}`;
  return ['Reminder', '--------', `Still unchanged ${since}: the problem below is not fixed yet.`, ...lastAlertLine(context), ''];
}

/** What was resolved and when, for a `resolved` notice. */
function resolvedBlock(verdict: Verdict, notice: Notice, context: AlertContext): string[] {
  const since = context.since === undefined ? '' : ` (in that state since ${when(context.since)})`;
  const lines = ['Resolved', '--------', `Was:         ${word(resolvedStatus(notice))}${since}`];
  const cleared = notice.flip?.cleared ?? [];
  if (cleared.length > 0) lines.push(`Cleared:     ${codeList(cleared)}`);
  lines.push(`Back to OK:  ${utc(verdict.checkedAt)} (this check)`, ...lastAlertLine(context), '');
  return lines;
}

/** The silenced findings: not what the alert is about, shown so nobody is surprised. */
function silencedBlock(verdict: Verdict, silenced: readonly SilencedFinding[]): string[] {
  if (silenced.length === 0) return [];
  const lines = ['Silenced (not alerted until the silence ends; listed so nobody is surprised)', '--------'];
  for (const entry of silenced) {
    const source = entry.id === undefined ? '' : ` by ${sanitizePortalText(entry.by ?? '?', 300) || '?'} (silence ${word(entry.id)}; end it with "silence expire ${word(entry.id)}")`;
    lines.push(`- ${word(entry.code)} silenced until ${when(entry.until)}${source}: ${sanitizePortalText(entry.reason, 200) || '(no reason given)'}`);
    for (const finding of verdict.findings.filter((candidate) => candidate.code === entry.code)) {
      lines.push(`  ${finding.severity.toUpperCase()}: ${sanitizePortalText(finding.message, MAX_TEXT_LENGTH)}`);
    }
  }
  lines.push('');
  return lines;
}

/**
 * The acknowledgement that held back the reminders until this alert: an alert is only sent once
 * the status or codes acknowledged changed, which ends it.
 */
function acknowledgementBlock(context: AlertContext): string[] {
  const { ack } = context;
  if (ack === undefined || alertState(context) === NoticeState.REMINDER) return [];
  return [
    'Acknowledgement ended',
    '---------------------',
    `${word(ack.status)} (${codeList(ack.codes)}) was acknowledged by ${sanitizePortalText(ack.by, 300) || '?'} at ${when(ack.at)}: ${sanitizePortalText(ack.reason, 200) || '(no reason given)'}`,
    'It held back the reminders until the status or codes changed, as they did now.',
    '',
  ];
}

/**
 * Renders the e-mail body: a headline (portal, status, URL, time zone, when it was checked, in
 * UTC); what the notice is about (what changed since the last alert, that a reminder is
 * unchanged since when, or what was resolved); each finding alerted (most severe first) with its
 * severity, code, message, expected and actual values and what to do; the silenced findings
 * with until when and why; then a footer saying who sent it.
 *
 * @param verdict - one portal's outcome
 * @param context - the notice, the silenced findings and what the monitor remembers; without
 *   them, a `firing` alert about the verdict alone
 */
export function renderEmail(verdict: Verdict, context: AlertContext = {}): string {
  const { notice } = context;
  const state = alertState(context);
  const silenced = silencedOf(context);
  const isResolved = state === NoticeState.RESOLVED && notice !== undefined;
  const status = isResolved ? Status.OK : alertedStatus(verdict, silenced);
  const alerted = alertedFindings(verdict, silenced);
  const portal = sanitizePortalText(verdict.portal, 200);
  const statusText = sanitizePortalText(status, 40);
  const headline = isResolved
    ? `DocSpace portal ${portal}: RESOLVED, back to OK (was ${word(resolvedStatus(notice))})`
    : `${state === NoticeState.REMINDER ? 'Reminder: ' : ''}DocSpace portal ${portal}: ${HEADLINES[status] ?? statusText} (${statusText})`;
  const lines = [
    headline,
    '',
    `Portal:      ${portal}`,
    `URL:         ${sanitizePortalText(verdict.url, 500)}`,
    `Status:      ${statusText} (${countText(alerted, silenced.length)})`,
    `Time zone:   ${sanitizePortalText(verdict.timeZone, 100)}${verdict.timeZoneNote ? ` (${sanitizePortalText(verdict.timeZoneNote, 500)})` : ''}`,
    `Checked at:  ${utc(verdict.checkedAt)}`,
    lastBackupLine(verdict),
    '',
  ];
  if (isResolved) lines.push(...resolvedBlock(verdict, notice, context));
  else if (state === NoticeState.REMINDER) lines.push(...reminderBlock(context));
  else if (notice !== undefined) lines.push(...changeBlock(notice.flip, context));
  const findings = mostSevereFirst(alerted);
  if (findings.length > 0) {
    lines.push('Findings', '--------');
    findings.forEach((finding, index) => lines.push(...findingBlock(finding, index), ''));
  } else if (silenced.length === 0) {
    lines.push('Every check passed.', '');
  }
  lines.push(
    ...silencedBlock(verdict, silenced),
    ...acknowledgementBlock(context),
    '-- ',
    'Sent by docspace-backup-monitor, which reads each portal\'s backup schedule, progress and history',
    'through the DocSpace API and judges them against the configured policy.',
    'A backup is only proven by an archive in the portal\'s backup history (DocSpace: Settings > Backup);',
    'a schedule or a "last backup" time alone proves that a backup was started, not that it succeeded.',
  );
  return `${lines.join('\n')}\n`;
}
