/**
 * The watchdog Lambda: run once a minute by the game's EventBridge schedule
 * (enabled only while the game's instance exists). Wires the AWS clients and
 * the environment to `runWatchdog`.
 *
 * Env: GM_GAME (JSON RuntimeGame), GM_TOPIC_ARN (SNS alerts topic), and
 * AWS_REGION (set by Lambda; spelled out in the commands the alerts suggest).
 * Anything unexpected makes the run fail (throws): the function's failure
 * destination is the failsafe that stops the server after 3 failed minutes.
 */
import { SetDesiredCapacityCommand } from '@aws-sdk/client-auto-scaling';
import { DisableRuleCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand } from '@aws-sdk/client-sns';
import { GetParameterCommand, ParameterType, PutParameterCommand } from '@aws-sdk/client-ssm';
import { readJsonEnv, requireEnv, type RuntimeGame } from '../../runtime/contract';
import { step } from '../shared/steps';
import * as clients from './clients';
import { gameContainerRunning } from './game-container';
import { describeGroup } from './instance';
import { runWatchdog, type WatchdogOutcome, type WatchdogPorts } from './logic';
import { runProbe } from './probes/run-probe';
import { flushMetrics, logger, recordMetric } from './telemetry';

export function awsPorts(game: RuntimeGame, topicArn: string): WatchdogPorts {
  return {
    describeGroup: () => describeGroup(clients.autoScaling(), clients.ec2(), game.asgName),
    readState: () => step('read-state', async () => {
      try {
        const out = await clients.ssm().send(new GetParameterCommand({ Name: game.stateParameterName }));
        return out.Parameter?.Value;
      } catch (e) {
        if ((e as Error).name === 'ParameterNotFound') return undefined;
        throw e;
      }
    }),
    writeState: async (json) => {
      await step('write-state', () => clients.ssm().send(new PutParameterCommand({
        Name: game.stateParameterName, Value: json, Type: ParameterType.STRING, Overwrite: true,
      })));
    },
    disableSchedule: async () => {
      await step('disable-schedule', () => clients.eventBridge().send(new DisableRuleCommand({ Name: game.watchdogRuleName })));
    },
    gameContainerRunning: () => gameContainerRunning(clients.ecs(), game.clusterName, game.serviceName),
    probe: (instance, now) => step(`probe-${game.probe.type}`, () => runProbe(game, instance, clients, now)),
    scaleToZero: async () => {
      await step('scale-to-zero', () => clients.autoScaling().send(new SetDesiredCapacityCommand({
        AutoScalingGroupName: game.asgName, DesiredCapacity: 0, HonorCooldown: false,
      })));
    },
    publish: async ({ subject, message }) => {
      await step('notify', () => clients.sns().send(new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: message })));
    },
    metric: (name, value) => recordMetric(game.id, name, value),
    log: {
      info: (message, details) => logger.info(message, { game: game.id, ...details }),
      warn: (message, details) => logger.warn(message, { game: game.id, ...details }),
    },
  };
}

/** The schedule's event carries nothing the watchdog needs: the game is in the environment. */
export const handler = async (_event?: unknown): Promise<WatchdogOutcome> => {
  const game = readJsonEnv<RuntimeGame>('GM_GAME');
  const topicArn = requireEnv('GM_TOPIC_ARN');
  try {
    return await runWatchdog(game, awsPorts(game, topicArn), new Date(), process.env.AWS_REGION);
  } catch (e) {
    logger.error('watchdog run failed', { game: game.id, error: e as Error });
    throw e;
  } finally {
    flushMetrics();
  }
};
