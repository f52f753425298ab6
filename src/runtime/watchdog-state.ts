/**
 * What the watchdog remembers between runs (in the game's SSM parameter).
 * The instance hook writes a fresh one at each launch (also for an instance
 * back from the warm pool); the watchdog updates it every run; the failsafe,
 * the instance hook and the CLI read it. One schema for every reader: a value
 * that does not match it is treated as no state at all.
 */
import * as v from 'valibot';
import { StartSourceSchema } from './session';

const isoTime = v.pipe(v.string(), v.isoTimestamp());

/** The stops the watchdog itself decides (its probe saw them coming). */
export const WATCHDOG_STOP_REASONS = ['idle', 'never-ready', 'max-hours', 'unreachable'] as const;
export type WatchdogStopReason = (typeof WATCHDOG_STOP_REASONS)[number];

/**
 * Why a game was stopped: a watchdog decision, the failsafe stepping in, the
 * operator (`gm stop`), or a spot interruption nobody was playing through
 * (the instance hook's). Every stop goes through one rule
 * (`src/lambdas/shared/stop.ts`), which records it here.
 */
export const StopReasonSchema = v.picklist([...WATCHDOG_STOP_REASONS, 'failsafe', 'manual', 'spot-interruption']);
export type StopReason = v.InferOutput<typeof StopReasonSchema>;

export const WatchdogStateSchema = v.object({
  /** Instance this state belongs to; a state for another instance is stale. */
  instanceId: v.pipe(v.string(), v.minLength(1)),
  /** ISO time the instance's launch (or its return from the warm pool) began. */
  launchedAt: isoTime,
  /**
   * ISO time this state was started. The startup grace and the idle clock never
   * count from earlier: a state lost mid-session and started afresh restarts
   * the grace from then instead of judging the game by its launch time.
   */
  watchingSince: v.optional(isoTime),
  /** ISO time the first probe succeeded. */
  readyAt: v.optional(isoTime),
  /** ISO time a probe last saw at least one player (or, before anyone joined, readyAt). */
  lastPlayersAt: v.optional(isoTime),
  /** Players the last successful probe counted. */
  players: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  everJoined: v.boolean(),
  /** Probe errors in a row since the last successful probe. */
  consecutiveProbeErrors: v.pipe(v.number(), v.integer(), v.minValue(0)),
  /** ISO time of the watchdog's last completed run (the failsafe measures silence from it). */
  lastRunAt: v.optional(isoTime),
  maxHoursAlerted: v.boolean(),
  /**
   * ISO time the zero-player clock started: readyAt, the last time players
   * were seen, moved later by the minutes the probe could not answer (those
   * minutes are unknown, not idle).
   */
  idleSince: v.optional(isoTime),
  /** ISO time of the first probe error of the current run of errors. */
  probeErrorsSince: v.optional(isoTime),
  /** Last probe error, for the alert when the game never gets ready or becomes unreachable. */
  lastProbeError: v.optional(v.string()),
  /** ISO time the stop of this instance was decided (by the watchdog, the failsafe or the operator); no second decision is made after it. */
  stopRequestedAt: v.optional(isoTime),
  stopReason: v.optional(StopReasonSchema),
  /**
   * The start this launch serves, copied from the session at launch so that
   * the timeline of the last start outlives the session (deleted at the end
   * of the stop): the wake call, the player's lookup, and who asked.
   */
  wakeAt: v.optional(isoTime),
  lookupAt: v.optional(isoTime),
  startSource: v.optional(StartSourceSchema),
  /**
   * The rest of the start's timeline, each written once by whoever learns it
   * first (the README's "Where a start's time goes" explains the phases):
   * the instance hook saw the instance's public address (EC2 gives it when the
   * instance runs); the watchdog read, when it first saw the game's container
   * running, ECS's registration of the host's agent and the task's image pull.
   */
  instanceRunningAt: v.optional(isoTime),
  agentRegisteredAt: v.optional(isoTime),
  pullStartedAt: v.optional(isoTime),
  pullStoppedAt: v.optional(isoTime),
  /** ISO time the game's container started running on this instance (ECS's startedAt, else when the watchdog first saw it running). */
  taskRunningAt: v.optional(isoTime),
  /**
   * The stop's timeline after the decision (`stopRequestedAt`), written once
   * by the terminate hook: it drained the instance, saw the game's container
   * exit (the world saved), and completed the lifecycle action (EC2 then
   * terminates the instance, or returns it to the warm pool).
   */
  drainStartedAt: v.optional(isoTime),
  containerExitedAt: v.optional(isoTime),
  terminatedAt: v.optional(isoTime),
});
export type WatchdogState = v.InferOutput<typeof WatchdogStateSchema>;

/** The state with a stop decided now for `reason` (whoever decided it). */
export function withStopDecision(state: WatchdogState, reason: StopReason, now: Date): WatchdogState {
  return { ...state, stopRequestedAt: now.toISOString(), stopReason: reason };
}

export type ParsedState<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

/** Parses a stored JSON value against a schema; never throws. */
export function parseStored<T>(schema: v.GenericSchema<unknown, T>, raw: string | undefined): ParsedState<T> {
  if (raw === undefined) return { ok: false, problem: 'nothing stored' };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, problem: 'stored value is not JSON' };
  }
  const result = v.safeParse(schema, json);
  if (result.success) return { ok: true, value: result.output };
  const issue = result.issues[0];
  return { ok: false, problem: `stored value is malformed: ${v.getDotPath(issue) ?? '(root)'}: ${issue.message}` };
}

export function parseWatchdogState(raw: string | undefined): ParsedState<WatchdogState> {
  return parseStored(WatchdogStateSchema, raw);
}
