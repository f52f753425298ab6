/**
 * What `gm start`, `gm stop` and `gm status --watch` share while they follow
 * a game: reading its status in one go, and the words for what they left
 * behind when the user presses Ctrl-C.
 */
import type { Clock } from '../../lambdas/shared/poll';
import { runningHourCost } from '../../cost/running-hour';
import type { GameTarget } from '../aws/deployment';
import { gameStatus, type GameStatus } from './derive';
import { readGameFacts, type GameFacts } from './read';

export interface Observed {
  readonly facts: GameFacts;
  readonly status: GameStatus;
}

export async function observeGame(target: GameTarget, now: Date): Promise<Observed> {
  const facts = await readGameFacts(target, now);
  return { facts, status: gameStatus(target.game, facts, runningHourCost(target.game, target.region)) };
}

/** How often a game being followed is read again (each read is a handful of AWS calls). */
export const FOLLOW_POLL_MS = 5_000;

/** One line for a game whose group does not exist. */
export function notDeployedLine(target: GameTarget): string {
  return `${target.game.id} is not deployed in ${target.region}: no Auto Scaling group ${target.names.asg} (run \`cdktf deploy\`, or pass the --region you deployed to)`;
}

/** What the game commands take from their surroundings; tests give a simulated clock and their own GM_CONFIG. */
export interface CommandDeps {
  readonly clock?: Clock;
  readonly env?: NodeJS.ProcessEnv;
}

/** The process exit status after Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;
