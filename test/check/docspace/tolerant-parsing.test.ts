import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DocSpaceClient } from '../../../functions/check/docspace/client.ts';
import { envelope, startSimulatedPortals, type SimulatedPortals } from '../../support/simulated-portal.ts';
import { API_KEY, failureOf, quickClient, targetOf, valueOf, wireFixture } from './portal-harness.ts';

let docspace: SimulatedPortals;
let client: DocSpaceClient;

beforeEach(async () => {
  docspace = await startSimulatedPortals({});
  client = quickClient([]);
});

afterEach(async () => {
  await client.close();
  await docspace.close();
});

const DAILY = wireFixture('schedule-daily') as unknown as Record<string, unknown>;
const FRESHNESS = { cronParams: { period: 0, hour: 2, day: 0 }, lastBackupTime: new Date('2026-03-02T01:07:41Z') };

async function scheduleWith(members: Record<string, unknown>) {
  docspace.setPortal('acme', { apiKey: API_KEY, schedule: { body: envelope({ ...DAILY, ...members }) } });
  return client.getSchedule(targetOf(docspace, 'acme'));
}

describe('what freshness does not need never hides freshness', () => {
  describe('getSchedule', () => {
    it.each([
      { name: 'an unknown storage type name', members: { storageType: 'Dropbox' }, read: { storageType: 'Dropbox' } },
      { name: 'an unknown storage type number', members: { storageType: 42 }, read: { storageType: 42 } },
      { name: 'a storage type of an odd JSON type', members: { storageType: true }, read: { storageType: 'true' } },
      { name: 'no storage type', members: { storageType: undefined }, read: { storageType: '(missing)' } },
      { name: 'a known storage type name', members: { storageType: ' thirdpartydocuments ' }, read: { storageType: 1 } },
      { name: 'a backupsStored written as text', members: { backupsStored: '7' }, read: { backupsStored: 7 } },
      { name: 'dump written as text', members: { dump: 'true' }, read: { dump: true } },
      { name: 'an odd day on a daily schedule (not needed)', members: { cronParams: { period: 0, hour: 2, day: { weird: 1 } } }, read: {} },
      { name: 'an unknown day name on a daily schedule (not needed)', members: { cronParams: { period: 'EveryDay', hour: 2, day: 'Funday' } }, read: {} },
      { name: 'extra members everywhere', members: { cronParams: { period: 0, hour: 2, day: 0, minute: 0, tz: 'x' }, extra: [1], storageParams: { folderId: 12 } }, read: {} },
    ])('reads the schedule despite $name', async ({ members, read }) => {
      // Act
      const schedule = valueOf(await scheduleWith(members));

      // Assess
      expect(schedule).toMatchObject({ ...FRESHNESS, ...read });
      expect(schedule?.ignoredMembers).toBeUndefined();
    });

    it.each([
      { name: 'a backupsStored that is no number', members: { backupsStored: 'seven' }, read: { backupsStored: null }, ignored: 'backupsStored: expected a whole number 0 or more, got "seven"' },
      { name: 'a fractional backupsStored', members: { backupsStored: 7.5 }, read: { backupsStored: null }, ignored: 'backupsStored: expected a whole number 0 or more, got 7.5' },
      { name: 'a dump that is no boolean', members: { dump: 'maybe' }, read: { dump: false }, ignored: 'dump: expected true or false, got "maybe"' },
      { name: 'storageParams that are no object', members: { storageParams: 'S3' }, read: { storageModule: undefined }, ignored: 'storageParams: expected an object, got "S3"' },
    ])('reads the schedule despite $name, and records what it ignored', async ({ members, read, ignored }) => {
      // Act
      const schedule = valueOf(await scheduleWith(members));

      // Assess
      expect(schedule).toMatchObject({ ...FRESHNESS, ...read });
      expect(schedule?.ignoredMembers).toEqual([ignored]);
    });

    it('never lets an odd member reach the record with control characters or a key', async () => {
      // Act
      const schedule = valueOf(await scheduleWith({ backupsStored: `x\u0000\u202e Bearer ${API_KEY}` }));

      // Assess
      const text = JSON.stringify(schedule?.ignoredMembers);
      expect(text).not.toContain(API_KEY);
      expect(text).not.toMatch(/[\u0000\u202e]/);
    });

    it.each([
      { name: 'an unknown period name', members: { cronParams: { period: 'EveryFortnight', hour: 2, day: 0 } }, detail: 'cronParams.period: unknown period "EveryFortnight"' },
      { name: 'an unknown weekday on a weekly schedule', members: { cronParams: { period: 1, hour: 2, day: 'Funday' } }, detail: 'cronParams.day: day "Funday" does not fit a weekly (1-7) schedule' },
      { name: 'an hour out of range', members: { cronParams: { period: 0, hour: 24, day: 0 } }, detail: 'cronParams.hour: must be at most 23' },
      { name: 'an unreadable lastBackupTime', members: { lastBackupTime: 'yesterday' }, detail: 'lastBackupTime: not a timestamp' },
      { name: 'no cronParams', members: { cronParams: undefined }, detail: 'cronParams: expected object' },
    ])('still fails on what freshness needs: $name', async ({ members, detail }) => {
      // Act
      const failure = failureOf(await scheduleWith(members));

      // Assess
      expect(failure).toMatchObject({ cause: 'BAD_RESPONSE', source: 'schedule' });
      expect(failure.detail).toContain(detail);
    });
  });

  describe('getProgress', () => {
    it.each([
      { name: 'an unknown task kind name', response: { isCompleted: true, progress: 100, error: 'disk full', backupProgressEnum: 'Migration' }, read: { error: 'disk full', kind: 'backup' } },
      { name: 'a progress written as text', response: { isCompleted: true, progress: '100', error: '' }, read: { progress: 0, error: '' } },
      { name: 'an odd isCompleted and taskId', response: { isCompleted: 'yes', progress: 5, error: 'x', taskId: 12 }, read: { isCompleted: false, error: 'x', taskId: undefined } },
    ])('reads the task despite $name', async ({ response, read }) => {
      // Prepare
      docspace.setPortal('acme', { apiKey: API_KEY, progress: { body: envelope(response) } });

      // Act
      const task = valueOf(await client.getProgress(targetOf(docspace, 'acme')));

      // Assess
      expect(task).toMatchObject(read);
    });
  });

  describe('getHistory', () => {
    const GOOD = { id: 'a', fileName: 'acme_2026-03-02.tar.gz', storageType: 0, createdOn: '2026-03-02T01:19:52' };

    it.each([
      { name: 'an unreadable createdOn', record: { ...GOOD, createdOn: 'last tuesday' } },
      { name: 'a createdOn of year 0001', record: { ...GOOD, createdOn: '0001-01-01T00:00:00' } },
      { name: 'no createdOn', record: { id: 'b', fileName: 'b.tar.gz' } },
      { name: 'a createdOn that is a number', record: { ...GOOD, createdOn: 1772413192 } },
      { name: 'a record that is no object', record: 'acme.tar.gz' },
      { name: 'a null record', record: null },
    ])('skips and counts a record with $name, and keeps the others', async ({ record }) => {
      // Prepare
      docspace.setPortal('acme', { apiKey: API_KEY, history: { body: envelope([GOOD, record]) } });

      // Act
      const history = valueOf(await client.getHistory(targetOf(docspace, 'acme')));

      // Assess
      expect(history.skippedRecords).toBe(1);
      expect(history.records.map((kept) => kept.createdOn)).toEqual([new Date('2026-03-02T01:19:52Z')]);
    });

    it('keeps a dated record whose other members are odd', async () => {
      // Prepare
      const odd = { id: 5, fileName: null, storageType: { type: 'S3' }, createdOn: '2026-03-01T01:14:37Z', expiresOn: 'never' };
      docspace.setPortal('acme', { apiKey: API_KEY, history: { body: envelope([odd]) } });

      // Act
      const history = valueOf(await client.getHistory(targetOf(docspace, 'acme')));

      // Assess
      expect(history).toEqual({ records: [{ id: undefined, fileName: '', createdOn: new Date('2026-03-01T01:14:37Z') }], skippedRecords: 0 });
    });

    it('reads the fixture history with nothing skipped', async () => {
      // Prepare
      docspace.setPortal('acme', { apiKey: API_KEY, history: wireFixture('history') });

      // Act
      const history = valueOf(await client.getHistory(targetOf(docspace, 'acme')));

      // Assess
      expect(history.skippedRecords).toBe(0);
      expect(history.records).toHaveLength(2);
    });

    it('still fails when the response is no array', async () => {
      // Prepare
      docspace.setPortal('acme', { apiKey: API_KEY, history: { body: envelope({ items: [GOOD] }) } });

      // Act
      const failure = failureOf(await client.getHistory(targetOf(docspace, 'acme')));

      // Assess
      expect(failure).toMatchObject({ cause: 'BAD_RESPONSE', source: 'history' });
      expect(failure.detail).toContain('response: expected array');
    });
  });
});
