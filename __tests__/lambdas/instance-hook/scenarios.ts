/** Worlds the instance-hook tests start from. */
import type { RuntimeGame } from '../../../src/runtime/game';
import { GAME, testGame } from '../../support/game';
import { World } from './world';

/** The game on spot capacity (as synth makes it: a shorter stop timeout, within the two-minute notice). */
export const SPOT_GAME: RuntimeGame = testGame({ spot: true }).game;

export const OLD = 'i-old';
export const NEW = 'i-new';
/** When the running instance launched, and when its session was claimed (the wake, a minute before). */
export const OLD_LAUNCHED_AT = '2025-06-01T15:50:00Z';
export const SESSION_STARTED_AT = '2025-06-01T15:49:00Z';

export function sessionOf(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { startedAt: SESSION_STARTED_AT, source: 'lookup', lookupAt: '2025-06-01T15:48:59Z', query: '_minecraft._tcp.mc.example.com SRV', ...extra };
}

export function watchdogStateOf(instanceId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    instanceId,
    launchedAt: OLD_LAUNCHED_AT,
    watchingSince: OLD_LAUNCHED_AT,
    readyAt: '2025-06-01T15:51:30Z',
    lastPlayersAt: '2025-06-01T17:40:00Z',
    players: 0,
    everJoined: true,
    consecutiveProbeErrors: 0,
    lastRunAt: '2025-06-01T17:59:00Z',
    maxHoursAlerted: false,
    ...extra,
  };
}

/** A game that has run on i-old since 15:50 in a session claimed at 15:49. */
/** `session`/`state`: what the parameter holds (a string is stored as is: corrupt values); false: none. */
export function runningWorld(options: { session?: Record<string, unknown> | string | false; state?: Record<string, unknown> | string | false } = {}): World {
  const world = new World().install().running(OLD, { launchTime: OLD_LAUNCHED_AT });
  if (options.session !== false) world.setParam(GAME.sessionParameterName, options.session ?? sessionOf());
  if (options.state !== false) world.setParam(GAME.stateParameterName, options.state ?? watchdogStateOf(OLD));
  return world;
}

/** The watchdog set the group to 0; Auto Scaling holds i-old in Terminating:Wait. Returns the world and the terminate event. */
export function stoppingWorld(options: Parameters<typeof runningWorld>[0] = {}): { world: World; event: Record<string, unknown> } {
  const world = runningWorld(options);
  const event = world.terminate(OLD, { desired: 0 });
  return { world, event };
}

/** The waker asked for the game at 15:49; Auto Scaling launched i-new into Pending:Wait. */
export function launchingWorld(options: { agent?: boolean } = {}): { world: World; event: Record<string, unknown> } {
  const world = new World().install();
  world.desired = 1;
  world.setParam(GAME.sessionParameterName, sessionOf());
  const event = world.launch(NEW);
  if (options.agent !== false) world.registerAgent(NEW);
  return { world, event };
}
