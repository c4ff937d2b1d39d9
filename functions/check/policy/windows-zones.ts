/**
 * Windows time zone ids (`W. Europe Standard Time`) to IANA zones, from CLDR's `windowsZones`
 * mapping as the maintained `windows-iana` package ships it. The mapping's default territory
 * (`001`) gives each Windows id its one representative zone, with its DST rules.
 */
import { WINDOWS_TO_IANA_MAP } from 'windows-iana';

/** CLDR's territory code for "the world": the default zone of a Windows id. */
const DEFAULT_TERRITORY = '001';

/** Lower-cased Windows id to its default IANA zone. */
const IANA_OF_WINDOWS: ReadonlyMap<string, string> = new Map(
  WINDOWS_TO_IANA_MAP.filter((entry) => entry.territory === DEFAULT_TERRITORY && entry.iana[0] !== undefined).map((entry) => [
    entry.windowsName.toLowerCase(),
    entry.iana[0] as string,
  ]),
);

/**
 * The IANA zone CLDR maps a Windows time zone id to, or `undefined` when the id is not one it
 * knows. Case and surrounding spaces do not matter.
 *
 * @param windowsId - a zone id as a portal reports it, e.g. `Eastern Standard Time`
 * @example
 * ianaOfWindowsZone('W. Europe Standard Time'); // 'Europe/Berlin'
 */
export function ianaOfWindowsZone(windowsId: string): string | undefined {
  return IANA_OF_WINDOWS.get(windowsId.trim().toLowerCase());
}
