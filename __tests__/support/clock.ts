/**
 * A `Clock` (src/lambdas/shared/poll.ts) for tests: nothing really sleeps.
 * A sleep moves the time on by what was asked (unless frozen) and is
 * remembered, so a test can state how long a function waited.
 */
import type { Clock } from '../../src/lambdas/shared/poll';

export interface TestClock extends Clock {
  /** The current time (ms since the epoch); tests may set it. */
  at: number;
  /** Every sleep asked for, in ms, in order. */
  readonly sleeps: number[];
  /** Moves the time on without a sleep (another actor's wait). */
  advance(ms: number): void;
  /** Runs at every sleep, after the time moved, awaited (e.g. a server that starts answering 12 s in). */
  onSleep?: (at: number) => Promise<void> | void;
}

export interface TestClockOptions {
  /** The time stays at the start: sleeps return at once and are only remembered. */
  readonly frozen?: boolean;
}

export function testClock(start: string | number | Date, options: TestClockOptions = {}): TestClock {
  const at = typeof start === 'number' ? start : typeof start === 'string' ? Date.parse(start) : start.getTime();
  if (Number.isNaN(at)) throw new Error(`testClock: ${String(start)} is not a time`);
  const clock: TestClock = {
    at,
    sleeps: [],
    now: () => clock.at,
    sleep: async (ms) => {
      clock.sleeps.push(ms);
      if (!options.frozen) clock.at += ms;
      await clock.onSleep?.(clock.at);
    },
    advance: (ms) => {
      clock.at += ms;
    },
  };
  return clock;
}
