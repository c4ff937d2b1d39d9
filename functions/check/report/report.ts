/**
 * The run report: the JSON document of `check --json`, the readable table, and the
 * monitoring-plugins exit code. Pure: a {@link CheckRun} in, text out.
 */
import { acknowledgementToJson, verdictToJson } from '../alerts/render-json.ts';
import { sanitizePortalText } from '../policy/format.ts';
import { formatUtc } from '../policy/time-zone.ts';
import { Status } from '../policy/types.ts';
import type { CheckRun } from '../run-check.ts';
import { MONITOR_VERSION } from '../version.ts';

/** Exit codes of the monitoring-plugins convention (Nagios, Icinga, Sensu). */
export const ExitCode = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * The exit code of a run: the overall status's code. An alert that could not be delivered, or
 * state that could not be kept, makes the run fail: CRITICAL stays 2, anything else becomes 3.
 */
export function exitCodeOf(run: Pick<CheckRun, 'status' | 'publishFailures'> & Partial<Pick<CheckRun, 'stateFailures'>>): ExitCode {
  const code = ExitCode[run.status];
  const failed = run.publishFailures.length > 0 || (run.stateFailures?.length ?? 0) > 0;
  if (failed && code !== ExitCode.CRITICAL) return ExitCode.UNKNOWN;
  return code;
}

/**
 * The `--json` report, which is also what the evidence archive keeps of each run: it names the
 * run (`runKey`) and the monitor that judged it (`monitorVersion`); the run's keys are redacted
 * from every string in it (the last pass).
 */
export function reportToJson(run: CheckRun): object {
  const report = {
    checkedAt: run.checkedAt.toISOString(),
    runKey: run.runKey,
    monitorVersion: MONITOR_VERSION,
    status: run.status,
    portals: run.verdicts.map((verdict) => {
      const notification = run.notifications.get(verdict.portal);
      return {
        ...verdictToJson(verdict, notification?.silenced ?? []),
        notification: notification?.duplicate ? 'duplicate' : (notification?.notice ?? null),
        alertSent: notification?.delivered ?? false,
        ...(notification?.acknowledged !== undefined && { acknowledged: acknowledgementToJson(notification.acknowledged) }),
      };
    }),
    ...(run.expiredSilences.length > 0 ? { expiredSilences: run.expiredSilences } : {}),
    ...(run.publishFailures.length > 0 ? { alertFailures: run.publishFailures.map((failure) => ({ portal: failure.portal, message: failure.message })) } : {}),
    ...(run.stateFailures.length > 0 ? { stateFailures: run.stateFailures.map((failure) => ({ message: failure.message })) } : {}),
  };
  return run.redactor?.redactDeep(report) ?? report;
}

/** The report's lines for what a portal's evidence held that could not be used. */
function evidenceNoteLines(verdict: CheckRun['verdicts'][number]): string[] {
  const skipped = verdict.evidenceNotes?.skippedHistoryRecords ?? 0;
  return [
    ...(skipped > 0 ? [`  note: ${skipped} history record${skipped === 1 ? '' : 's'} skipped: no usable createdOn`] : []),
    ...(verdict.evidenceNotes?.ignoredMembers ?? []).map((member) => `  note: schedule member ignored: ${member}`),
  ];
}

/** Text from the state store (who, why), cleaned of control characters and cut short. */
function clean(text: string): string {
  return sanitizePortalText(String(text), 300) || '?';
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/**
 * The readable report: a table of portals, then what is wrong with each one that is not OK; the
 * run's keys redacted from it (the last pass).
 *
 * @param delivered - whether alerts went to a real channel (SNS) or were only shown
 */
export function reportToText(run: CheckRun, delivered = true): string {
  const rows = run.verdicts.map((verdict) => [
    verdict.portal,
    verdict.status,
    verdict.lastBackupTime === undefined ? '-' : verdict.lastBackupTime === null ? 'never' : formatUtc(verdict.lastBackupTime),
    verdict.findings.map((finding) => (finding.cause ? `${finding.code}(${finding.cause})` : finding.code)).join(', ') || '-',
  ]);
  const header = ['PORTAL', 'STATUS', 'LAST BACKUP', 'FINDINGS'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : pad(cell, widths[column]!))).join('  ');
  const out = [line(header), ...rows.map(line)];

  for (const verdict of run.verdicts) {
    if (verdict.findings.length === 0 && !verdict.timeZoneNote && !verdict.evidenceNotes) continue;
    out.push('', `${verdict.portal} (${verdict.url}, ${verdict.timeZone}): ${verdict.status}`);
    if (verdict.timeZoneNote) out.push(`  note: ${verdict.timeZoneNote}`);
    out.push(...evidenceNoteLines(verdict));
    const ack = run.notifications.get(verdict.portal)?.acknowledged;
    if (ack) out.push(`  acknowledged by ${clean(ack.by)} at ${clean(ack.at)}: ${clean(ack.reason)} (no reminders until its status or codes change)`);
    const silenced = run.notifications.get(verdict.portal)?.silenced ?? [];
    for (const finding of verdict.findings) {
      const silence = silenced.find((entry) => entry.code === finding.code);
      out.push(`  ${finding.severity.toUpperCase()} ${finding.code}${finding.cause ? ` (${finding.cause})` : ''}: ${finding.message}`);
      if (silence)
        out.push(`    silenced until ${silence.until}${silence.id === undefined ? '' : ` by ${clean(silence.by ?? '?')} (silence ${clean(silence.id)})`}: ${silence.reason}`);
      out.push(`    what to do: ${finding.remedy}`);
    }
  }

  const counts = Object.values(Status)
    .map((status) => [status, run.verdicts.filter((verdict) => verdict.status === status).length] as const)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${status}`);
  out.push('', `${run.status}: ${run.verdicts.length} portal${run.verdicts.length === 1 ? '' : 's'} checked at ${formatUtc(run.checkedAt)} (${counts.join(', ')})`);
  if (run.alertsSent > 0) out.push(`${run.alertsSent} alert${run.alertsSent === 1 ? '' : 's'} ${delivered ? 'published' : 'shown, not sent (add --publish TOPIC_ARN to send them)'}`);
  for (const failure of run.publishFailures) out.push(`ALERT NOT DELIVERED: ${failure.message}`);
  for (const failure of run.stateFailures) out.push(`STATE NOT KEPT: ${failure.message}`);
  for (const silence of run.expiredSilences)
    out.push(`expired silence (remove it from the config): ${silence.portal} ${silence.codes?.join(', ') ?? 'all codes'} until ${silence.until}: ${silence.reason}`);
  const text = out.join('\n');
  return run.redactor?.redact(text) ?? text;
}
