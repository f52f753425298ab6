/**
 * Lambda keeps at most 4 KB of environment per function. Each game function
 * gets only its part of the game (see src/runtime/env.ts), so only a game
 * with very many ports (the watchdog reads them) or very long names comes
 * near it. Checked before anything is built, against the longest values the
 * references can take once deployed, so that every game past the limit is
 * named at once as a problem of the configuration.
 */
import type { ConfigProblem } from '../../config/config-error';
import type { Config } from '../../config/resolve';
import { gameFunctionEnvironment, LAMBDA_ENV_LIMIT_BYTES } from '../../runtime/env';
import { GAME_FIELDS, type GameFunction } from '../../runtime/game';
import { environmentBytes } from '../support/bundled-function';
import { resourceName } from '../support/naming';
import { gameResourceNames } from '../../runtime/names';
import { runtimeGame } from './runtime-game';

/** Route53 hosted zone ids have at most 32 characters. */
const LONGEST_ZONE_ID = 'Z'.padEnd(32, '0');

/** The alerts topic's ARN in the longest partition (the real one is a Terraform reference at synth). */
export function longestTopicArn(prefix: string, region: string): string {
  return `arn:aws-us-gov:sns:${region}:123456789012:${resourceName(prefix, 'alerts')}`;
}

/** Games whose functions would get more environment than Lambda allows, one problem per game and function. */
export function functionEnvironmentProblems(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const topicArn = longestTopicArn(config.name, config.region);
  for (const game of config.games) {
    const runtime = runtimeGame(game, gameResourceNames(config.name, game.id), LONGEST_ZONE_ID, config.network.ipv6, config.region);
    for (const fn of Object.keys(GAME_FIELDS) as GameFunction[]) {
      try {
        // What BundledFunction adds to every function counts too.
        const bytes = environmentBytes({ POWERTOOLS_SERVICE_NAME: fn, ...gameFunctionEnvironment(fn, runtime, topicArn) });
        if (bytes > LAMBDA_ENV_LIMIT_BYTES) {
          problems.push({
            path: `games.${game.id}`,
            message: `the ${fn} function of game ${game.id} needs ${bytes} bytes of environment, past Lambda's limit of ${LAMBDA_ENV_LIMIT_BYTES}; list fewer ports or shorten the game id and domain`,
          });
        }
      } catch (e) {
        problems.push({ path: `games.${game.id}`, message: (e as Error).message });
      }
    }
  }
  return problems;
}
