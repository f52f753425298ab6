/**
 * The simulated wall clock of the control-loop test. Only `Date` is faked: timers, sockets, process
 * ticks and `performance` stay real, so the Minecraft server, its players and
 * the query probe work over the real network while the handlers read the
 * simulated time (`new Date()`, `Date.now()`).
 */
import type { Clock } from '../../src/lambdas/instance-hook/ports';

const KEPT_REAL = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'requestIdleCallback',
  'cancelIdleCallback',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const;

export interface SimulatedClock {
  now(): number;
  /** Moves the clock to `start + offsetMs`; never backwards (a handler's sleep may already have moved it). */
  at(offsetMs: number): void;
  /** The instance hook's clock: its sleeps move the simulated time instead of waiting. */
  readonly hookClock: Clock;
  /** Gives `Date` back its real time. */
  stop(): void;
}

export function startSimulatedClock(startIso: string): SimulatedClock {
  const start = Date.parse(startIso);
  jest.useFakeTimers({ doNotFake: [...KEPT_REAL], now: start });
  const now = () => Date.now();
  return {
    now,
    at(offsetMs) {
      const target = start + offsetMs;
      if (target < now()) throw new Error(`the simulated clock is at ${new Date(now()).toISOString()}, past ${new Date(target).toISOString()}`);
      jest.setSystemTime(target);
    },
    hookClock: {
      now,
      sleep: async (ms) => {
        jest.setSystemTime(now() + ms);
      },
    },
    stop: () => jest.useRealTimers(),
  };
}
