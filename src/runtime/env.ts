/**
 * What each function reads from its environment: one schema per function,
 * used by the constructs when they write the environment at synth (so a value
 * that the function would refuse, or one past Lambda's 4 KB limit, fails the
 * synth) and by the function once per cold start.
 */
import * as v from 'valibot';
import { gameView, gameViewSchema, type GameFunction, type RuntimeGame } from './game';

const text = v.pipe(v.string(), v.minLength(1));
const arn = v.pipe(v.string(), v.startsWith('arn:'));
/** A JSON value in a variable, checked against `schema` once parsed. */
const json = <S extends v.GenericSchema>(schema: S) => v.pipe(v.string(), v.parseJson(), schema);

export const FUNCTION_ENV = {
  'instance-hook': v.object({ GM_GAME: json(gameViewSchema('instance-hook')), GM_TOPIC_ARN: arn }),
  watchdog: v.object({ GM_GAME: json(gameViewSchema('watchdog')), GM_TOPIC_ARN: arn }),
  failsafe: v.object({ GM_GAME: json(gameViewSchema('failsafe')), GM_TOPIC_ARN: arn }),
  waker: v.object({
    /** Region of the games' Auto Scaling groups and parameters; the waker itself runs in us-east-1. */
    GM_GAME_REGION: text,
    GM_TOPIC_ARN: arn,
    /** Where the routing table is; defaults to `routes.json` beside the bundle. */
    GM_ROUTES_FILE: v.optional(text),
  }),
  notifier: v.object({ GM_DISCORD_PARAMETER: text }),
} as const;

export type FunctionName = keyof typeof FUNCTION_ENV;
export type FunctionEnv<F extends FunctionName> = v.InferOutput<(typeof FUNCTION_ENV)[F]>;

/** Lambda's limit on all environment keys and values of one function together. */
export const LAMBDA_ENV_LIMIT_BYTES = 4096;

/** Every problem of an environment, one line each, naming the variable. */
export function envProblems(fn: FunctionName, env: Readonly<Record<string, string | undefined>>): string[] {
  const result = v.safeParse(FUNCTION_ENV[fn], env);
  if (result.success) return [];
  return result.issues.map((issue) => {
    const path = v.getDotPath(issue);
    const [variable, ...rest] = (path ?? '(environment)').split('.');
    const where = rest.length > 0 ? ` (${rest.join('.')})` : '';
    return issue.input === undefined && rest.length === 0
      ? `${variable} is not set`
      : `${variable}${where}: ${issue.message}`;
  });
}

/**
 * The environment of a per-game function: only the game fields it reads, as
 * JSON, checked against the function's schema and Lambda's size limit.
 * Throws a sentence that names the game, the function and the fix.
 */
export function gameFunctionEnvironment(fn: GameFunction, game: RuntimeGame, topicArn: string): Record<string, string> {
  return checkedEnvironment(fn, { GM_GAME: JSON.stringify(gameView(fn, game)), GM_TOPIC_ARN: topicArn }, `game ${game.id}`);
}

/** Checks an environment written at synth; see `gameFunctionEnvironment`. */
export function checkedEnvironment(fn: FunctionName, env: Record<string, string>, owner: string): Record<string, string> {
  // Tokens (references Terraform resolves) are checked by Terraform, not here: a value that is one
  // reference stands for an ARN; a reference inside a value (GM_GAME's hosted zone id) for a name.
  const checkable = Object.fromEntries(Object.entries(env).map(([k, value]) => [k, /^\$\{[^}]*\}$/.test(value) ? 'arn:token' : value.replace(/\$\{[^}]*\}/g, 'token')]));
  const problems = envProblems(fn, checkable);
  if (problems.length > 0) throw new Error(`the ${fn} function of ${owner} would get an environment it refuses: ${problems.join('; ')}`);
  const bytes = Object.entries(env).reduce((sum, [k, value]) => sum + Buffer.byteLength(k) + Buffer.byteLength(value), 0);
  if (bytes > LAMBDA_ENV_LIMIT_BYTES) {
    throw new Error(
      `the ${fn} function of ${owner} needs ${bytes} bytes of environment, past Lambda's limit of ${LAMBDA_ENV_LIMIT_BYTES}; ` +
        'list fewer ports or shorten the game id and domain',
    );
  }
  return env;
}
