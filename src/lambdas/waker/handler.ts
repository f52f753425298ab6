/**
 * Waker: invoked by the subscription filter on the zone's Route53 query-log
 * group (us-east-1). Wires the event, the environment and the AWS clients to
 * logic.ts / wake.ts / retry.ts; decisions live there.
 */
import {
  DescribeAutoScalingGroupsCommand,
  SetDesiredCapacityCommand,
} from '@aws-sdk/client-auto-scaling';
import { PublishCommand } from '@aws-sdk/client-sns';
import type { CloudWatchLogsEvent } from 'aws-lambda';
import { step } from '../shared/steps';
import { autoScalingClientFor, snsClientFor } from './clients';
import { readWakerConfig, type WakerConfig } from './config';
import { decodeLogsPayload, matchGames, parseBatch, type GroupSnapshot } from './logic';
import { batchRetryError } from './retry';
import { logger, publishMetrics } from './telemetry';
import { outcomeMetrics, wakeGames, type GameOutcome, type WakePorts } from './wake';

export interface WakeBatchSummary {
  readonly messageType: string;
  readonly lines: number;
  readonly malformed: number;
  /** Game id → what happened to it. */
  readonly games: Readonly<Record<string, GameOutcome['result']>>;
}

export const handler = async (event: CloudWatchLogsEvent): Promise<WakeBatchSummary> => {
  const config = readWakerConfig(process.env);
  const data: unknown = event?.awslogs?.data;
  if (typeof data !== 'string') {
    throw new Error('event has no awslogs.data string; the waker must be invoked by a CloudWatch Logs subscription filter');
  }
  const payload = await step('decode payload', async () => decodeLogsPayload(data));
  if (payload.messageType !== 'DATA_MESSAGE') {
    // CONTROL_MESSAGE: CloudWatch Logs checking that the destination is reachable; it carries no queries.
    logger.debug('ignored a non-data message', { messageType: payload.messageType });
    return { messageType: payload.messageType, lines: 0, malformed: 0, games: {} };
  }

  const batch = parseBatch(payload.logEvents.map((e) => e.message));
  if (batch.malformed > 0) {
    logger.warn('skipped query-log lines that are not in the Route53 format', {
      malformed: batch.malformed,
      lines: payload.logEvents.length,
      example: batch.malformedExample,
    });
  }

  const matches = [...matchGames(batch.lines, config.targets).values()];
  const outcomes = await wakeGames(matches, awsPorts(config));
  outcomes.forEach((outcome) => logOutcome(outcome, config));
  publishMetrics(outcomeMetrics(outcomes, batch.malformed));

  // Thrown only after every game was handled, so games woken in this attempt are at 1 when Lambda retries the batch.
  const retry = batchRetryError(outcomes);
  if (retry) throw retry;
  return {
    messageType: payload.messageType,
    lines: payload.logEvents.length,
    malformed: batch.malformed,
    games: Object.fromEntries(outcomes.map((o) => [o.gameId, o.result])),
  };
};

function awsPorts(config: WakerConfig): WakePorts {
  const autoScaling = autoScalingClientFor(config.gameRegion);
  return {
    describeGroup: (asgName) =>
      step(`describe ${asgName}`, async () => {
        const out = await autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [asgName] }));
        const group = out.AutoScalingGroups?.find((g) => g.AutoScalingGroupName === asgName);
        if (!group) return undefined;
        const snapshot: GroupSnapshot = {
          desiredCapacity: group.DesiredCapacity ?? 0,
          instances: (group.Instances ?? []).map((i) => ({ instanceId: i.InstanceId ?? '', lifecycleState: i.LifecycleState ?? '' })),
        };
        return snapshot;
      }),
    setDesiredCapacityToOne: (asgName) =>
      step(`scale ${asgName} to 1`, async () => {
        // HonorCooldown false: a player is waiting, and a cooldown from the last stop must not delay the start.
        await autoScaling.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: asgName, DesiredCapacity: 1, HonorCooldown: false }));
      }),
    notify: (notice) =>
      step('notify', async () => {
        await snsClientFor(config.topicRegion).send(
          new PublishCommand({ TopicArn: config.topicArn, Subject: notice.subject, Message: notice.message }),
        );
      }),
  };
}

function logOutcome(outcome: GameOutcome, config: WakerConfig): void {
  const { gameId: game, match } = outcome;
  const asgName = match.target.asgName;
  const query = { name: match.first.queryName, type: match.first.queryType, edge: match.first.edgeLocation, count: match.count };
  switch (outcome.result) {
    case 'woken':
      logger.info('woke game', { game, asgName, query });
      if (outcome.notifyError) {
        logger.error('the game is starting, but the "starting" notice could not be published', {
          game,
          topicArn: config.topicArn,
          error: outcome.notifyError,
        });
      }
      return;
    case 'already-up':
      logger.debug('game already up or starting', { game, asgName });
      return;
    case 'terminating':
      logger.warn('wake deferred: the previous host is still stopping; the batch is handed back to Lambda, whose retry wakes the game once it is gone', {
        game,
        asgName,
        blocking: outcome.blocking,
      });
      return;
    case 'missing':
      logger.error(
        `Auto Scaling group ${asgName} of game ${game} does not exist in ${config.gameRegion}; ` +
          'check GM_GAMES and GM_GAME_REGION of the waker against the deployed stack',
        { game, asgName },
      );
      return;
    case 'failed':
      logger.error('could not wake game', { game, asgName, error: outcome.error });
      return;
  }
}
