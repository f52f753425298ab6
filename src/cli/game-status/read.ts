/**
 * Everything AWS knows about a game's condition, read in one place: the
 * group, the session and a pending wake (the start and stop rules' own
 * records), the watchdog state, the host and the game's newest task.
 * `derive.ts` turns these facts into what `gm status` shows.
 */
import { describeGroup } from '../../lambdas/shared/auto-scaling';
import { readParameter } from '../../lambdas/shared/parameters';
import { SessionSchema, type GroupSnapshot, type Session } from '../../runtime/session';
import { parseStored, parseWatchdogState, type WatchdogState } from '../../runtime/watchdog-state';
import type { GameTarget } from '../aws/deployment';
import { hostInstance, hostOfGroup } from '../aws/host';
import { describeHost, gameTasks, hostRegisteredAt, type HostFacts, type TaskFacts } from './aws';

export interface GameFacts {
  /** ISO time of the reading. */
  readonly readAt: string;
  /** Undefined when the game's group does not exist (not deployed, or another region). */
  readonly group: GroupSnapshot | undefined;
  readonly session?: Session;
  /** The session parameter exists (also when it cannot be read). */
  readonly sessionExists: boolean;
  /** A wake came during a stop: the end of the stop starts the game again. */
  readonly pendingWake: boolean;
  readonly state?: WatchdogState;
  /** The group's host (serving first, else one still leaving). */
  readonly host?: HostFacts;
  /** When the host's ECS agent registered (the host is up). */
  readonly hostRegisteredAt?: string;
  /** The game service's newest task. */
  readonly task?: TaskFacts;
}

/**
 * The instance the game runs on, or the one on its way in or out: the host as
 * the shell and files commands find it (hostOfGroup), else whatever instance
 * the group still lists (in standby, say), so status shows it.
 */
export function hostInstanceId(group: GroupSnapshot | undefined): string | undefined {
  return hostInstance(hostOfGroup(group)) ?? group?.instances[0]?.instanceId;
}

export async function readGameFacts(target: GameTarget, now: Date): Promise<GameFacts> {
  const { names, region } = target;
  const [group, rawSession, rawWake, rawState] = await Promise.all([
    describeGroup(names.asg, region),
    readParameter(names.sessionParameter, region),
    readParameter(names.pendingWakeParameter, region),
    readParameter(names.stateParameter, region),
  ]);
  const session = parseStored(SessionSchema, rawSession);
  const state = parseWatchdogState(rawState);
  const instanceId = hostInstanceId(group);
  // Only a game with a host has a host and a task worth describing: a stopped game costs four reads.
  const [host, registeredAt, tasks] = instanceId
    ? await Promise.all([
        describeHost(instanceId, region),
        hostRegisteredAt(names.cluster, instanceId, region),
        gameTasks(names.cluster, names.service, region),
      ])
    : [undefined, undefined, []];
  const task = tasks[0];
  return {
    readAt: now.toISOString(),
    group,
    ...(session.ok ? { session: session.value } : {}),
    sessionExists: rawSession !== undefined,
    pendingWake: rawWake !== undefined,
    ...(state.ok ? { state: state.value } : {}),
    ...(host ? { host } : {}),
    ...(registeredAt ? { hostRegisteredAt: registeredAt } : {}),
    ...(task ? { task } : {}),
  };
}
