/**
 * A session is one start → stop of a game. Two SSM parameters per game make
 * the start and stop rules hold when AWS delivers things twice, late or at
 * once (two edge locations, two waker invocations, a CLI start, a retry):
 *
 * - the session parameter exists from the start that claimed it until the end
 *   of the stop (the terminate hook deletes it after completing the lifecycle
 *   action). It is created with `Overwrite: false`, which SSM does atomically:
 *   of two starts at once exactly one claims it, so one start and one
 *   "starting" notice per session;
 * - the pending-wake parameter holds a wake that arrived while the game was
 *   stopping. The end of the stop takes it and starts the game again, so no
 *   wake is lost however long the stop takes.
 */
import * as v from 'valibot';

const isoTime = v.pipe(v.string(), v.isoTimestamp());

export const StartSourceSchema = v.picklist(['lookup', 'operator', 'pending-wake']);
export type StartSource = v.InferOutput<typeof StartSourceSchema>;

export const SessionSchema = v.object({
  /** ISO time the start was claimed (the wake call). */
  startedAt: isoTime,
  source: StartSourceSchema,
  /** ISO time of the player's lookup (the query-log timestamp) that asked for the start, when a lookup did. */
  lookupAt: v.optional(isoTime),
  /** The query that woke it, e.g. "_minecraft._tcp.mc.example.com SRV". */
  query: v.optional(v.string()),
  /** Launches that failed in this session ("EC2 Instance Launch Unsuccessful"). */
  launchFailures: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  /** Set while this session runs on on-demand capacity after spot launches failed. */
  onDemandFallback: v.optional(v.boolean()),
  /** ISO time the "stopped" notice of this session was published (so a retried stop does not send it twice). */
  stoppedNoticeAt: v.optional(isoTime),
  /** Auto Scaling activities whose failed launch is counted in `launchFailures` (so a repeated event counts once). */
  launchFailureActivities: v.optional(v.array(v.string())),
  /** The instance whose spot interruption warning was announced (so a repeated warning is announced once). */
  spotWarnedInstanceId: v.optional(v.string()),
});
export type Session = v.InferOutput<typeof SessionSchema>;

export const PendingWakeSchema = v.object({
  /** ISO time the wake was recorded. */
  recordedAt: isoTime,
  source: StartSourceSchema,
  lookupAt: v.optional(isoTime),
  query: v.optional(v.string()),
});
export type PendingWake = v.InferOutput<typeof PendingWakeSchema>;

/** One instance of the game's Auto Scaling group. */
export interface GroupInstance {
  readonly instanceId: string;
  /** Auto Scaling lifecycle state, e.g. `Pending:Wait`, `InService`, `Terminating:Wait`, `Warmed:Stopped`. */
  readonly lifecycleState: string;
}

export interface GroupSnapshot {
  readonly desiredCapacity: number;
  /** Instances of the group itself (warm-pool instances are not listed here). */
  readonly instances: readonly GroupInstance[];
  /** Instances of the group's warm pool (DescribeWarmPool), when it has one. */
  readonly warmPool?: readonly GroupInstance[];
}

/** States in which an instance is, or is about to be, the game's host (`Pending:Proceed` follows a completed launch action). */
export const SERVING_STATES: ReadonlySet<string> = new Set(['Pending', 'Pending:Wait', 'Pending:Proceed', 'InService']);

export function isServing(instance: GroupInstance): boolean {
  return SERVING_STATES.has(instance.lifecycleState);
}

/**
 * The group's host: its serving instance, the InService one first (max size
 * is 1, but a replacement may overlap the one it replaces). One rule for the
 * instance the watchdog watches and the one a stop stops.
 */
export function chooseInstance(group: GroupSnapshot): GroupInstance | undefined {
  const serving = group.instances.filter(isServing);
  return serving.find((i) => i.lifecycleState === 'InService') ?? serving[0];
}

/**
 * What a start request finds:
 * - `missing`: the group does not exist;
 * - `up`: the group is at 1 or more: a host runs, starts, or replaces one
 *   that left (Auto Scaling keeps the desired capacity);
 * - `stopping`: the group is at 0 but a host is still there — a new host must
 *   not mount the world before this one has saved it;
 * - `stopped`: nothing runs; a start may claim the session.
 */
export type GroupCondition = 'missing' | 'up' | 'stopping' | 'stopped';

export function groupCondition(group: GroupSnapshot | undefined): GroupCondition {
  if (!group) return 'missing';
  if (group.desiredCapacity >= 1) return 'up';
  // A host on its way back to the warm pool is listed by the pool only, and still saves.
  return group.instances.length > 0 || (group.warmPool ?? []).some(inWarmPoolLifecycleAction) ? 'stopping' : 'stopped';
}

/** A warm-pool instance whose lifecycle action is not completed: returning to the pool (saving), or being prepared. */
function inWarmPoolLifecycleAction(instance: GroupInstance): boolean {
  return instance.lifecycleState === 'Warmed:Pending' || instance.lifecycleState === 'Warmed:Pending:Wait';
}

/**
 * States in which an instance may still have the world mounted: serving, or
 * leaving while its lifecycle action is not completed (the terminate hook
 * completes it only after the game has saved and exited).
 */
const HOLDING_STATES: ReadonlySet<string> = new Set([
  ...SERVING_STATES,
  'Terminating',
  'Terminating:Wait',
  'Warmed:Pending',
  'Warmed:Pending:Wait',
]);

/**
 * True when some instance of the group may still have the world mounted. An
 * instance on its way back to the warm pool (`Warmed:Pending*`) is listed by
 * the warm pool only, and saves the world until its lifecycle action completes.
 */
export function worldHeld(group: GroupSnapshot): boolean {
  return [...group.instances, ...(group.warmPool ?? [])].some((i) => HOLDING_STATES.has(i.lifecycleState));
}

/**
 * A session whose stop never ended (its terminate hook failed for good): the
 * group is at 0 with no instance at all, and the session is older than a
 * start can take to raise the group. A younger one is a start in progress.
 */
export const STALE_SESSION_MS = 5 * 60_000;

export function isStaleSession(session: Session | undefined, group: GroupSnapshot, nowMs: number): boolean {
  if (group.desiredCapacity > 0 || group.instances.length > 0) return false;
  if (!session) return true; // unreadable: nothing in it is worth keeping
  return nowMs - Date.parse(session.startedAt) > STALE_SESSION_MS;
}
