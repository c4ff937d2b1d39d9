/** The monitor's own version, as the package names it: reports carry it so evidence says what judged it. */
import packageJson from '../../package.json' with { type: 'json' };

/** The version of this monitor (`package.json`'s `version`). */
export const MONITOR_VERSION: string = packageJson.version;
