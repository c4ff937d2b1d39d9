/**
 * Maps items with at most `limit` calls in flight, keeping the input order in the result.
 * A rejected call rejects the whole map: callers pass functions that do not throw.
 */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency must be a whole number >= 1, got ${limit}`);
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Runs the functions it is given with at most a fixed number in flight, the rest queued in order. */
export type Limiter = <R>(fn: () => Promise<R>) => Promise<R>;

/**
 * A {@link Limiter} for work that arrives over time (such as a portal's notice, once its verdict
 * is known), where {@link mapWithConcurrency} needs every item up front.
 *
 * @param limit - the most calls in flight at once
 */
export function createLimiter(limit: number): Limiter {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency must be a whole number >= 1, got ${limit}`);
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  return async <R>(fn: () => Promise<R>): Promise<R> => {
    if (inFlight >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else inFlight += 1;
    try {
      return await fn();
    } finally {
      // The slot passes straight to the next waiter, so a newcomer cannot jump the queue.
      const next = waiting.shift();
      if (next === undefined) inFlight -= 1;
      else next();
    }
  };
}
