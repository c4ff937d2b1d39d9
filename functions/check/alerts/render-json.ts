/**
 * A portal's result for machines: the SNS `default` message and, per portal, the CLI's `--json`
 * report. The member names are a public contract. Pure.
 */
import { sanitizePortalText } from '../policy/format.ts';
import type { CheckFailedCause, EvidenceSource, Finding, FindingCode, FindingValue, Severity, Status, Verdict } from '../policy/types.ts';

/** The longest text kept from one string inside `expected` / `actual`. */
const MAX_VALUE_LENGTH = 500;

/** One finding, as JSON. */
export interface FindingJson {
  readonly code: FindingCode;
  readonly severity: Severity;
  readonly message: string;
  readonly remedy: string;
  readonly cause?: CheckFailedCause;
  readonly source?: EvidenceSource;
  readonly expected?: FindingValue;
  readonly actual?: FindingValue;
}

/** One portal's result, as JSON. */
export interface VerdictJson {
  readonly name: string;
  readonly url: string;
  readonly status: Status;
  readonly timeZone: string;
  readonly timeZoneNote?: string;
  /** ISO 8601, UTC. */
  readonly checkedAt: string;
  /** ISO 8601, UTC; `null` when no backup ever ran; absent when it could not be read. */
  readonly lastBackupTime?: string | null;
  readonly findings: readonly FindingJson[];
}

function cleanValue(value: FindingValue): FindingValue {
  if (typeof value === 'string') return sanitizePortalText(value, MAX_VALUE_LENGTH);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, member]) => [
      sanitizePortalText(key, MAX_VALUE_LENGTH),
      typeof member === 'string' ? sanitizePortalText(member, MAX_VALUE_LENGTH) : member,
    ]),
  );
}

function findingToJson(finding: Finding): FindingJson {
  return {
    code: finding.code,
    severity: finding.severity,
    message: sanitizePortalText(finding.message, 2000),
    remedy: sanitizePortalText(finding.remedy, 2000),
    ...(finding.cause !== undefined && { cause: finding.cause }),
    ...(finding.source !== undefined && { source: finding.source }),
    ...(finding.expected !== undefined && { expected: cleanValue(finding.expected) }),
    ...(finding.actual !== undefined && { actual: cleanValue(finding.actual) }),
  };
}

/**
 * One portal's result as a plain object, for `JSON.stringify`. Optional members are left out
 * when the verdict has no value for them.
 *
 * @param verdict - one portal's outcome
 * @example
 * const report = { portals: verdicts.map(verdictToJson) };
 */
export function verdictToJson(verdict: Verdict): VerdictJson {
  return {
    name: verdict.portal,
    url: verdict.url,
    status: verdict.status,
    timeZone: sanitizePortalText(verdict.timeZone, 100),
    ...(verdict.timeZoneNote !== undefined && { timeZoneNote: sanitizePortalText(verdict.timeZoneNote, 500) }),
    checkedAt: verdict.checkedAt.toISOString(),
    ...(verdict.lastBackupTime !== undefined && {
      lastBackupTime: verdict.lastBackupTime === null ? null : verdict.lastBackupTime.toISOString(),
    }),
    findings: verdict.findings.map(findingToJson),
  };
}

/** One portal's result as compact JSON text (the SNS `default` message). */
export function renderJson(verdict: Verdict): string {
  return JSON.stringify(verdictToJson(verdict));
}
