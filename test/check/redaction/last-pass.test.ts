/**
 * The last pass, on its own: whatever reaches runCheck's outputs with a key in it (here from a
 * DocSpace client that, unlike the real one, redacts nothing) leaves the run only redacted, in
 * every form: the reports, each alert channel and the log lines.
 */
import { describe, expect, it } from 'vitest';
import type { Alert, Notifier } from '../../../functions/check/alerts/notifier.ts';
import { EnvKeyReader } from '../../../functions/check/api-keys/env-key-reader.ts';
import { parseConfig } from '../../../functions/check/config.ts';
import { CheckFailedCause } from '../../../functions/check/policy/types.ts';
import { REDACTED } from '../../../functions/check/redaction/redactor.ts';
import { reportToJson, reportToText } from '../../../functions/check/report/report.ts';
import { runCheck, type CheckDependencies } from '../../../functions/check/run-check.ts';
import { findCanaryLeaks } from '../../support/canary.ts';

const NOW = new Date('2026-03-02T09:00:00Z');

/** A raw session token with the characters encodings change; not registered: nothing here prints it. */
const KEY = 'session+T0k3n/9f8e7d6c5b4a=';

/** A client that fails every call quoting the key it was asked with, in every form, as a careless one would. */
function carelessClient(): CheckDependencies['docspace'] {
  const fail = async (target: { apiKey: string }) => ({
    ok: false as const,
    failure: {
      cause: CheckFailedCause.BAD_RESPONSE,
      source: 'schedule' as const,
      detail: `raw ${target.apiKey}; json ${target.apiKey.replace('+', '\\u002B')}; url ${encodeURIComponent(target.apiKey)}; b64 ${Buffer.from(target.apiKey).toString('base64')}; zw ${target.apiKey.slice(0, 6)}\u200b${target.apiKey.slice(6)}`,
    },
  });
  return { getSchedule: fail, getProgress: fail, getHistory: fail, getSettings: fail };
}

describe('runCheck, the last pass', () => {
  it('redacts every key it read from the JSON and text reports, every alert channel and every log line', async () => {
    // Prepare
    const config = parseConfig({ portals: [{ name: 'acme', url: 'https://acme.example/', apiKey: { env: 'ACME_KEY' }, timeZone: 'UTC' }], policy: { graceMinutes: 60 } });
    const alerts: Alert[] = [];
    const notifier: Notifier = { send: async (alert) => void alerts.push(alert) };
    const lines: string[] = [];
    const log = (message: string, attributes?: Record<string, unknown>) => void lines.push(`${message} ${JSON.stringify(attributes)}`);

    // Act
    const run = await runCheck(
      { docspace: carelessClient(), keys: new EnvKeyReader({ env: { ACME_KEY: KEY } }), notifier, logger: { debug: log, info: log, warn: log, error: log } },
      config,
      { now: NOW },
    );

    // Assess
    expect(alerts).toHaveLength(1);
    const outputs = {
      'the JSON report': JSON.stringify(reportToJson(run)),
      'the text report': reportToText(run),
      'the alert': JSON.stringify(alerts[0]),
      'the log lines': lines.join('\n'),
    };
    for (const [where, text] of Object.entries(outputs)) expect(findCanaryLeaks(text, [KEY]), where).toEqual([]);
    expect(reportToText(run)).toContain(`raw ${REDACTED}; json ${REDACTED}; url ${REDACTED}; b64 ${REDACTED}`);
    expect(alerts[0]!.email).toContain(`zw ${REDACTED}`);
    expect(run.redactor?.size).toBe(1);
  });
});
