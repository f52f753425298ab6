/**
 * `examples/events/` has a sample event for every function `gm lambda` runs,
 * and each sample is read by its function's own tests as that function's
 * event (e.g. __tests__/lambdas/instance-hook/decide.test.ts classifies the
 * instance-hook samples; __tests__/lambdas/waker/examples.test.ts runs
 * `gm lambda waker` on its sample), so a sample cannot drift from what the
 * handler reads. This suite sees to it that no function and no sample is
 * left out of that.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './run-cli';

const LAMBDAS = join(REPO_ROOT, 'src/lambdas');
const EVENTS = join(REPO_ROOT, 'examples/events');
const LAMBDA_TESTS = join(REPO_ROOT, '__tests__/lambdas');

/** The functions `gm lambda` offers: the folders of src/lambdas with a handler. */
const functions = readdirSync(LAMBDAS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(LAMBDAS, entry.name, 'handler.ts')))
  .map((entry) => entry.name)
  .sort();
const samples = readdirSync(EVENTS).filter((file) => file.endsWith('.json')).sort();

function testSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testSources(path);
    return entry.name.endsWith('.test.ts') ? [readFileSync(path, 'utf8')] : [];
  });
}

/** The function a sample belongs to: the longest function name its file name starts with. */
function functionOf(sample: string): string | undefined {
  return functions.filter((fn) => sample.startsWith(`${fn}-`)).sort((a, b) => b.length - a.length)[0];
}

describe('the sample events in examples/events', () => {
  it('are found for the five functions', () => {
    expect(functions).toEqual(['failsafe', 'instance-hook', 'notifier', 'waker', 'watchdog']);
  });

  it.each(functions)('%s has at least one sample event', (fn) => {
    expect(samples.filter((sample) => functionOf(sample) === fn)).not.toEqual([]);
  });

  it.each(samples)('%s is JSON, is named after its function, and a test of that function reads it', (sample) => {
    expect(() => JSON.parse(readFileSync(join(EVENTS, sample), 'utf8'))).not.toThrow();
    const fn = functionOf(sample);
    expect(fn).toBeDefined();
    const readers = testSources(join(LAMBDA_TESTS, fn ?? '')).filter((source) => source.includes(sample));
    expect(readers).not.toEqual([]);
  });
});
