import { mapWithConcurrency } from '../../../src/lambdas/waker/concurrency';

/** A promise the test resolves by hand, so "in flight" is exact rather than timed. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('mapWithConcurrency', () => {
  it('never runs more than the limit at once and keeps input order', async () => {
    const gates = Array.from({ length: 9 }, deferred);
    let inFlight = 0;
    let maxInFlight = 0;
    const started: number[] = [];
    const run = mapWithConcurrency(gates, 4, async (gate, index) => {
      started.push(index);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await gate.promise;
      inFlight--;
      return index * 10;
    });
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1, 2, 3]);
    // Finish them in reverse order: results must still follow the input order.
    for (const gate of [...gates].reverse()) gate.resolve();
    await expect(run).resolves.toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80]);
    expect(maxInFlight).toBe(4);
    expect(started).toHaveLength(9);
  });

  it('returns an empty list for no items', async () => {
    await expect(mapWithConcurrency([], 4, async () => 1)).resolves.toEqual([]);
  });

  it('rejects a limit below 1', async () => {
    await expect(mapWithConcurrency([1], 0, async () => 1)).rejects.toThrow(/positive integer/);
  });
});
