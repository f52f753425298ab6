import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Context } from 'aws-lambda';

/** src/lambdas, where each function has its own folder with a handler.ts. */
export const DEFAULT_LAMBDAS_DIR = resolve(__dirname, '../../lambdas');

/** Names of the folders under `lambdasDir` that hold a handler.ts, sorted. */
export function listLambdas(lambdasDir: string): string[] {
  if (!existsSync(lambdasDir)) return [];
  return readdirSync(lambdasDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(lambdasDir, entry.name, 'handler.ts')))
    .map((entry) => entry.name)
    .sort();
}

export type LambdaHandler = (event: unknown, context: Context) => unknown;

/**
 * Loads `<lambdasDir>/<name>/handler.ts` and returns its `handler` export.
 * `require`, not `import()`: under both tsx and jest it loads the same module
 * instance of shared/steps.ts as this CLI, so the handler's step timings are
 * the ones this process reads back.
 */
export function loadHandler(lambdasDir: string, name: string): LambdaHandler {
  const file = join(lambdasDir, name, 'handler.ts');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded: unknown = require(file);
  const handler = typeof loaded === 'object' && loaded !== null ? (loaded as { handler?: unknown }).handler : undefined;
  if (typeof handler !== 'function') {
    throw new Error(`${file} does not export a function named "handler"; export one (export const handler = async (event) => …)`);
  }
  return handler as LambdaHandler;
}
