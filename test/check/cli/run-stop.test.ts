import { afterEach, describe, expect, it, vi } from 'vitest';
import { startRunStop, STOPPED_EXIT_CODE, type RunStop } from '../../../functions/check/cli/run-stop.ts';

let stop: RunStop | undefined;

afterEach(() => {
  stop?.dispose();
  stop = undefined;
  vi.restoreAllMocks();
  vi.useRealTimers();
});

// Every test that stops a run uses fake timers: the grace timer's process.exit must never run here.
describe('startRunStop', () => {
  it('aborts the signal on SIGTERM, says so once, and counts as interrupted', () => {
    // Prepare: fake timers, so that the grace's exit never runs in this test process
    vi.useFakeTimers();
    const onStop = vi.fn();
    stop = startRunStop({ onExit: vi.fn(), onStop });

    // Act
    process.emit('SIGTERM', 'SIGTERM');

    // Assess
    expect(stop.signal.aborted).toBe(true);
    expect([stop.reason, stop.interrupted]).toEqual(['SIGTERM', true]);
    expect(onStop).toHaveBeenCalledExactlyOnceWith('SIGTERM');
  });

  it('aborts the signal when the time limit is up, without counting as interrupted', () => {
    // Prepare
    vi.useFakeTimers();
    stop = startRunStop({ timeoutMs: 120_000, onExit: vi.fn(), onStop: vi.fn() });

    // Act
    vi.advanceTimersByTime(119_999);
    const before = stop.signal.aborted;
    vi.advanceTimersByTime(1);

    // Assess
    expect([before, stop.signal.aborted]).toEqual([false, true]);
    expect([stop.reason, stop.interrupted]).toEqual(['time limit', false]);
  });

  it.each([
    ['a second signal comes', (advance: (ms: number) => void) => (advance(10), process.emit('SIGINT', 'SIGINT'))],
    ['the run has not ended within the grace', (advance: (ms: number) => void) => advance(8_000)],
  ])('exits 3 at once, after the clean-up, when %s', (_case, then) => {
    // Prepare
    vi.useFakeTimers();
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const onExit = vi.fn();
    stop = startRunStop({ onExit, onStop: vi.fn(), graceMs: 8_000 });
    process.emit('SIGINT', 'SIGINT');

    // Act
    then((ms) => vi.advanceTimersByTime(ms));

    // Assess
    expect(onExit).toHaveBeenCalledOnce();
    expect(exit).toHaveBeenCalledExactlyOnceWith(STOPPED_EXIT_CODE);
    expect(onExit.mock.invocationCallOrder[0]).toBeLessThan(exit.mock.invocationCallOrder[0]!);
  });

  it('stops listening once disposed', () => {
    // Prepare
    stop = startRunStop({ onExit: vi.fn(), onStop: vi.fn() });
    const listeners = process.listenerCount('SIGTERM');

    // Act
    stop.dispose();

    // Assess
    expect(process.listenerCount('SIGTERM')).toBe(listeners - 1);
    expect(stop.signal.aborted).toBe(false);
  });
});
