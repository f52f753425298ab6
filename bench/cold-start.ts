/**
 * Cold start of one bundle as Lambda would do it: a fresh node process loads
 * index.js ("load": Lambda's init phase) and makes the first call ("first
 * call"), every AWS call going to the local endpoint. Median of several
 * processes, so one slow run on a busy machine does not move the figure.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Invocation } from './fixtures/invocations';
import type { LocalAws } from './local-aws';

const CHILD = join(__dirname, 'cold-start-child.cjs');
/** A first call that has not ended by then is reported, not waited for. */
const CALL_TIMEOUT_MS = 60_000;

export interface ColdStart {
  readonly loadMs: number;
  readonly callMs: number;
  /** load + first call. */
  readonly initMs: number;
  /** CPU time (user + system) of load + first call: steadier than the wall clock on a busy machine. */
  readonly cpuMs: number;
  /** The fastest load + first call of the runs. */
  readonly bestInitMs: number;
  readonly rssMiB: number;
  /** How the first call ended (`returned`, `threw X: …`). */
  readonly outcome: string;
  /** The AWS calls the first call made, in order (from the local endpoint). */
  readonly calls: readonly string[];
}

interface RunResult {
  readonly loadMs: number;
  readonly callMs: number;
  readonly cpuMs: number;
  readonly outcome: string;
  readonly rssMiB: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** What Lambda puts in a function's environment, plus fake credentials and the local endpoint. */
function lambdaEnvironment(name: string, invocation: Invocation, dir: string, home: string, aws: LocalAws): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    AWS_REGION: invocation.region,
    AWS_DEFAULT_REGION: invocation.region,
    AWS_ACCESS_KEY_ID: 'ASIABENCHBENCHBENCH0',
    AWS_SECRET_ACCESS_KEY: 'bench/bench/bench/bench/bench/bench/bench0',
    AWS_SESSION_TOKEN: 'bench',
    AWS_ENDPOINT_URL: aws.url,
    ...(aws.caFile ? { NODE_EXTRA_CA_CERTS: aws.caFile } : {}),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: `gm-bench-${name.replace(/[^a-z0-9-]/gi, '-')}`,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/gm-bench-${name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: '2025/06/01/[$LATEST]bench',
    LAMBDA_TASK_ROOT: dir,
    _HANDLER: 'index.handler',
    POWERTOOLS_SERVICE_NAME: name,
    ...invocation.env,
  };
}

function runOnce(bundle: string, eventFile: string, env: NodeJS.ProcessEnv, dir: string): Promise<RunResult> {
  const resultFile = join(dir, '..', 'result.json');
  rmSync(resultFile, { force: true });
  return new Promise((resolve) => {
    execFile(process.execPath, [CHILD, bundle, eventFile, resultFile], { env, cwd: dir, timeout: CALL_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 }, (error, _stdout, stderr) => {
      try {
        resolve(JSON.parse(readFileSync(resultFile, 'utf8')) as RunResult);
      } catch {
        const why = error?.killed ? `did not end within ${CALL_TIMEOUT_MS / 1000} s` : `process failed: ${String(stderr || error?.message).trim().split('\n')[0]}`;
        resolve({ loadMs: Number.NaN, callMs: Number.NaN, cpuMs: Number.NaN, outcome: why, rssMiB: Number.NaN });
      }
    });
  });
}

/**
 * Measures `code` (a bundle) with `invocation`, `runs` times, each in a fresh
 * process; the figures are medians, the outcome and calls those of the first run.
 */
export async function measureColdStart(name: string, code: Uint8Array, invocation: Invocation, aws: LocalAws, runs: number): Promise<ColdStart> {
  const root = mkdtempSync(join(tmpdir(), 'gm-cold-'));
  try {
    const dir = join(root, 'task');
    const home = join(root, 'home');
    mkdirSync(dir);
    mkdirSync(home);
    const bundle = join(dir, 'index.js');
    writeFileSync(bundle, code);
    for (const [file, text] of Object.entries(invocation.files)) writeFileSync(join(dir, file), text);
    const eventFile = join(root, 'event.json');
    writeFileSync(eventFile, JSON.stringify(invocation.event));
    const env = lambdaEnvironment(name, invocation, dir, home, aws);
    const results: RunResult[] = [];
    let calls: string[] = [];
    for (let i = 0; i < runs; i++) {
      aws.take();
      results.push(await runOnce(bundle, eventFile, env, dir));
      if (i === 0) calls = aws.take();
    }
    const loadMs = median(results.map((r) => r.loadMs));
    const callMs = median(results.map((r) => r.callMs));
    return {
      loadMs,
      callMs,
      initMs: median(results.map((r) => r.loadMs + r.callMs)),
      cpuMs: median(results.map((r) => r.cpuMs)),
      bestInitMs: Math.min(...results.map((r) => r.loadMs + r.callMs)),
      rssMiB: median(results.map((r) => r.rssMiB)),
      outcome: results[0]!.outcome,
      calls,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
