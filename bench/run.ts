/**
 * Figures for the things users wait on: config loading, synth of the example
 * (with and without bundling already cached), the functions' bundles and cold
 * starts, and memory. Prints numbers; it asserts nothing — compare runs by
 * eye or in CI logs.
 *   npm run bench                   everything
 *   npm run bench -- --functions    the functions only (bundles, cold starts)
 *   npm run bench -- --start        the in-house part of a start only (our code's wall time in one replayed start)
 *   BENCH_RUNS=9 npm run bench      steadier cold-start medians (default 5 processes each)
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { unzipSync, zipSync } from 'fflate';
import { buildEntry, bundleLambda, lambdaEntry, type LambdaBundle } from '../src/constructs/support/lambda-bundle';
import { bundleContents, type BundleContents } from './bundle-contents';
import { measureColdStart, type ColdStart } from './cold-start';
import { BASELINES, INVOCATIONS, type Invocation } from './fixtures/invocations';
import { startLocalAws } from './local-aws';

// The SDK warns on Node 20 about its releases after January 2027 (the versions here are pinned); the
// warning would stand in the middle of the figures.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const ROOT = join(__dirname, '..');
const FUNCTIONS = ['waker', 'instance-hook', 'watchdog', 'failsafe', 'notifier'] as const;
/** Issue 7's targets, on this machine. */
const TARGET_ZIP_KIB = 300;
const TARGET_INIT_MS = 150;
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5) || 5);

const kib = (bytes: number) => bytes / 1024;
const fixed = (value: number, width: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '–').padStart(width);

function line(label: string, value: string, unit: string): void {
  console.log(`${label.padEnd(44)} ${value.padStart(7)} ${unit}`);
}

function time<T>(label: string, fn: () => T): T {
  const start = performance.now();
  const result = fn();
  line(label, (performance.now() - start).toFixed(0), 'ms');
  return result;
}

/** Runs `fn`; a failure (a function being edited, say) is printed and the bench goes on. */
function attempt<T>(what: string, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    console.log(`${what} failed: ${(e as Error).message.split('\n')[0]}`);
    return undefined;
  }
}

interface Measured {
  readonly name: string;
  /** A function (checked against the targets), not a baseline. */
  readonly isFunction: boolean;
  readonly zipBytes: number;
  readonly codeBytes: number;
  readonly cold: ColdStart;
  readonly contents?: BundleContents;
  readonly what: string;
}

async function leanFunctions(bundles: ReadonlyMap<string, LambdaBundle>): Promise<void> {
  console.log('');
  console.log(`Lean functions — targets: zip ≤ ${TARGET_ZIP_KIB} KiB, cold init ≤ ${TARGET_INIT_MS} ms`);
  console.log('  cold init = load index.js in a fresh node process (Lambda\'s init) + the first handler call with the event');
  console.log('  shown below; every AWS call goes to a local HTTPS endpoint on 127.0.0.1 that answers "access denied" (no network),');
  console.log(`  so the call runs the function's code up to its first AWS answer and its error handling. Median of ${RUNS} processes;`);
  // Timings move with whatever else runs on the machine: say how busy it was.
  console.log(`  node ${process.version} here (Lambda runs nodejs22.x); ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)} at the start.`);
  const aws = await startLocalAws();
  if (!aws.caFile) console.log('  (no openssl here: the local endpoint speaks HTTP, so the first call also loads the SDK\'s HTTP-only code)');
  const measured: Measured[] = [];
  try {
    for (const [name, baseline] of Object.entries(BASELINES)) {
      const built = attempt(`bundle ${name}`, () => buildEntry(join(__dirname, 'fixtures', baseline.entry)));
      if (!built) continue;
      const cold = await measureColdStart(name, built.code, baseline.invocation, aws, RUNS);
      const zipBytes = zipSync({ 'index.js': [built.code, { level: 9 }] }).byteLength;
      measured.push({ name, isFunction: false, zipBytes, codeBytes: built.code.byteLength, cold, what: baseline.invocation.what });
    }
    for (const name of FUNCTIONS) {
      const bundle = bundles.get(name);
      if (!bundle) continue;
      const invocation: Invocation = INVOCATIONS[name]!;
      const code = unzipSync(new Uint8Array(readFileSync(bundle.zipPath)))['index.js'];
      if (!code) continue;
      const contents = attempt(`metafile of ${name}`, () => bundleContents(buildEntry(lambdaEntry(name), { metafile: true }).metafile!));
      const cold = await measureColdStart(name, code, invocation, aws, RUNS);
      measured.push({ name, isFunction: true, zipBytes: bundle.bytes, codeBytes: code.byteLength, cold, ...(contents ? { contents } : {}), what: invocation.what });
    }
  } finally {
    await aws.close();
  }
  printTable(measured);
  console.log(`  (load average ${loadavg()[0]!.toFixed(1)} at the end)`);
}

function printTable(measured: readonly Measured[]): void {
  const bare = measured.find((m) => m.name === 'bare handler')?.cold.initMs ?? Number.NaN;
  const floor = measured.find((m) => m.name === 'bare + 1 SDK call')?.cold.initMs ?? Number.NaN;
  console.log('');
  console.log(`${'function'.padEnd(18)}${'zip KiB'.padStart(8)}${'unzipped'.padStart(10)}${'load ms'.padStart(9)}${'call ms'.padStart(9)}${'init ms'.padStart(9)}${'best'.padStart(6)}${'CPU ms'.padStart(8)}${'× bare'.padStart(8)}${'× SDK'.padStart(7)}${'RSS MiB'.padStart(9)}  targets`);
  for (const m of measured) {
    const zip = kib(m.zipBytes);
    const marks = m.isFunction ? `${zip <= TARGET_ZIP_KIB ? 'zip ✓' : 'zip ✗'} ${m.cold.initMs <= TARGET_INIT_MS ? 'init ✓' : 'init ✗'}` : '';
    console.log(
      `${m.name.padEnd(18)}${fixed(zip, 8)}${fixed(kib(m.codeBytes), 10)}${fixed(m.cold.loadMs, 9)}${fixed(m.cold.callMs, 9)}${fixed(m.cold.initMs, 9)}${fixed(m.cold.bestInitMs, 6)}${fixed(m.cold.cpuMs, 8)}` +
        `${fixed(m.cold.initMs / bare, 7, 1)}×${fixed(m.cold.initMs / floor, 6, 1)}×${fixed(m.cold.rssMiB, 9)}  ${marks}`,
    );
  }
  console.log('  init: median of load + call; best: the fastest run; CPU: user + system time of load + call (a busy machine moves it less);');
  console.log('  × bare: init ÷ the bare handler\'s; × SDK: init ÷ the bare handler making one SSM call — the floor for a function that calls AWS.');
  console.log('');
  console.log('First calls (event → how the call ended; AWS calls made):');
  for (const m of measured) {
    const calls = m.cold.calls.length === 0 ? 'no AWS call' : m.cold.calls.join(', ');
    console.log(`  ${m.name}: ${m.what} → ${m.cold.outcome}; ${calls}`);
  }
  console.log('');
  console.log('What is in each bundle (KiB of minified output; esbuild metafile). A client with far more commands than the');
  console.log('function sends came in whole: a require() or dynamic import() of code that uses it (see src/constructs/support/lambda-bundle.ts):');
  for (const m of measured) {
    if (!m.contents) continue;
    const top = m.contents.byPackage.slice(0, 6).map(([name, bytes]) => `${name} ${kib(bytes).toFixed(0)}`).join(', ');
    const commands = m.contents.clients.map((client) => `${client} ${m.contents!.commands.get(client) ?? 0}`).join(', ');
    console.log(`  ${m.name}: commands per client [${commands}]; SDK ${kib(m.contents.sdkBytes).toFixed(0)}, Powertools ${kib(m.contents.powertoolsBytes).toFixed(0)}`);
    console.log(`    largest: ${top}`);
  }
}

/** The loop simulation's trace report (`__tests__/loop/traces/report.ts`), when that file exists. */
async function traceReport(): Promise<void> {
  const file = join(ROOT, '__tests__', 'loop', 'traces', 'report.ts');
  if (!existsSync(file)) return;
  console.log('');
  console.log('Loop simulation traces:');
  try {
    // A path held in a variable: the file may not exist yet, and the bench must still compile.
    const report = (await import(file)) as { printTraceReport?: () => unknown };
    if (typeof report.printTraceReport !== 'function') {
      console.log('  __tests__/loop/traces/report.ts exports no printTraceReport()');
      return;
    }
    await report.printTraceReport();
  } catch (e) {
    console.log(`  trace report failed: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** Issue 11's target: our own code's share of a start, on this machine. */
const TARGET_IN_HOUSE_MS = 2000;

/**
 * Replays a start through the loop simulation (`__tests__/loop/start-replay.ts`)
 * and prints the wall time of our code in it: the waker (lookup batch in →
 * wake call) and the watchdog (game answers → ready notice published). AWS
 * answers in memory, so this is our code's time alone; add the AWS calls'
 * own latency (tens of ms each) for the real thing. Never fails the bench.
 */
async function startLatency(): Promise<void> {
  console.log('');
  console.log(`In-house part of a start — target: waker + watchdog ≤ ${TARGET_IN_HOUSE_MS} ms (wall time of our code; AWS simulated in memory)`);
  let replayStart: typeof import('../__tests__/loop/start-replay').replayStart;
  try {
    ({ replayStart } = await import('../__tests__/loop/start-replay'));
  } catch (e) {
    console.log(`  skipped: the replay does not load (${(e as Error).message.split('\n')[0]})`);
    return;
  }
  const runs: { wakeMs: number; readyMs: number; notice: string }[] = [];
  for (let i = 0; i < RUNS; i++) {
    try {
      const replay = await replayStart();
      const notice = replay.aws.published.find((m) => m.subject?.startsWith('ready '))?.message ?? '(no ready notice)';
      await replay.close();
      runs.push({ ...replay.wall, notice });
    } catch (e) {
      console.log(`  replay ${i + 1} failed: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  if (runs.length === 0) return;
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const first = runs[0]!;
  const worst = Math.max(...runs.map((r) => r.wakeMs + r.readyMs));
  line('  waker: lookup in → wake call, first run', first.wakeMs.toFixed(1), 'ms');
  line('  watchdog: answer → ready notice, first run', first.readyMs.toFixed(1), 'ms');
  line(`  waker, median of ${runs.length} runs`, median(runs.map((r) => r.wakeMs)).toFixed(1), 'ms');
  line(`  watchdog, median of ${runs.length} runs`, median(runs.map((r) => r.readyMs)).toFixed(1), 'ms');
  line('  in-house total (waker + watchdog), worst run', worst.toFixed(1), `ms  ${worst <= TARGET_IN_HOUSE_MS ? 'PASS' : 'OVER'} (≤ ${TARGET_IN_HOUSE_MS} ms)`);
  console.log('  DNS: the launch hook points it at the instance before the game can answer, so it adds nothing after the answer.');
  console.log(`  the ready notice: ${first.notice}`);
}

/** Config loading and synth; imported here, so a construct being edited does not stop the functions' figures. */
async function synthFigures(): Promise<void> {
  let app: typeof import('../src/app');
  let load: typeof import('../src/config/load');
  try {
    [app, load] = await Promise.all([import('../src/app'), import('../src/config/load')]);
  } catch (e) {
    console.log(`synth skipped: the app does not load (${(e as Error).message.split('\n')[0]})`);
    return;
  }
  const config = attempt('config', () => time('load + validate gamemanagement.yaml', () => load.loadConfig(join(ROOT, 'gamemanagement.yaml'), {})));
  if (!config) return;
  for (const run of ['first synth (bundles cached)', 'second synth']) {
    const out = mkdtempSync(join(tmpdir(), 'gm-bench-'));
    try {
      const synthesized = attempt(run, () => {
        time(run, () => app.buildApp(config, out).app.synth());
        return true;
      });
      if (!synthesized) continue;
      const size = statSync(join(out, 'stacks', 'gamemanagement', 'cdk.tf.json')).size;
      line('  gamemanagement cdk.tf.json', kib(size).toFixed(0), 'KiB');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--start')) {
    await startLatency();
    return;
  }
  const bundles = new Map<string, LambdaBundle>();
  for (const name of FUNCTIONS) {
    const bundle = attempt(`bundle ${name}`, () => time(`bundle ${name}`, () => bundleLambda(name)));
    if (!bundle) continue;
    bundles.set(name, bundle);
    line(`  ${name} zip size`, kib(bundle.bytes).toFixed(0), 'KiB');
  }
  await leanFunctions(bundles);
  if (process.argv.includes('--functions')) return;
  console.log('');
  await synthFigures();
  const memory = process.memoryUsage();
  line('peak-ish RSS after synth', (memory.rss / 1024 / 1024).toFixed(0), 'MiB');
  line('heap used after synth', (memory.heapUsed / 1024 / 1024).toFixed(0), 'MiB');
  await startLatency();
  await traceReport();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
