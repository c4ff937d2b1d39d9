import { Duration } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../functions/check/config.ts';
import { deployProblems } from '../../lib/deploy-problems.ts';
import { minimalConfig } from './cdk-app.ts';

describe('deployProblems', () => {
  it('returns no problem for SSM keys and a daily schedule', () => {
    // Act
    const problems = deployProblems(minimalConfig());

    // Assess
    expect(problems).toEqual([]);
  });

  it('names every portal whose key comes from an environment variable', () => {
    // Prepare
    const config = parseConfig({
      portals: [
        { name: 'cli-only', url: 'https://a.example', apiKey: { env: 'ACME_KEY' } },
        { name: 'fine', url: 'https://b.example', apiKey: { ssmParameter: '/k' } },
        { name: 'cli-too', url: 'https://c.example', apiKey: { env: 'OTHER_KEY', scheme: 'bearer' } },
      ],
    });

    // Act
    const problems = deployProblems(config);

    // Assess
    expect(problems).toEqual([
      'portals[0].apiKey: must name an SSM parameter ({"ssmParameter": "/name"}) to be deployed ({"env": ...} works in the CLI only), got {"env":"ACME_KEY"}',
      'portals[2].apiKey: must name an SSM parameter ({"ssmParameter": "/name"}) to be deployed ({"env": ...} works in the CLI only), got {"env":"OTHER_KEY","scheme":"bearer"}',
    ]);
  });

  it.each([
    ['0 7 ? * MON,SUN *', 'six days between Monday and Sunday'],
    ['0 7 */6 * ? *', 'every sixth day of the month'],
  ])('accepts %s (%s)', (cron) => {
    // Act
    const problems = deployProblems(minimalConfig({ checkSchedule: { cron, timeZone: 'Europe/Berlin' } }));

    // Assess
    expect(problems).toEqual([]);
  });

  it('fails when the check runs less often than every 6 days', () => {
    // Act
    const problems = deployProblems(minimalConfig({ checkSchedule: { cron: '0 7 ? * MON *' } }));

    // Assess
    expect(problems).toEqual([
      'checkSchedule.cron: must run at least every 6 days when deployed (the "did not run" alarm can watch at most 7 days), got "0 7 ? * MON *"',
    ]);
  });

  it('fails when the cron uses L, W or #', () => {
    // Act
    const problems = deployProblems(minimalConfig({ checkSchedule: { cron: '0 7 L * ? *' } }));

    // Assess
    expect(problems).toEqual([
      'checkSchedule.cron: must not use L, W or # when deployed (the "did not run" alarm is sized from the days it runs on), got "0 7 L * ? *"',
    ]);
  });

  it('does not judge the schedule when maxTimeWithoutRun is given', () => {
    // Act
    const problems = deployProblems(minimalConfig({ checkSchedule: { cron: '0 7 L * ? *' } }), Duration.days(7));

    // Assess
    expect(problems).toEqual([]);
  });

  it.each([
    ['weekly in Europe/Berlin after a daily check in UTC', '0 8 ? * MON *', 'Europe/Berlin', undefined],
    ['monthly after daily checks', '0 9 1 * ? *', undefined, undefined],
    ['72 hours apart against a 71-hour window (just enough)', '0 8 ? * MON,THU *', 'UTC', Duration.hours(71)],
  ])('accepts a digest %s', (_case, cron, timeZone, maxTimeWithoutRun) => {
    // Act
    const problems = deployProblems(minimalConfig({ digest: { cron, timeZone } }), maxTimeWithoutRun);

    // Assess
    expect(problems).toEqual([]);
  });

  it.each([
    ['daily, as often as the check', '0 8 * * ? *', undefined, undefined, 26, 25],
    ['72 hours apart against a 72-hour window (one hour short)', '0 8 ? * MON,THU *', undefined, Duration.hours(72), 73, 72],
    ['weekly in Europe/Berlin against a 7-day window', '0 8 ? * MON *', 'Europe/Berlin', Duration.days(7), 169, 168],
  ])('fails when the digest runs %s', (_case, cron, timeZone, maxTimeWithoutRun, apart, window) => {
    // Act
    const problems = deployProblems(minimalConfig({ digest: { cron, timeZone } }), maxTimeWithoutRun);

    // Assess
    expect(problems).toEqual([
      `digest.cron: must run at least ${apart} hours apart when deployed (a digest counts as a run for the "did not run" alarm, which waits ${window} hours; closer digests could hide a check that stopped), got ${JSON.stringify(cron)}`,
    ]);
  });

  it('fails when the digest cron uses L, W or #', () => {
    // Act
    const problems = deployProblems(minimalConfig({ digest: { cron: '0 8 L * ? *' } }));

    // Assess
    expect(problems).toEqual([
      'digest.cron: must not use L, W or # when deployed (its runs must be known to be further apart than the "did not run" alarm\'s window), got "0 8 L * ? *"',
    ]);
  });
});
