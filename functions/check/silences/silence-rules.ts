/**
 * What run-time silences amount to at an instant: which are in force (and so mute findings like
 * a silence in the config), which ended, which are kept for the list, and the changes `silence
 * add` and `silence expire` make. Pure: `now` is a parameter.
 */
import { randomBytes } from 'node:crypto';
import type { ActiveSilence } from '../notify/silences.ts';
import { sanitizePortalText } from '../policy/format.ts';
import { SilenceError } from './errors.ts';
import { SILENCE_KEPT_AFTER_END_MS, type Silence } from './types.ts';

/** Where a silence is in its life, as `silence list` shows it. */
export const SilenceState = {
  /** Mutes its findings now. */
  ACTIVE: 'active',
  /** Ran its course: `until` has passed. */
  ENDED: 'ended',
  /** Ended early by `silence expire`. */
  EXPIRED: 'expired',
} as const;
export type SilenceState = (typeof SilenceState)[keyof typeof SilenceState];

/** A new silence id: `s-` and 8 random hex digits. */
export function newSilenceId(): string {
  return `s-${randomBytes(4).toString('hex')}`;
}

/** When the silence stops muting, in ms since the epoch: its `until`, or when it was expired if earlier. */
export function silenceEnd(silence: Silence): number {
  const until = Date.parse(silence.until);
  return silence.expiredAt === undefined ? until : Math.min(until, Date.parse(silence.expiredAt));
}

/**
 * Where a silence is at `now`. `until` is exclusive, as for a silence in the config: it mutes
 * while `now < until`.
 */
export function silenceState(silence: Silence, now: Date): SilenceState {
  if (now.getTime() < silenceEnd(silence)) return SilenceState.ACTIVE;
  return silence.expiredAt !== undefined && Date.parse(silence.expiredAt) < Date.parse(silence.until) ? SilenceState.EXPIRED : SilenceState.ENDED;
}

/**
 * The silences in force at `now`, in the shape the notice policy weighs (as if they were in the
 * config, with their id and author so the alerts can name them).
 *
 * @param silences - the silences kept
 * @param now - the instant of the run
 */
export function silencesInForce(silences: readonly Silence[], now: Date): ActiveSilence[] {
  return silences
    .filter((silence) => silenceState(silence, now) === SilenceState.ACTIVE)
    .map((silence) => ({
      portal: silence.portal,
      ...(silence.codes === undefined ? {} : { codes: [...silence.codes] }),
      until: silence.until,
      reason: silence.reason,
      id: silence.id,
      createdBy: silence.createdBy,
    }));
}

/**
 * The silences still worth listing at `now`: those in force and those that ended less than
 * {@link SILENCE_KEPT_AFTER_END_MS} ago; the others go with the next change.
 */
export function keptSilences(silences: readonly Silence[], now: Date): Silence[] {
  return silences.filter((silence) => silenceEnd(silence) + SILENCE_KEPT_AFTER_END_MS > now.getTime());
}

/**
 * The silences after `silence add`: the kept ones and `silence`.
 *
 * @throws SilenceError when a kept silence has the same id (ask again for a new id)
 */
export function withSilenceAdded(silences: readonly Silence[], silence: Silence, now: Date): Silence[] {
  const kept = keptSilences(silences, now);
  if (kept.some((existing) => existing.id === silence.id)) throw new SilenceError(`a silence with id ${silence.id} exists already; add it again for a new id`);
  return [...kept, silence];
}

/**
 * The silences after `silence expire`: the one with `id` ends at `now` (recording who), unless it
 * has already ended; the others are kept as {@link keptSilences} says.
 *
 * @returns the new list and the silence as it is now
 * @throws SilenceError naming the id when no silence has it
 */
export function withSilenceExpired(silences: readonly Silence[], id: string, by: string, now: Date, where: string): { silences: Silence[]; silence: Silence } {
  const found = silences.find((silence) => silence.id === id);
  if (found === undefined)
    throw new SilenceError(`no silence ${sanitizePortalText(id, 40) || '(blank)'} in ${where}; "silence list" shows the ids (ended ones stay listed for 7 days)`);
  if (silenceState(found, now) !== SilenceState.ACTIVE) return { silences: keptSilences(silences, now), silence: found };
  const expired: Silence = { ...found, expiredAt: now.toISOString(), expiredBy: by };
  return { silences: keptSilences(silences, now).map((silence) => (silence.id === id ? expired : silence)), silence: expired };
}
