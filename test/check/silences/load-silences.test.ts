import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../functions/check/logger.ts';
import { loadSilences } from '../../../functions/check/silences/load-silences.ts';
import { StateStoreError } from '../../../functions/check/state/errors.ts';
import { NOW, hoursFromNow, storedSilence } from './stored-silences.ts';

const CONFIGURED = [{ portal: 'beta', until: '2027-02-01T00:00:00Z', reason: 'in the config' }];

describe('loadSilences', () => {
  it("puts the run-time silences in force after the config's", async () => {
    // Prepare
    const reader = { listSilences: async () => [storedSilence(), storedSilence({ id: 's-0000000b', until: hoursFromNow(-1).toISOString() })] };

    // Act
    const { silences, stateFailures } = await loadSilences(reader, CONFIGURED, NOW, silentLogger);

    // Assess
    expect(silences).toEqual([...CONFIGURED, expect.objectContaining({ id: 's-0000000a', portal: 'acme-prod', createdBy: storedSilence().createdBy })]);
    expect(stateFailures).toEqual([]);
  });

  it("keeps the config's silences alone, and reports the failure, when the store cannot be read", async () => {
    // Prepare
    const failure = new StateStoreError('could not read silences from DynamoDB table t: AccessDeniedException', { operation: 'load', store: 't', code: 'AccessDeniedException' });
    const reader = { listSilences: () => Promise.reject(failure) };

    // Act
    const { silences, stateFailures } = await loadSilences(reader, CONFIGURED, NOW, silentLogger);

    // Assess
    expect(silences).toEqual(CONFIGURED);
    expect(stateFailures).toEqual([failure]);
  });

  it("weighs the config's silences only without a store", async () => {
    // Act
    const { silences } = await loadSilences(undefined, CONFIGURED, NOW, silentLogger);

    // Assess
    expect(silences).toEqual(CONFIGURED);
  });
});
