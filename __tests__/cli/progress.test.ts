import { waitWithProgress } from '../../src/cli/progress';
import { awsError, throttling } from '../support/aws-errors';
import { captureIo } from '../support/cli-io';
import { testClock } from '../support/clock';

const START = '2026-11-30T10:00:00Z';

describe('waiting on AWS with a progress line', () => {
  it('shows the state with the elapsed seconds at each read and ends the line when done', async () => {
    const { io, progress } = captureIo();
    const clock = testClock(START);
    const states = ['instance pending', 'instance running', 'ready'];
    const result = await waitWithProgress({
      io, clock, label: 'starting mc', intervalMs: 5000, timeoutMs: 60_000,
      read: async () => states.shift() ?? 'ready', describe: (s) => s, isDone: (s) => s === 'ready',
    });
    expect(result).toEqual({ outcome: 'done', value: 'ready', elapsedMs: 10_000 });
    expect(progress).toEqual(['⠋ starting mc: instance pending (0 s)', '⠙ starting mc: instance running (5 s)', undefined]);
    expect(clock.sleeps).toEqual([5000, 5000]);
  });

  it('gives up at the timeout with the last state read', async () => {
    const { io } = captureIo();
    const clock = testClock(START);
    const result = await waitWithProgress({
      io, clock, label: 'stopping mc', intervalMs: 5000, timeoutMs: 12_000,
      read: async () => 'draining', describe: (s) => s, isDone: () => false,
    });
    expect(result).toEqual({ outcome: 'timeout', value: 'draining', elapsedMs: 12_000 });
    // The last sleep is cut to the deadline.
    expect(clock.sleeps).toEqual([5000, 5000, 2000]);
  });

  it('stops at Ctrl-C without another read', async () => {
    const capture = captureIo();
    const clock = testClock(START);
    let reads = 0;
    clock.onSleep = () => capture.interrupt();
    const result = await waitWithProgress({
      io: capture.io, clock, label: 'starting mc', intervalMs: 5000, timeoutMs: 60_000,
      read: async () => ++reads, describe: (n) => `read ${n}`, isDone: () => false,
    });
    expect(result.outcome).toBe('interrupted');
    expect(reads).toBe(1);
    expect(capture.progress.at(-1)).toBeUndefined();
  });

  it('takes a throttle that outlasted the retries for "not yet", and throws anything else', async () => {
    const { io } = captureIo();
    const clock = testClock(START);
    const answers: (() => Promise<string>)[] = [() => Promise.reject(throttling()), async () => 'ready'];
    const result = await waitWithProgress({
      io, clock, label: 'x', intervalMs: 1000, timeoutMs: 10_000,
      read: () => answers.shift()!(), describe: (s) => s, isDone: (s) => s === 'ready',
    });
    expect(result.outcome).toBe('done');

    const denied = awsError('AccessDeniedException', 'denied');
    await expect(waitWithProgress({
      io, clock, label: 'x', intervalMs: 1000, timeoutMs: 10_000,
      read: () => Promise.reject(denied), describe: String, isDone: () => false,
    })).rejects.toBe(denied);
  });
});
