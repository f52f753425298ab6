import { MAX_KEPT_TIMINGS, step, takeStepTimings } from '../../../src/lambdas/shared/steps';

describe('step timings', () => {
  beforeEach(() => takeStepTimings());

  it('records each step with whether it succeeded, and passes results and errors through', async () => {
    await expect(step('works', async () => 42)).resolves.toBe(42);
    await expect(step('fails', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    const timings = takeStepTimings();
    expect(timings.map(({ name, ok }) => ({ name, ok }))).toEqual([{ name: 'works', ok: true }, { name: 'fails', ok: false }]);
    expect(timings.every((t) => t.ms >= 0)).toBe(true);
    expect(takeStepTimings()).toEqual([]);
  });

  it('keeps only the newest timings when nobody collects them (a warm Lambda container)', async () => {
    for (let i = 0; i < MAX_KEPT_TIMINGS + 50; i += 1) await step(`s${i}`, async () => i);
    const timings = takeStepTimings();
    expect(timings).toHaveLength(MAX_KEPT_TIMINGS);
    expect(timings[0]!.name).toBe('s50');
  });
});
