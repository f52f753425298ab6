/**
 * The simulated wall clock of the loop simulation. Only `Date` is replaced:
 * timers, sockets, `performance` and process ticks stay real, so a real game
 * server and the probes work over the real network while the handlers read
 * the simulated time (`new Date()`, `Date.now()`). It needs no test runner,
 * so the trace report runs the same way under jest and from the bench.
 */
import type { Clock } from '../../src/lambdas/shared/poll';

export interface SimClock {
  now(): number;
  iso(): string;
  /** Moves the clock to `ms` (epoch); never backwards (a handler's sleep may already have moved it past). */
  set(ms: number): void;
  /** Moves the clock to `start + offsetMs`. */
  at(offsetMs: number): void;
  /** The clock the handlers are given: their sleeps move the simulated time instead of waiting. */
  readonly clock: Clock;
  /** Gives `Date` back its real time. */
  uninstall(): void;
}

export function installSimClock(startIso: string): SimClock {
  const RealDate = Date;
  const start = RealDate.parse(startIso);
  if (Number.isNaN(start)) throw new Error(`installSimClock: ${startIso} is not a time`);
  let current = start;
  const SimDate = new Proxy(RealDate, {
    construct: (target, args, newTarget) => Reflect.construct(target, args.length === 0 ? [current] : args, newTarget) as object,
    apply: () => new RealDate(current).toString(),
    get: (target, prop, receiver) => (prop === 'now' ? () => current : Reflect.get(target, prop, receiver)),
  });
  globalThis.Date = SimDate;
  const set = (ms: number) => {
    if (ms < current) throw new Error(`the simulated clock is at ${new RealDate(current).toISOString()}, past ${new RealDate(ms).toISOString()}`);
    current = ms;
  };
  return {
    now: () => current,
    iso: () => new RealDate(current).toISOString(),
    set,
    at: (offsetMs) => set(start + offsetMs),
    clock: {
      now: () => current,
      sleep: async (ms) => {
        current += Math.max(0, ms);
      },
    },
    uninstall: () => {
      globalThis.Date = RealDate;
    },
  };
}
