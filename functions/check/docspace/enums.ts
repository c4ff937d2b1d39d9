/**
 * DocSpace sends its enums as numbers and sometimes as names. These tables map
 * both ways, with DocSpace's own spellings (including `ThridpartyDocuments`).
 */

/** `cronParams.period`: index = DocSpace's number. */
export const PERIODS = ['EveryDay', 'EveryWeek', 'EveryMonth'] as const;
export type Period = (typeof PERIODS)[number];

/** `cronParams.day` of a weekly schedule: DocSpace numbers them 1 = Sunday … 7 = Saturday. */
export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** `storageType`: index = DocSpace's number. */
export const STORAGE_TYPES = [
  'Documents',
  'ThridpartyDocuments',
  'CustomCloud',
  'Local',
  'DataStore',
  'ThirdPartyConsumer',
] as const;
export type StorageTypeName = (typeof STORAGE_TYPES)[number];

/** Other spellings users and servers write for the same storage types. */
const STORAGE_TYPE_ALIASES: Record<string, number> = { thirdpartydocuments: 1 };

function indexOfName(names: readonly string[], value: string): number | undefined {
  // Config checks that judge several members at once may pass a member that failed its own type check.
  if (typeof value !== 'string') return undefined;
  const wanted = value.trim().toLowerCase();
  const index = names.findIndex((name) => name.toLowerCase() === wanted);
  return index === -1 ? undefined : index;
}

/** DocSpace's number for a period given as number or name, or `undefined` when unknown. */
export function periodNumber(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value < PERIODS.length ? value : undefined;
  return indexOfName(PERIODS, value);
}

/** DocSpace's weekday number (1 = Sunday … 7 = Saturday) for a number or a name, or `undefined`. */
export function weekdayNumber(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 1 && value <= 7 ? value : undefined;
  const index = indexOfName(WEEKDAYS, value);
  return index === undefined ? undefined : index + 1;
}

/** DocSpace's storage type number for a number or a name, or `undefined` when the name is unknown. */
export function storageTypeNumber(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  return indexOfName(STORAGE_TYPES, value) ?? STORAGE_TYPE_ALIASES[value.trim().toLowerCase()];
}

/** The name of a period number, for people. */
export function periodName(period: number): string {
  return PERIODS[period] ?? `period ${period}`;
}

/** The name of a weekday number (1 = Sunday), for people. */
export function weekdayName(day: number): string {
  return WEEKDAYS[day - 1] ?? `weekday ${day}`;
}

/** The name of a storage type number, for people; unknown numbers stay visible. */
export function storageTypeName(storageType: number): string {
  return STORAGE_TYPES[storageType] ?? `storage type ${storageType}`;
}
