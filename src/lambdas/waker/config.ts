/** The waker's environment, read and checked in one place. */
import type { WakeTarget } from '../../runtime/contract';
import { readJsonEnv, requireEnv } from '../../runtime/contract';
import { parseWakeTargets, regionFromArn } from './logic';

export interface WakerConfig {
  /** The games of the zone (env `GM_GAMES`). */
  readonly targets: readonly WakeTarget[];
  /** Region of the games' Auto Scaling groups (env `GM_GAME_REGION`); the waker itself runs in us-east-1. */
  readonly gameRegion: string;
  /** Alerts topic (env `GM_TOPIC_ARN`), in the game region. */
  readonly topicArn: string;
  readonly topicRegion: string;
}

export function readWakerConfig(env: NodeJS.ProcessEnv = process.env): WakerConfig {
  const topicArn = requireEnv('GM_TOPIC_ARN', env);
  return {
    targets: parseWakeTargets(readJsonEnv<unknown>('GM_GAMES', env)),
    gameRegion: requireEnv('GM_GAME_REGION', env),
    topicArn,
    topicRegion: regionFromArn(topicArn),
  };
}
