import { pollUntil } from '../../../src/lambdas/shared/poll';
import type { Clock } from '../../../src/lambdas/shared/poll';
import { awsError, throttling } from '../../support/aws-errors';
import { testClock } from '../../support/clock';

describe('pollUntil', () => {
  it('returns as soon as the value is done, without sleeping', async () => {
    const clock = testClock(0);
    const read = jest.fn(async () => 1);
    await expect(pollUntil(read, (n) => n === 1, { clock, timeoutMs: 10_000, intervalMs: 1_000 })).resolves.toEqual({ done: true, last: 1 });
    expect(read).toHaveBeenCalledTimes(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('stops at the deadline with the last value', async () => {
    const clock = testClock(0);
    let n = 0;
    const result = await pollUntil(async () => ++n, () => false, { clock, timeoutMs: 10_000, intervalMs: 3_000 });
    expect(result).toEqual({ done: false, last: 5 });
    expect(clock.sleeps).toEqual([3_000, 3_000, 3_000, 1_000]);
  });

  it('ends even when the clock never advances', async () => {
    const frozen: Clock = { now: () => 0, sleep: async () => undefined };
    const read = jest.fn(async () => 0);
    await expect(pollUntil(read, () => false, { clock: frozen, timeoutMs: 10_000, intervalMs: 2_500 })).resolves.toMatchObject({ done: false });
    expect(read).toHaveBeenCalledTimes(5);
  });

  it('polls again after a throttling error', async () => {
    const clock = testClock(0);
    const onTransientError = jest.fn();
    const read = jest.fn<Promise<string>, []>().mockRejectedValueOnce(throttling()).mockResolvedValueOnce('ok');
    await expect(pollUntil(read, (v) => v === 'ok', { clock, timeoutMs: 10_000, intervalMs: 1_000, onTransientError })).resolves.toEqual({
      done: true,
      last: 'ok',
    });
    expect(onTransientError).toHaveBeenCalledWith(expect.objectContaining({ name: 'ThrottlingException' }));
  });

  it('throws other errors at once', async () => {
    const read = jest.fn(async () => {
      throw awsError('AccessDeniedException', 'not allowed');
    });
    await expect(pollUntil(read, () => true, { clock: testClock(0), timeoutMs: 10_000, intervalMs: 1_000 })).rejects.toThrow('not allowed');
    expect(read).toHaveBeenCalledTimes(1);
  });
});
