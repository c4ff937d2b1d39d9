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
});
