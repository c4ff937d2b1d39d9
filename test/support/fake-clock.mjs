/**
 * Sets this process's clock to `FAKE_CLOCK_START` (an ISO instant), like libfaketime: `Date.now()`
 * and `new Date()` start there and run on, or stay there when `FAKE_CLOCK_FROZEN=1` (so a run's
 * instant is exact and a test can state it). Timers are not touched. Loaded with `node --import`
 * by end-to-end tests that replay runs on other days.
 */
const start = Date.parse(process.env.FAKE_CLOCK_START ?? '');
if (Number.isNaN(start)) throw new Error('fake-clock: FAKE_CLOCK_START must be an ISO-8601 instant');
const frozen = process.env.FAKE_CLOCK_FROZEN === '1';
const RealDate = Date;
const offset = start - RealDate.now();
const now = () => (frozen ? start : RealDate.now() + offset);

class ShiftedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(now());
    else super(...args);
  }

  static now() {
    return now();
  }
}

globalThis.Date = ShiftedDate;
