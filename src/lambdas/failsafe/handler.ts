/**
 * Failsafe for one game: stops the game's Auto Scaling group when the
 * watchdog keeps failing (its failure-destination records) or the game task
 * crash-loops (ECS task state change events), and says so on the alerts
 * topic. Free signals only: no CloudWatch alarm is involved.
 *
 * Env: GM_GAME (JSON RuntimeGame), GM_TOPIC_ARN (alerts topic).
 * AWS errors (throttling included, after the SDK's own retries) are thrown so
 * Lambda retries the asynchronous event; every path is safe to repeat because
 * a group already at 0 is left alone and not announced again.
 */
import { readJsonEnv, requireEnv, type RuntimeGame } from '../../runtime/contract';
import { describeGroup, listStoppedTasks, newestLaunchTime, publishAlert, readParameter, stopGroup } from './aws';
import { classifyEvent, stoppedTaskFromDetail, type EcsTaskStateChangeDetail, type WatchdogFailureRecord } from './events';
import {
  crashLoop,
  crashLoopAlert,
  isCrash,
  isTaskOfService,
  minutesSince,
  parseWatchdogState,
  shouldStopForSilentWatchdog,
  watchdogFailingAlert,
  watchdogSilentMinutes,
  type Alert,
} from './logic';
import { countForGame, flushMetrics, logger } from './telemetry';

export async function handler(event: unknown): Promise<void> {
  const game = readJsonEnv<RuntimeGame>('GM_GAME');
  const topicArn = requireEnv('GM_TOPIC_ARN');
  logger.appendKeys({ game: game.id });
  try {
    const classified = classifyEvent(event);
    switch (classified.kind) {
      case 'watchdog-failure':
        await onWatchdogFailure(game, topicArn, classified.record);
        break;
      case 'ecs-task':
        await onTaskStateChange(game, topicArn, classified.detail);
        break;
      case 'unknown':
        logger.warn(`ignored an event the failsafe does not handle: ${classified.why}`);
        break;
    }
  } finally {
    flushMetrics();
  }
}

async function onWatchdogFailure(game: RuntimeGame, topicArn: string, record: WatchdogFailureRecord): Promise<void> {
  const errorMessage = record.responsePayload?.errorMessage;
  logger.warn('watchdog invocation failed', { condition: record.requestContext.condition, errorMessage, requestId: record.requestContext.requestId });
  const group = await describeGroup(game.asgName);
  if (!group) {
    logger.error(`Auto Scaling group ${game.asgName} not found; nothing to stop. Check the deployment of game ${game.id}.`);
    return;
  }
  if (group.desiredCapacity === 0) {
    logger.info('group already at 0; nothing to do');
    return;
  }
  const now = new Date();
  const state = parseWatchdogState(await readParameter(game.stateParameterName));
  // A state written for an instance the group no longer has says nothing about the current one.
  const stateIsCurrent = state !== undefined && (group.instanceIds.length === 0 || group.instanceIds.includes(state.instanceId));
  let silentMinutes = stateIsCurrent ? watchdogSilentMinutes(state, now) : undefined;
  if (silentMinutes === undefined) {
    const launchedAt = await newestLaunchTime(group.instanceIds);
    if (launchedAt) silentMinutes = minutesSince(launchedAt, now);
  }
  if (!shouldStopForSilentWatchdog(silentMinutes)) {
    logger.info(`watchdog silent for ${silentMinutes?.toFixed(1)} min; not stopping yet`);
    return;
  }
  await stopAndAlert(game, topicArn, watchdogFailingAlert(game.fqdn, silentMinutes, errorMessage));
}

async function onTaskStateChange(game: RuntimeGame, topicArn: string, detail: EcsTaskStateChangeDetail): Promise<void> {
  const task = stoppedTaskFromDetail(detail);
  if (!task || !isTaskOfService(task, detail.clusterArn, game.clusterName, game.serviceName)) {
    logger.debug('task state change of another task or service; ignored', { taskArn: detail.taskArn, group: detail.group });
    return;
  }
  if (!isCrash(task)) {
    logger.debug('task stop is not a crash', { taskArn: task.taskArn, stopCode: task.stopCode, lastStatus: task.lastStatus });
    return;
  }
  logger.warn('game task crashed', { taskArn: task.taskArn, stopCode: task.stopCode, stoppedReason: task.stoppedReason, containers: task.containers });
  // The event's own task goes in too, in case ListTasks does not show it yet; ARNs are counted once.
  const verdict = crashLoop([task, ...(await listStoppedTasks(game.clusterName, game.serviceName))], new Date());
  if (!verdict.loop) {
    logger.info(`${verdict.count} crash(es) in the window; not a crash loop yet`);
    return;
  }
  const group = await describeGroup(game.asgName);
  if (!group) {
    logger.error(`Auto Scaling group ${game.asgName} not found; nothing to stop. Check the deployment of game ${game.id}.`);
    return;
  }
  if (group.desiredCapacity === 0) {
    logger.info('crash loop, but the group is already at 0; nothing to do');
    return;
  }
  await stopAndAlert(game, topicArn, crashLoopAlert(game.fqdn, verdict));
}

async function stopAndAlert(game: RuntimeGame, topicArn: string, alert: Alert): Promise<void> {
  await stopGroup(game.asgName);
  countForGame('FailsafeStops', game.id);
  logger.error(`failsafe stopped ${game.fqdn}`, { alert: alert.message });
  try {
    await publishAlert(topicArn, alert);
  } catch (e) {
    // Not thrown: the stop is done, and a retried event would find the group at 0 and stay silent anyway.
    countForGame('AlertFailures', game.id);
    logger.error(`could not publish the failsafe alert to ${topicArn}; the game is stopped regardless`, { error: e as Error, alert: alert.message });
  }
}
