import { describe, expect, it } from 'vitest';
import { CheckEventError, MAX_EVENT_PORTALS, parseCheckEvent, runKeyOf } from '../../functions/check/check-event.ts';
import { parseConfig, type MonitorConfig } from '../../functions/check/config.ts';

const config: MonitorConfig = parseConfig({
  portals: ['acme-prod', 'acme-test', 'globex'].map((name) => ({
    name,
    url: `https://${name}.onlyoffice.example`,
    apiKey: { ssmParameter: `/docspace/${name}/api-key` },
  })),
});

const EVENT_KEY = 'sk-event-canary-0123456789abcdef';

/** The error `parseCheckEvent` throws for `event`, or a failure when it throws none. */
function rejectionOf(event: unknown, against: MonitorConfig = config): CheckEventError {
  try {
    parseCheckEvent(event, against);
  } catch (error) {
    expect(error).toBeInstanceOf(CheckEventError);
    return error as CheckEventError;
  }
  throw new Error(`expected ${JSON.stringify(event)} to be rejected`);
}

describe('parseCheckEvent', () => {
  it.each([
    ['an empty object (a manual run)', {}],
    ['null (an invocation without a payload)', null],
    ['undefined', undefined],
    ['an explicit check action', { action: 'check' }],
  ])('accepts %s as a run of every portal', (_case, event) => {
    // Act
    const request = parseCheckEvent(event, config);

    // Assess
    expect(request).toEqual({ action: 'check' });
  });

  it("accepts EventBridge Scheduler's scheduledTime as a run of every portal, named by that time", () => {
    // Act
    const request = parseCheckEvent({ scheduledTime: '2026-03-01T07:00:00Z' }, config);

    // Assess
    expect(request).toEqual({ action: 'check', scheduledTime: '2026-03-01T07:00:00Z' });
  });

  it('accepts the digest action with its scheduled time', () => {
    // Act
    const request = parseCheckEvent({ action: 'digest', scheduledTime: '2026-03-02T08:00:00Z' }, config);

    // Assess
    expect(request).toEqual({ action: 'digest', scheduledTime: '2026-03-02T08:00:00Z' });
  });

  it('refuses a digest event that names portals', () => {
    expect(() => parseCheckEvent({ action: 'digest', portals: ['acme-prod'] }, config)).toThrow(/"portals": unknown key/);
  });

  it('narrows the run to the configured portals it names, each once', () => {
    // Act
    const request = parseCheckEvent({ portals: ['globex', 'acme-prod', 'globex'] }, config);

    // Assess
    expect(request).toEqual({ action: 'check', portals: ['globex', 'acme-prod'] });
  });

  it('accepts a narrowed scheduled run', () => {
    // Act
    const request = parseCheckEvent({ scheduledTime: '2026-03-01T07:00:00Z', portals: ['acme-test'] }, config);

    // Assess
    expect(request).toEqual({ action: 'check', portals: ['acme-test'], scheduledTime: '2026-03-01T07:00:00Z' });
  });

  it('accepts the test-alert action', () => {
    // Act
    const request = parseCheckEvent({ action: 'test-alert' }, config);

    // Assess
    expect(request).toEqual({ action: 'test-alert' });
  });

  it('fails when a named portal is not configured, naming it and the configured ones', () => {
    // Act
    const error = rejectionOf({ portals: ['acme-prod', 'initech'] });

    // Assess
    expect(error.message).toBe('unknown portal "initech"; configured portals: acme-prod, acme-test, globex');
  });

  it('fails when several names are unknown, listing at most ten and counting the rest', () => {
    // Prepare
    const names = Array.from({ length: 12 }, (_, index) => `ghost-${index}`);

    // Act
    const error = rejectionOf({ portals: names });

    // Assess
    expect(error.message).toMatch(/^unknown portals "ghost-0", .*"ghost-9" \(\+2 more\); configured portals: acme-prod, acme-test, globex$/);
    expect(error.message).not.toContain('ghost-10');
  });

  it('fails for an unknown name without echoing control characters or a key it holds', () => {
    // Act
    const error = rejectionOf({ portals: [`evil\u001b[2J\nname ${EVENT_KEY}`] });

    // Assess
    expect(error.message).not.toContain(EVENT_KEY);
    expect(error.message).not.toMatch(/[\u0000-\u001f]/);
    expect(error.message).toContain('unknown portal "evil');
  });

  it.each([
    ['another host', { url: 'https://evil.example' }, '"url": unknown key'],
    ['a key next to the portals', { portals: ['acme-prod'], apiKey: EVENT_KEY }, '"apiKey": unknown key'],
    ['a config of its own', { config: { portals: [] } }, '"config": unknown key'],
    ['a test alert with portals', { action: 'test-alert', portals: ['acme-prod'] }, '"portals": unknown key'],
    ['an unknown action', { action: 'delete-backups' }, 'action: must be "check", "test-alert", "digest", "monthly-report" or left out'],
    ['an empty portal list', { portals: [] }, 'portals: must name at least one portal (leave it out to check them all)'],
    ['a portal name instead of a list', { portals: 'acme-prod' }, 'portals: must be a list of portal names'],
    ['a number among the portal names', { portals: ['acme-prod', 7] }, 'portals[1]: must be a portal name'],
    ['a scheduledTime that is not a string', { scheduledTime: 1772348400 }, 'scheduledTime: must be a string'],
  ])('fails for %s, naming the problem and the accepted events', (_case, event, problem) => {
    // Act
    const error = rejectionOf(event);

    // Assess
    expect(error.message).toContain(`unsupported event: ${problem}`);
    expect(error.message).toContain('accepted events: {}, {"scheduledTime": "…"}, {"portals": ["name", …]}, {"action": "test-alert"}');
    expect(error.message).not.toContain(EVENT_KEY);
    expect(error.message).not.toContain('evil.example');
  });

  it(`fails for a list of more than ${MAX_EVENT_PORTALS} names`, () => {
    // Act
    const error = rejectionOf({ portals: Array.from({ length: MAX_EVENT_PORTALS + 1 }, () => 'acme-prod') });

    // Assess
    expect(error.message).toContain(`portals: must name at most ${MAX_EVENT_PORTALS} portals`);
  });

  it.each([
    ['a string', 'acme-prod', 'a string'],
    ['an array', ['acme-prod'], 'an array'],
    ['a number', 42, 'a number'],
    ['a boolean', true, 'a boolean'],
  ])('fails for %s, which is no JSON object', (_case, event, kind) => {
    // Act
    const error = rejectionOf(event);

    // Assess
    expect(error.message).toMatch(new RegExp(`^unsupported event: must be a JSON object, got ${kind}; accepted events: `));
  });
});

describe('runKeyOf', () => {
  const now = new Date('2026-03-02T07:00:30Z');

  it.each([
    ['the scheduled time of this run', '2026-03-02T07:00:00Z', '2026-03-02T07:00:00Z', false],
    ['a scheduled time delivered an hour late', '2026-03-02T06:00:00Z', '2026-03-02T06:00:00Z', false],
    ['a scheduled time just inside the clock-skew allowance', '2026-03-02T07:05:30Z', '2026-03-02T07:05:30Z', false],
    ['a scheduled time just past the clock-skew allowance', '2026-03-02T07:05:31Z', 'request-1', true],
    ["tomorrow's scheduled time (a forged run key)", '2026-03-03T07:00:00Z', 'request-1', true],
    ['a scheduled time older than a day', '2026-03-01T07:00:29Z', 'request-1', true],
    ['text that is no time', 'soon', 'request-1', true],
  ])('takes %s as the run key only when plausible', (_case, scheduledTime, runKey, refused) => {
    expect(runKeyOf(scheduledTime, 'request-1', now)).toEqual({ runKey, refused });
  });

  it('names the run by the request id when there is no scheduled time', () => {
    expect(runKeyOf(undefined, 'request-1', now)).toEqual({ runKey: 'request-1', refused: false });
  });
});
