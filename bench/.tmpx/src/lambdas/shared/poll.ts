/** Time, injectable so tests never sleep, and bounded polling on it. */
import { isTransientError } from './transient';

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface PollOptions {
  readonly clock: Clock;
  readonly timeoutMs: number;
  readonly intervalMs: number;
  /** Called for each transient error that is swallowed. */
  readonly onTransientError?: (e: Error) => void;
}

export interface PollResult<T> {
  readonly done: boolean;
  /** The last value read (useful when the wait ran out with a partial answer). */
  readonly last: T | undefined;
}

/**
 * Reads until `isDone` holds or `timeoutMs` has passed. Transient errors
 * count as "not yet"; any other error is thrown. The number of reads is also
 * capped, so a clock that never advances cannot make it loop forever.
 */
export async function pollUntil<T>(read: () => Promise<T>, isDone: (value: T) => boolean, options: PollOptions): Promise<PollResult<T>> {
  const { clock, timeoutMs, onTransientError } = options;
  const intervalMs = Math.max(1, options.intervalMs);
  const deadline = clock.now() + timeoutMs;
  const maxReads = Math.ceil(Math.max(0, timeoutMs) / intervalMs) + 1;
  let last: T | undefined;
  for (let reads = 1; ; reads++) {
    try {
      last = await read();
      if (isDone(last)) return { done: true, last };
    } catch (e) {
      if (!isTransientError(e)) throw e;
      onTransientError?.(e as Error);
    }
    const remaining = deadline - clock.now();
    if (remaining <= 0 || reads >= maxReads) return { done: false, last };
    await clock.sleep(Math.min(intervalMs, remaining));
  }
}
