/**
 * Figures for the things users wait on: config loading, synth of the example
 * (with and without bundling already cached), bundle sizes, and memory.
 * Prints numbers; it asserts nothing — compare runs by eye or in CI logs.
 *   npm run bench
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config/load';
import { bundleLambda } from '../src/constructs/support/lambda-bundle';

const ROOT = join(__dirname, '..');

function time<T>(label: string, fn: () => T): T {
  const start = performance.now();
  const result = fn();
  console.log(`${label.padEnd(44)} ${(performance.now() - start).toFixed(0).padStart(7)} ms`);
  return result;
}

const config = time('load + validate gamemanagement.yaml', () => loadConfig(join(ROOT, 'gamemanagement.yaml'), {}));
for (const name of ['waker', 'instance-hook', 'watchdog', 'failsafe', 'notifier']) {
  const bundle = time(`bundle ${name}`, () => bundleLambda(name));
  console.log(`${`  ${name} zip size`.padEnd(44)} ${(bundle.bytes / 1024).toFixed(0).padStart(7)} KiB`);
}
for (const run of ['first synth (bundles cached)', 'second synth']) {
  const out = mkdtempSync(join(tmpdir(), 'gm-bench-'));
  time(run, () => buildApp(config, out).app.synth());
  const size = statSync(join(out, 'stacks', 'gamemanagement', 'cdk.tf.json')).size;
  console.log(`${'  gamemanagement cdk.tf.json'.padEnd(44)} ${(size / 1024).toFixed(0).padStart(7)} KiB`);
  rmSync(out, { recursive: true, force: true });
}
const memory = process.memoryUsage();
console.log(`${'peak-ish RSS after synth'.padEnd(44)} ${(memory.rss / 1024 / 1024).toFixed(0).padStart(7)} MiB`);
console.log(`${'heap used after synth'.padEnd(44)} ${(memory.heapUsed / 1024 / 1024).toFixed(0).padStart(7)} MiB`);
