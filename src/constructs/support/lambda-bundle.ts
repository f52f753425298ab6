/**
 * Bundles one `src/lambdas/<name>/handler.ts` into a deterministic zip at
 * synth time: esbuild (minified, one CommonJS file, the AWS SDK included)
 * and a zip with fixed timestamps. The same source always gives the same
 * bytes, so the function's code hash — its change trigger — only moves when
 * the code does, and an unchanged function never shows up in a plan.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildSync, version as esbuildVersion } from 'esbuild';
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
  const hash = createHash('sha256').update(esbuildVersion);
  for (const file of [...filesUnder(LAMBDAS_DIR), ...filesUnder(RUNTIME_DIR), LOCKFILE]) {
    hash.update(relative(ROOT, file)).update('\0').update(existsSync(file) ? readFileSync(file) : '').update('\0');
  }
  cachedKey = hash.digest('hex').slice(0, 16);
  return cachedKey;
}

/** Bundles one function's code (index.js), in memory, always from scratch. */
export function buildLambdaCode(name: string): Uint8Array {
  const entry = join(LAMBDAS_DIR, name, 'handler.ts');
  if (!existsSync(entry)) throw new Error(`no function "${name}": expected ${entry} exporting handler`);
  const result = buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    // No source paths or build times in the output: it must depend on the code alone.
    sourcemap: false,
    legalComments: 'none',
    write: false,
    logLevel: 'error',
    loader: { '.sh': 'text' },
  });
  return result.outputFiles[0]!.contents;
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
