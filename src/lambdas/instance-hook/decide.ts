/**
 * Pure decisions of the instance hook, on plain data: what an event asks,
 * whether an instance's leaving is the game's stop or a replacement, which
 * watchdog state a launch starts with, what a spot warning or a failed launch
 * leads to. No AWS calls, no clock reads, no logging.
 */
import type { ChangeBatch } from '@aws-sdk/client-route-53';
import type { GameView } from '../../runtime/game';
import { isServing, type GroupSnapshot, type Session } from '../../runtime/session';
import { secondsBetween } from '../../runtime/times';
import type { WatchdogState } from '../../runtime/watchdog-state';

/** The part of the game the hook reads (GAME_FIELDS['instance-hook']). */
export type HookGame = GameView<'instance-hook'>;

/** The lifecycle action an Auto Scaling event asks the hook to complete. */
export interface LifecycleAction {
  readonly groupName: string;
  readonly hookName: string;
  readonly token: string;
  readonly instanceId: string;
}

/** What AWS said about a launch that failed ("EC2 Instance Launch Unsuccessful"). */
export interface LaunchFailure {
  /** Auto Scaling's activity id (else the event id): the same failure delivered twice has the same key. */
  readonly key: string;
  /** Often empty: the instance never existed. */
  readonly instanceId?: string;
  /** AWS's reason, e.g. "We currently do not have sufficient t3.medium capacity…". */
  readonly reason: string;
  readonly cause?: string;
}

export type HookEvent =
  /** An instance enters service (from EC2, or back from the warm pool). */
  | { readonly kind: 'launch'; readonly instanceId: string; readonly action: LifecycleAction; readonly time?: string }
  /** An instance leaves service (terminated, or returned to the warm pool): the game on it must save. */
  | { readonly kind: 'terminate'; readonly instanceId: string; readonly action: LifecycleAction }
  /** EC2 → warm pool, warm pool → EC2: the game never runs there. */
  | {
      readonly kind: 'warm-pool';
      readonly instanceId: string;
      readonly action: LifecycleAction;
      /** A new instance launched into the pool: its first boot pulls the game's image before it is stopped. */
      readonly intoPool: boolean;
    }
  /** EC2 reclaims a spot instance in about two minutes. */
  | { readonly kind: 'spot'; readonly instanceId: string }
  | { readonly kind: 'launch-failed'; readonly failure: LaunchFailure }
  /** Nothing to do. `malformed`: not an event the rules send (counted); otherwise another group's (not counted). */
  | { readonly kind: 'skip'; readonly reason: string; readonly malformed: boolean; readonly instanceId?: string };

const LAUNCH_DETAIL_TYPE = 'EC2 Instance-launch Lifecycle Action';
const TERMINATE_DETAIL_TYPE = 'EC2 Instance-terminate Lifecycle Action';
const LAUNCH_FAILED_DETAIL_TYPE = 'EC2 Instance Launch Unsuccessful';
const SPOT_DETAIL_TYPE = 'EC2 Spot Instance Interruption Warning';
const LAUNCHING = 'autoscaling:EC2_INSTANCE_LAUNCHING';
const TERMINATING = 'autoscaling:EC2_INSTANCE_TERMINATING';

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim().length > 0 ? value : undefined;
}

function malformed(reason: string, instanceId?: string): HookEvent {
  return { kind: 'skip', reason, malformed: true, ...(instanceId ? { instanceId } : {}) };
}

/** Reads what an EventBridge event asks of this game's hook. Never throws. */
export function classify(event: unknown, game: Pick<HookGame, 'asgName'>): HookEvent {
  const envelope = asRecord(event);
  if (!envelope) return malformed('event is not a JSON object');
  const detail = asRecord(envelope.detail);
  if (!detail) return malformed('event has no detail object');
  const source = envelope.source;
  const detailType = envelope['detail-type'];

  if (source === 'aws.ec2' && detailType === SPOT_DETAIL_TYPE) {
    const instanceId = text(detail['instance-id']);
    // Whether the instance is this game's is only known to Auto Scaling: the flow asks it.
    return instanceId ? { kind: 'spot', instanceId } : malformed('spot interruption warning without instance-id');
  }
  if (source !== 'aws.autoscaling') return malformed(`unexpected event (source ${String(source)}, detail-type ${String(detailType)})`);

  const groupName = text(detail.AutoScalingGroupName);
  const instanceId = text(detail.EC2InstanceId);
  if (!groupName) return malformed(`${String(detailType)} event without AutoScalingGroupName`, instanceId);
  if (groupName !== game.asgName) {
    return { kind: 'skip', reason: `group ${groupName} is not this game's group ${game.asgName}`, malformed: false, ...(instanceId ? { instanceId } : {}) };
  }

  if (detailType === LAUNCH_FAILED_DETAIL_TYPE) {
    const key = text(detail.ActivityId) ?? text(envelope.id);
    if (!key) return malformed('launch failure event without ActivityId or event id', instanceId);
    const reason = text(detail.StatusMessage) ?? text(detail.Cause) ?? 'no reason given';
    const cause = text(detail.Cause);
    return { kind: 'launch-failed', failure: { key, reason, ...(instanceId ? { instanceId } : {}), ...(cause && cause !== reason ? { cause } : {}) } };
  }
  if (detailType !== LAUNCH_DETAIL_TYPE && detailType !== TERMINATE_DETAIL_TYPE) {
    return malformed(`unexpected Auto Scaling event ${String(detailType)}`, instanceId);
  }

  const hookName = text(detail.LifecycleHookName);
  const token = text(detail.LifecycleActionToken);
  if (!instanceId || !hookName || !token) {
    return malformed('lifecycle event lacks EC2InstanceId, LifecycleHookName or LifecycleActionToken', instanceId);
  }
  const action: LifecycleAction = { groupName, hookName, token, instanceId };
  const time = text(envelope.time);
  const transition = detail.LifecycleTransition;
  const origin = detail.Origin;
  const destination = detail.Destination;

  // Entering service, from EC2 or from the warm pool (a warm instance gets a new public address when it starts).
  if (transition === LAUNCHING && destination === 'AutoScalingGroup') return { kind: 'launch', instanceId, action, ...(time ? { time } : {}) };
  // Leaving service, terminated or returned to the warm pool: the game runs there and must save.
  if (transition === TERMINATING && origin === 'AutoScalingGroup') return { kind: 'terminate', instanceId, action };
  if ((transition === LAUNCHING || transition === TERMINATING) && (origin === 'WarmPool' || destination === 'WarmPool')) {
    return { kind: 'warm-pool', instanceId, action, intoPool: transition === LAUNCHING && destination === 'WarmPool' };
  }
  // Without Origin/Destination (older event shapes, hand-written events) the transition alone decides.
  if (origin === undefined && destination === undefined) {
    if (transition === LAUNCHING) return { kind: 'launch', instanceId, action, ...(time ? { time } : {}) };
    if (transition === TERMINATING) return { kind: 'terminate', instanceId, action };
  }
  return malformed(`unexpected transition ${String(transition)} from ${String(origin)} to ${String(destination)}`, instanceId);
}

// ---------------------------------------------------------------- who the game belongs to

/** True when another instance of the group is, or is about to be, the game's host. */
export function otherServes(group: GroupSnapshot | undefined, instanceId: string): boolean {
  return (group?.instances ?? []).some((i) => i.instanceId !== instanceId && isServing(i));
}

/**
 * The instance may run the game now: the group wants a host (desired ≥ 1)
 * and lists this instance as pending or in service. A launch checks it right
 * before each write, so a launch that lost its race to a stop starts nothing.
 */
export function servesNow(group: GroupSnapshot | undefined, instanceId: string): boolean {
  return group !== undefined && group.desiredCapacity >= 1 && group.instances.some((i) => i.instanceId === instanceId && isServing(i));
}

/**
 * What an instance's leaving means for the game:
 * - `stop`: the group is at 0 (or gone) and no other instance serves — this
 *   leaving is the game's stop, and the service, the records, the watchdog and
 *   the session are this instance's to wind down;
 * - `replacement`: the group still wants a host (Auto Scaling replaces this
 *   one: health check, spot reclaim with players on, rebalancing) or another
 *   instance serves already — only this instance's own task is drained, and
 *   everything shared is left to the newer instance.
 */
export type LeavingRole = 'stop' | 'replacement';

export function leavingRole(group: GroupSnapshot | undefined, instanceId: string): LeavingRole {
  if (!group) return 'stop';
  return group.desiredCapacity === 0 && !otherServes(group, instanceId) ? 'stop' : 'replacement';
}

// ---------------------------------------------------------------- watchdog state at launch

function sameInstant(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const ta = Date.parse(a);
  return Number.isFinite(ta) && ta === Date.parse(b);
}

/**
 * A launch keeps the stored state only when it is this very launch replayed
 * (same instance, same launch time): what the watchdog learned since is kept.
 * An instance back from the warm pool keeps its id but is a new launch, and
 * starts afresh like any other.
 */
export function keepsStoredState(stored: WatchdogState | undefined, instanceId: string, launchedAt: string): boolean {
  return stored !== undefined && stored.instanceId === instanceId && sameInstant(stored.launchedAt, launchedAt);
}

export function freshWatchdogState(instanceId: string, launchedAt: string, now: Date, session?: Session): WatchdogState {
  return {
    instanceId,
    launchedAt,
    watchingSince: now.toISOString(),
    everJoined: false,
    consecutiveProbeErrors: 0,
    maxHoursAlerted: false,
    // The start this launch serves: the session is deleted at the end of the stop, this state stays until the next launch.
    ...(session ? { wakeAt: session.startedAt, startSource: session.source } : {}),
    ...(session?.lookupAt ? { lookupAt: session.lookupAt } : {}),
  };
}

// ---------------------------------------------------------------- the timeline

/**
 * The state with the time the launch saw its instance running (its public
 * address there), when the stored state is this launch's and has none yet;
 * undefined when there is nothing to write (a replay, or a newer launch's state).
 */
export function withInstanceRunning(state: WatchdogState | undefined, instanceId: string, launchedAt: string, at: string): WatchdogState | undefined {
  if (!state || state.instanceId !== instanceId || !sameInstant(state.launchedAt, launchedAt) || state.instanceRunningAt !== undefined) return undefined;
  return { ...state, instanceRunningAt: at };
}

/** Seconds from the launch to the instance running, for the metric. */
export function bootSeconds(state: WatchdogState): number | undefined {
  return state.instanceRunningAt === undefined ? undefined : secondsBetween(state.launchedAt, state.instanceRunningAt);
}

/** What the terminate hook saw of a stop (ISO times). */
export interface StopTimes {
  /** The hook began stopping the game and draining the instance. */
  readonly drainStartedAt: string;
  /** The game's container had exited (the world saved); absent when the wait timed out. */
  readonly containerExitedAt?: string;
  /** The lifecycle action was completed: EC2 terminates the instance (or the warm pool takes it) from here. */
  readonly terminatedAt?: string;
}

/**
 * The state with the stop's times, when the stored state is this instance's
 * and has none yet (a retried stop keeps the first attempt's); undefined when
 * there is nothing to write.
 */
export function withStopTimes(state: WatchdogState | undefined, instanceId: string, times: StopTimes): WatchdogState | undefined {
  if (!state || state.instanceId !== instanceId || state.drainStartedAt !== undefined) return undefined;
  return {
    ...state,
    drainStartedAt: times.drainStartedAt,
    ...(times.containerExitedAt ? { containerExitedAt: times.containerExitedAt } : {}),
    ...(times.terminatedAt ? { terminatedAt: times.terminatedAt } : {}),
  };
}

/** The stop's phases in seconds, as metrics: decided → drain, drain → container exited (the save), exited → terminated, and in all. */
export function stopPhaseSeconds(state: WatchdogState): Partial<Record<'StopDrainSeconds' | 'StopSaveSeconds' | 'StopTerminateSeconds' | 'StopSeconds', number>> {
  const { stopRequestedAt: decided, drainStartedAt: drain, containerExitedAt: exited, terminatedAt: terminated } = state;
  return {
    ...(decided && drain ? { StopDrainSeconds: secondsBetween(decided, drain) } : {}),
    ...(drain && exited ? { StopSaveSeconds: secondsBetween(drain, exited) } : {}),
    ...(exited && terminated ? { StopTerminateSeconds: secondsBetween(exited, terminated) } : {}),
    ...(decided && terminated ? { StopSeconds: secondsBetween(decided, terminated) } : {}),
  };
}

/** When the instance started serving: the launch the state recorded for it, else EC2's launch time. */
export function servingSince(instanceId: string, state: WatchdogState | undefined, ec2LaunchTime: Date | undefined): number | undefined {
  if (state?.instanceId === instanceId) {
    const recorded = Date.parse(state.launchedAt);
    if (Number.isFinite(recorded)) return recorded;
  }
  return ec2LaunchTime?.getTime();
}

// ---------------------------------------------------------------- the end of a stop

/** The session parameter as read: absent, unreadable, or a session. */
export type StoredSession = { readonly kind: 'none' } | { readonly kind: 'unreadable'; readonly problem: string } | { readonly kind: 'session'; readonly session: Session };

/**
 * Whether the session found at the end of a stop is the one this stop ends.
 * A retry that finds the lifecycle action already completed may meet a newer
 * session (a wake claimed it after the first attempt ended everything); that
 * one began after this instance launched, and is left alone.
 */
export function sessionEndsHere(stored: StoredSession, lifecycle: 'completed' | 'already-done', launchedAtMs: number | undefined): boolean {
  if (stored.kind !== 'session' || lifecycle === 'completed' || launchedAtMs === undefined) return true;
  const started = Date.parse(stored.session.startedAt);
  return !Number.isFinite(started) || started <= launchedAtMs;
}

/**
 * The "stopped" notice is due once per session: while the session has not
 * recorded it (an unreadable session counts as not recorded — a second notice
 * beats a lost one). A host no session covered gets it when its action is
 * completed now (a replay finds it already completed).
 */
export function stoppedNoticeDue(stored: StoredSession, lifecycle: 'completed' | 'already-done'): boolean {
  if (stored.kind === 'session') return stored.session.stoppedNoticeAt === undefined;
  if (stored.kind === 'unreadable') return true;
  return lifecycle === 'completed';
}

// ---------------------------------------------------------------- spot interruption

/** How recent a sighting of players must be to count as "players on". */
export const PLAYERS_RECENT_MS = 5 * 60_000;

export type SpotPlan =
  /** Keep the group at 1: Auto Scaling launches a new instance and the game continues there. */
  | { readonly action: 'relaunch'; readonly why: 'players-on' | 'starting' | 'unknown' }
  /** Set the group to 0: the game saves and stops. */
  | { readonly action: 'stop'; readonly why: 'nobody-on' };

/**
 * Decided from what the watchdog last saw on this instance. When it cannot
 * tell (no state for this instance, or the game is still starting — someone
 * just asked for it), the game relaunches: an idle relaunch costs minutes of
 * an instance, a wrong stop throws players out.
 */
export function spotPlan(state: WatchdogState | undefined, instanceId: string, nowMs: number): SpotPlan {
  if (!state || state.instanceId !== instanceId) return { action: 'relaunch', why: 'unknown' };
  if (state.readyAt === undefined) return { action: 'relaunch', why: 'starting' };
  if (state.players !== undefined) return state.players > 0 ? { action: 'relaunch', why: 'players-on' } : { action: 'stop', why: 'nobody-on' };
  const seen = state.lastPlayersAt === undefined ? Number.NaN : Date.parse(state.lastPlayersAt);
  return Number.isFinite(seen) && nowMs - seen <= PLAYERS_RECENT_MS ? { action: 'relaunch', why: 'players-on' } : { action: 'stop', why: 'nobody-on' };
}

// ---------------------------------------------------------------- failed launches

/** Failed launches in one session after which the start is given up. */
export const MAX_LAUNCH_FAILURES = 3;
/** Activity ids kept in the session to recognise a repeated event. */
export const KEPT_FAILURE_KEYS = 10;

export type LaunchFailurePlan =
  /** The same failure delivered again: already counted and announced. */
  | { readonly action: 'duplicate' }
  /** Auto Scaling keeps trying by itself. */
  | { readonly action: 'retry'; readonly failures: number }
  /** A spot game's first failure: this start switches to on-demand capacity. */
  | { readonly action: 'on-demand'; readonly failures: number }
  /** Set the group to 0 and end the session. */
  | { readonly action: 'give-up'; readonly failures: number };

export function launchFailurePlan(session: Session | undefined, key: string, spot: boolean): LaunchFailurePlan {
  if (session?.launchFailureActivities?.includes(key)) return { action: 'duplicate' };
  const failures = (session?.launchFailures ?? 0) + 1;
  if (failures >= MAX_LAUNCH_FAILURES) return { action: 'give-up', failures };
  if (spot && !session?.onDemandFallback) return { action: 'on-demand', failures };
  return { action: 'retry', failures };
}

/** The session after counting a failure (a session that could not be read is started afresh, by an operator). */
export function sessionWithFailure(session: Session | undefined, key: string, plan: { readonly action: 'retry' | 'on-demand'; readonly failures: number }, now: Date): Session {
  const base: Session = session ?? { startedAt: now.toISOString(), source: 'operator' };
  return {
    ...base,
    launchFailures: plan.failures,
    launchFailureActivities: [...(base.launchFailureActivities ?? []), key].slice(-KEPT_FAILURE_KEYS),
    ...(plan.action === 'on-demand' ? { onDemandFallback: true } : {}),
  };
}

// ---------------------------------------------------------------- records and tasks

/** UPSERTs of the game's A (and AAAA) record in one batch; empty `Changes` when there is no address. */
export function recordChanges(fqdn: string, ipv4: string | undefined, ipv6: string | undefined, ttl: number, comment?: string): ChangeBatch {
  const record = (type: 'A' | 'AAAA', value: string) => ({
    Action: 'UPSERT' as const,
    ResourceRecordSet: { Name: fqdn, Type: type, TTL: ttl, ResourceRecords: [{ Value: value }] },
  });
  return {
    ...(comment ? { Comment: comment } : {}),
    Changes: [...(ipv4 ? [record('A', ipv4)] : []), ...(ipv6 ? [record('AAAA', ipv6)] : [])],
  };
}

/** The container has exited (the world is saved) once its task reaches one of these. */
const EXITED_TASK_STATUSES: ReadonlySet<string> = new Set(['DEPROVISIONING', 'STOPPED', 'DELETED']);

export function hasExited(lastStatus: string | undefined): boolean {
  return EXITED_TASK_STATUSES.has(lastStatus ?? '');
}

/** How long a stop waits for the game to save: its stop timeout plus a grace, never past the cap. */
export function drainTimeoutMs(stopTimeoutSeconds: number, graceMs: number, maxMs: number): number {
  return Math.min(stopTimeoutSeconds * 1000 + graceMs, maxMs);
}

/** "2 h 10 min", "7 min", "< 1 min" — rounded to the minute. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 30_000) return '< 1 min';
  const totalMinutes = Math.round(ms / 60_000);
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  if (hours === 0) return `${minutes} min`;
  return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
}
