/**
 * What the hook does for each kind of event. Events arrive at least once, late
 * and out of order, and another instance may come or go while a flow waits, so
 * every flow looks at the group again right before each write that touches
 * what the game shares (service, records, watchdog, session, notices), and
 * every step is safe to repeat.
 */
import { RECORD_TTL_SECONDS, PLACEHOLDER_IPV4, PLACEHOLDER_IPV6 } from '../../runtime/dns';
import { SessionSchema, isServing, worldHeld, type GroupSnapshot, type Session } from '../../runtime/session';
import { parseStored, parseWatchdogState, type WatchdogState } from '../../runtime/watchdog-state';
import { describeGroup, setDesiredCapacity } from '../shared/auto-scaling';
import { requestStop } from '../shared/stop';
import { publishNotice, type Notice } from '../shared/notices';
import { deleteParameter, readParameter, writeParameter } from '../shared/parameters';
import { pollUntil, type Clock } from '../shared/poll';
import { endSession, writeSession, type StartOutcome } from '../shared/session';
import { step } from '../shared/steps';
import type { Telemetry } from '../shared/telemetry';
import { describeError, isTransientError } from '../shared/transient';
import {
  changeRecords,
  completeLifecycleAction,
  containerInstancesOf,
  describeInstance,
  disableWatchdog,
  enableWatchdog,
  setContainerInstancesState,
  setOnDemandBase,
  startService,
  stopService,
  unexitedTasksOn,
  type InstanceFacts,
} from './aws';
import {
  bootSeconds,
  drainTimeoutMs,
  freshWatchdogState,
  keepsStoredState,
  launchFailurePlan,
  leavingRole,
  otherServes,
  recordChanges,
  servesNow,
  servingSince,
  sessionEndsHere,
  sessionWithFailure,
  spotPlan,
  stopPhaseSeconds,
  stoppedNoticeDue,
  withInstanceRunning,
  withStopTimes,
  type StopTimes,
  type HookEvent,
  type HookGame,
  type LaunchFailure,
  type LaunchFailurePlan,
  type LeavingRole,
  type LifecycleAction,
  type StoredSession,
} from './decide';
import {
  drainTimedOutLog,
  gaveUpNotice,
  launchFailedNotice,
  publicAddressMissingLog,
  restartNotice,
  spotNotice,
  stoppedNotice,
} from './messages';

/** Bounds of the waits; together they stay well inside the function's timeout. */
export interface HookTiming {
  /** How long a launch waits for the instance's public address. */
  readonly addressWaitMs: number;
  readonly addressPollMs: number;
  /** Added to the game's stop timeout for its task to be reported stopped. */
  readonly drainGraceMs: number;
  /** Upper bound of the drain wait whatever the stop timeout says. */
  readonly drainWaitMaxMs: number;
  readonly drainPollMs: number;
  /** How long the end of a stop waits for Auto Scaling to list the instance past its terminate hook. */
  readonly releaseWaitMs: number;
  readonly releasePollMs: number;
}

export const DEFAULT_TIMING: HookTiming = {
  addressWaitMs: 120_000,
  addressPollMs: 3_000,
  drainGraceMs: 30_000,
  drainWaitMaxMs: 220_000,
  drainPollMs: 5_000,
  releaseWaitMs: 15_000,
  releasePollMs: 3_000,
};

/** Every metric the hook publishes (namespace GameManagement, dimension game), only when it happened. */
export type HookMetric =
  | 'InstanceLaunched'
  | 'InstanceStopped'
  | 'InstanceReplaced'
  | 'RestartedAfterStop'
  | 'SpotInterruption'
  | 'LaunchFailed'
  | 'OnDemandFallback'
  | 'LaunchGaveUp'
  | 'PublicAddressMissing'
  | 'DrainTimedOut'
  | 'EventSkipped'
  | 'StaleEvent'
  | 'DuplicateEvent'
  | 'StateUnreadable'
  | 'TransientError'
  | 'NoticeFailed'
  | 'SessionWriteFailed'
  | 'StopNotRecorded'
  | 'TimelineNotRecorded'
  | 'HookFailed';

export interface FlowContext {
  readonly game: HookGame;
  readonly topicArn: string;
  readonly clock: Clock;
  readonly timing: HookTiming;
  readonly telemetry: Telemetry;
}

export type LifecycleOutcome = 'completed' | 'already-done';
export type DnsOutcome = 'updated' | 'placeholder' | 'unchanged';

/** A summary of what was done, returned by the handler and logged. */
export type HookOutcome =
  | {
      readonly kind: 'launch';
      readonly instanceId: string;
      readonly started: boolean;
      readonly dns: DnsOutcome;
      readonly lifecycle: LifecycleOutcome;
    }
  | {
      readonly kind: 'terminate';
      readonly instanceId: string;
      readonly role: LeavingRole;
      readonly dns: DnsOutcome;
      readonly lifecycle: LifecycleOutcome;
      readonly notified: boolean;
      readonly restarted: boolean;
    }
  /** `left-to-heartbeat`: not completed on purpose; Auto Scaling continues after the hook's heartbeat timeout. */
  | { readonly kind: 'warm-pool'; readonly instanceId: string; readonly lifecycle: LifecycleOutcome | 'left-to-heartbeat' }
  | { readonly kind: 'spot'; readonly instanceId: string; readonly action: 'relaunch' | 'stop' | 'none'; readonly notified: boolean }
  | { readonly kind: 'launch-failed'; readonly action: LaunchFailurePlan['action'] | 'stale'; readonly failures?: number }
  | { readonly kind: 'ignore'; readonly reason: string; readonly instanceId?: string };

export async function runEvent(event: Exclude<HookEvent, { kind: 'skip' }>, ctx: FlowContext): Promise<HookOutcome> {
  switch (event.kind) {
    case 'launch':
      return launch(event.instanceId, event.action, event.time, ctx);
    case 'terminate':
      return terminate(event.instanceId, event.action, ctx);
    case 'warm-pool':
      if (event.intoPool) {
        // Auto Scaling stops a warming instance as soon as its launch action completes, user data or not:
        // left to the heartbeat timeout (result CONTINUE), its first boot finishes pulling the game's image
        // (the host's boot program does it in the foreground), so the first warm start downloads nothing.
        ctx.telemetry.logger.info('instance entering the warm pool: its first boot pulls the image; the action continues at the heartbeat timeout', { instanceId: event.instanceId });
        return { kind: 'warm-pool', instanceId: event.instanceId, lifecycle: 'left-to-heartbeat' };
      }
      return { kind: 'warm-pool', instanceId: event.instanceId, lifecycle: await complete(event.action) };
    case 'spot':
      return spot(event.instanceId, ctx);
    case 'launch-failed':
      return launchFailed(event.failure, ctx);
  }
}

// ---------------------------------------------------------------- helpers

function count(ctx: FlowContext, metric: HookMetric): void {
  ctx.telemetry.count(metric);
}

function now(ctx: FlowContext): Date {
  return new Date(ctx.clock.now());
}

/** The group as Auto Scaling lists it now; undefined when it does not exist. */
function describe(ctx: FlowContext): Promise<GroupSnapshot | undefined> {
  return step('describe group', () => describeGroup(ctx.game.asgName));
}

function complete(action: LifecycleAction): Promise<LifecycleOutcome> {
  return step('complete lifecycle action', () => completeLifecycleAction(action));
}

/** Completes the action of a flow that ran to its end; a repeated event finds it done already. */
async function completeOwn(action: LifecycleAction, ctx: FlowContext): Promise<LifecycleOutcome> {
  const lifecycle = await complete(action);
  if (lifecycle === 'already-done') {
    count(ctx, 'DuplicateEvent');
    ctx.telemetry.logger.info('lifecycle action already completed: a repeated or retried event; every step above repeated harmlessly', {
      instanceId: action.instanceId,
    });
  }
  return lifecycle;
}

function onTransient(ctx: FlowContext, what: string): (e: Error) => void {
  return (e) => {
    count(ctx, 'TransientError');
    ctx.telemetry.logger.warn(`${what} failed for now; trying again`, { error: describeError(e) });
  };
}

async function readWatchdogState(ctx: FlowContext): Promise<WatchdogState | undefined> {
  const raw = await step('read watchdog state', () => readParameter(ctx.game.stateParameterName));
  const parsed = parseWatchdogState(raw);
  if (parsed.ok) return parsed.value;
  if (raw !== undefined) {
    count(ctx, 'StateUnreadable');
    ctx.telemetry.logger.warn('watchdog state unreadable; treated as none', { parameter: ctx.game.stateParameterName, problem: parsed.problem });
  }
  return undefined;
}

async function readStoredSession(ctx: FlowContext): Promise<StoredSession> {
  const raw = await step('read session', () => readParameter(ctx.game.sessionParameterName));
  if (raw === undefined) return { kind: 'none' };
  const parsed = parseStored(SessionSchema, raw);
  if (parsed.ok) return { kind: 'session', session: parsed.value };
  count(ctx, 'StateUnreadable');
  ctx.telemetry.logger.warn('session unreadable; the session is taken as live with nothing recorded', {
    parameter: ctx.game.sessionParameterName,
    problem: parsed.problem,
  });
  return { kind: 'unreadable', problem: parsed.problem };
}

/** The session whose start a launch serves, for its timeline only: unreadable, the launch goes on without it. */
async function readSessionForTimeline(ctx: FlowContext): Promise<Session | undefined> {
  try {
    const stored = await readStoredSession(ctx);
    return stored.kind === 'session' ? stored.session : undefined;
  } catch (e) {
    // A passing AWS hiccup costs only the timeline; anything else (a missing permission) is worth failing for.
    if (!isTransientError(e)) throw e;
    count(ctx, 'TransientError');
    ctx.telemetry.logger.warn('could not read the session; the start timeline of this launch lacks the wake', { error: describeError(e) });
    return undefined;
  }
}

/** A session write whose loss costs at most a repeated notice: failing it must not fail the flow. */
async function writeSessionQuietly(ctx: FlowContext, session: Parameters<typeof writeSession>[1], what: string): Promise<void> {
  try {
    await step('write session', () => writeSession(ctx.game, session));
  } catch (e) {
    count(ctx, 'SessionWriteFailed');
    ctx.telemetry.logger.warn(`could not record ${what} in the session; a retry may repeat the notice`, { error: describeError(e) });
  }
}

async function publish(ctx: FlowContext, name: string, notice: Notice): Promise<void> {
  await step(`publish ${name} notice`, () => publishNotice(ctx.topicArn, notice));
}

/** Sets the service to no task (the game saves and exits); a missing service has nothing to stop. */
async function stopGameService(ctx: FlowContext): Promise<void> {
  if ((await step('stop game service', () => stopService(ctx.game))) === 'missing') {
    ctx.telemetry.logger.warn('the cluster or service does not exist; nothing to stop', { cluster: ctx.game.clusterName, service: ctx.game.serviceName });
  }
}

function placeholderBatch(game: HookGame, why: string) {
  return recordChanges(game.fqdn, PLACEHOLDER_IPV4, game.ipv6 ? PLACEHOLDER_IPV6 : undefined, RECORD_TTL_SECONDS, why);
}

/**
 * Drains this instance only: its container instance goes DRAINING, so ECS
 * stops the tasks on it (SIGTERM, the stop timeout to save) and places the
 * service's task elsewhere if the service still wants one. A newer
 * instance's task is never touched. Returns the container instances drained.
 */
async function drainInstance(instanceId: string, ctx: FlowContext): Promise<string[]> {
  const arns = await step('list container instances', () => containerInstancesOf(ctx.game, instanceId));
  if (arns.length === 0) {
    ctx.telemetry.logger.info('no container instance registered for the instance; no task to drain', { instanceId });
    return [];
  }
  const refused = await step('drain container instance', () => setContainerInstancesState(ctx.game, arns, 'DRAINING'));
  if (refused.length > 0) ctx.telemetry.logger.warn('ECS did not drain every container instance', { instanceId, refused });
  return arns;
}

/**
 * Writes a time of the timeline into the watchdog state (`change` returns
 * undefined when there is nothing to write) and measures it once: only the
 * write that records it measures it, so a repeated event adds nothing. A
 * failure costs only the timeline, never the launch or the stop.
 */
async function recordTimeline(ctx: FlowContext, what: string, change: (state: WatchdogState | undefined) => WatchdogState | undefined, measure: (state: WatchdogState) => void): Promise<void> {
  try {
    const updated = change(await readWatchdogState(ctx));
    if (!updated) return;
    await step('write watchdog state', () => writeParameter(ctx.game.stateParameterName, JSON.stringify(updated)));
    measure(updated);
  } catch (e) {
    count(ctx, isTransientError(e) ? 'TransientError' : 'TimelineNotRecorded');
    ctx.telemetry.logger.warn(`could not record ${what} in the watchdog state; the start and stop go on without it`, { error: describeError(e) });
  }
}

/** Waits (bounded) until the drained tasks have exited, i.e. the world is saved; true once they have. */
async function waitForTasksToExit(arns: readonly string[], ctx: FlowContext): Promise<boolean> {
  if (arns.length === 0) return true;
  const { game, timing } = ctx;
  const timeoutMs = drainTimeoutMs(game.stopTimeoutSeconds, timing.drainGraceMs, timing.drainWaitMaxMs);
  const wait = await step('wait for game task to stop', () =>
    pollUntil(() => unexitedTasksOn(game, arns), (n) => n === 0, {
      clock: ctx.clock,
      timeoutMs,
      intervalMs: timing.drainPollMs,
      onTransientError: onTransient(ctx, 'listing the tasks'),
    }),
  );
  if (!wait.done) {
    count(ctx, 'DrainTimedOut');
    ctx.telemetry.logger.error(drainTimedOutLog(timeoutMs), { tasksStillRunning: wait.last ?? null });
  }
  return wait.done;
}

// ---------------------------------------------------------------- launch

async function launch(instanceId: string, action: LifecycleAction, time: string | undefined, ctx: FlowContext): Promise<HookOutcome> {
  const { game, telemetry } = ctx;
  const log = telemetry.logger;
  // First, so the watchdog (and through it the failsafe) runs whatever fails later.
  await step('enable watchdog rule', () => enableWatchdog(game));

  const before = await describe(ctx);
  if (!servesNow(before, instanceId)) return launchLost(instanceId, action, before, ctx, 'launch event for an instance that is not serving in the group');

  // Each launch watches afresh (a warm-pool return keeps its instance id); only a replay of this launch keeps the state.
  const launchedAt = time ?? now(ctx).toISOString();
  // Read together so the session (only a fresh state's timeline needs it) adds no round trip to the start.
  const [stored, session] = await Promise.all([readWatchdogState(ctx), readSessionForTimeline(ctx)]);
  const replay = keepsStoredState(stored, instanceId, launchedAt);
  if (!replay) {
    // Back from the warm pool, its container instance is still DRAINING from its last stop. (Not for a replay:
    // a spot warning since this launch may have drained it.)
    const draining = await step('list draining container instances', () => containerInstancesOf(game, instanceId, 'DRAINING'));
    if (draining.length > 0) {
      const refused = await step('activate container instance', () => setContainerInstancesState(game, draining, 'ACTIVE'));
      log.info('container instance back from the warm pool set ACTIVE again', { instanceId, containerInstances: draining, refused });
    }
    const fresh = freshWatchdogState(instanceId, launchedAt, now(ctx), session);
    await step('write watchdog state', () => writeParameter(game.stateParameterName, JSON.stringify(fresh)));
  }

  // Right before starting the game: a stop may have run to its end while this launch waited.
  const beforeStart = await describe(ctx);
  if (!servesNow(beforeStart, instanceId)) return launchLost(instanceId, action, beforeStart, ctx, 'instance stopped serving before the game was started on it');
  await step('start game service', () => startService(game));

  const wait = await step('wait for public address', () =>
    pollUntil(() => describeInstance(instanceId), (facts) => hasAddresses(facts, game.ipv6), {
      clock: ctx.clock,
      timeoutMs: ctx.timing.addressWaitMs,
      intervalMs: ctx.timing.addressPollMs,
      onTransientError: onTransient(ctx, 'describing the instance'),
    }),
  );
  const runningAt = wait.done ? now(ctx).toISOString() : undefined;
  if (!wait.done) {
    count(ctx, 'PublicAddressMissing');
    log.error(publicAddressMissingLog(game.ipv6, ctx.timing.addressWaitMs), { instanceId, found: wait.last ?? null });
  }

  let dns: DnsOutcome = 'unchanged';
  const batch = recordChanges(game.fqdn, wait.last?.ipv4, game.ipv6 ? wait.last?.ipv6 : undefined, RECORD_TTL_SECONDS, `instance ${instanceId} launched`);
  // The wait may have taken a while: the instance may be leaving by now.
  const beforeDns = await describe(ctx);
  if (!servesNow(beforeDns, instanceId)) {
    count(ctx, 'StaleEvent');
    log.warn('instance stopped serving while the game started on it; records left alone', { instanceId });
    // Its stop may already have ended without seeing the task started here: stop it again.
    if (leavingRole(beforeDns, instanceId) === 'stop') await stopGameService(ctx);
  } else if ((batch.Changes ?? []).length > 0) {
    await step('upsert records', () => changeRecords(game, batch));
    dns = 'updated';
  }

  const lifecycle = await completeOwn(action, ctx);
  if (lifecycle === 'completed') count(ctx, 'InstanceLaunched');
  // After the action, off the start's path: EC2 gives the public address when the instance runs.
  // Not for a replay: it keeps what the watchdog learned as it is.
  if (!replay && runningAt !== undefined) {
    await recordTimeline(ctx, 'when the instance ran', (state) => withInstanceRunning(state, instanceId, launchedAt, runningAt), (state) => {
      const seconds = bootSeconds(state);
      if (seconds !== undefined) telemetry.measure('InstanceBootSeconds', 'Seconds', seconds);
    });
  }
  return { kind: 'launch', instanceId, started: true, dns, lifecycle };
}

function hasAddresses(facts: InstanceFacts | undefined, ipv6: boolean): boolean {
  return facts?.ipv4 !== undefined && (!ipv6 || facts.ipv6 !== undefined);
}

/**
 * A launch that is late, replayed, or lost its race to a stop: the game is
 * not started there and the records stay. The watchdog it switched on goes
 * off again unless another instance serves (or the group wants one).
 */
async function launchLost(instanceId: string, action: LifecycleAction, group: GroupSnapshot | undefined, ctx: FlowContext, why: string): Promise<HookOutcome> {
  count(ctx, 'StaleEvent');
  ctx.telemetry.logger.warn(`${why}; service and records left alone`, { instanceId, group: group ?? null });
  if (leavingRole(group, instanceId) === 'stop') await step('disable watchdog rule', () => disableWatchdog(ctx.game));
  return { kind: 'launch', instanceId, started: false, dns: 'unchanged', lifecycle: await complete(action) };
}

// ---------------------------------------------------------------- terminate

async function terminate(instanceId: string, action: LifecycleAction, ctx: FlowContext): Promise<HookOutcome> {
  const { game } = ctx;
  const log = ctx.telemetry.logger;

  const first = await describe(ctx);
  const stopsFirst = leavingRole(first, instanceId) === 'stop';
  const drainStartedAt = now(ctx).toISOString();
  if (stopsFirst) await stopGameService(ctx);
  const drained = await drainInstance(instanceId, ctx);
  const exited = await waitForTasksToExit(drained, ctx);
  const stopTimes: StopTimes = { drainStartedAt, ...(exited ? { containerExitedAt: now(ctx).toISOString() } : {}) };

  // Look again: Auto Scaling may have launched a replacement while this instance saved.
  const afterDrain = await describe(ctx);
  const role = leavingRole(afterDrain, instanceId);
  let dns: DnsOutcome = 'unchanged';
  if (role === 'stop') {
    if (!stopsFirst) await stopGameService(ctx); // the group went to 0 during the drain
    await step('restore placeholder records', () => changeRecords(game, placeholderBatch(game, `instance ${instanceId} terminating`)));
    dns = 'placeholder';
    await step('disable watchdog rule', () => disableWatchdog(game));
  } else {
    log.info('instance replaced: only its own task was drained; service, records, watchdog and session stay with the game', {
      instanceId,
      group: afterDrain ?? null,
    });
  }

  const lifecycle = await completeOwn(action, ctx);
  const terminatedAt = now(ctx).toISOString();
  await recordTimeline(ctx, "the stop's times", (state) => withStopTimes(state, instanceId, { ...stopTimes, terminatedAt }), (state) => {
    for (const [metric, seconds] of Object.entries(stopPhaseSeconds(state))) ctx.telemetry.measure(metric, 'Seconds', seconds);
  });
  if (role !== 'stop') {
    if (lifecycle === 'completed') count(ctx, 'InstanceReplaced');
    return { kind: 'terminate', instanceId, role, dns, lifecycle, notified: false, restarted: false };
  }

  // Once more before ending the session, waiting briefly until Auto Scaling lists the instance past its hook.
  const released = await step('wait for instance release', () =>
    pollUntil(() => describeGroup(game.asgName), (g) => !holdsWorld(g, instanceId), {
      clock: ctx.clock,
      timeoutMs: ctx.timing.releaseWaitMs,
      intervalMs: ctx.timing.releasePollMs,
      onTransientError: onTransient(ctx, 'describing the group'),
    }),
  );
  // Read once more only when every read failed for now (a missing group is an answer).
  const last = released.done || released.last !== undefined ? released.last : await describe(ctx);
  if (leavingRole(last, instanceId) !== 'stop') {
    log.info('a newer instance serves the game; its session is left to it', { instanceId, group: last ?? null });
    return { kind: 'terminate', instanceId, role: 'replacement', dns, lifecycle, notified: false, restarted: false };
  }
  const end = await endOfStop(instanceId, lifecycle, ctx);
  return { kind: 'terminate', instanceId, role, dns, lifecycle, ...end };
}

function holdsWorld(group: GroupSnapshot | undefined, instanceId: string): boolean {
  return group !== undefined && worldHeld({ ...group, instances: group.instances.filter((i) => i.instanceId === instanceId) });
}

/**
 * The end of the game's stop: the "stopped" notice once per session, spot
 * capacity again for a start that fell back to on-demand, and the session
 * ended — which starts the game again when a wake came during the stop.
 */
async function endOfStop(instanceId: string, lifecycle: LifecycleOutcome, ctx: FlowContext): Promise<{ notified: boolean; restarted: boolean }> {
  const { game } = ctx;
  const log = ctx.telemetry.logger;
  const stored = await readStoredSession(ctx);
  const state = await readWatchdogState(ctx);
  const facts = state?.instanceId === instanceId ? undefined : await step('describe instance', () => describeInstance(instanceId));
  const since = servingSince(instanceId, state, facts?.launchTime);

  if (!sessionEndsHere(stored, lifecycle, since)) {
    count(ctx, 'StaleEvent');
    log.warn('repeated stop found a session newer than the instance; it belongs to the next start and is left alone', { instanceId });
    return { notified: false, restarted: false };
  }

  let notified = false;
  if (stoppedNoticeDue(stored, lifecycle)) {
    // Thrown when it fails: the retry publishes it, since nothing has recorded it yet.
    await publish(ctx, 'stopped', stoppedNotice(game.fqdn, since === undefined ? undefined : Math.max(0, ctx.clock.now() - since), game.usdPerHour));
    count(ctx, 'InstanceStopped');
    notified = true;
    if (stored.kind === 'session') await writeSessionQuietly(ctx, { ...stored.session, stoppedNoticeAt: now(ctx).toISOString() }, 'the stopped notice');
  }

  // Spot again next time, unless the session says this start never left spot.
  if (game.spot && !(stored.kind === 'session' && !stored.session.onDemandFallback)) {
    const result = await step('restore spot capacity', () => setOnDemandBase(game, 0));
    if (result === 'updated') log.info('on-demand fallback of this start undone; the next start uses spot again');
  }

  const outcome = await step('end session', () => endSession(game, now(ctx), undefined, instanceId));
  return { notified, restarted: await announceRestart(outcome, ctx) };
}

/** Announces a start that the end of the stop made for a wake recorded during it. */
async function announceRestart(outcome: StartOutcome | undefined, ctx: FlowContext): Promise<boolean> {
  if (outcome?.result !== 'started') {
    if (outcome) ctx.telemetry.logger.info('a wake came during the stop; the start it asked for is handled elsewhere', { result: outcome.result });
    return false;
  }
  count(ctx, 'RestartedAfterStop');
  try {
    await publish(ctx, 'starting', restartNotice(ctx.game.fqdn, outcome.session));
  } catch (e) {
    // The game is starting whatever happens to the notice; a retry could not tell it was this stop that started it.
    count(ctx, 'NoticeFailed');
    ctx.telemetry.logger.error('the game is starting again, but the "starting" notice could not be published', { error: describeError(e) });
  }
  return true;
}

// ---------------------------------------------------------------- spot interruption

async function spot(instanceId: string, ctx: FlowContext): Promise<HookOutcome> {
  const { game } = ctx;
  const log = ctx.telemetry.logger;
  const group = await describe(ctx);
  const member = group?.instances.find((i) => i.instanceId === instanceId);
  if (!group || !member) {
    log.info("spot interruption of an instance outside this game's group; ignored", { instanceId });
    return { kind: 'ignore', reason: `instance is not in this game's group ${game.asgName}`, instanceId };
  }
  if (!isServing(member) || otherServes(group, instanceId)) {
    // Already leaving (its terminate hook drains it), or a newer instance serves: only its own task goes.
    await drainInstance(instanceId, ctx);
    log.info('spot interruption of an instance that no longer serves the game; its task drained, nothing announced', {
      instanceId,
      state: member.lifecycleState,
    });
    return { kind: 'spot', instanceId, action: 'none', notified: false };
  }

  const stored = await readStoredSession(ctx);
  if (stored.kind === 'session' && stored.session.spotWarnedInstanceId === instanceId) {
    count(ctx, 'DuplicateEvent');
    log.info('repeated spot interruption warning; already handled and announced', { instanceId });
    return { kind: 'spot', instanceId, action: 'none', notified: false };
  }

  const plan = spotPlan(await readWatchdogState(ctx), instanceId, ctx.clock.now());
  if (plan.action === 'stop') {
    // The shared stop rule: the group to 0, and the reason recorded for `gm status`.
    const stop = await step('stop the game', () => requestStop(game, 'spot-interruption', new Date(ctx.clock.now()), undefined, { group }));
    if (stop.result === 'stopping' && !stop.recorded) {
      // The game stops all the same; only `gm status` will not know why.
      count(ctx, 'StopNotRecorded');
      log.warn('the reason of the stop could not be recorded in the watchdog state', { error: stop.problem, instanceId });
    }
    await stopGameService(ctx);
  }
  // Two minutes until EC2 takes the instance: the game saves now rather than at the terminate hook.
  await drainInstance(instanceId, ctx);
  await publish(ctx, 'spot', spotNotice(game.fqdn, plan));
  count(ctx, 'SpotInterruption');
  if (stored.kind === 'session') await writeSessionQuietly(ctx, { ...stored.session, spotWarnedInstanceId: instanceId }, 'the spot notice');
  log.info('spot interruption handled', { instanceId, plan });
  return { kind: 'spot', instanceId, action: plan.action, notified: true };
}

// ---------------------------------------------------------------- failed launches

async function launchFailed(failure: LaunchFailure, ctx: FlowContext): Promise<HookOutcome> {
  const { game } = ctx;
  const log = ctx.telemetry.logger;
  const group = await describe(ctx);
  const stored = group ? await readStoredSession(ctx) : ({ kind: 'none' } as const);
  const session = stored.kind === 'session' ? stored.session : undefined;
  const plan = launchFailurePlan(session, failure.key, game.spot);
  if (plan.action === 'duplicate') {
    count(ctx, 'DuplicateEvent');
    log.info('repeated launch failure event; already counted and announced', { key: failure.key });
    return { kind: 'launch-failed', action: 'duplicate' };
  }
  // At 0 the start is over (stopped, or given up) — unless this is the give-up itself, retried after a failed step.
  if (!group || (group.desiredCapacity === 0 && (plan.action !== 'give-up' || stored.kind !== 'session'))) {
    count(ctx, 'StaleEvent');
    log.warn('launch failure of a start that is already over (group at 0 or gone); nothing to do', { failure });
    return { kind: 'launch-failed', action: 'stale' };
  }
  count(ctx, 'LaunchFailed');
  log.warn('launch failed', { failure, failures: plan.failures, plan: plan.action });

  if (plan.action === 'give-up') {
    // Each step repeats harmlessly: a failed one throws, and the retry (the failure uncounted, the session still there)
    // gives up again; only a failure after the alert makes the retry repeat it.
    await step('set desired capacity', () => setDesiredCapacity(game.asgName, 0));
    if (game.spot) await step('restore spot capacity', () => setOnDemandBase(game, 0));
    await publish(ctx, 'start given up', gaveUpNotice(game.fqdn, failure, plan.failures));
    count(ctx, 'LaunchGaveUp');
    // The session ends with the start, and with it any wake recorded during it: a fourth launch would fail too.
    await step('delete pending wake', () => deleteParameter(game.pendingWakeParameterName));
    await step('end session', () => deleteParameter(game.sessionParameterName));
    return { kind: 'launch-failed', action: 'give-up', failures: plan.failures };
  }

  let onDemand = false;
  if (plan.action === 'on-demand') {
    const result = await step('fall back to on-demand', () => setOnDemandBase(game, 1));
    onDemand = result !== 'no-policy';
    if (onDemand) count(ctx, 'OnDemandFallback');
    else log.warn('spot game without a mixed instances policy; no on-demand fallback possible', { asgName: game.asgName });
  }
  await publish(ctx, 'launch failure', launchFailedNotice(game.fqdn, failure, plan.failures, onDemand));
  // Recorded last: a retry after a failure above counts this launch failure once, like the first attempt.
  await step('write session', () =>
    writeSession(game, sessionWithFailure(session, failure.key, onDemand ? plan : { action: 'retry', failures: plan.failures }, now(ctx))),
  );
  return { kind: 'launch-failed', action: onDemand ? 'on-demand' : 'retry', failures: plan.failures };
}
