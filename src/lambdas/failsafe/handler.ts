/**
 * Failsafe for one game. It receives:
 * - the Lambda failure-destination records of the game's watchdog (stop when
 *   it has been silent 3 minutes) and instance hook (alert; stop when an
 *   instance serves while the watchdog is off), and of the waker if they are
 *   routed here (alert);
 * - ECS "Task State Change" events of the game's service (stop on a crash loop).
 * Free signals only: no CloudWatch alarm is involved.
 *
 * Env (src/runtime/env.ts): GM_GAME (the failsafe's game view), GM_TOPIC_ARN.
 * Wiring only; the sequences are in flows.ts, the decisions in decide.ts.
 */
import { functionEnv } from '../shared/env';
import { systemClock, type Clock } from '../shared/poll';
import { RecentIds } from '../shared/recent-ids';
import { createTelemetry, type Telemetry } from '../shared/telemetry';
import { asError } from '../shared/transient';
import { handleEvent } from './flows';
import { LOG } from './messages';

export interface FailsafeOptions {
  /** Default: the system clock. */
  readonly clock?: Clock;
  /** Default: `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Default: a fresh `createTelemetry('failsafe')`. */
  readonly telemetry?: Telemetry;
}

/** Failure records remembered per container, to skip one delivered twice. */
const REMEMBERED_RECORDS = 200;

export function createHandler(options: FailsafeOptions = {}): (event: unknown) => Promise<void> {
  const telemetry = options.telemetry ?? createTelemetry('failsafe');
  const clock = options.clock ?? systemClock;
  const handled = new RecentIds(REMEMBERED_RECORDS);
  return async function failsafeHandler(event: unknown): Promise<void> {
    try {
      const env = functionEnv('failsafe', options.env ?? process.env);
      telemetry.forGame(env.GM_GAME.id);
      await handleEvent({ game: env.GM_GAME, topicArn: env.GM_TOPIC_ARN, telemetry, clock, handled }, event);
    } catch (e) {
      telemetry.logger.error(LOG.unfinished, { error: asError(e) });
      telemetry.count('FailsafeErrors');
      throw e;
    } finally {
      telemetry.flush();
    }
  };
}

export const handler = createHandler();
