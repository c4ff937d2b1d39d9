/**
 * Hostile strings from a portal (docs/RELIABILITY.md, rows H01-H08): error messages, file names,
 * storage parameters, time zone ids, schema values, redirect targets and a reflected key reach a
 * subject, an SMS, an e-mail, a report and a log only stripped of control and invisible
 * characters, truncated, without a server stack trace and without the key.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../functions/check/policy/types.ts';
import { registerCanary } from '../support/canary.ts';
import { useFakeAwsEnvironment } from '../support/aws-env.ts';
import { docspaceError, FAKE_STACK_MARKER } from '../support/simulated-portal.ts';
import {
  alertOf,
  compliantSchedule,
  expectChannelSafe,
  expectNothingLeaked,
  expectNothingLost,
  runWithFault,
  startAwsFakes,
  stopAwsFakes,
  verdictOf,
  type AwsFakes,
  type FaultRun,
} from './harness.ts';

/** Terminal escapes, a header injection, bidi and zero-width characters, a NUL, a bell. */
const NASTY = '\u001b[31m\u001b]0;pwned\u0007\r\nX-Injected: yes\u202egnp.exe\u200b\u0000\u2028';

/** A .NET stack trace as DocSpace's error JSON carries it. */
const STACK = `\r\n   at ASC.Data.Backup.Services.BackupWorker.RunAsync(String reason)\r\n   at ${FAKE_STACK_MARKER}.Throw()`;

let aws: AwsFakes;
let restoreAws: () => void;

beforeAll(async () => {
  aws = await startAwsFakes();
  restoreAws = useFakeAwsEnvironment({ ssm: aws.ssm.endpoint, sns: aws.sns.endpoint });
});

afterAll(async () => {
  restoreAws();
  await stopAwsFakes(aws);
});

/** The victim's delivered alert, checked channel by channel; its finding with this code. */
function victimAlert(result: FaultRun, code: string): { finding: Finding; email: string; sms: string; subject: string } {
  const publishes = result.publishes.filter((publish) => publish.MessageAttributes.portal?.StringValue === result.victim);
  expect(publishes.map((publish) => publish.delivered)).toEqual([true]);
  expectChannelSafe(publishes[0]!, result.logEntries);
  const finding = verdictOf(result.run, result.victim).findings.find((candidate) => candidate.code === code);
  if (finding === undefined) throw new Error(`no ${code} finding for ${result.victim}`);
  return { finding, ...alertOf(publishes[0]!) };
}

/** Everything that reached people or logs, as one text. */
function everything(result: FaultRun): string {
  return [JSON.stringify(result.run.verdicts), ...result.snsRequests, ...result.logs].join('\n');
}

describe('runCheck with hostile portal strings', () => {
  it('H01 a backup error message with control characters, a stack trace, a reflected Bearer key and 5,000 characters is cleaned and cut', async () => {
    // Act
    const result = await runWithFault(aws, 'h01', {
      portal: (key) => ({
        progress: {
          isCompleted: true,
          progress: 37,
          error: `Disk full ${NASTY} Authorization: Bearer ${key} ${'A'.repeat(5_000)}${STACK}`,
          backupProgressEnum: 0,
          taskId: `task${NASTY}${'T'.repeat(200)}`,
        },
      }),
    });

    // Assess
    const { finding, email } = victimAlert(result, 'LAST_BACKUP_FAILED');
    expect(finding.message).toMatch(/^The latest backup \(task task .*\) failed with the error "Disk full .*…"$/);
    expect(finding.message).toContain('Bearer (redacted)');
    expect(finding.message.length).toBeLessThan(400);
    expect(email).toContain('Disk full');
    expect(everything(result)).not.toContain('AAAAAAAAAA'.repeat(30));
    expectNothingLost(result);
    expectNothingLeaked(result);
  });

  it('H02 a backup file name with control characters and 1,200 characters is cleaned and cut in the message', async () => {
    // Act
    const result = await runWithFault(aws, 'h02', {
      portal: {
        history: [{ id: 'a1', fileName: `../../etc/passwd${NASTY}${'backup'.repeat(200)}.tar.gz`, storageType: 0, createdOn: '2026-02-20T01:19:00' }],
      },
    });

    // Assess
    const { finding } = victimAlert(result, 'ARCHIVE_MISSING');
    const quoted = /the newest archive is "([^"]*)"/.exec(finding.message)?.[1];
    expect(quoted).toMatch(/^\.\.\/\.\.\/etc\/passwd .*…$/);
    expect(Array.from(quoted!).length).toBeLessThanOrEqual(120);
    expectNothingLost(result);
    expectNothingLeaked(result);
  });

  it('H03 a storage parameter (the storage module) with control characters and 500 characters is cleaned and cut', async () => {
    // Act
    const result = await runWithFault(aws, 'h03', {
      portal: { schedule: { ...compliantSchedule(), storageType: 3, storageParams: { module: `S3${NASTY}${'m'.repeat(500)}`, secretKey: 'never-shown-0000' } } as never },
    });

    // Assess
    const { finding } = victimAlert(result, 'STORAGE_NOT_ALLOWED');
    const module = /stored in Local \(([^)]*)\)/.exec(finding.message)?.[1];
    expect(module).toMatch(/^S3 .*…$/);
    expect(Array.from(module!).length).toBeLessThanOrEqual(40);
    expect(everything(result)).not.toContain('never-shown-0000');
    expectNothingLost(result);
    expectNothingLeaked(result);
  });

  it('H04 a DocSpace error message with control characters, a stack trace and 3,000 characters is cleaned, cut and never forwarded with its stack', async () => {
    // Act
    const result = await runWithFault(aws, 'h04', {
      portal: { schedule: { status: 403, body: docspaceError(403, `Access denied ${NASTY}${'D'.repeat(3_000)}${STACK}`) } },
    });

    // Assess
    const { finding } = victimAlert(result, 'CHECK_FAILED');
    const said = /DocSpace says: "([^"]*)"/.exec(finding.message)?.[1];
    expect(said).toMatch(/^Access denied .*…$/);
    expect(Array.from(said!).length).toBeLessThanOrEqual(200);
    expect(everything(result)).not.toContain('BackupWorker');
    expectNothingLost(result);
    expectNothingLeaked(result);
  });

  it('H05 a time zone id with a header injection, bidi characters and 300 characters is cleaned and cut in the note', async () => {
    // Act
    const result = await runWithFault(aws, 'h05', {
      portal: { settings: { timezone: `Europe/Berlin${NASTY}Bcc: attacker@example.com ${'Z'.repeat(300)}`, utcOffset: '01:00:00' }, history: [] },
    });

    // Assess
    const verdict = verdictOf(result.run, result.victim);
    expect(verdict.timeZone).toBe('UTC+01:00');
    const reported = /the portal reports time zone "([^"]*)"/.exec(verdict.timeZoneNote ?? '')?.[1];
    expect(reported).toMatch(/^Europe\/Berlin .*…$/);
    expect(Array.from(reported!).length).toBeLessThanOrEqual(64);
    const { email } = victimAlert(result, 'ARCHIVE_MISSING');
    expect(email).toContain('Time zone:   UTC+01:00 (the portal reports time zone "Europe/Berlin');
    expectNothingLost(result);
    expectNothingLeaked(result);
  });

  it('H06 a member value quoted in a schema problem (escape sequences, a Bearer token) is cleaned and cut', async () => {
    // Act
    const result = await runWithFault(aws, 'h06', {
      portal: { schedule: { ...compliantSchedule(), lastBackupTime: `\u001b[31m Bearer sk-reflected-0123456789 ${'9'.repeat(200)}` } as never },
    });

    // Assess
    const { finding } = victimAlert(result, 'CHECK_FAILED');
    expect(finding.cause).toBe('BAD_RESPONSE');
    expect(finding.message).toContain('lastBackupTime: not a timestamp:');
    expect(finding.message).toContain('Bearer (redacted)');
    expect(everything(result)).not.toContain('sk-reflected');
    expect(everything(result)).not.toContain('9'.repeat(60));
    expectNothingLost(result);
    expectNothingLeaked(result);
  });

  it('H07 a redirect target with credentials, a query and a long path is named by its origin only', async () => {
    // Act
    const result = await runWithFault(aws, 'h07', {
      portal: { schedule: { status: 302, redirectTo: `http://admin:hunter2@127.0.0.2:9/${'p'.repeat(500)}?token=leaked-ticket-0000` } },
    });

    // Assess
    const { finding } = victimAlert(result, 'CHECK_FAILED');
    expect(finding.message).toContain('redirects to another origin (http://127.0.0.2:9); not followed, so the API key is not sent there');
    for (const text of ['hunter2', 'admin', 'leaked-ticket', 'ppppp']) expect(everything(result)).not.toContain(text);
    expectNothingLost(result);
    expectNothingLeaked(result);
  });

  it('H08 a portal that reflects the API key (a token that does not look like sk-) in a message never gets it into an alert, report or log', async () => {
    // Prepare
    // Not `sk-`-shaped, so no key-like redaction can hide a leak: only knowing the key can.
    const token = registerCanary(`token${randomUUID().replace(/-/g, '')}`);

    // Act
    const result = await runWithFault(aws, 'h08', {
      key: token,
      scheme: 'bearer',
      portal: { progress: { isCompleted: true, progress: 12, error: `Token ${token} may not write to folder 5182`, backupProgressEnum: 0 } },
    });

    // Assess
    expect(result.server.requests.some((request) => request.headers.authorization === `Bearer ${token}`)).toBe(true);
    const { finding } = victimAlert(result, 'LAST_BACKUP_FAILED');
    expect(finding.message).toContain('may not write to folder 5182');
    expectNothingLost(result);
    expectNothingLeaked(result);
  });
});
