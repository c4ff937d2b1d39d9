import { describe, expect, it } from 'vitest';
import { createLimiter, mapWithConcurrency } from '../../functions/check/concurrency.ts';

/** A promise the test settles by hand. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

/** Lets every pending promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('mapWithConcurrency', () => {
  it.each([
    [1, 5],
    [2, 5],
    [3, 7],
    [5, 5],
    [10, 4],
  ])('keeps at most %i calls in flight over %i items, and uses the whole bound', async (limit, count) => {
    // Prepare
    const items = Array.from({ length: count }, (_, index) => index);
    let inFlight = 0;
    let maxInFlight = 0;

    // Act
    await mapWithConcurrency(items, limit, async () => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await settle();
      inFlight -= 1;
    });

    // Assess
    expect(maxInFlight).toBe(Math.min(limit, count));
  });

  it('starts the next item as soon as one finishes, not when a whole batch has', async () => {
    // Prepare
    const gates = [deferred<void>(), deferred<void>(), deferred<void>()];
    const started: number[] = [];
    const run = mapWithConcurrency([0, 1, 2], 2, async (item) => {
      started.push(item);
      await gates[item]!.promise;
      return item;
    });

    // Act
    await settle();
    const beforeAnyFinished = [...started];
    gates[1]!.resolve();
    await settle();
    const afterSecondFinished = [...started];
    gates[0]!.resolve();
    gates[2]!.resolve();
    await run;

    // Assess
    expect(beforeAnyFinished).toEqual([0, 1]);
    expect(afterSecondFinished).toEqual([0, 1, 2]);
  });

  it('keeps the input order in the result when calls finish in another order', async () => {
    // Prepare
    const gates = [deferred<void>(), deferred<void>(), deferred<void>(), deferred<void>()];
    const run = mapWithConcurrency(['a', 'b', 'c', 'd'], 4, async (item, index) => {
      await gates[index]!.promise;
      return `${item}${index}`;
    });

    // Act
    for (const index of [3, 1, 2, 0]) {
      gates[index]!.resolve();
      await settle();
    }

    // Assess
    await expect(run).resolves.toEqual(['a0', 'b1', 'c2', 'd3']);
  });

  it('calls each item exactly once with its index', async () => {
    // Prepare
    const calls: [string, number][] = [];

    // Act
    await mapWithConcurrency(['x', 'y', 'z'], 2, async (item, index) => {
      calls.push([item, index]);
    });

    // Assess
    expect(calls.sort()).toEqual([
      ['x', 0],
      ['y', 1],
      ['z', 2],
    ]);
  });

  it('resolves to an empty list for no items without calling anything', async () => {
    // Prepare
    let calls = 0;

    // Act
    const result = await mapWithConcurrency([], 3, async () => {
      calls += 1;
    });

    // Assess
    expect(result).toEqual([]);
    expect(calls).toBe(0);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('fails when the bound is %s', async (limit) => {
    // Act
    const run = mapWithConcurrency([1, 2], limit, async (item) => item);

    // Assess
    await expect(run).rejects.toThrow(RangeError);
    await expect(run).rejects.toThrow(/concurrency must be a whole number >= 1/);
  });

  it('rejects when a call rejects', async () => {
    // Act
    const run = mapWithConcurrency([1, 2, 3], 2, async (item) => {
      if (item === 2) throw new Error('boom');
      return item;
    });

    // Assess
    await expect(run).rejects.toThrow('boom');
  });
});

describe('createLimiter', () => {
  it.each([1, 2, 4])('keeps at most %i calls in flight as work arrives, and runs them in arrival order', async (limit) => {
    // Prepare
    const slot = createLimiter(limit);
    const gates = Array.from({ length: 7 }, () => deferred<void>());
    const started: number[] = [];
    let inFlight = 0;
    let maxInFlight = 0;

    // Act: work arrives one item at a time, as verdicts do
    const runs: Promise<number>[] = [];
    for (const [index, gate] of gates.entries()) {
      runs.push(
        slot(async () => {
          started.push(index);
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await gate.promise;
          inFlight -= 1;
          return index;
        }),
      );
      await settle();
    }
    for (const gate of gates) {
      gate.resolve();
      await settle();
    }

    // Assess
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(maxInFlight).toBe(limit);
  });

  it('frees the slot of a call that rejects, and passes the rejection on', async () => {
    // Prepare
    const slot = createLimiter(1);

    // Act
    const failed = slot(() => Promise.reject(new Error('publish failed')));
    const next = slot(async () => 'next ran');

    // Assess
    await expect(failed).rejects.toThrow('publish failed');
    await expect(next).resolves.toBe('next ran');
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a limit of %s', (limit) => {
    expect(() => createLimiter(limit)).toThrow(RangeError);
  });
});
