/**
 * What an invocation may ask for. The config is fixed at deploy time: the event can only
 * narrow the run to configured portals or ask for a test alert, never point the check (and a
 * key) at another host. Error messages name keys and paths, never the values the event holds.
 */
import * as z from 'zod/mini';
import { formatPath } from './config-problems.ts';
import type { MonitorConfig } from './config.ts';
import { sanitizePortalText } from './policy/format.ts';

/** The most portal names one event may list. */
export const MAX_EVENT_PORTALS = 1000;

/** The events the function accepts, for error messages. */
const ACCEPTED = 'accepted events: {}, {"scheduledTime": "…"}, {"portals": ["name", …]}, {"action": "test-alert"}, {"action": "digest"}, {"action": "monthly-report"}';

/** How many names an error message lists before it says how many more there are. */
const MAX_NAMES_IN_MESSAGE = 10;

/** `{"action": "test-alert"}`: publish one clearly marked test alert. */
export const TestAlertEventSchema = z.strictObject({ action: z.literal('test-alert') });

const ScheduledTimeSchema = z.string({ error: 'must be a string' }).check(z.maxLength(64, { error: 'must be at most 64 characters' }));

/**
 * The digest: every portal's status in one e-mail (the digest schedule sends it). Its
 * `scheduledTime` names the run as for a check run (see {@link runKeyOf}), so a second delivery
 * sends no second digest.
 */
export const DigestEventSchema = z.strictObject({ action: z.literal('digest'), scheduledTime: z.optional(ScheduledTimeSchema) });

/** The monthly compliance report of the previous month (the monthly-report schedule sends it on the 1st). */
export const MonthlyReportEventSchema = z.strictObject({ action: z.literal('monthly-report'), scheduledTime: z.optional(ScheduledTimeSchema) });

/**
 * A check run: `{}`, EventBridge Scheduler's `{"scheduledTime": "…"}`, or `{"portals": [...]}`
 * to check only these configured portals.
 */
export const CheckRunEventSchema = z.strictObject({
  action: z.optional(z.literal('check', { error: 'must be "check", "test-alert", "digest", "monthly-report" or left out' })),
  portals: z.optional(
    z
      .array(z.string({ error: 'must be a portal name' }), { error: 'must be a list of portal names' })
      .check(
        z.minLength(1, { error: 'must name at least one portal (leave it out to check them all)' }),
        z.maxLength(MAX_EVENT_PORTALS, { error: `must name at most ${MAX_EVENT_PORTALS} portals` }),
      ),
  ),
  /** Set by EventBridge Scheduler (`<aws.scheduler.scheduled-time>`): names the run, so a second delivery sends nothing. */
  scheduledTime: z.optional(ScheduledTimeSchema),
});
/** A check-run event as accepted. */
export type CheckRunEvent = z.output<typeof CheckRunEventSchema>;

/** A validated request. */
export type CheckRequest =
  | { readonly action: 'test-alert' }
  | { readonly action: 'digest'; readonly scheduledTime?: string }
  | { readonly action: 'monthly-report'; readonly scheduledTime?: string }
  | { readonly action: 'check'; readonly portals?: readonly string[]; readonly scheduledTime?: string };

/** Thrown for an event the function does not accept. */
export class CheckEventError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CheckEventError';
  }
}

/** A name from the event or the config, safe and short enough for a message. */
function quoted(name: string): string {
  return JSON.stringify(sanitizePortalText(name, 64));
}

/** Lists names up to {@link MAX_NAMES_IN_MESSAGE}, then how many more there are. */
function listNames(names: readonly string[], format: (name: string) => string): string {
  const shown = names.slice(0, MAX_NAMES_IN_MESSAGE).map(format).join(', ');
  return names.length > MAX_NAMES_IN_MESSAGE ? `${shown} (+${names.length - MAX_NAMES_IN_MESSAGE} more)` : shown;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `${listNames(issue.keys, (key) => JSON.stringify(sanitizePortalText(key, 64)))}: unknown key${issue.keys.length > 1 ? 's' : ''}`;
  return `${formatPath(issue.path)}: ${issue.message}`;
}

/**
 * Validates an invocation event against the deployed config. `null` and `undefined` count as
 * `{}` (an invocation without a payload).
 *
 * @param event - the event as the runtime passes it
 * @param config - the deployed config; narrowed names must be configured portals
 * @throws CheckEventError naming what is wrong and what is accepted (or, for an unknown portal, the configured ones)
 * @example
 * parseCheckEvent({ portals: ['acme-prod'] }, config); // { action: 'check', portals: ['acme-prod'] }
 */
export function parseCheckEvent(event: unknown, config: MonitorConfig): CheckRequest {
  const data = event ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new CheckEventError(`unsupported event: must be a JSON object, got ${kindOf(data)}; ${ACCEPTED}`);

  if ((data as { action?: unknown }).action === 'test-alert') {
    const result = TestAlertEventSchema.safeParse(data);
    if (!result.success) throw new CheckEventError(`unsupported event: ${result.error.issues.map(issueText).join('; ')}; ${ACCEPTED}`);
    return { action: 'test-alert' };
  }

  if ((data as { action?: unknown }).action === 'digest') {
    const result = DigestEventSchema.safeParse(data);
    if (!result.success) throw new CheckEventError(`unsupported event: ${result.error.issues.map(issueText).join('; ')}; ${ACCEPTED}`);
    return { action: 'digest', ...(result.data.scheduledTime === undefined ? {} : { scheduledTime: result.data.scheduledTime }) };
  }

  if ((data as { action?: unknown }).action === 'monthly-report') {
    const result = MonthlyReportEventSchema.safeParse(data);
    if (!result.success) throw new CheckEventError(`unsupported event: ${result.error.issues.map(issueText).join('; ')}; ${ACCEPTED}`);
    return { action: 'monthly-report', ...(result.data.scheduledTime === undefined ? {} : { scheduledTime: result.data.scheduledTime }) };
  }

  const result = CheckRunEventSchema.safeParse(data);
  if (!result.success) throw new CheckEventError(`unsupported event: ${result.error.issues.map(issueText).join('; ')}; ${ACCEPTED}`);
  const names = result.data.portals;
  const scheduledTime = result.data.scheduledTime === undefined ? {} : { scheduledTime: result.data.scheduledTime };
  if (names === undefined) return { action: 'check', ...scheduledTime };

  const configured = config.portals.map((portal) => portal.name);
  const unknown = [...new Set(names.filter((name) => !configured.includes(name)))];
  if (unknown.length > 0)
    throw new CheckEventError(
      `unknown portal${unknown.length > 1 ? 's' : ''} ${listNames(unknown, quoted)}; configured portals: ${listNames(configured, (name) => name)}`,
    );
  return { action: 'check', portals: [...new Set(names)], ...scheduledTime };
}

/** How far a Scheduler-given scheduled time may lie in the future: clock skew only. */
export const MAX_SCHEDULED_TIME_AHEAD_MS = 5 * 60_000;
/** How old it may be: the Scheduler retries for an hour, Lambda's own async retries for up to six. */
export const MAX_SCHEDULED_TIME_AGE_MS = 24 * 60 * 60_000;

/**
 * The name of a run, for duplicate suppression: the event's scheduled time when it is plausible
 * for a run starting `now`, else the invocation's request id (Lambda keeps it across retries). A
 * scheduled time in the future is not believed: it would let an invoker pre-empt a later scheduled
 * run's notices.
 *
 * @returns the run key, and whether a scheduled time was refused (for a log line)
 */
export function runKeyOf(scheduledTime: string | undefined, requestId: string | undefined, now: Date): { runKey?: string; refused: boolean } {
  if (scheduledTime === undefined) return { runKey: requestId, refused: false };
  const at = Date.parse(scheduledTime);
  const plausible = !Number.isNaN(at) && at <= now.getTime() + MAX_SCHEDULED_TIME_AHEAD_MS && at >= now.getTime() - MAX_SCHEDULED_TIME_AGE_MS;
  return plausible ? { runKey: scheduledTime, refused: false } : { runKey: requestId, refused: true };
}
