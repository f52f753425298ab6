/**
 * The failsafe's effectful sequences: read what the decision needs, decide
 * (decide.ts), act, say so. Every sequence is safe to repeat: a group already
 * at 0 is not stopped or announced again, a crash is counted once per task,
 * and a failure record already alerted in this container is skipped.
 *
 * Errors: AWS errors that outlast the SDK's retries are thrown, so Lambda
 * retries the event. An alert that cannot be published is thrown too when
 * nothing was changed (the retry repeats it cleanly), but not after a stop: a
 * retry would find the group at 0 and could no longer say why.
 */
import type { GameView } from '../../runtime/game';
import { parseWatchdogState } from '../../runtime/watchdog-state';
import type { GroupSnapshot } from '../../runtime/session';
import { describeGroup } from '../shared/auto-scaling';
import { publishNotice, type Notice } from '../shared/notices';
import { readParameter } from '../shared/parameters';
import type { RecentIds } from '../shared/recent-ids';
import type { Clock } from '../shared/poll';
import { step } from '../shared/steps';
import { requestStop } from '../shared/stop';
import type { Telemetry } from '../shared/telemetry';
import { asError } from '../shared/transient';
import { describeStoppedTasks, listStoppedTaskArns, newestLaunchTime, watchdogRuleState } from './aws';
import {
  classifyEvent,
  crashLoop,
  failureOrigin,
  hookAftermath,
  hookWorkOf,
  isCrash,
  isTaskOfService,
  minutesSince,
  runsUnwatched,
  servingInstance,
  shouldStopForSilentWatchdog,
  stateIsCurrent,
  watchdogSilentMinutes,
  type FailedInvocation,
  type FailureOrigin,
  type FunctionRole,
  type StoppedTask,
} from './decide';
import { crashLoopAlert, hookFailedAlert, LOG, otherFunctionFailedAlert, wakerFailedAlert, watchdogFailingAlert } from './messages';

export interface FailsafeContext {
  readonly game: GameView<'failsafe'>;
  readonly topicArn: string;
  readonly telemetry: Telemetry;
  readonly clock: Clock;
  readonly handled: RecentIds;
}

/** Metric counted for each failure record, by the function that failed. */
const FAILURE_METRIC: Record<FunctionRole, string> = {
  watchdog: 'WatchdogFailures',
  'instance-hook': 'InstanceHookFailures',
  waker: 'WakerFailures',
  unknown: 'OtherFunctionFailures',
};

export async function handleEvent(ctx: FailsafeContext, event: unknown): Promise<void> {
  const classified = classifyEvent(event);
  switch (classified.kind) {
    case 'failure':
      return onFailure(ctx, classified.failure);
    case 'task-stopped':
      return onTaskStopped(ctx, classified.task, classified.clusterArn);
    case 'skip':
      ctx.telemetry.logger.warn(LOG.skipped(classified.why));
      ctx.telemetry.count('SkippedEvents');
      return;
  }
}

// ---------------------------------------------------------------- failure records

async function onFailure(ctx: FailsafeContext, failure: FailedInvocation): Promise<void> {
  const { logger } = ctx.telemetry;
  if (failure.requestId && ctx.handled.has(failure.requestId)) {
    logger.info(LOG.duplicate(failure.requestId));
    ctx.telemetry.count('DuplicateRecords');
    return;
  }
  const origin = failureOrigin(failure, ctx.game.id);
  logger.warn(`function ${origin.name ?? origin.role} failed`, {
    role: origin.role,
    condition: failure.condition,
    error: failure.error,
    requestId: failure.requestId,
    attempts: failure.attempts,
  });
  ctx.telemetry.count(FAILURE_METRIC[origin.role]);

  if (!origin.ofThisGame) await alertOnly(ctx, otherFunctionFailedAlert(ctx.game.fqdn, origin, failure));
  else if (origin.role === 'watchdog') await onWatchdogFailure(ctx, failure);
  else if (origin.role === 'instance-hook') await onHookFailure(ctx, origin, failure);
  else if (origin.role === 'waker') await alertOnly(ctx, wakerFailedAlert(origin, failure));
  else await alertOnly(ctx, otherFunctionFailedAlert(ctx.game.fqdn, origin, failure));

  if (failure.requestId) ctx.handled.add(failure.requestId);
}

async function onWatchdogFailure(ctx: FailsafeContext, failure: FailedInvocation): Promise<void> {
  const { game, telemetry } = ctx;
  const group = await step('describe group', () => describeGroup(game.asgName));
  if (!group) {
    telemetry.logger.error(LOG.noGroup(game.asgName, game.id));
    return;
  }
  if (group.desiredCapacity === 0) {
    telemetry.logger.info(LOG.groupAtZero);
    return;
  }
  const now = new Date(ctx.clock.now());
  const stored = parseWatchdogState(await step('read watchdog state', () => readParameter(game.stateParameterName)));
  if (!stored.ok) {
    telemetry.logger.warn(LOG.stateUnusable(game.stateParameterName, stored.problem));
    telemetry.count('UnusableWatchdogState');
  }
  // A state written for an instance the group no longer has says nothing about the current one.
  let silentMinutes = stored.ok && stateIsCurrent(stored.value, group) ? watchdogSilentMinutes(stored.value, now) : undefined;
  if (silentMinutes === undefined) {
    const ids = group.instances.map((i) => i.instanceId);
    const launchedAt = await step('describe instances', () => newestLaunchTime(ids));
    if (launchedAt) silentMinutes = minutesSince(launchedAt, now);
  }
  if (!shouldStopForSilentWatchdog(silentMinutes)) {
    telemetry.logger.info(LOG.notSilentYet(silentMinutes));
    return;
  }
  await stopGame(ctx, group);
  await alertAfterStop(ctx, watchdogFailingAlert(game.fqdn, silentMinutes, failure.error));
}

/**
 * The instance hook failed for good: say so, and stop the game when an
 * instance serves while the watchdog is off (an instance must not run
 * unwatched — the hook that failed may be the one that would have switched it on).
 */
async function onHookFailure(ctx: FailsafeContext, origin: FailureOrigin, failure: FailedInvocation): Promise<void> {
  const { game, telemetry } = ctx;
  const work = hookWorkOf(failure.requestPayload);
  const group = await step('describe group', () => describeGroup(game.asgName));
  if (!group) telemetry.logger.error(LOG.noGroup(game.asgName, game.id));
  const instanceId = servingInstance(group);
  const rule = instanceId ? await step('describe watchdog rule', () => watchdogRuleState(game.watchdogRuleName)) : undefined;
  if (rule === 'missing') telemetry.logger.error(LOG.ruleMissing(game.watchdogRuleName));
  const alert = hookFailedAlert(game.fqdn, origin, work, failure, hookAftermath(group, instanceId, rule));
  if (runsUnwatched(instanceId, rule)) {
    await stopGame(ctx, group);
    await alertAfterStop(ctx, alert);
    return;
  }
  await alertOnly(ctx, alert);
}

// ---------------------------------------------------------------- ECS task stops

async function onTaskStopped(ctx: FailsafeContext, task: StoppedTask, clusterArn: string | undefined): Promise<void> {
  const { game, telemetry } = ctx;
  const { logger } = telemetry;
  if (!isTaskOfService(task, clusterArn, game.clusterName, game.serviceName)) {
    logger.debug(LOG.notOurTask, { taskArn: task.taskArn, group: task.group });
    return;
  }
  if (!isCrash(task)) {
    logger.debug(LOG.notACrash, { taskArn: task.taskArn, stopCode: task.stopCode, lastStatus: task.lastStatus });
    return;
  }
  logger.warn('game task crashed', { taskArn: task.taskArn, stopCode: task.stopCode, stoppedReason: task.stoppedReason, containers: task.containers });
  telemetry.count('TaskCrashes');
  const arns = await step('list stopped tasks', () => listStoppedTaskArns(game.clusterName, game.serviceName));
  const history = await step('describe stopped tasks', () => describeStoppedTasks(game.clusterName, arns));
  // The event's own task goes in too, in case ListTasks does not show it yet; ARNs are counted once.
  const verdict = crashLoop([task, ...history], new Date(ctx.clock.now()));
  if (!verdict.loop) {
    logger.info(LOG.noLoopYet(verdict.count));
    return;
  }
  const group = await step('describe group', () => describeGroup(game.asgName));
  if (!group) {
    logger.error(LOG.noGroup(game.asgName, game.id));
    return;
  }
  if (group.desiredCapacity === 0) {
    logger.info(LOG.loopAtZero);
    return;
  }
  await stopGame(ctx, group);
  await alertAfterStop(ctx, crashLoopAlert(game.fqdn, verdict));
}

// ---------------------------------------------------------------- acting

/** The shared stop rule, with the reason `failsafe` recorded in the watchdog state (for `gm status`). */
async function stopGame(ctx: FailsafeContext, group: GroupSnapshot | undefined): Promise<void> {
  const outcome = await step('stop game', () => requestStop(ctx.game, 'failsafe', new Date(ctx.clock.now()), undefined, group ? { group } : {}));
  ctx.telemetry.count('FailsafeStops');
  ctx.telemetry.logger.error(LOG.stopped(ctx.game.fqdn));
  if (outcome.result === 'stopping' && !outcome.recorded) ctx.telemetry.logger.warn(LOG.stopNotRecorded(outcome.problem));
}

/** After a stop: a failed publish is logged and counted, not thrown (see the header). */
async function alertAfterStop(ctx: FailsafeContext, alert: Notice): Promise<void> {
  try {
    await step('publish alert', () => publishNotice(ctx.topicArn, alert));
  } catch (e) {
    ctx.telemetry.count('AlertFailures');
    ctx.telemetry.logger.error(LOG.alertFailedAfterStop(ctx.topicArn), { error: asError(e), alert: alert.message });
  }
}

/** Nothing changed: a failed publish is thrown, so Lambda's retry repeats the whole (harmless) handling. */
async function alertOnly(ctx: FailsafeContext, alert: Notice): Promise<void> {
  try {
    await step('publish alert', () => publishNotice(ctx.topicArn, alert));
  } catch (e) {
    ctx.telemetry.count('AlertFailures');
    throw e;
  }
  ctx.telemetry.logger.info('alert published', { subject: alert.subject });
}
