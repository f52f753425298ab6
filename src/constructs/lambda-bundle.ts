/**
 * Bundles one `src/lambdas/<name>/handler.ts` into a deterministic zip at
 * synth time: esbuild (minified, one CommonJS file, the AWS SDK included)
 * and a zip with fixed timestamps. The same source always gives the same
 * bytes, so the function's code hash — its change trigger — only moves when
 * the code does, and an unchanged function never shows up in a plan.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { zipSync } from 'fflate';

export const LAMBDAS_DIR = join(__dirname, '..', 'lambdas');
const BUILD_DIR = join(__dirname, '..', '..', '.build', 'lambdas');
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

export function bundleLambda(name: string): LambdaBundle {
  const cached = cache.get(name);
  if (cached) return cached;
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
  const code = result.outputFiles[0]!.contents;
  const zip = zipSync({ 'index.js': [code, { mtime: ZIP_TIME, level: 9 }] });
  const dir = join(BUILD_DIR, name);
  mkdirSync(dir, { recursive: true });
  const zipPath = join(dir, 'function.zip');
  writeFileSync(zipPath, zip);
  const bundle = { zipPath, sha256: createHash('sha256').update(zip).digest('base64'), bytes: zip.byteLength };
  cache.set(name, bundle);
  return bundle;
}
