import { describe, expect, it } from 'vitest';
import { MAX_SMS_UNITS, toGsm7 } from '../../../functions/check/alerts/render-sms.ts';
import {
  digestVerdict,
  MAX_DIGEST_EMAIL_BYTES,
  MAX_EXPIRED_SILENCES_LISTED,
  renderDigest,
  type DigestJson,
} from '../../../functions/check/alerts/render-digest.ts';
import type { Alert } from '../../../functions/check/alerts/notifier.ts';
import type { SilencedFinding } from '../../../functions/check/notify/types.ts';
import { FINDING_CODES, type Finding, type Status, type Verdict } from '../../../functions/check/policy/types.ts';
import { retentionSilenced } from './sample-notices.ts';
import { archiveMissing, authRejected, CHECKED_AT, criticalVerdict, okVerdict, overdue, retention, unknownVerdict, warningVerdict } from './sample-verdicts.ts';

/** The default SNS message size, written out here so the test does not trust the code's constant. */
const SNS_LIMIT_BYTES = 262_144;

/** What SNS counts for a Publish: message (UTF-8) + subject + attribute names, types and values. */
function publishBytes(alert: Alert): number {
  const message = JSON.stringify({ default: alert.json, email: alert.email, sms: alert.sms });
  const attributes = Object.entries(alert.attributes)
    .filter(([, value]) => value !== '')
    .reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + 'String'.length + Buffer.byteLength(value), 0);
  return Buffer.byteLength(message) + Buffer.byteLength(alert.subject) + attributes;
}

function parse(alert: Alert): DigestJson {
  return JSON.parse(alert.json) as DigestJson;
}

const STATUSES: readonly Status[] = ['OK', 'OK', 'OK', 'WARNING', 'OK', 'CRITICAL', 'OK', 'UNKNOWN'];

/** `count` portals with realistic names and a mix of statuses. */
function fleet(count: number): Verdict[] {
  return Array.from({ length: count }, (_, index) => {
    const status = STATUSES[index % STATUSES.length]!;
    const findings = { OK: [], WARNING: [retention], CRITICAL: [overdue, archiveMissing], UNKNOWN: [authRejected] }[status];
    return { ...okVerdict, portal: `customer-${String(index).padStart(4, '0')}-production`, status, findings, ...(status === 'UNKNOWN' && { lastBackupTime: undefined }) };
  });
}

/** Every finding code, each with a long message, as bad as a portal can get. */
const everyFinding: Finding[] = FINDING_CODES.map((code) => ({ ...overdue, code, ...(code === 'CHECK_FAILED' && { cause: 'AUTH_REJECTED' as const }) }));

/** `count` portals with 64-character names, every code, each silenced with a 200-character reason. */
function worstFleet(count: number): { verdicts: Verdict[]; silencedByPortal: Map<string, SilencedFinding[]> } {
  const verdicts = Array.from({ length: count }, (_, index) => ({
    ...criticalVerdict,
    portal: `p${String(index).padStart(4, '0')}-${'x'.repeat(58)}`,
    findings: everyFinding,
  }));
  const silencedByPortal = new Map(
    verdicts.map((verdict) => [verdict.portal, FINDING_CODES.map((code) => ({ code, until: '2027-01-31T00:00:00Z', reason: 'r'.repeat(200) }))]),
  );
  return { verdicts, silencedByPortal };
}

describe('renderDigest', () => {
  it('counts the portals per status in the subject and the SMS', () => {
    // Act
    const digest = renderDigest([okVerdict, warningVerdict, criticalVerdict, { ...okVerdict, portal: 'beta' }], { checkedAt: CHECKED_AT });

    // Assess
    expect(digest.subject).toBe('[DIGEST] DocSpace backups: 2 OK, 1 WARNING, 1 CRITICAL, 0 UNKNOWN');
    expect(digest.sms).toBe('DIGEST DocSpace backups: 2 OK, 1 WARNING, 1 CRITICAL, 0 UNKNOWN');
  });

  it('renders no portals as a digest that says so', () => {
    // Act
    const digest = renderDigest([], { checkedAt: CHECKED_AT });

    // Assess
    expect(digest.subject).toBe('[DIGEST] DocSpace backups: 0 OK, 0 WARNING, 0 CRITICAL, 0 UNKNOWN');
    expect(digest.email).toContain('No portals were checked.');
    expect(digest.attributes).toEqual({ state: 'digest', severity: 'warning', status: 'OK', portal: '*', codes: '' });
    expect(parse(digest)).toEqual({
      state: 'digest',
      checkedAt: '2026-03-02T07:00:00.000Z',
      status: 'OK',
      counts: { OK: 0, WARNING: 0, CRITICAL: 0, UNKNOWN: 0 },
      portals: [],
      expiredSilences: [],
    });
  });

  it('lists one portal with its status, last backup in UTC and codes', () => {
    // Act
    const digest = renderDigest([warningVerdict], { checkedAt: CHECKED_AT });

    // Assess
    expect(digest.email).toContain('STATUS    PORTAL     LAST BACKUP           FINDINGS\nWARNING   acme-prod  2026-03-01 01:07 UTC  RETENTION_TOO_LOW\n');
    expect(digest.email).toContain('Checked at:  2026-03-02 07:00:00 UTC');
    expect(parse(digest).portals).toEqual([{ name: 'acme-prod', status: 'WARNING', lastBackupTime: '2026-03-01T01:07:41.000Z', codes: ['RETENTION_TOO_LOW'] }]);
  });

  it('lists the worst portals first, in the order given within a status', () => {
    // Prepare
    const verdicts = [
      { ...okVerdict, portal: 'ok-1' },
      { ...warningVerdict, portal: 'warning-1' },
      { ...unknownVerdict, portal: 'unknown-1' },
      { ...criticalVerdict, portal: 'critical-1' },
      { ...okVerdict, portal: 'ok-2' },
      { ...criticalVerdict, portal: 'critical-2' },
    ];

    // Act
    const digest = renderDigest(verdicts, { checkedAt: CHECKED_AT });

    // Assess
    const order = ['critical-1', 'critical-2', 'unknown-1', 'warning-1', 'ok-1', 'ok-2'];
    expect(parse(digest).portals.map((portal) => portal.name)).toEqual(order);
    const positions = order.map((name) => digest.email.indexOf(`  ${name}  `));
    expect(positions.every((position, index) => position > 0 && (index === 0 || position > positions[index - 1]!))).toBe(true);
  });

  it('says when a backup never ran or could not be read', () => {
    // Act
    const digest = renderDigest([{ ...criticalVerdict, lastBackupTime: null }, unknownVerdict], { checkedAt: CHECKED_AT });

    // Assess
    expect(digest.email).toMatch(/CRITICAL +acme-prod +never +BACKUP_OVERDUE/);
    expect(digest.email).toMatch(/UNKNOWN +acme-prod +\(not read\) +CHECK_FAILED AUTH_REJECTED/);
    expect(parse(digest).portals.map((portal) => portal.lastBackupTime)).toEqual([null, undefined]);
  });

  it('marks silenced codes with until and reason in the e-mail and the JSON', () => {
    // Prepare
    const silencedByPortal = new Map([['acme-prod', [retentionSilenced]]]);

    // Act
    const digest = renderDigest([criticalVerdict], { checkedAt: CHECKED_AT, silencedByPortal });

    // Assess
    expect(digest.email).toContain('BACKUP_OVERDUE, ARCHIVE_MISSING, RETENTION_TOO_LOW (silenced until 2027-01-31 00:00:00 UTC: moving storage to S3)\n');
    expect(digest.email).toContain('Silenced:    1 finding code on 1 portal');
    expect(parse(digest).portals[0]!.silenced).toEqual([{ code: 'RETENTION_TOO_LOW', until: '2027-01-31T00:00:00Z', reason: 'moving storage to S3' }]);
  });

  it('lists expired silences to clean up, with their codes, end and reason', () => {
    // Prepare
    const expiredSilences = [
      { portal: 'acme-prod', codes: ['SCHEDULE_MISMATCH' as const], until: '2026-02-01T00:00:00Z', reason: 'storage move' },
      { portal: 'beta', until: '2026-02-15T00:00:00Z', reason: 'decommissioning' },
    ];

    // Act
    const digest = renderDigest([okVerdict], { checkedAt: CHECKED_AT, expiredSilences });

    // Assess
    expect(digest.email).toContain('Expired silences (they mute nothing now: remove them from "silences" in the config)');
    expect(digest.email).toContain('- acme-prod (SCHEDULE_MISMATCH) ended 2026-02-01 00:00:00 UTC: storage move\n');
    expect(digest.email).toContain('- beta (every code) ended 2026-02-15 00:00:00 UTC: decommissioning\n');
    expect(parse(digest).expiredSilences).toEqual(expiredSilences);
  });

  it(`lists at most ${MAX_EXPIRED_SILENCES_LISTED} expired silences and counts the rest`, () => {
    // Prepare
    const expiredSilences = Array.from({ length: MAX_EXPIRED_SILENCES_LISTED + 5 }, (_, index) => ({ portal: `p${index}`, until: '2026-02-01T00:00:00Z', reason: 'old' }));

    // Act
    const digest = renderDigest([okVerdict], { checkedAt: CHECKED_AT, expiredSilences });

    // Assess
    expect(digest.email).toContain(`- p${MAX_EXPIRED_SILENCES_LISTED - 1} (every code)`);
    expect(digest.email).not.toContain(`- p${MAX_EXPIRED_SILENCES_LISTED} (every code)`);
    expect(digest.email).toContain('… and 5 more');
    expect(parse(digest).expiredSilences).toHaveLength(MAX_EXPIRED_SILENCES_LISTED);
    expect(parse(digest).omittedExpiredSilences).toBe(5);
  });

  it.each([
    ['critical when a portal has a critical finding', [okVerdict, warningVerdict, criticalVerdict], { severity: 'critical', status: 'CRITICAL', codes: 'BACKUP_OVERDUE,ARCHIVE_MISSING,RETENTION_TOO_LOW' }],
    ['critical for an UNKNOWN with a critical check failure', [okVerdict, unknownVerdict], { severity: 'critical', status: 'UNKNOWN', codes: 'CHECK_FAILED' }],
    ['warning when the worst is a warning', [okVerdict, warningVerdict], { severity: 'warning', status: 'WARNING', codes: 'RETENTION_TOO_LOW' }],
    ['warning and OK when every portal is OK', [okVerdict, okVerdict], { severity: 'warning', status: 'OK', codes: '' }],
  ])('gives the attributes state digest, portal *, severity %s, the overall status and every code', (_case, verdicts, expected) => {
    // Act
    const digest = renderDigest(verdicts, { checkedAt: CHECKED_AT });

    // Assess
    expect(digest.attributes).toEqual({ state: 'digest', portal: '*', ...expected });
  });

  it('strips control characters from portal names and silence reasons', () => {
    // Prepare
    const verdict = { ...warningVerdict, portal: 'evil\r\nBcc: x\u001b[31m' };
    const silencedByPortal = new Map([[verdict.portal, [{ ...retentionSilenced, reason: 'why\u0000\r\nnot' }]]]);

    // Act
    const digest = renderDigest([verdict], { checkedAt: CHECKED_AT, silencedByPortal, expiredSilences: [{ portal: 'x', until: 'z', reason: 'a\u0007b' }] });

    // Assess
    expect(digest.email).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(digest.email).toContain('evil Bcc: x [31m');
    expect(digest.email).toContain(': why not)');
    expect(digest.subject).toMatch(/^[\x20-\x7e]+$/);
  });

  it('fits 1,000 realistic portals in one SNS message, listing every one in the e-mail and the JSON', () => {
    // Prepare
    const verdicts = fleet(1000);

    // Act
    const digest = renderDigest(verdicts, { checkedAt: CHECKED_AT });

    // Assess
    expect(publishBytes(digest)).toBeLessThanOrEqual(SNS_LIMIT_BYTES);
    expect(Buffer.byteLength(digest.email)).toBeLessThanOrEqual(MAX_DIGEST_EMAIL_BYTES);
    expect(digest.subject).toBe('[DIGEST] DocSpace backups: 625 OK, 125 WARNING, 125 CRITICAL, 125 UNKNOWN');
    for (const verdict of verdicts) expect(digest.email).toContain(`  ${verdict.portal}  `);
    expect(digest.email).not.toContain('more portals');
    expect(parse(digest).portals).toHaveLength(1000);
    expect(parse(digest)).not.toHaveProperty('omittedPortals');
  });

  it('shortens the e-mail of 1,000 portals that would not fit, keeps the worst and says how many more there are', () => {
    // Prepare: 64-character names (the longest a config allows); every eighth portal is CRITICAL
    const verdicts = Array.from({ length: 1000 }, (_, index) => {
      const portal = `p${String(index).padStart(4, '0')}-${'x'.repeat(58)}`;
      return index % 8 === 7 ? { ...criticalVerdict, portal, findings: [overdue, archiveMissing] } : { ...okVerdict, portal };
    });

    // Act
    const digest = renderDigest(verdicts, { checkedAt: CHECKED_AT });

    // Assess
    expect(publishBytes(digest)).toBeLessThanOrEqual(SNS_LIMIT_BYTES);
    expect(Buffer.byteLength(digest.email)).toBeLessThanOrEqual(MAX_DIGEST_EMAIL_BYTES);
    expect(parse(digest).portals).toHaveLength(1000);
    const listed = verdicts.filter((verdict) => digest.email.includes(`  ${verdict.portal}  `));
    expect(listed.length).toBeLessThan(1000);
    // The critical portals come first, so every one of them is listed and what is left out is OK.
    expect(listed.filter((verdict) => verdict.status === 'CRITICAL')).toHaveLength(125);
    const more = /^… and (\d+) more portals \(([^)]*)\), not listed to stay within the SNS message size; see the JSON$/m.exec(digest.email);
    expect(more).not.toBeNull();
    expect(Number(more![1])).toBe(1000 - listed.length);
    expect(more![2]).toBe(`${1000 - listed.length} OK`);
  });

  it('shortens the JSON too when every portal would not fit even in it, and says so in both', () => {
    // Prepare
    const { verdicts, silencedByPortal } = worstFleet(1000);

    // Act
    const digest = renderDigest(verdicts, { checkedAt: CHECKED_AT, silencedByPortal });

    // Assess
    expect(publishBytes(digest)).toBeLessThanOrEqual(SNS_LIMIT_BYTES);
    expect(Buffer.byteLength(digest.email)).toBeLessThanOrEqual(MAX_DIGEST_EMAIL_BYTES);
    const json = parse(digest);
    expect(json.portals.length).toBeGreaterThan(0);
    expect(json.portals.length + json.omittedPortals!).toBe(1000);
    expect(json.counts).toEqual({ OK: 0, WARNING: 0, CRITICAL: 1000, UNKNOWN: 0 });
    expect(digest.email).toContain(`… and ${json.omittedPortals} more portals (${json.omittedPortals} CRITICAL), not listed to stay within the SNS message size; run "check --json" for all of them`);
  });

  it('keeps the SMS in one GSM-7 segment even with very many portals', () => {
    // Act
    const digest = renderDigest(fleet(1000), { checkedAt: CHECKED_AT });

    // Assess
    expect(toGsm7(digest.sms)).toBe(digest.sms);
    expect(digest.sms.length).toBeLessThanOrEqual(MAX_SMS_UNITS);
  });
});

describe('digestVerdict', () => {
  it('stands for the pseudo portal digest, checked at the run instant, with no findings', () => {
    // Act
    const verdict = digestVerdict(CHECKED_AT);

    // Assess
    expect(verdict).toMatchObject({ portal: 'digest', status: 'OK', checkedAt: CHECKED_AT, findings: [] });
  });
});
