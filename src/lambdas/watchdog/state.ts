/**
 * Reading the watchdog's state back from its SSM parameter. Anything that is
 * not a state for the running instance (missing, garbled, another instance's,
 * or older than this start of the instance) yields a fresh state, because
 * acting on a stale one could stop a server someone just woke.
 */
import { z } from 'zod';
import type { GameInstance } from './instance';
import type { WatchdogRecord } from './watchdog-record';

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), { error: 'expected an ISO time' });

const recordSchema = z.object({
  instanceId: z.string().min(1),
  launchedAt: isoTime,
  readyAt: isoTime.optional(),
  lastPlayersAt: isoTime.optional(),
  everJoined: z.boolean(),
  consecutiveProbeErrors: z.number().int().min(0),
  lastRunAt: isoTime.optional(),
  maxHoursAlerted: z.boolean(),
  idleSince: isoTime.optional(),
  probeErrorsSince: isoTime.optional(),
  lastProbeError: z.string().optional(),
  stopRequestedAt: isoTime.optional(),
  stopReason: z.enum(['idle', 'never-ready', 'max-hours', 'unreachable']).optional(),
});

export function freshState(instance: GameInstance): WatchdogRecord {
  return {
    instanceId: instance.instanceId,
    launchedAt: instance.launchTime.toISOString(),
    everJoined: false,
    consecutiveProbeErrors: 0,
    maxHoursAlerted: false,
  };
}

export interface LoadedState {
  readonly state: WatchdogRecord;
  /** Why a fresh state was started instead, for the log. */
  readonly freshBecause?: string;
}

export function stateFor(raw: string | undefined, instance: GameInstance): LoadedState {
  if (raw === undefined) return { state: freshState(instance), freshBecause: 'no state stored yet' };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { state: freshState(instance), freshBecause: 'stored state is not JSON' };
  }
  const parsed = recordSchema.safeParse(json);
  if (!parsed.success) return { state: freshState(instance), freshBecause: `stored state is malformed: ${parsed.error.issues[0]?.message ?? 'unknown'}` };
  const state: WatchdogRecord = parsed.data;
  if (state.instanceId !== instance.instanceId) {
    return { state: freshState(instance), freshBecause: `stored state belongs to instance ${state.instanceId}` };
  }
  // A stopped (warm-pool) instance keeps its id across starts; what was seen
  // before its latest launch time belongs to the previous start.
  const launched = instance.launchTime.getTime();
  const earlier = [state.readyAt, state.stopRequestedAt, state.lastRunAt].find((t) => t !== undefined && Date.parse(t) < launched);
  if (earlier !== undefined) return { state: freshState(instance), freshBecause: 'stored state is from before the instance last started' };
  return { state };
}

/**
 * A stop the watchdog decided holds only while the group stays at 0. If the
 * group was raised again (a player woke it, or someone set it to 1) while the same
 * instance kept running, the watchdog must watch it again from now.
 */
export function resumeIfRestarted(state: WatchdogRecord, desiredCapacity: number, now: Date): WatchdogRecord {
  if (state.stopRequestedAt === undefined || desiredCapacity === 0) return state;
  const { stopRequestedAt: _at, stopReason: _reason, ...rest } = state;
  return { ...rest, idleSince: now.toISOString() };
}
