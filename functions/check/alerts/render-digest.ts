/**
 * The digest: a periodic e-mail listing every portal's status, so that a quiet inbox can be
 * trusted (no alert means checked and fine, not "the monitor stopped"). One SNS message for all
 * portals, kept within the SNS message size for 1,000 portals and more. Pure.
 */
import type { Acknowledgement, SilencedFinding } from '../notify/types.ts';
import { sanitizePortalText } from '../policy/format.ts';
import { formatUtc } from '../policy/time-zone.ts';
import { FINDING_CODES, Severity, Status, type FindingCode, type Verdict } from '../policy/types.ts';
import { overallStatus } from '../policy/verdict.ts';
import { instantText } from './alert-context.ts';
import { AlertState, type Alert, type AlertAttributes } from './notifier.ts';
import { toGsm7 } from './render-sms.ts';
import { findingLabel, mostSevereFirst } from './render-subject.ts';
import { MAX_SNS_MESSAGE_BYTES, snsPublishBytes } from './sns-message.ts';

/** The longest digest e-mail text, in UTF-8 bytes. */
export const MAX_DIGEST_EMAIL_BYTES = 200_000;

/** The most bytes a digest's Publish may count: the SNS limit less a margin for what SNS may count differently. */
export const MAX_DIGEST_PUBLISH_BYTES = MAX_SNS_MESSAGE_BYTES - 4_096;

/** How many expired silences the digest lists before it says how many more there are. */
export const MAX_EXPIRED_SILENCES_LISTED = 100;

/** How many characters of a portal name the digest keeps (config names are at most 64). */
const MAX_PORTAL_LENGTH = 64;

/** The statuses, worst first: the order of the counts and of the portal list. */
const WORST_FIRST: readonly Status[] = [Status.CRITICAL, Status.UNKNOWN, Status.WARNING, Status.OK];

/** A silence that has ended: it mutes nothing and should be removed from the config. */
export interface ExpiredSilence {
  readonly portal: string;
  /** The codes it silenced; absent when it silenced every code. */
  readonly codes?: readonly FindingCode[];
  readonly until: string;
  readonly reason: string;
}

/** What the digest lists besides the verdicts. */
export interface DigestOptions {
  /** The instant of the run the verdicts come from. */
  readonly checkedAt: Date;
  /**
   * Each portal's findings muted by a silence (`decideNotice(…).silenced`), marked in the list.
   *
   * @default - nothing is marked silenced
   */
  readonly silencedByPortal?: ReadonlyMap<string, readonly SilencedFinding[]>;
  /**
   * Each portal's acknowledgement that holds back its reminders (`PortalNotification.acknowledged`).
   *
   * @default - no portal is marked acknowledged
   */
  readonly acknowledgedByPortal?: ReadonlyMap<string, Acknowledgement>;
  /**
   * The silences that have ended (`expiredSilences(config.silences, now)`), listed to be cleaned up.
   *
   * @default - none are listed
   */
  readonly expiredSilences?: readonly ExpiredSilence[];
}

/** Portals per status. */
export type StatusCounts = Readonly<Record<Status, number>>;

/** One portal in the digest's JSON. */
export interface DigestPortalJson {
  readonly name: string;
  readonly status: Status;
  /** ISO 8601, UTC; `null` when no backup ever ran; absent when it could not be read. */
  readonly lastBackupTime?: string | null;
  /** The portal's finding codes, each once, silenced ones included. */
  readonly codes: readonly FindingCode[];
  /** The codes a silence mutes (with the run-time silence's `id` and author `by`); absent when none. */
  readonly silenced?: readonly { readonly code: FindingCode; readonly until: string; readonly reason: string; readonly id?: string; readonly by?: string }[];
  /** The acknowledgement holding back the portal's reminders until its status or codes change; absent when none. */
  readonly acknowledged?: { readonly status: Status; readonly codes: readonly FindingCode[]; readonly by: string; readonly at: string; readonly reason: string };
}

/** The digest as JSON (the SNS `default` message). */
export interface DigestJson {
  readonly state: typeof AlertState.DIGEST;
  /** ISO 8601, UTC. */
  readonly checkedAt: string;
  /** The worst status of all portals. */
  readonly status: Status;
  readonly counts: StatusCounts;
  /** Worst status first, then in the order given. */
  readonly portals: readonly DigestPortalJson[];
  /** Portals left out of `portals` to stay within the SNS message size; absent when none. */
  readonly omittedPortals?: number;
  readonly expiredSilences: readonly ExpiredSilence[];
  /** Expired silences left out of `expiredSilences`; absent when none. */
  readonly omittedExpiredSilences?: number;
}

/** One portal, prepared for both the e-mail line and the JSON. */
interface Row {
  readonly status: Status;
  readonly portal: string;
  readonly lastBackup: string;
  readonly findings: string;
  readonly json: DigestPortalJson;
}

/**
 * Renders the digest of one run: subject and SMS with the count of portals per status, an
 * e-mail with one line per portal (worst first: status, last backup in UTC, codes, silenced
 * marks) and the expired silences to clean up, JSON for machines, and the attributes
 * `state=digest`, `portal=*`, the worst severity and status, and every code. When everything
 * would not fit in one SNS message, the e-mail lists the worst portals and says how many more
 * there are (all of them stay in the JSON); only if the JSON alone is too big is it shortened
 * too, saying so in `omittedPortals`.
 *
 * @param verdicts - every portal's outcome in the run
 * @param options - the run's instant, the silenced findings and the expired silences
 * @returns an alert whose Publish stays within {@link MAX_DIGEST_PUBLISH_BYTES}, with e-mail
 *   text within {@link MAX_DIGEST_EMAIL_BYTES}
 * @example
 * const digest = renderDigest(run.verdicts, { checkedAt: now, silencedByPortal, expiredSilences: run.expiredSilences });
 * await notifier.send(digest, digestVerdict(now));
 */
export function renderDigest(verdicts: readonly Verdict[], options: DigestOptions): Alert {
  const rows = worstFirst(verdicts).map((verdict) =>
    toRow(verdict, options.silencedByPortal?.get(verdict.portal) ?? [], options.acknowledgedByPortal?.get(verdict.portal)),
  );
  const counts = countByStatus(verdicts);
  const expired = options.expiredSilences ?? [];
  const render = (emailRows: number, jsonRows: number): Alert => renderWith({ rows, counts, verdicts, options, expired, emailRows, jsonRows });
  const fits = (alert: Alert): boolean => snsPublishBytes(alert) <= MAX_DIGEST_PUBLISH_BYTES && Buffer.byteLength(alert.email, 'utf8') <= MAX_DIGEST_EMAIL_BYTES;

  const whole = render(rows.length, rows.length);
  if (fits(whole)) return whole;
  // The JSON keeps every portal when it can; the e-mail lists the worst ones.
  if (fits(render(0, rows.length))) return render(mostThatFit((count) => fits(render(count, rows.length)), rows.length), rows.length);
  const count = mostThatFit((listed) => fits(render(listed, listed)), rows.length);
  return render(count, count);
}

/**
 * The verdict-shaped record a digest stands for, for `Notifier.send` (a failed publish names
 * the pseudo portal `digest`).
 *
 * @param checkedAt - the instant of the run
 */
export function digestVerdict(checkedAt: Date): Verdict {
  return { portal: 'digest', url: '', status: Status.OK, timeZone: 'UTC', checkedAt, findings: [] };
}

/** The largest count in `[0, max]` for which `fits` holds, `fits` being true at 0 and monotonic. */
function mostThatFit(fits: (count: number) => boolean, max: number): number {
  let low = 0;
  let high = max;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle - 1;
  }
  return low;
}

interface RenderInput {
  readonly rows: readonly Row[];
  readonly counts: StatusCounts;
  readonly verdicts: readonly Verdict[];
  readonly options: DigestOptions;
  readonly expired: readonly ExpiredSilence[];
  /** How many rows the e-mail lists. */
  readonly emailRows: number;
  /** How many rows the JSON lists. */
  readonly jsonRows: number;
}

function renderWith(input: RenderInput): Alert {
  const summary = countsText(input.counts);
  return {
    subject: `[DIGEST] DocSpace backups: ${summary}`,
    email: digestEmail(input, summary),
    sms: toGsm7(`DIGEST DocSpace backups: ${summary}`),
    json: digestJson(input),
    attributes: digestAttributes(input.verdicts),
  };
}

/** `12 OK, 1 WARNING, 0 CRITICAL, 0 UNKNOWN` */
function countsText(counts: StatusCounts): string {
  return `${counts.OK} OK, ${counts.WARNING} WARNING, ${counts.CRITICAL} CRITICAL, ${counts.UNKNOWN} UNKNOWN`;
}

function countByStatus(verdicts: readonly Verdict[]): StatusCounts {
  const counts: Record<Status, number> = { OK: 0, WARNING: 0, CRITICAL: 0, UNKNOWN: 0 };
  for (const verdict of verdicts) if (verdict.status in counts) counts[verdict.status] += 1;
  return counts;
}

function worstFirst(verdicts: readonly Verdict[]): Verdict[] {
  const rank = (status: Status): number => {
    const index = WORST_FIRST.indexOf(status);
    return index === -1 ? WORST_FIRST.length : index;
  };
  return verdicts
    .map((verdict, index) => ({ verdict, index }))
    .sort((a, b) => rank(a.verdict.status) - rank(b.verdict.status) || a.index - b.index)
    .map(({ verdict }) => verdict);
}

function uniqueCodes(codes: readonly FindingCode[]): FindingCode[] {
  return [...new Set(codes)];
}

function clean(text: string, maxLength: number): string {
  return sanitizePortalText(String(text), maxLength);
}

function untilText(until: string): string {
  return instantText(until, (text) => clean(text, 60) || '(unknown)');
}

/** ` by alice (silence s-1a2b3c4d)` for a run-time silence, `` for one in the config. */
function silenceSource(silence: SilencedFinding): string {
  if (silence.id === undefined) return '';
  return ` by ${clean(silence.by ?? '?', 120) || '?'} (silence ${clean(silence.id, 20)})`;
}

/** `; acknowledged by alice 2027-01-05 08:00:00 UTC, until its status or codes change: restoring the bucket` */
function acknowledgementText(ack: Acknowledgement): string {
  return `; acknowledged by ${clean(ack.by, 120) || '?'} ${untilText(ack.at)}, reminders held until its status or codes change: ${clean(ack.reason, 200) || 'no reason given'}`;
}

function toRow(verdict: Verdict, silenced: readonly SilencedFinding[], acknowledged?: Acknowledgement): Row {
  const silences = new Map(silenced.map((entry) => [entry.code, entry]));
  const findings = new Set<string>();
  for (const finding of mostSevereFirst(verdict.findings)) {
    const silence = silences.get(finding.code);
    const mark = silence === undefined ? '' : ` (silenced until ${untilText(silence.until)}${silenceSource(silence)}: ${clean(silence.reason, 200) || 'no reason given'})`;
    findings.add(`${clean(findingLabel(finding), 80)}${mark}`);
  }
  const lastBackupTime = verdict.lastBackupTime;
  const presentSilences = silenced.filter((entry) => verdict.findings.some((finding) => finding.code === entry.code));
  return {
    status: verdict.status,
    portal: clean(verdict.portal, MAX_PORTAL_LENGTH) || '?',
    lastBackup: lastBackupTime === undefined ? '(not read)' : lastBackupTime === null ? 'never' : Number.isNaN(lastBackupTime.getTime()) ? '(invalid time)' : formatUtc(lastBackupTime),
    findings: `${[...findings].join(', ') || '-'}${acknowledged === undefined ? '' : acknowledgementText(acknowledged)}`,
    json: {
      name: verdict.portal,
      status: verdict.status,
      ...(lastBackupTime !== undefined && { lastBackupTime: lastBackupTime === null || Number.isNaN(lastBackupTime.getTime()) ? null : lastBackupTime.toISOString() }),
      codes: uniqueCodes(verdict.findings.map((finding) => finding.code)),
      ...(presentSilences.length > 0 && {
        silenced: presentSilences.map((entry) => ({
          code: entry.code,
          until: clean(entry.until, 60),
          reason: clean(entry.reason, 200),
          ...(entry.id !== undefined && { id: clean(entry.id, 20) }),
          ...(entry.by !== undefined && { by: clean(entry.by, 300) }),
        })),
      }),
      ...(acknowledged !== undefined && {
        acknowledged: { status: acknowledged.status, codes: [...acknowledged.codes], by: clean(acknowledged.by, 300), at: clean(acknowledged.at, 60), reason: clean(acknowledged.reason, 200) },
      }),
    },
  };
}

function pad(text: string, width: number): string {
  const length = Array.from(text).length;
  return length >= width ? text : text + ' '.repeat(width - length);
}

function portalTable(rows: readonly Row[], listed: number, isJsonComplete: boolean): string[] {
  const shown = rows.slice(0, listed);
  const portalWidth = Math.max('PORTAL'.length, ...rows.map((row) => Array.from(row.portal).length));
  const lastBackupWidth = Math.max('LAST BACKUP'.length, ...rows.map((row) => row.lastBackup.length));
  const line = (status: string, portal: string, lastBackup: string, findings: string): string =>
    `${pad(status, 8)}  ${pad(portal, portalWidth)}  ${pad(lastBackup, lastBackupWidth)}  ${findings}`;
  const lines = [line('STATUS', 'PORTAL', 'LAST BACKUP', 'FINDINGS'), ...shown.map((row) => line(row.status, row.portal, row.lastBackup, row.findings))];
  const omitted = rows.slice(listed);
  if (omitted.length > 0) {
    const where = isJsonComplete ? 'see the JSON' : 'run "check --json" for all of them';
    lines.push(`… and ${omitted.length} more portals (${omittedCounts(omitted)}), not listed to stay within the SNS message size; ${where}`);
  }
  return lines;
}

/** `400 OK, 12 WARNING`: the statuses of the portals left out, worst first, zeros left out. */
function omittedCounts(rows: readonly Row[]): string {
  return WORST_FIRST.map((status) => [status, rows.filter((row) => row.status === status).length] as const)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${status}`)
    .join(', ');
}

function expiredSilenceText(silence: ExpiredSilence): string {
  const codes = silence.codes === undefined || silence.codes.length === 0 ? 'every code' : silence.codes.map((code) => clean(code, 40)).join(', ');
  return `- ${clean(silence.portal, MAX_PORTAL_LENGTH) || '?'} (${codes}) ended ${untilText(silence.until)}: ${clean(silence.reason, 200) || 'no reason given'}`;
}

function digestEmail(input: RenderInput, summary: string): string {
  const { rows, options, expired } = input;
  const silencedCount = rows.reduce((sum, row) => sum + (row.json.silenced?.length ?? 0), 0);
  const silencedPortals = rows.filter((row) => row.json.silenced !== undefined).length;
  const acknowledgedPortals = rows.filter((row) => row.json.acknowledged !== undefined).length;
  const lines = [
    `DocSpace backup digest: ${summary}`,
    '',
    `Checked at:  ${Number.isNaN(options.checkedAt.getTime()) ? '(invalid time)' : `${options.checkedAt.toISOString().slice(0, 19).replace('T', ' ')} UTC`}`,
    `Portals:     ${rows.length} (overall ${overallStatus(rows.map((row) => row.status))})`,
    `Silenced:    ${silencedCount === 0 ? 'nothing' : `${silencedCount} finding code${silencedCount === 1 ? '' : 's'} on ${silencedPortals} portal${silencedPortals === 1 ? '' : 's'}`}`,
    ...(acknowledgedPortals === 0 ? [] : [`Acknowledged: ${acknowledgedPortals} portal${acknowledgedPortals === 1 ? '' : 's'} (no reminders until the status or codes change)`]),
    '',
    'This digest lists every portal the monitor checks, even when nothing is wrong, so that a quiet',
    'inbox can be trusted: if it stops arriving, the monitor itself is not running.',
    '',
  ];
  if (rows.length === 0) lines.push('No portals were checked.', '');
  else lines.push('Portals (worst first)', '---------------------', ...portalTable(rows, input.emailRows, input.jsonRows >= rows.length), '');
  if (expired.length > 0) {
    lines.push('Expired silences (they mute nothing now: remove them from "silences" in the config)', '-----------------');
    lines.push(...expired.slice(0, MAX_EXPIRED_SILENCES_LISTED).map(expiredSilenceText));
    if (expired.length > MAX_EXPIRED_SILENCES_LISTED) lines.push(`… and ${expired.length - MAX_EXPIRED_SILENCES_LISTED} more`);
    lines.push('');
  }
  lines.push(
    '-- ',
    'Sent by docspace-backup-monitor. Alerts for a portal are sent when its status or findings change,',
    'as reminders while a problem lasts, and once when it is resolved; this digest is sent on its own schedule.',
  );
  return `${lines.join('\n')}\n`;
}

function digestJson(input: RenderInput): string {
  const { rows, counts, options, expired, jsonRows } = input;
  const listedExpired = expired.slice(0, MAX_EXPIRED_SILENCES_LISTED).map((silence) => ({
    portal: clean(silence.portal, MAX_PORTAL_LENGTH),
    ...(silence.codes !== undefined && { codes: [...silence.codes] }),
    until: clean(silence.until, 60),
    reason: clean(silence.reason, 200),
  }));
  const json: DigestJson = {
    state: AlertState.DIGEST,
    checkedAt: Number.isNaN(options.checkedAt.getTime()) ? '' : options.checkedAt.toISOString(),
    status: overallStatus(rows.map((row) => row.status)),
    counts,
    portals: rows.slice(0, jsonRows).map((row) => row.json),
    ...(jsonRows < rows.length && { omittedPortals: rows.length - jsonRows }),
    expiredSilences: listedExpired,
    ...(expired.length > listedExpired.length && { omittedExpiredSilences: expired.length - listedExpired.length }),
  };
  return JSON.stringify(json);
}

function digestAttributes(verdicts: readonly Verdict[]): AlertAttributes {
  const findings = verdicts.flatMap((verdict) => verdict.findings);
  const codes = uniqueCodes(findings.map((finding) => finding.code));
  const order = (code: FindingCode): number => {
    const index = FINDING_CODES.indexOf(code);
    return index === -1 ? FINDING_CODES.length : index;
  };
  return {
    state: AlertState.DIGEST,
    severity: findings.some((finding) => finding.severity === Severity.CRITICAL) ? Severity.CRITICAL : Severity.WARNING,
    status: overallStatus(verdicts.map((verdict) => verdict.status)),
    portal: '*',
    codes: codes.sort((a, b) => order(a) - order(b)).join(','),
  };
}
