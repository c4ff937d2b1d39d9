import { describe, expect, it, onTestFinished } from 'vitest';
import { EnvKeyReader } from '../../../functions/check/api-keys/env-key-reader.ts';
import { parseConfig } from '../../../functions/check/config.ts';
import { DocSpaceClient } from '../../../functions/check/docspace/client.ts';
import { reportToJson, reportToText } from '../../../functions/check/report/report.ts';
import { runCheck } from '../../../functions/check/run-check.ts';
import { startSimulatedPortals, type SimulatedPortal } from '../../support/simulated-portal.ts';

const NOW = new Date('2026-03-02T09:00:00Z');
const KEY = 'sk-test-notes-5d0c3b7a91e2f468';

const FRESH_DAILY = {
  storageType: 0,
  storageParams: { folderId: '12' },
  cronParams: { period: 0, hour: 2, day: 0 },
  backupsStored: 7,
  lastBackupTime: '2026-03-02T02:05:11',
};
const ARCHIVE = { id: 'a', fileName: 'acme_2026-03-02.tar.gz', storageType: 0, createdOn: '2026-03-02T02:21:40' };

async function checkOne(portal: Omit<SimulatedPortal, 'apiKey'>) {
  const docspace = await startSimulatedPortals({ acme: { apiKey: KEY, ...portal } });
  onTestFinished(() => docspace.close());
  const client = new DocSpaceClient();
  onTestFinished(() => client.close());
  const config = parseConfig({ portals: [{ name: 'acme', url: docspace.urlOf('acme'), apiKey: { env: 'KEY' } }] });
  return runCheck({ docspace: client, keys: new EnvKeyReader({ env: { KEY } }) }, config, { now: NOW });
}

describe('evidence notes in the report', () => {
  it('judges a portal whose history has undated records and whose schedule has an odd member, and says so', async () => {
    // Prepare
    const history = [ARCHIVE, { id: 'b', fileName: 'b.tar.gz', createdOn: 'soon' }, { id: 'c', fileName: 'c.tar.gz' }];

    // Act
    const run = await checkOne({ schedule: { ...FRESH_DAILY, backupsStored: 'seven' } as never, history: history as never });

    // Assess
    const [verdict] = run.verdicts;
    expect(verdict?.status).toBe('OK');
    expect(verdict?.evidenceNotes).toEqual({
      skippedHistoryRecords: 2,
      ignoredMembers: ['backupsStored: expected a whole number 0 or more, got "seven"'],
    });
    const json = reportToJson(run) as { portals: { evidenceNotes?: unknown }[] };
    expect(json.portals[0]?.evidenceNotes).toEqual(verdict?.evidenceNotes);
    const text = reportToText(run);
    expect(text).toContain('note: 2 history records skipped: no usable createdOn');
    expect(text).toContain('note: schedule member ignored: backupsStored: expected a whole number 0 or more, got "seven"');
  });

  it('leaves the notes out when the evidence is clean', async () => {
    // Act
    const run = await checkOne({ schedule: FRESH_DAILY, history: [ARCHIVE] });

    // Assess
    expect(run.verdicts[0]?.status).toBe('OK');
    expect(run.verdicts[0]?.evidenceNotes).toBeUndefined();
    expect(JSON.stringify(reportToJson(run))).not.toContain('evidenceNotes');
    expect(reportToText(run)).not.toContain('note:');
  });
});
