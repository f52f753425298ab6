/**
 * Waiting on AWS with the user watching: a progress line with the elapsed
 * seconds, refreshed at each read, that ends when the wait is done, runs out
 * of time, or the user presses Ctrl-C. The caller says what each outcome
 * left behind; this only waits.
 */
import { systemClock, type Clock } from '../lambdas/shared/poll';
import { isTransientError } from '../lambdas/shared/transient';
import type { CliIo } from './io';

export interface WaitOptions<T> {
  readonly io: CliIo;
  readonly clock?: Clock;
  /** Shown before the state, e.g. "starting mc". */
  readonly label: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly read: () => Promise<T>;
  /** The state in a few words, e.g. "instance running, task pending". */
  readonly describe: (value: T) => string;
  readonly isDone: (value: T) => boolean;
}

export type WaitOutcome<T> =
  | { readonly outcome: 'done'; readonly value: T; readonly elapsedMs: number }
  | { readonly outcome: 'timeout' | 'interrupted'; readonly value: T | undefined; readonly elapsedMs: number };

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Sleeps, or returns early when the signal aborts. */
export function sleepUnlessInterrupted(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done);
    void clock.sleep(ms).then(done);
  });
}

/** Whole seconds, as the progress line and the timelines print them. */
export function seconds(ms: number): string {
  return `${Math.max(0, Math.round(ms / 1000))} s`;
}

export async function waitWithProgress<T>(options: WaitOptions<T>): Promise<WaitOutcome<T>> {
  const { io, label, read, describe, isDone } = options;
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  let value: T | undefined;
  let state = 'asking AWS';
  for (let frame = 0; ; frame++) {
    if (io.interrupted.aborted) {
      io.progress(undefined);
      return { outcome: 'interrupted', value, elapsedMs: clock.now() - started };
    }
    try {
      value = await read();
      state = describe(value);
      if (isDone(value)) {
        io.progress(undefined);
        return { outcome: 'done', value, elapsedMs: clock.now() - started };
      }
    } catch (e) {
      // A throttle outlasting the SDK's retries is one more "not yet"; anything else is the caller's.
      if (!isTransientError(e)) {
        io.progress(undefined);
        throw e;
      }
    }
    const elapsed = clock.now() - started;
    io.progress(`${FRAMES[frame % FRAMES.length]} ${label}: ${state} (${seconds(elapsed)})`);
    if (elapsed >= options.timeoutMs) {
      io.progress(undefined);
      return { outcome: 'timeout', value, elapsedMs: elapsed };
    }
    await sleepUnlessInterrupted(clock, Math.min(options.intervalMs, options.timeoutMs - elapsed), io.interrupted);
  }
}
