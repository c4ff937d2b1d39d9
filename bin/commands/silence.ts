/**
 * `docspace-backup-monitor silence add|list|expire`: mute a portal's findings until a time without
 * a deploy, see what is muted, end a silence early. The change goes where the run's state is (see
 * silence-target.ts) and the next run honours it.
 */
import { parseArgs } from 'node:util';
import { FINDING_CODES, type FindingCode } from '../../functions/check/policy/types.ts';
import { MAX_SILENCE_REASON_LENGTH, SILENCE_ID_PATTERN } from '../../functions/check/silences/silence-schema.ts';
import { keptSilences, newSilenceId, silenceState } from '../../functions/check/silences/silence-rules.ts';
import type { Silence } from '../../functions/check/silences/types.ts';
import { commandFailed, parseReason, parsePortalName } from './command-errors.ts';
import { resolveTarget, SilenceUsageError, TARGET_HELP, TARGET_OPTIONS } from './silence-target.ts';

/** The longest a silence may run: a year and a day, so that a mistyped year is refused. */
export const MAX_SILENCE_DAYS = 366;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The `silence --help` text. */
export const SILENCE_HELP = `Usage:
  docspace-backup-monitor silence add --portal NAME [--code CODE]... (--until ISO | --for 4h) --reason TEXT
  docspace-backup-monitor silence list [--json]
  docspace-backup-monitor silence expire ID

Mutes a portal's findings (every code, or the --code ones) in alerts until a time; the report,
the alerts and the digest still show them, marked silenced, with who, why and until when. The
deployed function reads silences on every run: no deploy. An ended silence stays listed for 7
days, then goes. Silences in the config keep working.

Options:
  --portal NAME       the portal (as named in the config)
  --code CODE         a finding code to mute; repeat for several (default: every code)
                      ${FINDING_CODES.join(', ')}
  --until ISO-8601    when it ends, e.g. 2027-01-31T00:00:00Z
  --for DURATION      or how long it runs from now: 30m, 4h, 2d, 1d12h (at most ${MAX_SILENCE_DAYS} days)
  --reason TEXT       why (at most ${MAX_SILENCE_REASON_LENGTH} characters); shown wherever the silence is
  --json              list as JSON
${TARGET_HELP}

Exit codes: 0 done, 3 refused or failed (the message says why).`;

/** `4h`, `30m`, `2d`, `1d12h`, `1h30m` as milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(?:(\d{1,4})d)?(?:(\d{1,5})h)?(?:(\d{1,6})m)?$/.exec(text.trim());
  const [, days, hours, minutes] = match ?? [];
  const ms = (Number(days ?? 0) * 24 * 60 + Number(hours ?? 0) * 60 + Number(minutes ?? 0)) * 60_000;
  if (match === null || text.trim() === '' || ms <= 0) throw new SilenceUsageError(`--for must be a duration such as 30m, 4h, 2d or 1d12h, got ${JSON.stringify(text.slice(0, 40))}`);
  return ms;
}

/** An ISO-8601 instant with its zone and a real calendar day, as `--now` takes it. */
export function parseInstant(text: string, option: string): Date {
  const [, year, month, day] = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i.exec(text) ?? [];
  const instant = new Date(text);
  const calendarDay = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (year === undefined || Number.isNaN(instant.getTime()) || calendarDay.getUTCMonth() !== Number(month) - 1 || calendarDay.getUTCDate() !== Number(day))
    throw new SilenceUsageError(`${option} must be an ISO-8601 instant with a zone, such as 2027-01-31T00:00:00Z, got ${JSON.stringify(text.slice(0, 60))}`);
  return instant;
}

/** When the silence ends: `--until` or now plus `--for`, exactly one, in the future and within {@link MAX_SILENCE_DAYS}. */
export function silenceUntil(values: { until?: string; for?: string }, now: Date): Date {
  if ((values.until === undefined) === (values.for === undefined)) throw new SilenceUsageError('say when the silence ends: give --until ISO-8601 or --for DURATION (one of them)');
  const until = values.until !== undefined ? parseInstant(values.until, '--until') : new Date(now.getTime() + parseDuration(values.for!));
  if (until.getTime() <= now.getTime()) throw new SilenceUsageError(`--until must be in the future, got ${until.toISOString()} (now is ${now.toISOString()})`);
  if (until.getTime() - now.getTime() > MAX_SILENCE_DAYS * DAY_MS)
    throw new SilenceUsageError(`a silence may run at most ${MAX_SILENCE_DAYS} days, got until ${until.toISOString()}; silence again when it ends, or fix the policy in the config`);
  return until;
}

/** `--code` values as finding codes (any case), each once. */
export function parseCodes(codes: readonly string[] | undefined): FindingCode[] | undefined {
  if (codes === undefined || codes.length === 0) return undefined;
  const parsed = codes.map((code) => {
    const upper = code.trim().toUpperCase();
    if (!(FINDING_CODES as readonly string[]).includes(upper))
      throw new SilenceUsageError(`--code must be a finding code (${FINDING_CODES.join(', ')}), got ${JSON.stringify(code.slice(0, 40))}`);
    return upper as FindingCode;
  });
  return [...new Set(parsed)];
}

function describe(silence: Silence): string {
  return `${silence.portal} ${silence.codes?.join(', ') ?? 'every code'} until ${silence.until}`;
}

async function add(args: string[], now: Date): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { portal: { type: 'string' }, code: { type: 'string', multiple: true }, until: { type: 'string' }, for: { type: 'string' }, reason: { type: 'string' }, ...TARGET_OPTIONS },
    strict: true,
    allowPositionals: false,
  });
  const portal = parsePortalName(values.portal);
  const codes = parseCodes(values.code);
  const until = silenceUntil(values, now);
  const reason = parseReason(values.reason);
  const target = await resolveTarget(values);
  try {
    const silence: Silence = {
      id: newSilenceId(),
      portal,
      ...(codes === undefined ? {} : { codes }),
      until: until.toISOString(),
      reason,
      createdBy: target.actor,
      createdAt: now.toISOString(),
    };
    await target.store.addSilence(silence, now);
    console.log(`silence ${silence.id} added to ${target.store.where}: ${describe(silence)} by ${silence.createdBy}: ${silence.reason}`);
    console.log(`The next run holds back alerts for it. End it early with: docspace-backup-monitor silence expire ${silence.id}`);
    if (!(await target.store.hasPortalMemory(portal)))
      console.error(`warning: no run has checked portal ${portal} in ${target.store.where} yet: check the name against the config (the silence is kept; it mutes nothing for a portal the monitor does not check)`);
    return 0;
  } finally {
    target.close();
  }
}

async function list(args: string[], now: Date): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false }, ...TARGET_OPTIONS }, strict: true, allowPositionals: false });
  const target = await resolveTarget(values);
  try {
    const silences = keptSilences(await target.store.listSilences(), now).map((silence) => ({ ...silence, state: silenceState(silence, now) }));
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ silences }, null, 2)}\n`);
      return 0;
    }
    if (silences.length === 0) {
      console.log(`No silences in ${target.store.where} (ended ones stay listed for 7 days). Silences in the config are not listed here.`);
      return 0;
    }
    const rows = silences.map((silence) => [
      silence.id,
      silence.state,
      silence.portal,
      silence.codes?.join(',') ?? '*',
      silence.expiredAt !== undefined && silence.state === 'expired' ? `${silence.expiredAt} (expired by ${silence.expiredBy ?? '?'})` : silence.until,
      silence.createdBy,
      silence.reason,
    ]);
    const header = ['ID', 'STATE', 'PORTAL', 'CODES', 'UNTIL', 'BY', 'REASON'];
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
    for (const row of [header, ...rows]) console.log(row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  '));
    return 0;
  } finally {
    target.close();
  }
}

async function expire(args: string[], now: Date): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { ...TARGET_OPTIONS }, strict: true, allowPositionals: true });
  if (positionals.length !== 1) throw new SilenceUsageError('silence expire takes one silence id, e.g. silence expire s-1a2b3c4d ("silence list" shows them)');
  const id = positionals[0]!;
  if (!SILENCE_ID_PATTERN.test(id)) throw new SilenceUsageError(`a silence id is "s-" and 8 hex digits, such as s-1a2b3c4d, got ${JSON.stringify(id.slice(0, 40))}`);
  const target = await resolveTarget(values);
  try {
    const silence = await target.store.expireSilence(id, target.actor, now);
    const state = silenceState(silence, now);
    if (silence.expiredAt === now.toISOString()) console.log(`silence ${id} expired by ${target.actor}: ${describe(silence)}. The next run alerts what it held back.`);
    else console.log(`silence ${id} had already ${state === 'expired' ? `been expired at ${silence.expiredAt}` : `ended at ${silence.until}`}: nothing changed`);
    return 0;
  } finally {
    target.close();
  }
}

/**
 * Runs `silence <add|list|expire> …` and resolves to its exit code; never throws.
 *
 * @param args - the command line after `silence`
 * @param now - the instant of the change
 * @example
 * process.exitCode = await silenceCommand(['add', '--portal', 'acme-prod', '--for', '4h', '--reason', 'storage move'], new Date());
 */
export async function silenceCommand(args: readonly string[], now: Date = new Date()): Promise<number> {
  const [subcommand, ...rest] = args;
  try {
    if (subcommand === undefined || subcommand === '-h' || subcommand === '--help' || rest.includes('--help') || rest.includes('-h')) {
      console.log(SILENCE_HELP);
      return subcommand === undefined ? 3 : 0;
    }
    if (subcommand === 'add') return await add(rest, now);
    if (subcommand === 'list') return await list(rest, now);
    if (subcommand === 'expire') return await expire(rest, now);
    throw new SilenceUsageError(`unknown silence command ${JSON.stringify(subcommand.slice(0, 40))}; the commands are add, list and expire`);
  } catch (error) {
    return commandFailed(error);
  }
}
