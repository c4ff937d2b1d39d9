/**
 * The one schema of a run-time {@link Silence}, used wherever silences are read back (the state
 * file's `silences` section, the table's silences item) or about to be written, so that no store
 * keeps a silence it could not load again.
 */
import * as z from 'zod/mini';
import { FindingCode } from '../policy/types.ts';
import type { Silence } from './types.ts';

/** What a silence id looks like: `s-` and 8 lowercase hex digits. */
export const SILENCE_ID_PATTERN = /^s-[0-9a-f]{8}$/;

/** The longest reason, as for a silence in the config. */
export const MAX_SILENCE_REASON_LENGTH = 200;

/** The longest `createdBy` / `expiredBy` kept (an assumed-role ARN with a long session name fits). */
export const MAX_ACTOR_LENGTH = 300;

const TimestampSchema = z.iso.datetime({ offset: true });
const ActorSchema = z.string().check(z.minLength(1), z.maxLength(MAX_ACTOR_LENGTH));

/** A run-time silence; see {@link Silence} for each field. */
export const StoredSilenceSchema = z.object({
  id: z.string().check(z.regex(SILENCE_ID_PATTERN)),
  // The config's portal-name rule: a name the table's silences item (`#silences`) can never be.
  portal: z.string().check(z.regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/)),
  codes: z.optional(z.readonly(z.array(z.enum(FindingCode)).check(z.minLength(1)))),
  until: TimestampSchema,
  reason: z.string().check(z.minLength(1), z.maxLength(MAX_SILENCE_REASON_LENGTH)),
  createdBy: ActorSchema,
  createdAt: TimestampSchema,
  expiredAt: z.optional(TimestampSchema),
  expiredBy: z.optional(ActorSchema),
});

/** Every silence kept, in the order they were added. */
export const StoredSilencesSchema = z.array(StoredSilenceSchema);

/** `true` only when A and B are the same type. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// Fails to compile when the schema and the Silence interface drift apart.
const _SCHEMA_FITS_SILENCE: Same<z.infer<typeof StoredSilenceSchema>, Silence> = true;
