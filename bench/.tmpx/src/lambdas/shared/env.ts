/**
 * A function's environment, checked once per cold start against its schema
 * in the runtime contract. A broken environment fails every invocation with
 * the same sentence, naming every variable that is wrong.
 */
import * as v from 'valibot';
import { envProblems, FUNCTION_ENV, type FunctionEnv, type FunctionName } from '../../runtime/env';

export class EnvironmentError extends Error {
  constructor(fn: FunctionName, problems: readonly string[]) {
    super(`the ${fn} function's environment is not as deployed: ${problems.join('; ')}. Redeploy (cdktf deploy) so it gets the runtime configuration`);
    // Set explicitly: a minified bundle renames the class, and Lambda reports `name` as the error type.
    this.name = 'EnvironmentError';
  }
}

const cache = new Map<unknown, unknown>();

/** The checked, frozen environment of `fn`; read from `env` once per process (per `env` object). */
export function functionEnv<F extends FunctionName>(fn: F, env: NodeJS.ProcessEnv = process.env): Readonly<FunctionEnv<F>> {
  const key = env;
  const cached = cache.get(key) as { fn: F; value: FunctionEnv<F> } | undefined;
  if (cached && cached.fn === fn) return cached.value;
  const result = v.safeParse(FUNCTION_ENV[fn], env);
  if (!result.success) throw new EnvironmentError(fn, envProblems(fn, env));
  const value = Object.freeze(result.output) as FunctionEnv<F>;
  cache.set(key, { fn, value });
  return value;
}
