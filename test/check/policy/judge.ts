/**
 * The verdict as the "never fooled" tests call it: the fixtures' daily 02:00 Europe/Berlin
 * schedule (last dispatched 2026-03-02T01:07:41Z) and history (newest archive
 * 2026-03-02T01:19:52Z), any input changed, and the codes a verdict found.
 */
import type { BackupRecord, BackupSchedule } from '../../../functions/check/docspace/schemas.ts';
import type { BackupPolicy, Fetched, FindingCode, PortalZone, Verdict } from '../../../functions/check/policy/types.ts';
import { evaluate, type VerdictInput } from '../../../functions/check/policy/verdict.ts';
import { historyFixture, progressFixture, scheduleFixture } from './docspace-fixtures.ts';

export const BERLIN: PortalZone = { kind: 'iana', id: 'Europe/Berlin' };

/** The policy of the tests: grace 60 min, archive grace 240 min. */
export const POLICY: BackupPolicy = {
  graceMinutes: 60,
  archiveGraceMinutes: 240,
  requireArchive: true,
  checkLastBackupError: true,
  severity: {},
};

export function ok<T>(value: T): Fetched<T> {
  return { ok: true, value };
}

/** schedule-daily.json with changes. */
export function daily(changes: Partial<BackupSchedule> = {}): BackupSchedule {
  const schedule = scheduleFixture('schedule-daily.json');
  if (schedule === null) throw new Error('schedule-daily.json has no schedule');
  return { ...schedule, ...changes };
}

/** An archive record created at `createdOn` (ISO). */
export function archive(createdOn: string, fileName = 'acme.tar.gz'): BackupRecord {
  return { id: createdOn, fileName, createdOn: new Date(createdOn) };
}

/** What a test changes: any input, and policy keys merged over {@link POLICY}. */
export type Changes = Omit<Partial<VerdictInput>, 'policy'> & { readonly policy?: Partial<BackupPolicy> };

/** The verdict on the fixtures with `changes`, as of 2026-03-02T07:00:00Z unless `now` is given. */
export function judge(changes: Changes = {}): Verdict {
  return evaluate({
    portal: { name: 'acme', url: 'https://acme.onlyoffice.com/' },
    zone: BERLIN,
    schedule: ok(daily()),
    progress: ok(progressFixture('progress-ok.json')),
    history: ok(historyFixture('history.json')),
    now: new Date('2026-03-02T07:00:00Z'),
    ...changes,
    policy: { ...POLICY, ...changes.policy },
  });
}

export function codes(verdict: Verdict): FindingCode[] {
  return verdict.findings.map((finding) => finding.code);
}

export function findingOf(verdict: Verdict, code: string) {
  const finding = verdict.findings.find((candidate) => candidate.code === code);
  if (!finding) throw new Error(`no ${code} in ${JSON.stringify(codes(verdict))}`);
  return finding;
}
