import { describe, expect, it } from 'vitest';
import type { NotificationsConfig } from '../../../functions/check/config.ts';
import { resolveNotifications } from '../../../functions/check/notify/resolve-notifications.ts';

describe('resolveNotifications', () => {
  it.each<{ scenario: string; config: NotificationsConfig | undefined; critical: number; warning: number; smsResolved: boolean; escalate?: number }>([
    { scenario: 'defaults when notifications is not set', config: undefined, critical: 1, warning: 7, smsResolved: false },
    { scenario: 'defaults for an empty object', config: {}, critical: 1, warning: 7, smsResolved: false },
    { scenario: 'the default warning interval when only critical is set', config: { remindEveryRuns: { critical: 4 } }, critical: 4, warning: 7, smsResolved: false },
    { scenario: 'the default critical interval when only warning is set', config: { remindEveryRuns: { warning: 2 } }, critical: 1, warning: 2, smsResolved: false },
    { scenario: '0 (never) as given, not the default', config: { remindEveryRuns: { critical: 0, warning: 0 } }, critical: 0, warning: 0, smsResolved: false },
    { scenario: 'smsResolved as given', config: { smsResolved: true }, critical: 1, warning: 7, smsResolved: true },
    { scenario: 'escalateUncheckedAfterRuns as given', config: { escalateUncheckedAfterRuns: 5 }, critical: 1, warning: 7, smsResolved: false, escalate: 5 },
    { scenario: 'escalateUncheckedAfterRuns 0 (never) as given', config: { escalateUncheckedAfterRuns: 0 }, critical: 1, warning: 7, smsResolved: false, escalate: 0 },
  ])('resolves $scenario', ({ config, critical, warning, smsResolved, escalate = 3 }) => {
    // Act
    const settings = resolveNotifications(config);

    // Assess
    expect(settings).toEqual({ remindEveryRuns: { critical, warning }, smsResolved, escalateUncheckedAfterRuns: escalate });
  });
});
