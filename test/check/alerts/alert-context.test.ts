import { describe, expect, it } from 'vitest';
import {
  alertedFindings,
  alertedStatus,
  alertState,
  instantText,
  resolvedStatus,
  silencedOf,
  worstSeverity,
} from '../../../functions/check/alerts/alert-context.ts';
import type { SilencedFinding } from '../../../functions/check/notify/types.ts';
import type { Finding, Verdict } from '../../../functions/check/policy/types.ts';
import { firingNotice, overdueSilenced, reminderNotice, resolvedNotice, retentionSilenced } from './sample-notices.ts';
import { archiveMissing, authRejected, criticalVerdict, overdue, retention, unknownVerdict, warningVerdict } from './sample-verdicts.ts';

const silence = (code: Finding['code']): SilencedFinding => ({ code, until: '2027-01-31T00:00:00Z', reason: 'test' });

describe('alertState', () => {
  it.each([
    ['firing without a notice', {}, 'firing'],
    ['the notice state of a reminder', { notice: reminderNotice }, 'reminder'],
    ['the notice state of a resolved notice', { notice: resolvedNotice }, 'resolved'],
  ])('gives %s', (_case, context, expected) => {
    // Act
    const state = alertState(context);

    // Assess
    expect(state).toBe(expected);
  });
});

describe('silencedOf', () => {
  it('gives nothing silenced when the context has no list, and the list when it has one', () => {
    // Act & Assess
    expect(silencedOf({})).toEqual([]);
    expect(silencedOf({ silenced: [retentionSilenced] })).toEqual([retentionSilenced]);
  });
});

describe('alertedFindings', () => {
  it('leaves out every finding of a silenced code and keeps the order of the rest', () => {
    // Prepare
    const verdict: Verdict = { ...criticalVerdict, findings: [retention, overdue, archiveMissing, overdue] };

    // Act
    const findings = alertedFindings(verdict, [overdueSilenced]);

    // Assess
    expect(findings).toEqual([retention, archiveMissing]);
  });

  it('keeps every finding when nothing is silenced', () => {
    // Act
    const findings = alertedFindings(criticalVerdict, []);

    // Assess
    expect(findings).toEqual(criticalVerdict.findings);
  });
});

describe('alertedStatus', () => {
  it.each([
    ['the verdict status when nothing is silenced', unknownVerdict, [], 'UNKNOWN'],
    ['OK when every finding is silenced', warningVerdict, [retentionSilenced], 'OK'],
    ['WARNING when only a warning is left', criticalVerdict, [silence('BACKUP_OVERDUE'), silence('ARCHIVE_MISSING')], 'WARNING'],
    ['CRITICAL when a critical finding is left', criticalVerdict, [retentionSilenced], 'CRITICAL'],
    ['UNKNOWN when a CHECK_FAILED about the schedule is left', { ...criticalVerdict, findings: [authRejected, retention] }, [retentionSilenced], 'UNKNOWN'],
    [
      'CRITICAL when what is left is a CHECK_FAILED about the history only',
      { ...criticalVerdict, findings: [{ ...authRejected, source: 'history' as const }, retention] },
      [retentionSilenced],
      'CRITICAL',
    ],
  ])('gives %s', (_case, verdict, silenced, expected) => {
    // Act
    const status = alertedStatus(verdict, silenced);

    // Assess
    expect(status).toBe(expected);
  });
});

describe('worstSeverity', () => {
  it.each([
    ['critical when one finding is critical', [retention, overdue], 'critical'],
    ['warning when every finding is a warning', [retention], 'warning'],
    ['warning when there are no findings', [], 'warning'],
  ])('gives %s', (_case, findings, expected) => {
    // Act
    const severity = worstSeverity(findings);

    // Assess
    expect(severity).toBe(expected);
  });
});

describe('resolvedStatus', () => {
  it.each([
    ["the flip's from", resolvedNotice, 'CRITICAL'],
    ['CRITICAL for a critical notice without a flip', { ...firingNotice, state: 'resolved' as const, flip: undefined }, 'CRITICAL'],
    ['WARNING for a warning notice without a flip', { state: 'resolved' as const, severity: 'warning' as const, sms: false }, 'WARNING'],
  ])('gives %s', (_case, notice, expected) => {
    // Act
    const status = resolvedStatus(notice);

    // Assess
    expect(status).toBe(expected);
  });
});

describe('instantText', () => {
  it.each([
    ['2027-01-31T00:00:00Z', '2027-01-31 00:00:00 UTC'],
    ['2026-03-09T12:00:00+01:00', '2026-03-09 11:00:00 UTC'],
    ['not a time\u0007', '[not a time\u0007]'],
  ])('writes %j as %j', (iso, expected) => {
    // Act
    const text = instantText(iso, (raw) => `[${raw}]`);

    // Assess
    expect(text).toBe(expected);
  });
});
