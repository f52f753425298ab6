/**
 * Instance hook: EventBridge delivers the game's Auto Scaling lifecycle
 * actions (launch / terminate), its failed launches, and EC2 spot
 * interruption warnings here. Wiring only: environment, telemetry, the event's
 * meaning (decide.ts) and the flow that acts on it (flows.ts).
 *
 * Env (src/runtime/env.ts): GM_GAME (the game's instance-hook view, JSON), GM_TOPIC_ARN.
 */
import type { Context } from 'aws-lambda';
import { functionEnv } from '../shared/env';
import { systemClock, type Clock } from '../shared/poll';
import { createTelemetry } from '../shared/telemetry';
import { describeError } from '../shared/transient';
import { classify } from './decide';
import { DEFAULT_TIMING, runEvent, type HookOutcome, type HookTiming } from './flows';
import { FAILED_LOG } from './messages';

export interface HandlerOptions {
  /** The environment to read (default: process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** Time, so tests never sleep. */
  readonly clock?: Clock;
  readonly timing?: Partial<HookTiming>;
}

export function createHandler(options: HandlerOptions = {}): (event: unknown, context?: Context) => Promise<HookOutcome> {
  const clock = options.clock ?? systemClock;
  const timing: HookTiming = { ...DEFAULT_TIMING, ...options.timing };
  const telemetry = createTelemetry('instance-hook');
  const { logger } = telemetry;

  return async (event, context) => {
    // Checked once per cold start; a broken environment fails every invocation with the same sentence.
    const { GM_GAME: game, GM_TOPIC_ARN: topicArn } = functionEnv('instance-hook', options.env ?? process.env);
    telemetry.forGame(game.id);
    if (context) logger.addContext(context);

    const hookEvent = classify(event, game);
    try {
      if (hookEvent.kind === 'skip') {
        if (hookEvent.malformed) {
          telemetry.count('EventSkipped');
          logger.warn('event skipped: not one the hook handles', { reason: hookEvent.reason, instanceId: hookEvent.instanceId });
        } else {
          logger.info('event ignored', { reason: hookEvent.reason, instanceId: hookEvent.instanceId });
        }
        return { kind: 'ignore', reason: hookEvent.reason, ...(hookEvent.instanceId ? { instanceId: hookEvent.instanceId } : {}) };
      }
      logger.info('handling event', { event: hookEvent });
      const outcome = await runEvent(hookEvent, { game, topicArn, clock, timing, telemetry });
      logger.info('event handled', { outcome });
      return outcome;
    } catch (e) {
      telemetry.count('HookFailed');
      logger.error(FAILED_LOG, { event: hookEvent, error: describeError(e) });
      throw e;
    } finally {
      telemetry.flush();
    }
  };
}

export const handler = createHandler();
