/**
 * The one schema of a {@link PortalMemory} record, used wherever a record is read back (the
 * JSON file, a DynamoDB item) or about to be written, so that no store keeps a record it could
 * not load again.
 */
import * as z from 'zod/mini';
import { describeSchemaIssues } from '../docspace/request-failures.ts';
import type { Acknowledgement, PortalMemory } from '../notify/types.ts';
import { sanitizePortalText } from '../text/portal-text.ts';
import { FindingCode, Status } from '../policy/types.ts';
import { StateStoreError, type StateOperation } from './errors.ts';

/** How much of a portal name or path segment a message shows, in characters. */
const MAX_NAME_LENGTH = 100;

const StatusSchema = z.enum(Status);
const FindingCodesSchema = z.readonly(z.array(z.enum(FindingCode)));
/** ISO-8601 with `Z` or an offset, as `Date.prototype.toISOString()` writes it. */
const TimestampSchema = z.iso.datetime({ offset: true });

/** An acknowledgement of the outstanding problem; see {@link Acknowledgement} for each field. */
export const AcknowledgementSchema = z.object({
  status: StatusSchema,
  codes: FindingCodesSchema,
  by: z.string().check(z.minLength(1), z.maxLength(300)),
  at: TimestampSchema,
  reason: z.string().check(z.minLength(1), z.maxLength(200)),
});

/** What the monitor remembers about one portal; see {@link PortalMemory} for each field. */
export const PortalMemorySchema = z.object({
  portal: z.string().check(z.minLength(1)),
  status: StatusSchema,
  codes: FindingCodesSchema,
  since: TimestampSchema,
  notifiedStatus: StatusSchema,
  notifiedCodes: FindingCodesSchema,
  notifiedSeverity: z.optional(z.enum(['critical', 'warning'])),
  lastNotifiedAt: z.optional(TimestampSchema),
  runsSinceNotice: z.int().check(z.minimum(0)),
  lastRunKey: z.string().check(z.minLength(1)),
  // Added for escalation (issue 10): optional, so records written before load unchanged.
  neverRanSince: z.optional(TimestampSchema),
  uncheckedRuns: z.optional(z.int().check(z.minimum(1))),
  uncheckedSince: z.optional(TimestampSchema),
  ack: z.optional(AcknowledgementSchema),
});

/** `true` only when A and B are the same type. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// Fails to compile when the schema and the PortalMemory interface drift apart.
const _SCHEMA_FITS_PORTAL_MEMORY: Same<z.infer<typeof PortalMemorySchema>, PortalMemory> = true;
const _SCHEMA_FITS_ACKNOWLEDGEMENT: Same<z.infer<typeof AcknowledgementSchema>, Acknowledgement> = true;

/** A record read back and checked: the record, or what is wrong with it. */
export type PortalMemoryParse =
  | { readonly ok: true; readonly memory: PortalMemory }
  | { readonly ok: false; readonly problems: string };

/** A name from a file, a table or a caller, made safe and short for a message. */
export function safeName(name: string): string {
  return sanitizePortalText(name, MAX_NAME_LENGTH) || '(blank)';
}

/**
 * Lists zod issues as `path: what is wrong`, without values; path segments (portal names from
 * a file) are cleaned of control characters and shortened.
 *
 * @param issues - the issues of a failed `safeParse`
 */
export function describeStateIssues(issues: readonly z.core.$ZodIssue[]): string {
  return describeSchemaIssues(
    issues.map((issue) => ({ ...issue, path: issue.path.map((segment) => (typeof segment === 'string' ? safeName(segment) : segment)) })),
  );
}

/**
 * Checks a value against {@link PortalMemorySchema}.
 *
 * @param value - a record read from a store, or one about to be written
 */
export function parsePortalMemory(value: unknown): PortalMemoryParse {
  const result = PortalMemorySchema.safeParse(value);
  return result.success ? { ok: true, memory: result.data } : { ok: false, problems: describeStateIssues(result.error.issues) };
}

/**
 * The record as it will be written: checked against {@link PortalMemorySchema}, unknown fields
 * dropped. Throws when the store could not load it again (a bug in the caller).
 *
 * @param memory - the record about to be written
 * @param operation - `claim` or `release`
 * @param store - the table or file, for the error's `store`
 * @param where - the store in words for the message (`DynamoDB table monitor-state`)
 */
export function writableMemory(memory: PortalMemory, operation: StateOperation, store: string, where: string): PortalMemory {
  const parsed = parsePortalMemory(memory);
  if (!parsed.ok)
    throw new StateStoreError(`cannot ${operation} portal ${safeName(String(memory.portal))} in ${where}: the record is not valid: ${parsed.problems}`, {
      operation,
      store,
    });
  return parsed.memory;
}

/**
 * The record to put back: `undefined` when there is none, else `previous` as {@link writableMemory}
 * returns it. Throws when it is of another portal than `claimed` (a bug in the caller).
 *
 * @param claimed - the record `claim` wrote
 * @param previous - the record to put back, if any
 * @param store - the table or file, for the error's `store`
 * @param where - the store in words for the message
 */
export function releasableMemory(claimed: PortalMemory, previous: PortalMemory | undefined, store: string, where: string): PortalMemory | undefined {
  if (previous === undefined) return undefined;
  if (previous.portal !== claimed.portal)
    throw new StateStoreError(
      `cannot release portal ${safeName(String(claimed.portal))} in ${where}: the previous record is of portal ${safeName(String(previous.portal))}`,
      { operation: 'release', store },
    );
  return writableMemory(previous, 'release', store, where);
}
