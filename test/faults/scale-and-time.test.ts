/**
 * The fault matrix, scale and time (docs/RELIABILITY.md, rows S01-S04): a hanging portal among
 * fifty healthy ones, the Lambda deadline approaching (before and during the checks), and an
 * unexpected exception while one portal is evaluated.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatMillis } from '../../functions/check/docspace/request-failures.ts';
import type { BackupSchedule } from '../../functions/check/docspace/schemas.ts';
import { expectNoCanaryLeak, newCanaryKey, textOf } from '../support/canary.ts';
import { useFakeAwsEnvironment } from '../support/aws-env.ts';
import { alertJsonOf, countdownContext, deployFunction, logLinesOf, publishesOf, type DeployedFunction } from './handler-harness.ts';
import {
  checkFailedOf,
  expectNothingLeaked,
  expectNothingLost,
  runPortals,
  runWithFault,
  scenarioPortal,
  startAwsFakes,
  stopAwsFakes,
  verdictOf,
  type AwsFakes,
  type RunPortal,
} from './harness.ts';

/** How long the hanging portal holds its headers back: far beyond every timeout of the run. */
const HANG_MS = 60_000;

/**
 * S01's client limits. Fifty-one portals share one process with the simulated portals and the
 * AWS fakes: on a busy machine a healthy answer can take longer than the fault runs' 400 ms, and
 * the row is about isolation, not speed. The hanging portal still times out, 12x sooner than it
 * would answer.
 */
const S01_CLIENT_LIMITS = { connectTimeoutMs: 5_000, headersTimeoutMs: 5_000, bodyTimeoutMs: 5_000, requestTimeoutMs: 10_000 } as const;

/** What a portal that is never asked, because the deadline came first, is told. */
const NOT_CHECKED = "not checked: the run's time limit was near, so checks stopped to leave time for publishing";

let aws: AwsFakes;
let restoreAws: () => void;
let deployed: DeployedFunction | undefined;

beforeAll(async () => {
  aws = await startAwsFakes();
});

afterAll(async () => {
  await stopAwsFakes(aws);
});

afterEach(async () => {
  restoreAws?.();
  await deployed?.close();
  deployed = undefined;
});

function useAwsFakes(): void {
  restoreAws = useFakeAwsEnvironment({ ssm: aws.ssm.endpoint, sns: aws.sns.endpoint });
}

function portal(name: string, scenario: 'compliant' | 'overdue'): RunPortal {
  const key = newCanaryKey(name);
  return { name, key, ...scenarioPortal(scenario, key) };
}

/** A compliant portal whose schedule answer never comes. */
function hangingPortal(name: string): RunPortal {
  const base = portal(name, 'compliant');
  return { ...base, portal: { ...base.portal, schedule: { body: {}, delayMs: HANG_MS } } };
}

describe('runCheck at scale and against the clock', () => {
  it('S01 one portal hanging while 50 others are checked: the hanging one gets CHECK_FAILED TIMEOUT, the 50 are unaffected, the run is bounded by the timeouts', async () => {
    // Prepare
    useAwsFakes();
    const others = Array.from({ length: 50 }, (_, index) => portal(`s01-p${index}`, index % 2 === 0 ? 'compliant' : 'overdue'));
    const portals = [hangingPortal('s01-hanging'), ...others];
    const started = Date.now();

    // Act
    const result = await runPortals(aws, portals, { client: S01_CLIENT_LIMITS });

    // Assess
    const hanging = verdictOf(result.run, 's01-hanging');
    expect(hanging.status).toBe('UNKNOWN');
    expect(checkFailedOf(hanging)).toMatchObject({ cause: 'TIMEOUT', source: 'schedule' });
    expect(checkFailedOf(hanging).message).toContain(`getbackupschedule: no answer within ${formatMillis(S01_CLIENT_LIMITS.headersTimeoutMs)}`);
    for (const [index, { name }] of others.entries()) expect(verdictOf(result.run, name).status).toBe(index % 2 === 0 ? 'OK' : 'CRITICAL');
    expectNothingLost(result);
    expectNothingLeaked(result);
    // A sanity bound, not a timing assertion: the run ended long before the portal would have answered.
    expect(Date.now() - started).toBeLessThan(HANG_MS / 2);
  });

  it('S03 the deadline already within the publish reserve: no check starts, every portal gets CHECK_FAILED TIMEOUT and is alerted', async () => {
    // Prepare
    useAwsFakes();
    const portals = [portal('s03-a', 'compliant'), portal('s03-b', 'overdue'), portal('s03-c', 'compliant')];

    // Act
    const result = await runPortals(aws, portals, { check: { remainingTimeMs: () => 10_000, publishReserveMs: 30_000 } });

    // Assess
    expect(result.server.requests).toEqual([]);
    for (const verdict of result.run.verdicts) {
      expect(verdict.status).toBe('UNKNOWN');
      expect(checkFailedOf(verdict)).toMatchObject({ cause: 'TIMEOUT', source: 'schedule', severity: 'warning' });
      expect(checkFailedOf(verdict).message).toContain(NOT_CHECKED);
    }
    expectNothingLost(result);
    expectNothingLeaked(result);
  });

  it('S04 an unexpected exception while one portal is evaluated gives that portal CHECK_FAILED BAD_RESPONSE, naming only the kind of error; the run goes on', async () => {
    // Prepare
    useAwsFakes();
    let victimKey = '';

    // Act
    const result = await runWithFault(aws, 's04', {}, {
      check: { concurrency: 1 },
      wrap: (docspace) => ({
        ...docspace,
        getProgress: (target) => docspace.getProgress(target),
        getHistory: (target) => docspace.getHistory(target),
        getSettings: (target) => docspace.getSettings(target),
        getSchedule: async (target) => {
          const read = await docspace.getSchedule(target);
          if (target.name !== 's04-victim' || !read.ok || read.value === null) return read;
          victimKey = target.apiKey;
          // A value the verdict trips over, the way a bug or an unforeseen input would.
          const booby = Object.defineProperty({ ...read.value }, 'cronParams', {
            get: () => {
              throw new TypeError(`cannot judge the schedule read with ${target.apiKey} (Bearer ${target.apiKey})`);
            },
          }) as BackupSchedule;
          return { ok: true, value: booby };
        },
      }),
    });

    // Assess
    const verdict = verdictOf(result.run, result.victim);
    expect(verdict.status).toBe('UNKNOWN');
    expect(verdict.findings).toHaveLength(1);
    expect(checkFailedOf(verdict)).toMatchObject({ cause: 'BAD_RESPONSE', source: 'schedule' });
    expect(checkFailedOf(verdict).message).toContain("the check failed unexpectedly (TypeError); see the monitor's logs");
    expect(result.logs.filter((line) => line.startsWith('error portal check failed unexpectedly'))).toEqual([
      'error portal check failed unexpectedly {"portal":"s04-victim","error":"TypeError"}',
    ]);
    expect(victimKey).not.toBe('');
    expectNothingLost(result);
    expectNothingLeaked(result);
  });
});

describe('handler against the Lambda deadline', () => {
  it('S02 the deadline approaching: checks in flight stop, no new check starts, the unchecked portals get CHECK_FAILED TIMEOUT, and everything known is published before the end', async () => {
    // Prepare
    // Two at a time: `overdue` is judged at once, then both hanging portals are in flight when
    // the deadline comes; `compliant` and `drifted` are never started.
    const fn = (deployed = await deployFunction(
      [
        { name: 'overdue', scenario: 'overdue' },
        { name: 'hanging-1', scenario: 'compliant', portal: { schedule: { body: {}, delayMs: HANG_MS } } },
        { name: 'hanging-2', scenario: 'compliant', portal: { schedule: { body: {}, delayMs: HANG_MS } } },
        { name: 'compliant', scenario: 'compliant' },
        { name: 'drifted', scenario: 'drifted' },
      ],
      { concurrency: 2 },
    ));
    // The handler keeps 30 s for publishing: this leaves 10 s for the checks, enough for `overdue`
    // to be judged on a busy machine; the hanging portals would take 60 s.
    const context = countdownContext(40_000);

    // Act
    const summary = await fn.handler({}, context);

    // Assess
    expect(summary).toEqual({
      status: 'CRITICAL',
      portals: 5,
      alertsSent: 5,
      statuses: { overdue: 'CRITICAL', 'hanging-1': 'UNKNOWN', 'hanging-2': 'UNKNOWN', compliant: 'UNKNOWN', drifted: 'UNKNOWN' },
    });
    // Returned with time to spare: nothing was killed.
    expect(context.getRemainingTimeInMillis!()).toBeGreaterThan(20_000);
    expect(new Set(fn.server.requests.map((request) => request.portal))).toEqual(new Set(['overdue', 'hanging-1', 'hanging-2']));
    for (const name of ['hanging-1', 'hanging-2']) {
      const [finding] = alertJsonOf(publishesOf(fn.sns, name)[0]!).findings;
      expect(finding).toMatchObject({ code: 'CHECK_FAILED', cause: 'TIMEOUT', source: 'schedule' });
      expect(finding!.message).toContain("getbackupschedule: stopped at the check's deadline before the portal answered");
    }
    for (const name of ['compliant', 'drifted']) {
      const [finding] = alertJsonOf(publishesOf(fn.sns, name)[0]!).findings;
      expect(finding).toMatchObject({ code: 'CHECK_FAILED', cause: 'TIMEOUT', source: 'schedule' });
      expect(finding!.message).toContain(NOT_CHECKED);
    }
    expect(alertJsonOf(publishesOf(fn.sns, 'overdue')[0]!).status).toBe('CRITICAL');
    expect(fn.sns.delivered()).toHaveLength(5);
    expect(logLinesOf(fn).filter((line) => line.message === 'check finished')).toHaveLength(1);
    expectNoCanaryLeak(fn.stdout.join('') + fn.stderr.join(''), 'the output');
    expectNoCanaryLeak(fn.sns.requests.map((request) => JSON.stringify(request.form)).join('\n') + textOf(summary), 'the alerts and the summary');
  });
});
