/**
 * Hostile strings from a portal (docs/RELIABILITY.md, rows H01-H12): error messages, file names,
 * storage parameters, time zone ids, schema values, redirect targets and a reflected key reach a
 * subject, an SMS, an e-mail, a report and a log only stripped of control and invisible
 * characters, truncated, without a server stack trace and without the key. H09-H12 are a portal
 * that echoes the key it was sent in every form (JSON-escaped, URL-encoded, base64, glued to a
 * word, split by zero-width characters) in every place (a body string, an error body, the
 * Content-Type, a redirect's host): the canary (test/support/canary.ts) looks for each form.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../functions/check/policy/types.ts';
import { newCanaryKey, registerCanary } from '../support/canary.ts';
import { useFakeAwsEnvironment } from '../support/aws-env.ts';
import { docspaceError, envelope, FAKE_STACK_MARKER } from '../support/simulated-portal.ts';
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

/** Random lower-case hex, for the random part of a key. */
function hex(length: number): string {
  return randomUUID().replace(/-/g, '').slice(0, length);
}

/** A key the portal echoes; `secret` is its random part, which no output may hold any piece of. */
interface EchoedKey {
  readonly key: string;
  readonly secret: string;
  /** How the key is sent: raw session tokens go as `Bearer` too, as the simulated portal wants. */
  readonly scheme?: 'bearer';
}

/** A raw session token (not `sk-`), with the characters encodings change: `+`, `/`, `=` and, if asked, a space. */
function rawToken(space = false): EchoedKey {
  const secret = `${hex(12)}+${hex(10)}/${hex(10)}`;
  return { key: registerCanary(`tok${space ? ' ' : ''}${secret}=`), secret, scheme: 'bearer' };
}

/** A DocSpace API key: `sk-canary-<label>-<32 hex>`. */
function skKey(label: string): EchoedKey {
  const key = newCanaryKey(label);
  return { key, secret: key.slice(-32) };
}

/**
 * The forms a hostile portal echoes a key in, each as the text between the quotes of a JSON
 * string (so the JSON-escaped form can be written the way .NET writes it).
 */
interface EchoForm {
  readonly form: string;
  readonly key: (label: string) => EchoedKey;
  readonly json: (key: string) => string;
}

const ECHO_FORMS: readonly (EchoForm & { readonly n: number })[] = ([
  { form: 'a raw token JSON-escaped as .NET writes it (\\u002B, \\/)', key: () => rawToken(), json: (key) => key.replace(/\+/g, '\\u002B').replace(/\//g, '\\/') },
  { form: 'a raw token URL-encoded, upper-case hex', key: () => rawToken(), json: (key) => encodeURIComponent(key) },
  { form: 'a raw token URL-encoded, lower-case hex', key: () => rawToken(), json: (key) => encodeURIComponent(key).replace(/%[0-9A-F]{2}/g, (code) => code.toLowerCase()) },
  { form: 'a raw token with a space, form-encoded (+ for the space)', key: () => rawToken(true), json: (key) => new URLSearchParams({ t: key }).toString().slice(2) },
  { form: 'a raw token in base64, after other text', key: () => rawToken(), json: (key) => Buffer.from(`user:${key}`).toString('base64') },
  { form: 'a raw token in base64url', key: () => rawToken(), json: (key) => Buffer.from(key).toString('base64url') },
  { form: 'an sk- key glued to words', key: skKey, json: (key) => `Invalid${key}token` },
  {
    form: 'an sk- key split by zero-width characters (U+200B, U+200C, U+200D, U+2060, U+FEFF)',
    key: skKey,
    json: (key) => [...key].map((char, index) => (index > 0 && index % 9 === 0 ? `${'\u200b\u200c\u200d\u2060\ufeff'[(index / 9) % 5]}${char}` : char)).join(''),
  },
] satisfies EchoForm[]).map((form, n) => ({ ...form, n }));

/** A JSON text whose string `"@@ECHO@@"` is replaced by the echoed form, written as is. */
function withEcho(value: unknown, echoed: string): string {
  const text = JSON.stringify(value);
  if (!text.includes('"@@ECHO@@"')) throw new Error('no @@ECHO@@ placeholder in the body');
  return text.replace('@@ECHO@@', () => echoed);
}

/** No piece of the key's random part (10 characters or more) in anything the run let out, white space and zero-width characters taken out. */
function expectNoPieceOf(secret: string, result: FaultRun): void {
  const text = everything(result).replace(/[\s\u200b-\u200d\u2060\ufeff]/g, '');
  for (let start = 0; start + 10 <= secret.length; start += 1) expect(text).not.toContain(secret.slice(start, start + 10));
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

  it('H07 a redirect target with credentials, a query and a long path is not quoted at all', async () => {
    // Act
    const result = await runWithFault(aws, 'h07', {
      portal: { schedule: { status: 302, redirectTo: `http://admin:hunter2@127.0.0.2:9/${'p'.repeat(500)}?token=leaked-ticket-0000` } },
    });

    // Assess
    const { finding } = victimAlert(result, 'CHECK_FAILED');
    expect(finding.message).toContain('redirects to another origin; not followed, so the API key is not sent there');
    for (const text of ['hunter2', 'admin', 'leaked-ticket', 'ppppp', '127.0.0.2']) expect(everything(result)).not.toContain(text);
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

describe('runCheck with a portal that echoes the key it was sent', () => {
  it.each(ECHO_FORMS)('H09 a key echoed in a body string in every form never reaches a report, an alert or a log: $form', async ({ key: make, json, n }) => {
    // Prepare
    const { key, secret, scheme } = make(`h09-${n}-victim`);
    const progress = { isCompleted: true, progress: 12, error: '@@ECHO@@', backupProgressEnum: 0 };

    // Act
    const result = await runWithFault(aws, `h09-${n}`, {
      key,
      scheme,
      portal: {
        progress: { headers: { 'content-type': 'application/json; charset=utf-8' }, body: withEcho(envelope(progress), `Token ${json(key)} may not write to folder 5182`) },
      },
    });

    // Assess
    expectNothingLeaked(result);
    expectNoPieceOf(secret, result);
    const { finding } = victimAlert(result, 'LAST_BACKUP_FAILED');
    expect(finding.message).toContain('(redacted)');
    expect(finding.message).toContain('may not write to folder 5182');
    expectNothingLost(result);
  });

  it.each(ECHO_FORMS)('H10 a key echoed in an error body in every form never reaches a report, an alert or a log: CHECK_FAILED FORBIDDEN, $form', async ({ key: make, json, n }) => {
    // Prepare
    const { key, secret, scheme } = make(`h10-${n}-victim`);

    // Act
    const result = await runWithFault(aws, `h10-${n}`, {
      key,
      scheme,
      portal: { schedule: { status: 403, headers: { 'content-type': 'application/json' }, body: withEcho(docspaceError(403, '@@ECHO@@'), `Token ${json(key)} is not an admin`) } },
    });

    // Assess
    expectNothingLeaked(result);
    expectNoPieceOf(secret, result);
    const { finding } = victimAlert(result, 'CHECK_FAILED');
    expect(finding.cause).toBe('FORBIDDEN');
    expect(finding.message).toMatch(/DocSpace says: "Token .*\(redacted\).* is not an admin"/);
    expectNothingLost(result);
  });

  it.each([
    { form: 'a raw token', n: 0, key: () => rawToken(), contentType: (key: string) => `text/${key}` },
    { form: 'an sk- key glued to a word', n: 1, key: () => skKey('h11-1-victim'), contentType: (key: string) => `x${key}` },
  ])('H11 a key as the Content-Type of an answer that is not JSON is never quoted: CHECK_FAILED BAD_RESPONSE, $form', async ({ key: make, contentType, n }) => {
    // Prepare
    const { key, secret, scheme } = make();

    // Act
    const result = await runWithFault(aws, `h11-${n}`, { key, scheme, portal: { schedule: { body: 'not JSON at all', headers: { 'content-type': contentType(key) } } } });

    // Assess
    const { finding } = victimAlert(result, 'CHECK_FAILED');
    expect(finding.cause).toBe('BAD_RESPONSE');
    expect(finding.message).toContain('HTTP 200 from getbackupschedule: the body is not valid JSON');
    expect(finding.message).not.toContain('content-type');
    expectNoPieceOf(secret, result);
    expectNothingLost(result);
    expectNothingLeaked(result);
  });

  it.each([
    { form: 'a raw token', n: 0, key: (): EchoedKey => ({ key: registerCanary(`tok${hex(32)}`), secret: '', scheme: 'bearer' }) },
    { form: 'an sk- key glued to a word', n: 1, key: () => skKey('h12-1-victim') },
  ])('H12 a key as the host of a redirect is never quoted: CHECK_FAILED BAD_RESPONSE, $form', async ({ key: make, n }) => {
    // Prepare
    const echoed = make();
    const { key, scheme } = echoed;
    const secret = echoed.secret || key.slice(3);

    // Act
    const result = await runWithFault(aws, `h12-${n}`, { key, scheme, portal: { schedule: { status: 302, redirectTo: `http://x${key}.invalid:9/api` } } });

    // Assess
    const { finding } = victimAlert(result, 'CHECK_FAILED');
    expect(finding.cause).toBe('BAD_RESPONSE');
    expect(finding.message).toContain('redirects to another origin; not followed, so the API key is not sent there');
    expect(everything(result)).not.toContain('.invalid');
    expectNoPieceOf(secret, result);
    expectNothingLost(result);
    expectNothingLeaked(result);
  });
});
