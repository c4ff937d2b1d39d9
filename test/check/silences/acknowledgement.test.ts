import { describe, expect, it } from 'vitest';
import { acknowledgedMemory, acknowledgementHolds } from '../../../functions/check/silences/acknowledgement.ts';
import { SilenceError } from '../../../functions/check/silences/errors.ts';
import { memoryOf, okMemoryOf } from '../state/portal-memories.ts';
import { NOW } from './stored-silences.ts';

const REQUEST = { by: 'alice', reason: 'restoring the bucket', now: NOW };
const WHERE = 'DynamoDB table monitor-state';

describe('acknowledgedMemory', () => {
  it("acknowledges the last notice's status and codes, sorted, with who, when and why, and changes nothing else", () => {
    // Prepare
    const memory = memoryOf('acme-prod', { notifiedCodes: ['LAST_BACKUP_FAILED', 'BACKUP_OVERDUE'] });

    // Act
    const acknowledged = acknowledgedMemory(memory, 'acme-prod', REQUEST, WHERE);

    // Assess
    expect(acknowledged).toEqual({
      ...memory,
      ack: { status: 'CRITICAL', codes: ['BACKUP_OVERDUE', 'LAST_BACKUP_FAILED'], by: 'alice', at: NOW.toISOString(), reason: 'restoring the bucket' },
    });
  });

  it('fails when no run has checked the portal yet', () => {
    // Act
    const act = () => acknowledgedMemory(undefined, 'acme-prod', REQUEST, WHERE);

    // Assess
    expect(act).toThrow(new SilenceError('no run has checked portal acme-prod in DynamoDB table monitor-state yet: there is nothing to acknowledge'));
  });

  it('fails when the portal is OK', () => {
    // Act
    const act = () => acknowledgedMemory(okMemoryOf('acme-prod'), 'acme-prod', REQUEST, WHERE);

    // Assess
    expect(act).toThrow('portal acme-prod has nothing outstanding to acknowledge: the last run found it OK (2025-01-06T01:00:00Z)');
  });

  it('fails, saying so, when every finding is silenced', () => {
    // Prepare
    const silencedOnly = memoryOf('acme-prod', { notifiedStatus: 'OK', notifiedCodes: [] });

    // Act
    const act = () => acknowledgedMemory(silencedOnly, 'acme-prod', REQUEST, WHERE);

    // Assess
    expect(act).toThrow('the last run found it CRITICAL with every finding silenced');
  });
});

describe('acknowledgementHolds', () => {
  const ack = { status: 'CRITICAL', codes: ['BACKUP_OVERDUE', 'ARCHIVE_MISSING'], by: 'alice', at: NOW.toISOString(), reason: 'r' } as const;

  it.each([
    ['holds for the same status and codes in another order', 'CRITICAL', ['ARCHIVE_MISSING', 'BACKUP_OVERDUE'], false, true],
    ['ends when a code is added', 'CRITICAL', ['ARCHIVE_MISSING', 'BACKUP_OVERDUE', 'LAST_BACKUP_FAILED'], false, false],
    ['ends when a code clears', 'CRITICAL', ['BACKUP_OVERDUE'], false, false],
    ['ends when the status changes', 'UNKNOWN', ['ARCHIVE_MISSING', 'BACKUP_OVERDUE'], false, false],
    ['ends when the same codes rise from warning to critical', 'CRITICAL', ['ARCHIVE_MISSING', 'BACKUP_OVERDUE'], true, false],
  ] as const)('%s', (_, status, codes, severityRose, holds) => {
    // Act
    const actual = acknowledgementHolds(ack, status, codes, severityRose);

    // Assess
    expect(actual).toBe(holds);
  });

  it('does not hold without an acknowledgement', () => {
    // Act
    const actual = acknowledgementHolds(undefined, 'CRITICAL', ['BACKUP_OVERDUE']);

    // Assess
    expect(actual).toBe(false);
  });
});
