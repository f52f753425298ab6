/**
 * A game's condition, derived from the facts `read.ts` gathered: pure, so
 * every rule below is tested on plain data.
 *
 * Phases:
 * - `not-deployed`: the game's Auto Scaling group does not exist;
 * - `starting`: the group is at 1 and the game has not answered its first probe yet
 *   (or the watchdog's answer belongs to an earlier host);
 * - `running`: the group is at 1 and the watchdog has seen the game answer on this host;
 * - `stopping`: the group is at 0 and a host is still there (draining, saving, terminating);
 * - `stopped`: the group is at 0 with no host;
 * - `failed`: something went wrong and needs a look — the group is at 1 but the game's
 *   newest task exited with an error (or failed to start) and none runs, or the game is
 *   stopped and its last stop was not a normal one (never ready, unreachable, or the failsafe).
 */
import { groupCondition, type GroupSnapshot, type Session, type StartSource } from '../../runtime/session';
import type { StopReason, WatchdogState } from '../../runtime/watchdog-state';
import { hostInstanceId, type GameFacts } from './read';

export type Phase = 'not-deployed' | 'stopped' | 'starting' | 'running' | 'stopping' | 'failed';

/** The steps of a start, in the order they happen (the README's "Where a start's time goes"). */
export const TIMELINE_STEPS = [
  'lookup',
  'wake',
  'instance launched',
  'instance running',
  'agent registered',
  'pulling image',
  'image pulled',
  'task running',
  'ready',
] as const;
export type TimelineStepName = (typeof TIMELINE_STEPS)[number];

/** A stop's steps, as the stop rule and the terminate hook record them in the watchdog state. */
export const STOP_STEPS = ['stop decided', 'drain started', 'container exited', 'instance released'] as const;
export type StopStepName = (typeof STOP_STEPS)[number];

export interface TimelineStep<Name extends string = TimelineStepName> {
  readonly step: Name;
  /** ISO time. */
  readonly at: string;
}

export interface LastStop {
  /** When the stop was decided. */
  readonly at: string;
  readonly reason: StopReason;
  /** From the decision to the instance released (terminated, or back in the warm pool), as far as it got. */
  readonly timeline: readonly TimelineStep<StopStepName>[];
}

/** Stops that mean something went wrong (the others are the players' or the operator's). */
export const FAILED_STOPS: ReadonlySet<StopReason> = new Set(['never-ready', 'unreachable', 'failsafe']);

export type HourlyPrice = { readonly ok: true; readonly usdPerHour: number } | { readonly ok: false; readonly missing: string };

export type CostSoFar =
  | { readonly known: true; readonly usd: number; readonly hours: number; readonly usdPerHour: number }
  | { readonly known: false; readonly missing: string };

export interface GameStatus {
  readonly game: string;
  readonly fqdn: string;
  readonly phase: Phase;
  /** What the phase is waiting for or why it failed, in a few words. */
  readonly detail?: string;
  readonly players?: number;
  /** ISO time the watchdog counted `players`. */
  readonly playersAt?: string;
  readonly ipv4?: string;
  readonly ipv6?: string;
  readonly instanceId?: string;
  readonly uptimeSeconds?: number;
  /** Who asked for the current or last start. */
  readonly startSource?: StartSource;
  readonly timeline: readonly TimelineStep[];
  readonly lastStop?: LastStop;
  /** Only while a host runs (starting, running, stopping). */
  readonly cost?: CostSoFar;
  /** A wake came during the stop: the game starts again when the stop ends. */
  readonly pendingWake: boolean;
}

const ms = (iso: string | undefined): number => (iso === undefined ? Number.NaN : Date.parse(iso));

/** The start the facts show: the session's while it lasts, else the last one the watchdog state remembers. */
interface StartRecord {
  readonly wakeAt?: string;
  readonly lookupAt?: string;
  readonly source?: StartSource;
  /** The watchdog state, when it belongs to this start's launch (not to an earlier one). */
  readonly state?: WatchdogState;
}

function startRecord(session: Session | undefined, state: WatchdogState | undefined): StartRecord {
  if (!session) {
    return {
      ...(state?.wakeAt ? { wakeAt: state.wakeAt } : {}),
      ...(state?.lookupAt ? { lookupAt: state.lookupAt } : {}),
      ...(state?.startSource ? { source: state.startSource } : {}),
      ...(state ? { state } : {}),
    };
  }
  // A launch serves this session when it copied the session's start, or came after it (older states did not copy it).
  const ofThisStart = state !== undefined && (state.wakeAt === session.startedAt || ms(state.launchedAt) >= ms(session.startedAt));
  return {
    wakeAt: session.startedAt,
    ...(session.lookupAt ? { lookupAt: session.lookupAt } : {}),
    source: session.source,
    ...(ofThisStart ? { state } : {}),
  };
}

/** The last stop recorded in the state: when and why it was decided, and its steps after that. */
function lastStopOf(state: WatchdogState | undefined): LastStop | undefined {
  if (!state?.stopRequestedAt || !state.stopReason) return undefined;
  const times: Record<StopStepName, string | undefined> = {
    'stop decided': state.stopRequestedAt,
    'drain started': state.drainStartedAt,
    'container exited': state.containerExitedAt,
    'instance released': state.terminatedAt,
  };
  const timeline = STOP_STEPS.flatMap((step) => (times[step] === undefined ? [] : [{ step, at: times[step] as string }]));
  return { at: state.stopRequestedAt, reason: state.stopReason, timeline };
}

export function timelineOf(facts: GameFacts): TimelineStep[] {
  const start = startRecord(facts.session, facts.state);
  const state = start.state;
  const hostId = hostInstanceId(facts.group);
  // Live facts of the host count for this start only when it is the host this start launched.
  const hostOfStart = facts.host !== undefined && hostId !== undefined && (state === undefined || state.instanceId === hostId);
  const launched = state?.launchedAt ?? (hostOfStart ? facts.host?.launchTime : undefined);
  const task = facts.task && launched !== undefined && ms(facts.task.createdAt) >= ms(launched) ? facts.task : undefined;
  // What the functions recorded in the state first (it outlives ECS's memory of the task); the live reads fill in the rest.
  const times: Record<TimelineStepName, string | undefined> = {
    lookup: start.lookupAt,
    wake: start.wakeAt,
    'instance launched': launched,
    'instance running': state?.instanceRunningAt,
    'agent registered': state?.agentRegisteredAt ?? (hostOfStart ? facts.hostRegisteredAt : undefined),
    'pulling image': state?.pullStartedAt ?? task?.pullStartedAt,
    'image pulled': state?.pullStoppedAt ?? task?.pullStoppedAt,
    'task running': state?.taskRunningAt ?? task?.startedAt,
    ready: state?.readyAt,
  };
  return TIMELINE_STEPS.flatMap((step) => (times[step] === undefined ? [] : [{ step, at: times[step] as string }]));
}

function taskFailed(facts: GameFacts, launched: string | undefined): string | undefined {
  const task = facts.task;
  if (!task || task.lastStatus !== 'STOPPED') return undefined;
  if (launched !== undefined && ms(task.createdAt) < ms(launched)) return undefined;
  const error = task.stopCode === 'TaskFailedToStart' || (task.exitCode !== undefined && task.exitCode !== 0);
  if (!error) return undefined;
  const exit = task.exitCode !== undefined ? `exit code ${task.exitCode}` : task.stopCode;
  return `the game container stopped (${[exit, task.stoppedReason].filter(Boolean).join(': ')})`;
}

/** The reason as the status prints it: its words without hyphens (`max-hours` → `max hours`). */
export function describeStopReason(reason: StopReason): string {
  return reason.replace(/-/g, ' ');
}

/** What a start is waiting for now. */
function startingDetail(facts: GameFacts, group: GroupSnapshot, state: WatchdogState | undefined): string {
  const hostId = hostInstanceId(group);
  if (!hostId) return facts.session?.launchFailures ? `launching an instance (${facts.session.launchFailures} failed launch(es) so far)` : 'launching an instance';
  if (facts.host?.state === 'pending' || facts.hostRegisteredAt === undefined) return `instance ${hostId} booting`;
  const task = facts.task;
  if (!task || task.lastStatus === 'PROVISIONING' || task.lastStatus === 'PENDING') {
    return task?.pullStartedAt && !task.pullStoppedAt ? 'pulling the game image' : 'starting the game container';
  }
  if (state?.lastProbeError) return `waiting for the game to answer (last probe: ${state.lastProbeError})`;
  return 'waiting for the game to answer';
}

function stoppingDetail(facts: GameFacts): string {
  const saving = facts.task?.lastStatus === 'RUNNING' && facts.task.desiredStatus === 'STOPPED';
  return facts.task?.lastStatus === 'RUNNING' ? (saving ? 'draining: the game is saving' : 'draining') : 'instance terminating';
}

/** Why a start that did not get ready did not: the watchdog's last probe error, the task's end, failed launches. */
export function startProblem(facts: GameFacts): string | undefined {
  const start = startRecord(facts.session, facts.state);
  const launched = start.state?.launchedAt;
  return (
    taskFailed(facts, launched) ??
    (start.state?.lastProbeError ? `the game did not answer: ${start.state.lastProbeError}` : undefined) ??
    (facts.session?.launchFailures ? `${facts.session.launchFailures} instance launch(es) failed` : undefined)
  );
}

export function gameStatus(game: { readonly id: string; readonly fqdn: string }, facts: GameFacts, price: HourlyPrice): GameStatus {
  const base = { game: game.id, fqdn: game.fqdn, pendingWake: facts.pendingWake };
  const { group } = facts;
  if (!group) return { ...base, phase: 'not-deployed', detail: 'no Auto Scaling group', timeline: [] };
  const start = startRecord(facts.session, facts.state);
  const state = start.state;
  const timeline = timelineOf(facts);
  const hostId = hostInstanceId(group);
  const launched = state?.launchedAt ?? facts.host?.launchTime;
  const lastStop = lastStopOf(state);
  const now = ms(facts.readAt);

  const condition = groupCondition(group);
  let phase: Phase;
  let detail: string | undefined;
  if (condition === 'up') {
    const failure = taskFailed(facts, launched);
    const answered = state?.readyAt !== undefined && state.instanceId === hostId && state.stopRequestedAt === undefined;
    if (failure) [phase, detail] = ['failed', failure];
    else if (answered) phase = 'running';
    else [phase, detail] = ['starting', startingDetail(facts, group, state)];
  } else if (condition === 'stopping') {
    [phase, detail] = ['stopping', stoppingDetail(facts)];
  } else if (lastStop && FAILED_STOPS.has(lastStop.reason)) {
    [phase, detail] = ['failed', `last stop: ${describeStopReason(lastStop.reason)}${state?.lastProbeError ? ` (last probe: ${state.lastProbeError})` : ''}`];
  } else {
    phase = 'stopped';
  }

  const up = phase === 'starting' || phase === 'running' || phase === 'stopping' || (phase === 'failed' && condition === 'up');
  const upSince = facts.host?.launchTime ?? state?.launchedAt;
  const uptimeSeconds = up && upSince !== undefined ? Math.max(0, Math.round((now - ms(upSince)) / 1000)) : undefined;
  const hours = uptimeSeconds === undefined ? undefined : uptimeSeconds / 3600;
  const cost: CostSoFar | undefined =
    hours === undefined ? undefined : price.ok ? { known: true, usd: hours * price.usdPerHour, hours, usdPerHour: price.usdPerHour } : { known: false, missing: price.missing };
  const showPlayers = phase === 'running' && state?.players !== undefined;

  return {
    ...base,
    phase,
    ...(detail ? { detail } : {}),
    ...(showPlayers ? { players: state.players, ...(state.lastRunAt ? { playersAt: state.lastRunAt } : {}) } : {}),
    ...(up && facts.host?.ipv4 ? { ipv4: facts.host.ipv4 } : {}),
    ...(up && facts.host?.ipv6 ? { ipv6: facts.host.ipv6 } : {}),
    ...(hostId ? { instanceId: hostId } : {}),
    ...(uptimeSeconds !== undefined ? { uptimeSeconds } : {}),
    ...(start.source ? { startSource: start.source } : {}),
    timeline,
    ...(lastStop ? { lastStop } : {}),
    ...(cost ? { cost } : {}),
  };
}
