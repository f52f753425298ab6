/**
 * The watchdog Lambda: run once a minute by the game's EventBridge schedule
 * (enabled only while the game's instance exists). Wires the environment,
 * the clock and the telemetry to `runWatchdog`.
 *
 * Env (src/runtime/env.ts): GM_GAME (the game's watchdog view, JSON) and
 * GM_TOPIC_ARN; AWS_REGION is set by Lambda and spelled out in the commands
 * alerts suggest. Anything unexpected makes the run fail (throws), logged and
 * counted: the function's failure destination is the failsafe, which stops
 * the server after three failed minutes.
 */
import { functionEnv } from '../shared/env';
import { systemClock, type Clock } from '../shared/poll';
import { createTelemetry } from '../shared/telemetry';
import { describeError } from '../shared/transient';
import { runWatchdog, type WatchdogOutcome } from './flows';
import { LOG } from './messages';

const telemetry = createTelemetry('watchdog');

export interface HandlerOptions {
  /** Time and waiting; tests pass a simulated clock so nothing sleeps. */
  readonly clock?: Clock;
  /** The environment to read (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
}

/** The schedule's event: it carries nothing the watchdog reads (the game is in the environment). */
function isScheduledEvent(event: unknown): boolean {
  const e = event as { source?: unknown; 'detail-type'?: unknown } | null | undefined;
  return typeof e === 'object' && e !== null && e.source === 'aws.events' && e['detail-type'] === 'Scheduled Event';
}

export function createHandler(options: HandlerOptions = {}): (event?: unknown) => Promise<WatchdogOutcome> {
  const clock = options.clock ?? systemClock;
  return async (event) => {
    try {
      const { GM_GAME: game, GM_TOPIC_ARN: topicArn } = functionEnv('watchdog', options.env);
      telemetry.forGame(game.id);
      if (!isScheduledEvent(event)) {
        // A test invoke or `gm lambda` with another event: nothing in it is read, so the run is the same.
        telemetry.logger.warn(LOG.unexpectedEvent, { eventType: event === null ? 'null' : typeof event });
        telemetry.count('UnexpectedEvents');
      }
      const region = (options.env ?? process.env).AWS_REGION;
      return await runWatchdog({ game, topicArn, ...(region ? { region } : {}), clock, telemetry });
    } catch (e) {
      telemetry.logger.error(LOG.runFailed, { error: describeError(e) });
      telemetry.count('RunFailures');
      throw e;
    } finally {
      telemetry.flush();
    }
  };
}

export const handler = createHandler();
