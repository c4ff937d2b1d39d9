import { describe, expect, it } from 'vitest';
import { backoffDelayMs, retryAfterMs } from '../../../functions/check/docspace/retry-timing.ts';

describe('backoffDelayMs', () => {
  it.each([
    { retry: 0, random: 0.5, delay: 250 },
    { retry: 1, random: 0.5, delay: 500 },
    { retry: 2, random: 0.5, delay: 1_000 },
    { retry: 3, random: 0.5, delay: 2_000 },
    { retry: 6, random: 0.5, delay: 2_500 },
    { retry: 1, random: 0, delay: 0 },
    { retry: 1, random: 0.999, delay: 999 },
  ])('waits $delay ms before retry $retry when random() is $random (base 500 ms, cap 5 s)', ({ retry, random, delay }) => {
    // Act
    const wait = backoffDelayMs(retry, 500, 5_000, random);

    // Assess
    expect(wait).toBe(delay);
  });

  it('never exceeds the cap, whatever random() returns', () => {
    // Act
    const waits = [0, 0.3, 0.99999, 1, 1.5].map((random) => backoffDelayMs(20, 500, 5_000, random));

    // Assess
    expect(Math.max(...waits)).toBeLessThanOrEqual(5_000);
  });
});

describe('retryAfterMs', () => {
  const now = Date.UTC(2026, 2, 2, 8, 0, 0);

  it.each([
    { value: '0', wait: 0 },
    { value: '1', wait: 1_000 },
    { value: ' 30 ', wait: 30_000 },
    { value: 'Mon, 02 Mar 2026 08:00:05 GMT', wait: 5_000 },
    { value: 'Monday, 02-Mar-26 08:00:07 GMT', wait: 7_000 },
    { value: 'Mon, 02 Mar 2026 07:59:00 GMT', wait: 0 },
  ])('reads "$value" as $wait ms', ({ value, wait }) => {
    // Act
    const parsed = retryAfterMs(value, now);

    // Assess
    expect(parsed).toBe(wait);
  });

  it.each([undefined, '', '-5', '1.5', 'soon', '2026-03-02'])('reads %j as no usable header', (value) => {
    // Act
    const parsed = retryAfterMs(value, now);

    // Assess
    expect(parsed).toBeUndefined();
  });
});
