/**
 * The watchdog's decisions, as pure functions of plain data: which instance
 * to watch, which state to go on from, whether to probe again, and what to do
 * after the probe (stop, announce, alert). No AWS, no clock, no logging, so
 * whole timelines are tested without either.
 */
import { PLACEHOLDER_IPV4, PLACEHOLDER_IPV6 } from '../../runtime/dns';
import type { Session } from '../../runtime/session';
import { secondsBetween } from '../../runtime/times';
import { withStopDecision, type ParsedState, type WatchdogState, type WatchdogStopReason } from '../../runtime/watchdog-state';
import type { ProbeResult } from './probes/probe-result';

export interface DecideConfig {
  /** Minutes with zero players (after ready) before the server is stopped. */
  readonly idleMinutes: number;
  /** Minutes from launch (or from a restarted watch) the game has to answer its first probe. */
  readonly startupMinutes: number;
  /** Hours up after which an alert is sent (once). */
  readonly maxHours: number;
  /** Also stop the server when it has been up for maxHours. */
  readonly stopAfterMaxHours: boolean;
}

/** What "ready in N s" counts from: the player's lookup, the start (`gm start`, no lookup), or this instance's launch (a replacement). */
export type ReadyFrom = 'lookup' | 'start' | 'launch';

/**
 * Where the wait went, in whole seconds; a phase whose times were not
 * recorded is absent. The phases do not add up to the total: the gaps between
 * them (the task placed on the registered host, the container created after
 * the pull) are short and belong to no one phase.
 * - instance: from the lookup (or the start, or the launch) until the host's ECS agent registered;
 * - image: the game task's image pull;
 * - game: from the container running until the game answered its first probe.
 */
export interface StartPhases {
  readonly instance?: number;
  readonly image?: number;
  readonly game?: number;
}

export type Action =
  | { readonly type: 'notify-ready'; readonly seconds: number; readonly from: ReadyFrom; readonly phases: StartPhases }
  | { readonly type: 'stop'; readonly reason: WatchdogStopReason; readonly minutes: number }
  /** Up for maxHours: said once, with whether this run stops it. */
  | { readonly type: 'max-hours'; readonly hours: number; readonly stopping: boolean };

export interface Decision {
  readonly state: WatchdogState;
  readonly actions: readonly Action[];
}

/**
 * A game that stops answering mid-play is stopped only after this many minutes
 * of errors at least (or idleMinutes, if longer): a restart of the game
 * container or a short network problem must not end an evening of play.
 */
export const MIN_UNREACHABLE_MINUTES = 5;

/**
 * A launch this long after the session's start is not the one the player's
 * lookup asked for but a replacement (spot interruption, failed health check):
 * its readiness counts from its own launch.
 */
export const LAUNCH_FOLLOWS_START_MS = 10 * 60_000;

/** The longest probe error kept in the state (the parameter holds 4 KB in all). */
export const MAX_ERROR_CHARS = 400;

const MINUTE_MS = 60_000;

// ---------------------------------------------------------------- state

export interface StartedState {
  readonly state: WatchdogState;
  /** Why a fresh state was started, for the log; undefined when the stored one goes on. */
  readonly freshBecause?: string;
}

/**
 * The state to go on from. Anything that is not a state of this instance in
 * this session (missing, garbled, another instance's, or one the same
 * warm-pool instance left in an earlier session) starts a fresh one, which
 * starts the startup grace from now (`watchingSince`): a state lost while
 * people play must not make the game look "not ready for an hour".
 */
export function startState(stored: ParsedState<WatchdogState>, instanceId: string, session: Session | undefined, now: Date): StartedState {
  const fresh = (because: string): StartedState => ({
    state: {
      instanceId,
      // The session's start is the wake-up; without one, all that is known is now.
      launchedAt: session?.startedAt ?? now.toISOString(),
      watchingSince: now.toISOString(),
      everJoined: false,
      consecutiveProbeErrors: 0,
      maxHoursAlerted: false,
    },
    freshBecause: because,
  });
  if (!stored.ok) return fresh(stored.problem);
  const state = stored.value;
  if (state.instanceId !== instanceId) return fresh(`stored state belongs to instance ${state.instanceId}`);
  if (session) {
    // A session starts before anything of its own is recorded: what was seen earlier belongs to an earlier session.
    const sessionStart = Date.parse(session.startedAt);
    if ([state.readyAt, state.stopRequestedAt, state.lastRunAt].some((t) => t !== undefined && Date.parse(t) < sessionStart)) {
      return fresh('stored state is from an earlier session of this instance');
    }
  }
  return { state };
}

/**
 * A stop the watchdog decided holds only while the group stays at 0. If the
 * group was raised again (a player woke it, or someone set it to 1) while the
 * same instance kept running, the watchdog must watch it again from now.
 */
export function resumeIfRestarted(state: WatchdogState, desiredCapacity: number, now: Date): WatchdogState {
  if (state.stopRequestedAt === undefined || desiredCapacity === 0) return state;
  const { stopRequestedAt: _at, stopReason: _reason, ...rest } = state;
  return { ...rest, idleSince: now.toISOString() };
}

/** The state kept while the group is at 0 (a stop under way): only the run time moves, for the failsafe. */
export function stoppingState(state: WatchdogState, now: Date): WatchdogState {
  return { ...state, lastRunAt: later(state.lastRunAt, now.toISOString()) };
}

/**
 * A state started mid-session (it was lost, or unreadable) long after the
 * launch: the game was ready before, so its first answer is not announced and
 * a silence is "unreachable", not "never ready".
 */
export function isResumedWatch(state: WatchdogState, config: Pick<DecideConfig, 'startupMinutes'>): boolean {
  return state.watchingSince !== undefined && minutesBetween(state.launchedAt, new Date(state.watchingSince)) >= config.startupMinutes;
}

export interface ReadinessStart {
  /** ISO time. */
  readonly at: string;
  readonly from: ReadyFrom;
}

/**
 * When "ready in N s" counts from: the player's lookup that started this
 * launch, else the start (the wake call, e.g. `gm start`), else the launch.
 * A launch long after the session's start is a replacement: it counts from
 * its own launch. The session is read first; the state's copy of it (made at
 * launch) stands in when the session could not be read.
 */
export function readinessStart(state: WatchdogState, session: Session | undefined): ReadinessStart {
  const launched = Date.parse(state.launchedAt);
  const wakeAt = session?.startedAt ?? state.wakeAt;
  const lookupAt = session ? session.lookupAt : state.lookupAt;
  const followsStart = wakeAt !== undefined && Math.abs(launched - Date.parse(wakeAt)) <= LAUNCH_FOLLOWS_START_MS;
  if (followsStart && lookupAt !== undefined && Date.parse(lookupAt) <= launched) return { at: lookupAt, from: 'lookup' };
  if (followsStart && wakeAt !== undefined && Date.parse(wakeAt) <= launched) return { at: wakeAt, from: 'start' };
  return { at: state.launchedAt, from: 'launch' };
}

/** A phase's length, undefined when one of its ends was not seen. */
const phaseSeconds = (from: string | undefined, to: string | undefined): number | undefined =>
  from === undefined || to === undefined ? undefined : secondsBetween(from, to);

/**
 * The phases of a start that got ready at `readyAt` (see StartPhases). The
 * instance phase ends when the host's agent registered; an instance back from
 * the warm pool registered before this launch, so its phase ends when it ran
 * again (as the instance hook saw it).
 */
export function startPhases(state: WatchdogState, readyFrom: ReadinessStart, readyAt: string): StartPhases {
  const registeredThisLaunch = state.agentRegisteredAt !== undefined && Date.parse(state.agentRegisteredAt) >= Date.parse(state.launchedAt);
  const hostUp = registeredThisLaunch ? state.agentRegisteredAt : state.instanceRunningAt;
  const instance = phaseSeconds(readyFrom.at, hostUp);
  const image = phaseSeconds(state.pullStartedAt, state.pullStoppedAt);
  const game = phaseSeconds(state.taskRunningAt, readyAt);
  return { ...(instance !== undefined ? { instance } : {}), ...(image !== undefined ? { image } : {}), ...(game !== undefined ? { game } : {}) };
}

/** ECS's times of this start, as `readEcsStartTimes` (aws.ts) read them (ISO). */
export interface StartTimes {
  readonly agentRegisteredAt?: string;
  readonly pullStartedAt?: string;
  readonly pullStoppedAt?: string;
  readonly taskStartedAt?: string;
}

/**
 * The state with the start's times recorded once: ECS's where it answered,
 * else the time the watchdog saw the container running. A time already
 * recorded is never replaced, so every reader sees one timeline.
 */
export function withStartTimes(state: WatchdogState, times: StartTimes | undefined, containerSeenAt: string): WatchdogState {
  const keep = <K extends keyof WatchdogState>(key: K, value: WatchdogState[K] | undefined) =>
    state[key] === undefined && value !== undefined ? { [key]: value } : {};
  return {
    ...state,
    ...keep('agentRegisteredAt', times?.agentRegisteredAt),
    ...keep('pullStartedAt', times?.pullStartedAt),
    ...keep('pullStoppedAt', times?.pullStoppedAt),
    ...keep('taskRunningAt', times?.taskStartedAt ?? containerSeenAt),
  };
}

/**
 * While a start is booting, the instance hook records when the instance ran
 * (`instanceRunningAt`) in the stored state while a watchdog run may be
 * probing with its own copy: the run takes the hook's time over from the
 * stored state of the same launch before it saves, instead of erasing it.
 */
export function adoptHookTimes(state: WatchdogState, stored: ParsedState<WatchdogState>): WatchdogState {
  if (state.instanceRunningAt !== undefined || !stored.ok) return state;
  const other = stored.value;
  if (other.instanceId !== state.instanceId || other.launchedAt !== state.launchedAt || other.instanceRunningAt === undefined) return state;
  return { ...state, instanceRunningAt: other.instanceRunningAt };
}

/** The run must look at the stored state again before saving: the hook may still add its time of this boot. */
export function awaitsHookTimes(state: WatchdogState): boolean {
  return state.readyAt === undefined && state.instanceRunningAt === undefined;
}

// ---------------------------------------------------------------- probing

export type ProbeType = 'query' | 'connections' | 'traffic';

/**
 * Probe again within this run? Only while the game is booting and has not
 * answered: then a player waits, and readiness is worth seeing within seconds
 * rather than on the next one-minute run. Traffic is measured per minute, so
 * probing it again within the minute learns nothing.
 */
export function keepProbing(state: WatchdogState, probe: ProbeResult, probeType: ProbeType): boolean {
  return !probe.ok && probeType !== 'traffic' && state.readyAt === undefined && state.stopRequestedAt === undefined;
}

export type ProbeHost = { readonly host: string } | { readonly error: string };

/** The address to query, from the game's DNS records: IPv4 first (a function outside a VPC has no IPv6 route). */
export function probeHost(fqdn: string, records: { readonly ipv4?: string; readonly ipv6?: string }): ProbeHost {
  if (records.ipv4 && records.ipv4 !== PLACEHOLDER_IPV4) return { host: records.ipv4 };
  if (records.ipv6 && records.ipv6 !== PLACEHOLDER_IPV6) return { host: records.ipv6 };
  if (records.ipv4 || records.ipv6) return { error: `${fqdn} still points at the placeholder address: the instance hook has not pointed it at the instance yet` };
  return { error: `${fqdn} has no A or AAAA record` };
}

// ---------------------------------------------------------------- decision

export interface RunFacts {
  /** The time of the probe's answer. */
  readonly now: Date;
  /** When readiness counts from (see `readinessStart`). */
  readonly readyFrom: ReadinessStart;
}

export function decide(state: WatchdogState, probe: ProbeResult, facts: RunFacts, config: DecideConfig): Decision {
  const { now } = facts;
  const nowIso = now.toISOString();
  // Never backwards: a run that started before the last one ended must not make the watchdog look silent.
  const lastRunAt = later(state.lastRunAt, nowIso);
  // The stop was already decided (and the group scaled to 0): deciding again
  // would only repeat the notification while the instance drains.
  if (state.stopRequestedAt !== undefined) return { state: { ...state, lastRunAt }, actions: [] };

  const actions: Action[] = [];
  let next: WatchdogState = probe.ok
    ? afterAnswer(state, probe.players, facts, config, actions)
    : {
        ...state,
        consecutiveProbeErrors: state.consecutiveProbeErrors + 1,
        probeErrorsSince: state.probeErrorsSince ?? nowIso,
        lastProbeError: probe.error.slice(0, MAX_ERROR_CHARS),
      };
  next = { ...next, lastRunAt };

  const upMinutes = minutesBetween(next.launchedAt, now);
  // No rule below stops a game whose probe just saw players: never ready and
  // unreachable need a failed probe, idle needs nobody. Only the operator's
  // own cap (stopAfterMaxHours) does.
  const stop = neverReady(next, upMinutes, now, config) ?? unreachable(next, probe, now, config) ?? idle(next, probe, now, config)
    ?? (config.stopAfterMaxHours && upMinutes >= config.maxHours * 60 ? { reason: 'max-hours' as const, minutes: Math.floor(upMinutes) } : undefined);

  if (upMinutes >= config.maxHours * 60 && !next.maxHoursAlerted && (stop === undefined || stop.reason === 'max-hours')) {
    next = { ...next, maxHoursAlerted: true };
    actions.push({ type: 'max-hours', hours: Math.floor(upMinutes / 60), stopping: stop !== undefined });
  }
  if (stop) {
    next = withStopDecision(next, stop.reason, now);
    actions.push({ type: 'stop', reason: stop.reason, minutes: stop.minutes });
  }
  return { state: next, actions };
}

/** State after a successful probe: ready on the first one, idle clock kept, players counted. */
function afterAnswer(state: WatchdogState, players: number, facts: RunFacts, config: DecideConfig, actions: Action[]): WatchdogState {
  const { now } = facts;
  const nowIso = now.toISOString();
  const { probeErrorsSince, lastProbeError: _lastError, ...rest } = state;
  let next: WatchdogState = { ...rest, consecutiveProbeErrors: 0, players };

  if (next.readyAt === undefined) {
    // Nobody has joined yet: the idle clock runs from ready, so a wake-up
    // nobody follows (a scanner, a friend who changed their mind) ends too.
    next = { ...next, readyAt: nowIso, lastPlayersAt: nowIso, idleSince: nowIso };
    if (!isResumedWatch(state, config)) {
      actions.push({
        type: 'notify-ready',
        seconds: secondsBetween(facts.readyFrom.at, nowIso),
        from: facts.readyFrom.from,
        phases: startPhases(next, facts.readyFrom, nowIso),
      });
    }
  } else if (probeErrorsSince !== undefined) {
    // The minutes the probe could not answer are unknown, not idle: pause the
    // idle clock for them instead of counting them as zero players.
    const unknownMs = now.getTime() - Date.parse(probeErrorsSince);
    const idleSince = Math.min(Date.parse(idleClockStart(next)) + Math.max(0, unknownMs), now.getTime());
    next = { ...next, idleSince: new Date(idleSince).toISOString() };
  }

  if (players > 0) next = { ...next, lastPlayersAt: nowIso, everJoined: true, idleSince: nowIso };
  return next;
}

interface StopChoice {
  readonly reason: WatchdogStopReason;
  readonly minutes: number;
}

/** Not ready within the startup grace, which runs from the launch, or from a watch restarted later. */
function neverReady(state: WatchdogState, upMinutes: number, now: Date, config: DecideConfig): StopChoice | undefined {
  if (state.readyAt !== undefined) return undefined;
  const graceMinutes = state.watchingSince === undefined ? upMinutes : Math.min(upMinutes, minutesBetween(state.watchingSince, now));
  if (graceMinutes < config.startupMinutes) return undefined;
  // A watch restarted mid-session follows a game that was ready: its silence is "no answer", not "never ready".
  return { reason: isResumedWatch(state, config) ? 'unreachable' : 'never-ready', minutes: Math.floor(graceMinutes) };
}

function unreachable(state: WatchdogState, probe: ProbeResult, now: Date, config: DecideConfig): StopChoice | undefined {
  if (state.readyAt === undefined || probe.ok || state.probeErrorsSince === undefined) return undefined;
  const errorMinutes = minutesBetween(state.probeErrorsSince, now);
  if (errorMinutes < Math.max(config.idleMinutes, MIN_UNREACHABLE_MINUTES)) return undefined;
  return { reason: 'unreachable', minutes: Math.floor(errorMinutes) };
}

/** Zero players seen by a probe that answered; errors never count as zero players. */
function idle(state: WatchdogState, probe: ProbeResult, now: Date, config: DecideConfig): StopChoice | undefined {
  if (state.readyAt === undefined || !probe.ok || probe.players > 0) return undefined;
  const idleMinutes = minutesBetween(idleClockStart(state), now);
  return idleMinutes >= config.idleMinutes ? { reason: 'idle', minutes: Math.floor(idleMinutes) } : undefined;
}

/** A state written before the watchdog kept `idleSince` falls back to the last players seen, then ready. */
function idleClockStart(state: WatchdogState): string {
  return state.idleSince ?? state.lastPlayersAt ?? state.readyAt ?? state.launchedAt;
}

function minutesBetween(fromIso: string, to: Date): number {
  return (to.getTime() - Date.parse(fromIso)) / MINUTE_MS;
}

/** The later of two ISO times (the second when the first is absent). */
export function later(a: string | undefined, b: string): string {
  return a !== undefined && Date.parse(a) > Date.parse(b) ? a : b;
}
