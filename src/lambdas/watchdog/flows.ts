/**
 * One watchdog run for one game: find the instance, load the state and the
 * session, check that the game's container runs, probe (again every few
 * seconds while a booting game has not answered), decide, act, save. The
 * decisions are decide.ts's; this file holds the order of things.
 */
import type { GameView } from '../../runtime/game';
import { parseWatchdogState, type WatchdogState } from '../../runtime/watchdog-state';
import { chooseInstance, type Session } from '../../runtime/session';
import { describeGroup } from '../shared/auto-scaling';
import { publishNotice } from '../shared/notices';
import { readParameter, writeParameter } from '../shared/parameters';
import type { Clock } from '../shared/poll';
import { readSession } from '../shared/session';
import { requestStop } from '../shared/stop';
import { step } from '../shared/steps';
import type { Telemetry } from '../shared/telemetry';
import { describeError, errorName, isTransientError } from '../shared/transient';
import { disableSchedule, gameContainerRunning, readEcsStartTimes, readGameRecords } from './aws';
import {
  adoptHookTimes,
  awaitsHookTimes,
  decide,
  keepProbing,
  probeHost,
  readinessStart,
  resumeIfRestarted,
  startState,
  stoppingState,
  withStartTimes,
  type Action,
  type ProbeHost,
  type StartPhases,
  type StartTimes,
} from './decide';
import { connectAddress, CONTAINER_NOT_RUNNING_ERROR, groupMissingError, LOG, noticesFor, operatorCommands } from './messages';
import { COMMAND_DEADLINE_MS } from './probes/connections';
import { probeFailure, type ProbeResult } from './probes/probe-result';
import { QUERY_TIMEOUT_MS, runProbe } from './probes/run-probe';

export interface WatchdogContext {
  readonly game: GameView<'watchdog'>;
  readonly topicArn: string;
  /** The game's region (the function's own), spelled out in the commands alerts suggest. */
  readonly region?: string;
  readonly clock: Clock;
  readonly telemetry: Telemetry;
}

export type WatchdogOutcome =
  /** Nothing to watch: the schedule was turned off until the next launch turns it on. */
  | { readonly status: 'no-instance'; readonly desiredCapacity: number }
  /** The group is already at 0 (a stop is under way): nothing to probe or decide. */
  | { readonly status: 'stopping'; readonly instanceId: string }
  | { readonly status: 'probed'; readonly instanceId: string; readonly probe: ProbeResult; readonly actions: readonly Action[] };

/** While a booting game has not answered, it is probed again this often within one run. */
export const READY_PROBE_INTERVAL_MS = 5_000;
/**
 * No probe starts later than this after the run began, so a run ends within
 * about 55 s (a query waits 5 s at most) and does not overlap the next one a
 * minute later. It also bounds how late readiness is seen: every 5 s within a
 * run, and 10 s from a run's last probe to the next run's first, so a game is
 * seen ready within 10 s of answering (__tests__/loop/start-timeline.test.ts).
 */
export const READY_WAIT_MS = 50_000;

export async function runWatchdog(ctx: WatchdogContext): Promise<WatchdogOutcome> {
  const { game, clock, telemetry } = ctx;
  const { logger } = telemetry;
  const started = clock.now();

  const group = await step('describe group', () => describeGroup(game.asgName));
  if (!group) throw new Error(groupMissingError(game.asgName));
  const instance = chooseInstance(group);
  if (!instance) {
    logger.info(LOG.noInstance, { desiredCapacity: group.desiredCapacity });
    await step('disable schedule', () => disableSchedule(game.watchdogRuleName));
    return { status: 'no-instance', desiredCapacity: group.desiredCapacity };
  }
  const { instanceId } = instance;

  const [raw, session] = await Promise.all([
    step('read watchdog state', () => readParameter(game.stateParameterName)),
    step('read session', () => readSessionOrNone(ctx)),
  ]);
  const loaded = startState(parseWatchdogState(raw), instanceId, session, new Date(clock.now()));
  if (loaded.freshBecause) {
    logger.warn(LOG.freshState, { reason: loaded.freshBecause, instanceId });
    telemetry.count('StateResets');
  }

  if (group.desiredCapacity === 0) {
    // Keep lastRunAt moving: the failsafe reads silence as a failing watchdog.
    await saveState(ctx, stoppingState(loaded.state, new Date(clock.now())));
    logger.info(LOG.stopping, { instanceId });
    return { status: 'stopping', instanceId };
  }

  const resumed = resumeIfRestarted(loaded.state, group.desiredCapacity, new Date(clock.now()));
  const { probe, attempts, containerSeenAt, startTimes } = await step('probe players', () => probeUntilAnswered(ctx, instanceId, resumed, started));
  // The start's times, recorded once: the timeline outlives the task ECS forgets.
  const state = containerSeenAt !== undefined && resumed.taskRunningAt === undefined
    ? withStartTimes(resumed, await startTimes, new Date(containerSeenAt).toISOString())
    : resumed;
  if (probe.ok) {
    telemetry.count('Players', probe.players);
    telemetry.measure('ProbeLatency', 'Milliseconds', probe.latencyMs);
  } else {
    telemetry.count('ProbeErrors');
    logger.warn(LOG.probeFailed, { error: probe.error, type: game.probe.type, instanceId, attempts });
  }

  const decided = decide(state, probe, { now: new Date(clock.now()), readyFrom: readinessStart(state, session) }, game);
  const decision = awaitsHookTimes(resumed) ? { ...decided, state: adoptHookTimes(decided.state, await rereadState(ctx)) } : decided;
  logger.info(LOG.decision, { probe, attempts, actions: decision.actions, instanceId });

  // Scale, then save, then announce. A failed scale-down fails the run with
  // the stop not recorded, so the next run (or the failsafe) stops the server.
  // A failed save fails the run before any notice, so the next run decides,
  // and announces, again: nothing is announced twice. (Should that happen
  // after a stop, the group is at 0 already and stays there; the instance
  // hook's "stopped" notice follows.)
  // The shared stop rule scales first and then writes this run's state (the decision in it) as the save.
  const stop = decision.actions.find((a) => a.type === 'stop');
  if (stop) await step('stop game', () => requestStop(game, stop.reason, new Date(clock.now()), undefined, { group, state: decision.state }));
  else await saveState(ctx, decision.state);
  // After the save: a run that fails to save decides (and measures) again, so each start is measured once.
  for (const action of decision.actions) {
    if (action.type !== 'notify-ready') continue;
    telemetry.measure('StartupSeconds', 'Seconds', action.seconds);
    for (const [phase, metric] of PHASE_METRICS) {
      const value = action.phases[phase];
      if (value !== undefined) telemetry.measure(metric, 'Seconds', value);
    }
  }
  await publishAll(ctx, decision);
  return { status: 'probed', instanceId, probe, actions: decision.actions };
}

/** The start's phases as metrics (EMF, namespace GameManagement, dimension game). */
const PHASE_METRICS: readonly (readonly [keyof StartPhases, string])[] = [
  ['instance', 'StartInstanceSeconds'],
  ['image', 'StartImageSeconds'],
  ['game', 'StartGameSeconds'],
];

/** The stored state once more, for the hook's time of this boot; unreadable, the run saves what it has. */
async function rereadState(ctx: WatchdogContext) {
  try {
    return parseWatchdogState(await step('read watchdog state again', () => readParameter(ctx.game.stateParameterName)));
  } catch (e) {
    if (!isTransientError(e)) throw e;
    return { ok: false as const, problem: describeError(e) };
  }
}

/**
 * ECS's times of this start; a failure costs only the timeline (the time the
 * container was seen running stands in), never the run: a missing permission
 * is logged and counted.
 */
async function ecsStartTimes({ game, telemetry }: WatchdogContext, instanceId: string): Promise<StartTimes | undefined> {
  try {
    return await step('read start times', () => readEcsStartTimes(game.clusterName, game.serviceName, instanceId));
  } catch (e) {
    telemetry.logger.warn(LOG.startTimesUnread, { error: describeError(e), errorName: errorName(e) });
    telemetry.count('StartTimesUnread');
    return undefined;
  }
}

/** The session, or none when it cannot be read: it only dates readiness and earlier states, never worth failing the run. */
async function readSessionOrNone({ game, telemetry }: WatchdogContext): Promise<Session | undefined> {
  try {
    return await readSession(game);
  } catch (e) {
    telemetry.logger.warn(LOG.sessionUnreadable, { error: describeError(e) });
    telemetry.count('SessionReadErrors');
    return undefined;
  }
}

/**
 * Probes once, and again every READY_PROBE_INTERVAL_MS while a booting game
 * has not answered, until it answers or READY_WAIT_MS have passed since the
 * run began: readiness is seen within seconds of the game answering, not on
 * the next one-minute run.
 */
async function probeUntilAnswered(
  ctx: WatchdogContext,
  instanceId: string,
  state: WatchdogState,
  started: number,
): Promise<{ probe: ProbeResult; attempts: number; containerSeenAt?: number; startTimes?: Promise<StartTimes | undefined> }> {
  const { game, clock } = ctx;
  let running = false;
  let containerSeenAt: number | undefined;
  let startTimes: Promise<StartTimes | undefined> | undefined;
  let host: ProbeHost | undefined;

  const probeOnce = async (): Promise<ProbeResult> => {
    if (!running) {
      const checked = await containerRunning(ctx);
      if (checked !== true) return checked;
      running = true;
      containerSeenAt = clock.now();
      // Read while the probes go on (it never throws), so the ready notice waits for no ECS call.
      if (state.taskRunningAt === undefined && state.readyAt === undefined) startTimes = ecsStartTimes(ctx, instanceId);
    }
    // Probes end by about READY_WAIT_MS plus one query, whatever they wait for.
    const deadlineMs = Math.max(QUERY_TIMEOUT_MS, Math.min(COMMAND_DEADLINE_MS, started + READY_WAIT_MS + QUERY_TIMEOUT_MS - clock.now()));
    return runProbe(game, instanceId, async () => {
      if (host === undefined || 'error' in host) host = await gameHost(ctx);
      return host;
    }, clock, deadlineMs);
  };

  let attemptAt = clock.now();
  let probe = await probeOnce();
  let attempts = 1;
  const maxAttempts = Math.floor(READY_WAIT_MS / READY_PROBE_INTERVAL_MS) + 1;
  while (keepProbing(state, probe, game.probe.type) && attempts < maxAttempts) {
    const nextAt = attemptAt + READY_PROBE_INTERVAL_MS;
    if (nextAt - started > READY_WAIT_MS) break;
    await clock.sleep(Math.max(0, nextAt - clock.now()));
    attemptAt = clock.now();
    probe = await probeOnce();
    attempts++;
  }
  return { probe, attempts, ...(containerSeenAt !== undefined ? { containerSeenAt } : {}), ...(startTimes ? { startTimes } : {}) };
}

/**
 * Only a game whose container runs is probed: before that, whatever a probe
 * sees (image-pull traffic, a host with nothing listening) is boot, not a
 * ready game with 0 players. A passing AWS hiccup is a probe error (tried
 * again); anything else (no permission, no service) fails the run, so the
 * failsafe stops the game and says why.
 */
async function containerRunning({ game }: WatchdogContext): Promise<true | ProbeResult> {
  try {
    const running = await step('describe game service', () => gameContainerRunning(game.clusterName, game.serviceName));
    return running ? true : { ok: false, error: CONTAINER_NOT_RUNNING_ERROR };
  } catch (e) {
    if (!isTransientError(e)) throw e;
    return probeFailure(e);
  }
}

/** The address players reach, from the game's records; a passing AWS hiccup is a probe error, anything else fails the run. */
async function gameHost({ game }: WatchdogContext): Promise<ProbeHost> {
  try {
    return probeHost(game.fqdn, await step('read game address', () => readGameRecords(game.hostedZoneId, game.fqdn)));
  } catch (e) {
    if (!isTransientError(e)) throw e;
    return { error: `could not read the address of ${game.fqdn}: ${describeError(e)}` };
  }
}

/** A notice that cannot be sent never fails the run: stopping an idle server matters more. */
async function publishAll(ctx: WatchdogContext, decision: { readonly state: WatchdogState; readonly actions: readonly Action[] }): Promise<void> {
  const { game, telemetry } = ctx;
  const notices = noticesFor(decision.actions, {
    fqdn: game.fqdn,
    address: connectAddress(game),
    everJoined: decision.state.everJoined,
    ...(decision.state.lastProbeError !== undefined ? { lastProbeError: decision.state.lastProbeError } : {}),
    config: game,
    commands: operatorCommands(game, ctx.region),
  });
  for (const notice of notices) {
    try {
      await step('publish notice', () => publishNotice(ctx.topicArn, notice));
    } catch (e) {
      telemetry.logger.warn(LOG.noticeFailed, { subject: notice.subject, error: describeError(e), errorName: errorName(e) });
      telemetry.count('NoticeFailures');
    }
  }
}

async function saveState({ game }: WatchdogContext, state: WatchdogState): Promise<void> {
  await step('write watchdog state', () => writeParameter(game.stateParameterName, JSON.stringify(state)));
}
