/**
 * One invocation of the waker: read the batch, wake each game it names once,
 * record what happened. Each game is handled on its own: one failing game
 * never stops the others. AWS failures are thrown only after every game was
 * handled, so Lambda retries the batch; repeating it is harmless, because a
 * start claims the game's session (see src/lambdas/shared/session.ts).
 */
import type { FunctionEnv } from '../../runtime/env';
import type { WakeRoute } from '../../runtime/routes';
import { step } from '../shared/steps';
import type { Telemetry } from '../shared/telemetry';
import { asError, describeError, isTransientError } from '../shared/transient';
import { announce, startGame } from './aws';
import { mapWithConcurrency } from './concurrency';
import {
  failedOutcomes,
  lookupOf,
  matchRoutes,
  outcomeCounts,
  parseBatch,
  readSubscriptionEvent,
  wakeDelays,
  type GameMatch,
  type GameOutcome,
  type GameResult,
} from './decide';
import { batchFailure, LOG, missingGroup, startingNotice } from './messages';

/** At most this many games are started at once (the Auto Scaling and SSM APIs throttle per account and region). */
export const WAKE_CONCURRENCY = 4;

export interface WakerContext {
  readonly env: Readonly<FunctionEnv<'waker'>>;
  readonly routes: readonly WakeRoute[];
  readonly telemetry: Telemetry;
  /** The invocation's time (the session's `startedAt`). */
  readonly now: Date;
}

export interface WakeBatchSummary {
  /** `DATA_MESSAGE`, `CONTROL_MESSAGE`, or `unreadable` for an event that is not a subscription payload. */
  readonly messageType: string;
  readonly lines: number;
  readonly malformed: number;
  /** Game id → what happened to it. */
  readonly games: Readonly<Record<string, GameResult>>;
  /** Why the event was skipped, when it was. */
  readonly problem?: string;
}

/** Hands the batch back to Lambda: some game could not be woken. */
export class WakeFailedError extends Error {
  readonly games: readonly string[];

  constructor(failed: ReturnType<typeof failedOutcomes>) {
    super(batchFailure(failed));
    // Set explicitly: a minified bundle renames the class, and Lambda reports `name` as the error type.
    this.name = 'WakeFailedError';
    this.games = failed.map((f) => f.game);
  }
}

export async function handleEvent(event: unknown, context: WakerContext): Promise<WakeBatchSummary> {
  const { telemetry } = context;
  try {
    const reading = await step('decode payload', async () => readSubscriptionEvent(event));
    if (!reading.ok) {
      // Skipped, not thrown: Lambda's retry would fail the same way.
      telemetry.logger.error(LOG.malformedEvent, { problem: reading.problem });
      telemetry.count('MalformedEvents');
      return { messageType: 'unreadable', lines: 0, malformed: 0, games: {}, problem: reading.problem };
    }
    const { payload } = reading;
    if (payload.messageType !== 'DATA_MESSAGE') {
      telemetry.logger.debug(LOG.controlMessage, { messageType: payload.messageType });
      return { messageType: payload.messageType, lines: 0, malformed: 0, games: {} };
    }

    const batch = parseBatch(payload.logEvents);
    if (batch.malformed > 0) {
      telemetry.logger.warn(LOG.malformedLines, { malformed: batch.malformed, lines: payload.logEvents.length, example: batch.malformedExample });
    }
    const matches = matchRoutes(batch.lines, context.routes);
    const outcomes = await mapWithConcurrency(matches, WAKE_CONCURRENCY, (match) => wakeGame(match, context));
    for (const outcome of outcomes) logOutcome(outcome, context);
    for (const { name, value, game } of outcomeCounts(outcomes, batch.malformed)) telemetry.count(name, value, game);
    // The first phase of a start: the query log's delivery and this function's work. Once per start: only the wake that claimed the session measures it.
    for (const { game, seconds } of wakeDelays(outcomes)) telemetry.measure('LookupToWakeSeconds', 'Seconds', seconds, game);

    const failed = failedOutcomes(outcomes);
    if (failed.length > 0) throw new WakeFailedError(failed);
    return {
      messageType: payload.messageType,
      lines: payload.logEvents.length,
      malformed: batch.malformed,
      games: Object.fromEntries(outcomes.map((o) => [o.game, o.result])),
    };
  } finally {
    telemetry.flush();
  }
}

async function wakeGame(match: GameMatch, context: WakerContext): Promise<GameOutcome> {
  const game = match.route.id;
  let start;
  try {
    start = await startGame(match.route, { source: 'lookup', ...lookupOf(match), now: context.now }, context.env.GM_GAME_REGION);
  } catch (e) {
    return { game, result: 'failed', match, error: asError(e) };
  }
  switch (start.result) {
    case 'started':
      // The game is starting whatever happens to the notice: a failed publish must not fail (and retry) the wake,
      // and a retry could not announce it anyway (it finds the game up).
      try {
        await announce(context.env.GM_TOPIC_ARN, startingNotice(match));
        return { game, result: 'started', match, session: start.session };
      } catch (e) {
        return { game, result: 'started', match, session: start.session, noticeError: asError(e) };
      }
    case 'deferred':
      return { game, result: 'deferred', match, stopping: start.group.instances };
    case 'already-up':
    case 'missing':
      return { game, result: start.result, match };
  }
}

function logOutcome(outcome: GameOutcome, context: WakerContext): void {
  const { logger } = context.telemetry;
  const { game, match } = outcome;
  const where = {
    game,
    asgName: match.route.asgName,
    query: { name: match.first.queryName, type: match.first.queryType, at: match.first.timestamp, edge: match.first.edgeLocation, count: match.count },
  };
  switch (outcome.result) {
    case 'started':
      logger.info(LOG.started, { ...where, startedAt: outcome.session.startedAt });
      if (outcome.noticeError) {
        logger.error(LOG.noticeFailed, { ...where, topicArn: context.env.GM_TOPIC_ARN, error: describeError(outcome.noticeError) });
      }
      return;
    case 'already-up':
      logger.debug(LOG.alreadyUp, where);
      return;
    case 'deferred':
      logger.info(LOG.deferred, { ...where, stopping: outcome.stopping.map((i) => `${i.instanceId} ${i.lifecycleState}`) });
      return;
    case 'missing':
      logger.error(missingGroup(outcome, context.env.GM_GAME_REGION), where);
      return;
    case 'failed':
      logger.error(LOG.failed, { ...where, error: describeError(outcome.error), transient: isTransientError(outcome.error) });
      return;
  }
}
