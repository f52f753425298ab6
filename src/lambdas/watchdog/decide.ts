/**
 * The watchdog's decision, as a pure function of what it remembers, what the
 * probe saw this minute and the time. Everything the handler does (scale to
 * 0, notify, alert) comes out of here as plain data, so whole timelines can
 * be tested without AWS.
 */
import type { OperatorCommands } from './operator-commands';
import type { ProbeResult } from './probes/probe-result';
import type { StopReason, WatchdogRecord } from './watchdog-record';

export interface DecideConfig {
  /** Minutes with zero players (after ready) before the server is stopped. */
  readonly idleMinutes: number;
  /** Minutes from launch the game has to answer its first probe. */
  readonly startupMinutes: number;
  /** Hours up after which an alert is sent (once). */
  readonly maxHours: number;
  /** Also stop the server when it has been up for maxHours. */
  readonly stopAfterMaxHours: boolean;
  /** What the alerts tell the operator to run. */
  readonly commands: OperatorCommands;
}

export type Action =
  | { readonly type: 'notify-ready'; readonly seconds: number }
  | { readonly type: 'stop'; readonly reason: StopReason; readonly minutes: number }
  | { readonly type: 'alert'; readonly message: string };

export interface Decision {
  readonly state: WatchdogRecord;
  readonly actions: readonly Action[];
}

/**
 * A game that stops answering mid-play is stopped only after this many minutes
 * of errors at least (or idleMinutes, if longer): a restart of the game
 * container or a short network problem must not end an evening of play.
 */
export const MIN_UNREACHABLE_MINUTES = 5;

const MINUTE_MS = 60_000;

export function decide(state: WatchdogRecord, probe: ProbeResult, now: Date, config: DecideConfig): Decision {
  const nowIso = now.toISOString();
  // The stop was already decided (and the group scaled to 0): deciding again
  // would only repeat the notification while the instance drains.
  if (state.stopRequestedAt !== undefined) return { state: { ...state, lastRunAt: nowIso }, actions: [] };

  const actions: Action[] = [];
  let next: WatchdogRecord = probe.ok
    ? afterAnswer(state, probe.players, now, actions)
    : {
        ...state,
        consecutiveProbeErrors: state.consecutiveProbeErrors + 1,
        probeErrorsSince: state.probeErrorsSince ?? nowIso,
        lastProbeError: probe.error,
      };
  next = { ...next, lastRunAt: nowIso };

  const upMinutes = minutesBetween(next.launchedAt, now);
  const stop = chooseStop(next, probe, now, upMinutes, config);

  if (upMinutes >= config.maxHours * 60 && !next.maxHoursAlerted && (stop === undefined || stop.reason === 'max-hours')) {
    next = { ...next, maxHoursAlerted: true };
    const hours = Math.floor(upMinutes / 60);
    actions.push({
      type: 'alert',
      message: stop
        ? `has been up for ${hours} h (maxHours ${config.maxHours}); stopping it.`
        : `has been up for ${hours} h (maxHours ${config.maxHours}) and keeps running because stopAfterMaxHours is off; if nobody plays, stop it with: ${config.commands.stop}`,
    });
  }

  if (stop) {
    next = { ...next, stopRequestedAt: nowIso, stopReason: stop.reason };
    actions.push({ type: 'stop', reason: stop.reason, minutes: stop.minutes });
    if (stop.alert) actions.push({ type: 'alert', message: stop.alert });
  }
  return { state: next, actions };
}

/** State after a successful probe: ready on the first one, idle clock kept. */
function afterAnswer(state: WatchdogRecord, players: number, now: Date, actions: Action[]): WatchdogRecord {
  const nowIso = now.toISOString();
  const { probeErrorsSince, lastProbeError: _lastError, ...rest } = state;
  let next: WatchdogRecord = { ...rest, consecutiveProbeErrors: 0 };

  if (next.readyAt === undefined) {
    // Nobody has joined yet: the idle clock runs from ready, so a wake-up
    // nobody follows (a scanner, a friend who changed their mind) ends too.
    next = { ...next, readyAt: nowIso, lastPlayersAt: nowIso, idleSince: nowIso };
    actions.push({ type: 'notify-ready', seconds: Math.max(0, Math.round((now.getTime() - Date.parse(next.launchedAt)) / 1000)) });
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
  readonly reason: StopReason;
  readonly minutes: number;
  readonly alert?: string;
}

function chooseStop(state: WatchdogRecord, probe: ProbeResult, now: Date, upMinutes: number, config: DecideConfig): StopChoice | undefined {
  return neverReady(state, upMinutes, config)
    ?? unreachable(state, probe, now, config)
    ?? idle(state, probe, now, config)
    ?? (config.stopAfterMaxHours && upMinutes >= config.maxHours * 60 ? { reason: 'max-hours', minutes: Math.floor(upMinutes) } : undefined);
}

function neverReady(state: WatchdogRecord, upMinutes: number, config: DecideConfig): StopChoice | undefined {
  if (state.readyAt !== undefined || upMinutes < config.startupMinutes) return undefined;
  return {
    reason: 'never-ready',
    minutes: Math.floor(upMinutes),
    alert: `was not ready ${Math.floor(upMinutes)} min after launch (startupMinutes ${config.startupMinutes}); `
      + `last probe error: ${state.lastProbeError ?? 'none'}. Stopping it; see the game's log with: ${config.commands.logs}`,
  };
}

function unreachable(state: WatchdogRecord, probe: ProbeResult, now: Date, config: DecideConfig): StopChoice | undefined {
  if (state.readyAt === undefined || probe.ok || state.probeErrorsSince === undefined) return undefined;
  const errorMinutes = minutesBetween(state.probeErrorsSince, now);
  if (errorMinutes < Math.max(config.idleMinutes, MIN_UNREACHABLE_MINUTES)) return undefined;
  return {
    reason: 'unreachable',
    minutes: Math.floor(errorMinutes),
    alert: `did not answer the probe for ${Math.floor(errorMinutes)} min (last error: ${probe.error}). Stopping it; see the game's log with: ${config.commands.logs}`,
  };
}

/** Zero players seen by a probe that answered; errors never count as zero players. */
function idle(state: WatchdogRecord, probe: ProbeResult, now: Date, config: DecideConfig): StopChoice | undefined {
  if (state.readyAt === undefined || !probe.ok || probe.players > 0) return undefined;
  const idleMinutes = minutesBetween(idleClockStart(state), now);
  return idleMinutes >= config.idleMinutes ? { reason: 'idle', minutes: Math.floor(idleMinutes) } : undefined;
}

/** A state written before the watchdog kept `idleSince` falls back to the last players seen, then ready. */
function idleClockStart(state: WatchdogRecord): string {
  return state.idleSince ?? state.lastPlayersAt ?? state.readyAt ?? state.launchedAt;
}

function minutesBetween(fromIso: string, to: Date): number {
  return (to.getTime() - Date.parse(fromIso)) / MINUTE_MS;
}
