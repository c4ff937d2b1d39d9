/**
 * Silences: mutes that keep matching findings out of alerts until a time, the way Alertmanager's
 * expiring silences do, from the config or added at run time (`silence add`, see silences/).
 * The report still shows the findings, marked silenced. Pure: `now` is a parameter.
 */
import type { SilenceConfig } from '../config.ts';
import type { Finding, FindingCode, Verdict } from '../policy/types.ts';
import type { SilencedFinding } from './types.ts';

/**
 * A silence the notice policy weighs: one from the config as is, or a run-time one in force
 * (`silencesInForce`), which carries its id and author so the alerts can name them.
 */
export interface ActiveSilence extends SilenceConfig {
  /** The run-time silence's id; absent for a silence in the config. */
  readonly id?: string;
  /** Who added the run-time silence; absent for a silence in the config. */
  readonly createdBy?: string;
}

/**
 * Whether a silence is in force at `now`. `until` is exclusive: a silence mutes while
 * `now < until` and has ended exactly at `until`. An `until` that does not parse (the config
 * schema rejects it) mutes nothing.
 */
function isInForce(silence: ActiveSilence, now: Date): boolean {
  return now.getTime() < Date.parse(silence.until);
}

/** Whether a silence covers a finding code; a silence without `codes` covers every code. */
function covers(silence: ActiveSilence, code: FindingCode): boolean {
  return silence.codes === undefined || silence.codes.includes(code);
}

/**
 * The silences in force for one portal at `now`.
 *
 * @param silences - every configured silence (`MonitorConfig.silences`)
 * @param portal - the portal's name
 * @param now - the instant of the run
 * @returns the silences naming `portal` whose `until` is after `now`, in config order
 */
export function activeSilences<S extends ActiveSilence>(silences: readonly S[], portal: string, now: Date): S[] {
  return silences.filter((silence) => silence.portal === portal && isInForce(silence, now));
}

/**
 * The verdict's finding codes that a silence in force mutes, one entry per code, in the
 * verdict's finding order. When several silences cover a code, the one that ends last names
 * `until` and `reason` (alerts for the code resume only then); on a tie, the first in config.
 *
 * @param verdict - one portal's outcome in this run
 * @param silences - every configured silence
 * @param now - the instant of the run
 * @example
 * silencedFindings(verdict, [{ portal: 'acme-prod', codes: ['SCHEDULE_MISMATCH'], until: '2027-01-31T00:00:00Z', reason: 'moving storage' }], now);
 * // [{ code: 'SCHEDULE_MISMATCH', until: '2027-01-31T00:00:00Z', reason: 'moving storage' }] while now < until
 */
export function silencedFindings(verdict: Verdict, silences: readonly ActiveSilence[], now: Date): SilencedFinding[] {
  const active = activeSilences(silences, verdict.portal, now);
  const silenced = new Map<FindingCode, SilencedFinding>();
  for (const { code } of verdict.findings) {
    if (silenced.has(code)) continue;
    const longest = longestSilence(active, code);
    if (longest !== undefined)
      silenced.set(code, {
        code,
        until: longest.until,
        reason: longest.reason,
        ...(longest.id === undefined ? {} : { id: longest.id }),
        ...(longest.createdBy === undefined ? {} : { by: longest.createdBy }),
      });
  }
  return [...silenced.values()];
}

function longestSilence(active: readonly ActiveSilence[], code: FindingCode): ActiveSilence | undefined {
  let longest: ActiveSilence | undefined;
  for (const silence of active) {
    if (covers(silence, code) && (longest === undefined || Date.parse(silence.until) > Date.parse(longest.until))) longest = silence;
  }
  return longest;
}

/**
 * The verdict's findings that no silence in force mutes: what alerts are about.
 *
 * @param verdict - one portal's outcome in this run
 * @param silences - every silence: configured, and run-time ones in force
 * @param now - the instant of the run
 * @returns the findings in the verdict's order
 */
export function unsilencedFindings(verdict: Verdict, silences: readonly ActiveSilence[], now: Date): Finding[] {
  const active = activeSilences(silences, verdict.portal, now);
  return verdict.findings.filter((finding) => !active.some((silence) => covers(silence, finding.code)));
}

/**
 * The silences that have ended (`until` at or before `now`), for every portal, so the CLI can
 * report them and they get cleaned out of the config.
 *
 * @param silences - every configured silence
 * @param now - the instant of the run
 * @returns the ended silences, in config order
 */
export function expiredSilences(silences: readonly SilenceConfig[], now: Date): SilenceConfig[] {
  return silences.filter((silence) => !isInForce(silence, now));
}
