/**
 * Bundles one `src/lambdas/<name>/handler.ts` into a deterministic zip at
 * synth time: esbuild (minified, one CommonJS file, the AWS SDK included)
 * and a zip with fixed timestamps. The same source always gives the same
 * bytes, so the function's code hash — its change trigger — only moves when
 * the code does, and an unchanged function never shows up in a plan.
 *
 * Lean bundles (issue 7; `npm run bench` prints the figures):
 * - the SDK's ES module builds, so esbuild drops the commands a function
 *   never sends (`BUNDLE_OPTIONS.mainFields`);
 * - the SDK's generated schema tables made droppable (`SCHEMA_KEYS_PLUGIN`):
 *   a function that sends one EC2 command carries that command's shapes, not
 *   EC2's thousands;
 * - credentials from the environment only, as Lambda provides them
 *   (`ENV_CREDENTIALS_PLUGIN`): no SSO/STS/profile providers inside.
 * Function code keeps its part: a dynamic `import()` of a module that
 * imports a client keeps every command of that client (esbuild must build
 * the module's whole namespace), so function code imports statically.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { version as esbuildVersion, type BuildOptions, type Metafile } from 'esbuild';
import { zipSync } from 'fflate';

export const LAMBDAS_DIR = join(__dirname, '..', '..', 'lambdas');
/** The runtime contract the functions import (src/runtime). */
const RUNTIME_DIR = join(__dirname, '..', '..', 'runtime');
const ROOT = join(__dirname, '..', '..', '..');
const BUILD_DIR = join(ROOT, '.build', 'lambdas');
const LOCKFILE = join(ROOT, 'package-lock.json');
/** Lambda's runtime; the pinned AWS provider (5.100.0) does not accept nodejs24.x yet. */
export const LAMBDA_RUNTIME = 'nodejs22.x';
/** Any fixed time works; zip cannot store dates before 1980. */
const ZIP_TIME = new Date('1980-01-01T00:00:00Z');

export interface LambdaBundle {
  /** Absolute path of the zip. */
  readonly zipPath: string;
  /** base64 SHA-256 of the zip: what Lambda reports as CodeSha256. */
  readonly sha256: string;
  readonly bytes: number;
}

const cache = new Map<string, LambdaBundle>();

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  }).sort();
}

/**
 * A key for everything a bundle is built from: the functions' sources, the
 * locked dependency versions and the bundler. Synths in other processes (test
 * workers, the next `cdktf synth`) reuse a zip with the same key instead of
 * bundling again.
 */
let cachedKey: string | undefined;

function sourceKey(): string {
  // Once per process: every function shares it, and reading the sources five times buys nothing.
  if (cachedKey) return cachedKey;
  // The bundler, its options and the plugin's code are inputs too: a change to them builds again.
  const hash = createHash('sha256').update(esbuildVersion).update(JSON.stringify(BUNDLE_OPTIONS)).update(WORKER_SOURCE).update(PLUGINS_SOURCE);
  for (const file of [...filesUnder(LAMBDAS_DIR), ...filesUnder(RUNTIME_DIR), LOCKFILE]) {
    hash.update(relative(ROOT, file)).update('\0').update(existsSync(file) ? readFileSync(file) : '').update('\0');
  }
  cachedKey = hash.digest('hex').slice(0, 16);
  return cachedKey;
}

/**
 * The esbuild options of every function bundle (entry points aside).
 * - `mainFields: module first`: the SDK's ES module build, which esbuild can
 *   tree-shake (its CommonJS build is one module per package, kept whole);
 *   the SDK packages declare `sideEffects: false`, so unused modules drop.
 * - `treeShaking` on and `keepNames` off (esbuild's defaults for a bundle,
 *   stated so that a change is a decision): code that needs a class name
 *   after minifying sets it itself (see `EnvironmentError`).
 * - `target: node22`, the Lambda runtime: no down-levelling.
 */
export const BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  mainFields: ['module', 'main'],
  treeShaking: true,
  keepNames: false,
  minify: true,
  // No source paths or build times in the output: it must depend on the code alone.
  sourcemap: false,
  legalComments: 'none',
  charset: 'utf8',
  write: false,
  logLevel: 'error',
  loader: { '.sh': 'text' },
} as const satisfies BuildOptions;

/**
 * Each SDK client describes every shape of its service in one generated
 * `schemas/schemas_0.js`: `var X$ = [3, n0, _X, 0, [..], [.., { [_xN]: _y }]]`.
 * esbuild keeps a declaration whose object literal has a computed key (the key
 * could run code when converted to a string), so every shape of the service
 * stays, used or not (EC2: 550 KiB). The keys are the file's own string
 * constants (`const _xN = "xmlName"`); writing them as the literal they are
 * changes nothing at run time and lets esbuild drop what no command reaches.
 * A key that is not such a constant is left as it is.
 *
 * JavaScript source, run inside the build worker (see `buildInWorker`).
 */
const SCHEMA_KEYS_PLUGIN = String.raw`{
  name: 'gm-sdk-schema-literal-keys',
  setup(build) {
    build.onLoad({ filter: /[\\/]@aws-sdk[\\/].*[\\/]schemas[\\/]schemas_\d+\.js$/ }, (args) => {
      const source = require('node:fs').readFileSync(args.path, 'utf8');
      const constants = new Map();
      for (const m of source.matchAll(/^const (_\w+) = ("[^"\\\n]*");$/gm)) constants.set(m[1], m[2]);
      const contents = source.replace(/([{,]\s*)\[(_\w+)\]:/g, (all, before, id) => (constants.has(id) ? before + constants.get(id) + ':' : all));
      return { contents, loader: 'js' };
    });
  },
}`;

/**
 * Credentials from the environment only. Lambda gives every function its
 * execution role's credentials in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
 * AWS_SESSION_TOKEN, which the SDK's default chain reads first; the rest of
 * that chain (SSO, profiles, processes, web identity, containers, instance
 * metadata, with the STS and SSO clients they carry) never runs in a function
 * but weighs a third of a small function's bundle, and its load time.
 * The bundle alone is changed: `gm lambda` and the tests run the sources,
 * with the whole chain. Without those variables a call fails, saying so.
 *
 * JavaScript source, run inside the build worker.
 */
const ENV_CREDENTIALS_MODULE = `
import { fromEnv } from "@aws-sdk/credential-provider-env";
export const defaultProvider = (init = {}) => {
  const fromEnvironment = fromEnv(init);
  return async () => {
    try {
      return await fromEnvironment();
    } catch (error) {
      error.message = "no AWS credentials in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), where Lambda puts the function role's; " +
        "this bundle reads no other source (" + error.message + ")";
      throw error;
    }
  };
};
export const credentialsWillNeedRefresh = (credentials) => credentials?.expiration !== undefined;
export const credentialsTreatedAsExpired = (credentials) => credentials?.expiration !== undefined && credentials.expiration.getTime() - Date.now() < 300000;
`;

const ENV_CREDENTIALS_PLUGIN = `{
  name: 'gm-lambda-env-credentials',
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk[/]credential-provider-node$/ }, () => ({ path: 'env-credentials', namespace: 'gm-lambda' }));
    build.onLoad({ filter: /^env-credentials$/, namespace: 'gm-lambda' }, () => ({ contents: ${JSON.stringify(ENV_CREDENTIALS_MODULE)}, loader: 'js', resolveDir: workerData.root }));
  },
}`;

/**
 * esbuild runs plugins only in its asynchronous API, and bundling happens
 * inside a synchronous synth: builds run in a worker thread (one per process,
 * started on first use, never holding the process open) while this thread
 * waits for the answer. One worker keeps one esbuild service for every build.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { esbuildPath, pluginsSource, port } = workerData;
let esbuild;
let plugins;
let waiting;
// A worker that ends while a build waits says so (2), rather than leave the build waiting for its timeout.
process.on('exit', () => {
  if (!waiting) return;
  Atomics.store(waiting, 0, 2);
  Atomics.notify(waiting, 0);
});
port.on('message', async ({ options, signal }) => {
  waiting = signal;
  let answer;
  try {
    esbuild ??= require(esbuildPath);
    // Compiled here, inside the try: a mistake in a plugin's source is an answer, not a dead worker.
    plugins ??= new Function('require', 'workerData', 'return ' + pluginsSource)(require, workerData);
    const result = await esbuild.build({ ...options, plugins });
    answer = { ok: true, code: result.outputFiles[0].contents, metafile: result.metafile };
  } catch (error) {
    answer = { ok: false, message: String((error && error.message) || error) };
  }
  port.postMessage(answer);
  waiting = undefined;
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
`;

/** The plugins every bundle is built with (JavaScript, compiled in the worker). */
const PLUGINS_SOURCE = `[${SCHEMA_KEYS_PLUGIN}, ${ENV_CREDENTIALS_PLUGIN}]`;

/** Longest a bundle may take before the build is reported as stuck. */
const BUILD_TIMEOUT_MS = 120_000;

type WorkerAnswer = { ok: true; code: Uint8Array; metafile?: Metafile } | { ok: false; message: string };

let service: { readonly worker: Worker; readonly port: MessagePort } | undefined;

function buildService(): { readonly worker: Worker; readonly port: MessagePort } {
  if (service) return service;
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    // root: where the plugins' own modules resolve their imports (this checkout's node_modules).
    workerData: { esbuildPath: require.resolve('esbuild'), pluginsSource: PLUGINS_SOURCE, root: ROOT, port: port2 },
    transferList: [port2],
  });
  worker.unref();
  port1.unref();
  service = { worker, port: port1 };
  return service;
}

function buildInWorker(options: BuildOptions): WorkerAnswer {
  const { worker, port } = buildService();
  // 0 while building; the worker sets 1 when it has answered, 2 when it ends without answering.
  const signal = new Int32Array(new SharedArrayBuffer(4));
  port.postMessage({ options, signal });
  if (Atomics.wait(signal, 0, 0, BUILD_TIMEOUT_MS) === 'timed-out') {
    void worker.terminate();
    service = undefined;
    return { ok: false, message: `bundling took longer than ${BUILD_TIMEOUT_MS / 1000} s` };
  }
  if (Atomics.load(signal, 0) === 2) {
    service = undefined;
    return { ok: false, message: 'the bundling worker ended without answering' };
  }
  const received = receiveMessageOnPort(port);
  return received ? (received.message as WorkerAnswer) : { ok: false, message: 'the bundling worker gave no answer' };
}

export interface BuiltCode {
  /** The bundle, index.js. */
  readonly code: Uint8Array;
  /** What went into it (only when asked for): inputs and their bytes in the output. */
  readonly metafile?: Metafile;
}

/**
 * Bundles any entry file with the functions' options, in memory, always from
 * scratch (the bench builds its baseline handlers with it).
 */
export function buildEntry(entry: string, options: { readonly metafile?: boolean } = {}): BuiltCode {
  if (!existsSync(entry)) throw new Error(`cannot bundle ${entry}: no such file`);
  const answer = buildInWorker({ ...BUNDLE_OPTIONS, entryPoints: [entry], metafile: options.metafile === true });
  if (!answer.ok) throw new Error(`bundling ${relative(ROOT, entry)} failed: ${answer.message}`);
  return { code: answer.code, ...(answer.metafile ? { metafile: answer.metafile } : {}) };
}

/** The entry file of function `name`; throws a sentence when it has none. */
export function lambdaEntry(name: string): string {
  const entry = join(LAMBDAS_DIR, name, 'handler.ts');
  if (!existsSync(entry)) throw new Error(`no function "${name}": expected ${entry} exporting handler`);
  return entry;
}

/** Bundles one function's code (index.js), in memory, always from scratch. */
export function buildLambdaCode(name: string): Uint8Array {
  return buildEntry(lambdaEntry(name)).code;
}

/**
 * Files packed beside index.js, by name: data a function reads at cold start
 * that does not belong in its environment (the waker's routing table).
 */
export type ExtraFiles = Readonly<Record<string, string>>;

function zipOf(code: Uint8Array, extraFiles: ExtraFiles): Uint8Array {
  const entries: Record<string, [Uint8Array, { mtime: Date; level: 9 }]> = { 'index.js': [code, { mtime: ZIP_TIME, level: 9 }] };
  for (const name of Object.keys(extraFiles).sort()) {
    if (name === 'index.js' || name.includes('/')) throw new Error(`extra file name "${name}" must be a plain file name other than index.js`);
    entries[name] = [new TextEncoder().encode(extraFiles[name]), { mtime: ZIP_TIME, level: 9 }];
  }
  return zipSync(entries);
}

/** Bundles and zips one function, in memory, always from scratch. */
export function buildLambdaZip(name: string, extraFiles: ExtraFiles = {}): Uint8Array {
  return zipOf(buildLambdaCode(name), extraFiles);
}

/** Writes aside and renames: a parallel synth never reads half a file. */
function writeAtomically(path: string, bytes: Uint8Array): void {
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, bytes);
  renameSync(partial, path);
}

export function bundleLambda(name: string, extraFiles: ExtraFiles = {}): LambdaBundle {
  const extrasKey = Object.keys(extraFiles).length === 0
    ? ''
    : `-${createHash('sha256').update(JSON.stringify(Object.entries(extraFiles).sort(([a], [b]) => a.localeCompare(b)))).digest('hex').slice(0, 12)}`;
  const cacheKey = `${name}${extrasKey}`;
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const dir = join(BUILD_DIR, name);
  mkdirSync(dir, { recursive: true });
  const codePath = join(dir, `index-${sourceKey()}.js`);
  if (!existsSync(codePath)) writeAtomically(codePath, buildLambdaCode(name));
  const zipPath = join(dir, `function-${sourceKey()}${extrasKey}.zip`);
  if (!existsSync(zipPath)) writeAtomically(zipPath, zipOf(readFileSync(codePath), extraFiles));
  const zip = readFileSync(zipPath);
  const bundle = { zipPath, sha256: createHash('sha256').update(zip).digest('base64'), bytes: zip.byteLength };
  cache.set(cacheKey, bundle);
  return bundle;
}
