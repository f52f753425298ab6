/**
 * One watchdog run for one game: find the instance, load the state, check
 * that the game's container runs, probe, decide, act, save. The AWS side
 * comes in through `WatchdogPorts`, so this file holds the order of things
 * and nothing about SDKs.
 */
import type { RuntimeGame } from '../../runtime/contract';
import { decide, type Action } from './decide';
import type { GameInstance, GroupView } from './instance';
import { notificationsFor, type Notification } from './messages';
import { operatorCommands } from './operator-commands';
import { probeFailure, type ProbeResult } from './probes/probe-result';
import { resumeIfRestarted, stateFor } from './state';
import type { WatchdogMetric } from './telemetry';
import type { WatchdogRecord } from './watchdog-record';

export interface WatchdogPorts {
  /** Throws when the group does not exist. */
  describeGroup(): Promise<GroupView>;
  /** The stored state's JSON, or undefined when none is stored. */
  readState(): Promise<string | undefined>;
  writeState(json: string): Promise<void>;
  /** Turns the watchdog's own schedule off. */
  disableSchedule(): Promise<void>;
  /** Whether the game's ECS service has a RUNNING task; throws when it cannot tell. */
  gameContainerRunning(): Promise<boolean>;
  probe(instance: GameInstance, now: Date): Promise<ProbeResult>;
  /** Sets the group's desired capacity to 0: the instance drains and terminates. */
  scaleToZero(): Promise<void>;
  publish(notification: Notification): Promise<void>;
  metric(name: WatchdogMetric, value: number): void;
  log: {
    info(message: string, details?: Record<string, unknown>): void;
    warn(message: string, details?: Record<string, unknown>): void;
  };
}

export type WatchdogOutcome =
  /** Nothing to watch: the schedule was turned off until the next launch turns it on. */
  | { readonly status: 'no-instance'; readonly desiredCapacity: number }
  /** The group is already at 0 (a stop is under way): nothing to probe or decide. */
  | { readonly status: 'stopping'; readonly instanceId: string }
  | { readonly status: 'probed'; readonly instanceId: string; readonly probe: ProbeResult; readonly actions: readonly Action[] };

/** Errors worth one more try next minute rather than a failed run. */
const TRANSIENT_ERROR = /Throttl|TooManyRequests|RequestLimitExceeded|ServiceUnavailable|InternalError|ServerException|TimeoutError/;

/** The probe result while the game's container has not started: a probe error, never 0 players. */
export const CONTAINER_NOT_RUNNING_ERROR = 'game container not running yet';

/**
 * `region` is the game's region, for the commands the alerts spell out
 * (undefined: they leave `--region` out).
 */
export async function runWatchdog(game: RuntimeGame, ports: WatchdogPorts, now: Date, region?: string): Promise<WatchdogOutcome> {
  const group = await ports.describeGroup();
  const instance = group.instance;
  if (!instance) {
    ports.log.info('no InService or Pending instance: disabling the watchdog schedule', { desiredCapacity: group.desiredCapacity });
    await ports.disableSchedule();
    return { status: 'no-instance', desiredCapacity: group.desiredCapacity };
  }

  const loaded = stateFor(await ports.readState(), instance);
  if (loaded.freshBecause) ports.log.info('starting a fresh watchdog state', { reason: loaded.freshBecause, instanceId: instance.instanceId });

  if (group.desiredCapacity === 0) {
    // Keep lastRunAt moving: the failsafe reads silence as a failing watchdog.
    await saveState(ports, { ...loaded.state, lastRunAt: now.toISOString() });
    ports.log.info('group is at 0: the instance is stopping, nothing to decide', { instanceId: instance.instanceId });
    return { status: 'stopping', instanceId: instance.instanceId };
  }

  const state = resumeIfRestarted(loaded.state, group.desiredCapacity, now);
  const probe = await probeRunningGame(ports, instance, now);
  if (probe.ok) {
    ports.metric('Players', probe.players);
    ports.metric('ProbeLatency', probe.latencyMs);
  } else {
    ports.log.warn('probe failed', { error: probe.error, type: game.probe.type, instanceId: instance.instanceId });
  }

  const decision = decide(state, probe, now, { ...game, commands: operatorCommands(game, region) });
  ports.log.info('decision', { probe, actions: decision.actions, instanceId: instance.instanceId });

  // Act before saving: a failed scale-down then fails the run with the stop
  // still undecided, so the next run (or the failsafe) stops the server.
  for (const action of decision.actions) {
    if (action.type === 'stop') await ports.scaleToZero();
    if (action.type === 'notify-ready') ports.metric('StartupSeconds', action.seconds);
  }
  await publishAll(ports, notificationsFor(decision.actions, {
    fqdn: game.fqdn,
    everJoined: decision.state.everJoined,
    address: connectAddress(game),
  }));
  await saveState(ports, decision.state);
  return { status: 'probed', instanceId: instance.instanceId, probe, actions: decision.actions };
}

/**
 * Probes only a game whose container runs: before that, whatever the probe
 * sees (image-pull traffic, a host with nothing listening) is boot, not a
 * ready game with 0 players. Not knowing is a probe error too, like a probe
 * that fails, so the boot grace and the unreachable limit apply to it.
 */
async function probeRunningGame(ports: WatchdogPorts, instance: GameInstance, now: Date): Promise<ProbeResult> {
  let running: boolean;
  try {
    running = await ports.gameContainerRunning();
  } catch (e) {
    // A passing AWS hiccup is a probe error (retried next minute); anything else — no
    // permission, no service — fails the run, so the failsafe stops the game and says why.
    if (!TRANSIENT_ERROR.test((e as Error).name ?? '')) throw e;
    return probeFailure(e);
  }
  if (!running) return { ok: false, error: CONTAINER_NOT_RUNNING_ERROR };
  return ports.probe(instance, now);
}

async function saveState(ports: WatchdogPorts, state: WatchdogRecord): Promise<void> {
  await ports.writeState(JSON.stringify(state));
}

/** A notification that cannot be sent never fails the run: stopping an idle server matters more. */
async function publishAll(ports: WatchdogPorts, notifications: readonly Notification[]): Promise<void> {
  for (const notification of notifications) {
    try {
      await ports.publish(notification);
    } catch (e) {
      ports.log.warn('could not publish the notification', { subject: notification.subject, error: (e as Error).message, errorName: (e as Error).name });
    }
  }
}

/** What players type: the name alone when an SRV record carries the port. */
function connectAddress(game: RuntimeGame): string {
  const port = game.ports[0]?.port;
  return game.srvName !== undefined || port === undefined ? game.fqdn : `${game.fqdn}:${port}`;
}
