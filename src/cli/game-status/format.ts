/**
 * A game's status as people read it (a block of lines) and as scripts read
 * it (one JSON object with the same keys whatever the phase: absent values
 * are null, times are ISO 8601). Times in the text are UTC clock times.
 */
import { seconds } from '../progress';
import { describeStopReason, type CostSoFar, type GameStatus, type TimelineStep } from './derive';

/** "18:00:20" (UTC). */
export function clockTime(iso: string): string {
  return new Date(iso).toISOString().slice(11, 19);
}

/** "2025-06-01 18:08:00 UTC". */
function dateTime(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** "2 h 5 min", "5 min 20 s", "40 s". */
export function duration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return s % 60 > 0 ? `${m} min ${s % 60} s` : `${m} min`;
  return `${s} s`;
}

/** One line of the timeline: clock time, step, and the seconds since the step before it. */
export function timelineLine(step: TimelineStep<string>, previous: TimelineStep<string> | undefined): string {
  const since = previous ? `  +${seconds(Date.parse(step.at) - Date.parse(previous.at))}` : '';
  return `${clockTime(step.at)}  ${step.step.padEnd(17)}${since}`.trimEnd();
}

export function timelineLines(timeline: readonly TimelineStep<string>[]): string[] {
  return timeline.map((step, i) => timelineLine(step, timeline[i - 1]));
}

/** "cost so far: $0.07 (1.4 h × $0.0504/h)" or "cost so far: unknown (no price for …)". */
export function costLine(cost: CostSoFar): string {
  if (!cost.known) return `cost so far: unknown (${cost.missing})`;
  return `cost so far: $${cost.usd.toFixed(2)} (${cost.hours.toFixed(1)} h × $${cost.usdPerHour.toFixed(4)}/h)`;
}

const SOURCE_TEXT = { lookup: "a player's lookup", operator: 'gm start', 'pending-wake': 'a wake during the previous stop' } as const;

export function statusLines(status: GameStatus): string[] {
  const lines = [`${status.game} (${status.fqdn}): ${status.phase}${status.detail ? ` — ${status.detail}` : ''}`];
  const add = (line: string) => lines.push(`  ${line}`);
  if (status.players !== undefined) add(`players: ${status.players}${status.playersAt ? ` (counted ${clockTime(status.playersAt)})` : ''}`);
  if (status.ipv4 || status.ipv6) add(`address: ${status.fqdn} → ${[status.ipv4, status.ipv6].filter(Boolean).join(', ')}${status.instanceId ? ` (${status.instanceId})` : ''}`);
  if (status.uptimeSeconds !== undefined) add(`uptime: ${duration(status.uptimeSeconds)}`);
  if (status.timeline.length > 0) {
    const current = status.phase === 'starting' || status.phase === 'running';
    add(`${current ? 'start' : 'last start'}${status.startSource ? ` (asked by ${SOURCE_TEXT[status.startSource]})` : ''}, UTC:`);
    for (const line of timelineLines(status.timeline)) add(`  ${line}`);
  }
  if (status.lastStop) {
    add(`last stop: ${dateTime(status.lastStop.at)} (${describeStopReason(status.lastStop.reason)})`);
    // The decision alone adds nothing to the line above; its steps after it do.
    if (status.lastStop.timeline.length > 1) for (const line of timelineLines(status.lastStop.timeline)) add(`  ${line}`);
  }
  else if (status.phase === 'stopped') add('last stop: not recorded');
  if (status.pendingWake) add('a wake is waiting: the game starts again when the stop ends');
  if (status.cost) add(costLine(status.cost));
  return lines;
}

/** A timeline as JSON: each step with its ISO time and the whole seconds since the step before (null for the first). */
function timelineJson(timeline: readonly TimelineStep<string>[]): { step: string; at: string; sincePreviousSeconds: number | null }[] {
  let previous: TimelineStep<string> | undefined;
  return timeline.map((step) => {
    const sincePreviousSeconds = previous ? Math.max(0, Math.round((Date.parse(step.at) - Date.parse(previous.at)) / 1000)) : null;
    previous = step;
    return { step: step.step, at: step.at, sincePreviousSeconds };
  });
}

/** The JSON form: every key always present, in this order. */
export function statusJson(status: GameStatus): Record<string, unknown> {
  return {
    game: status.game,
    fqdn: status.fqdn,
    phase: status.phase,
    detail: status.detail ?? null,
    players: status.players ?? null,
    playersAt: status.playersAt ?? null,
    ipv4: status.ipv4 ?? null,
    ipv6: status.ipv6 ?? null,
    instanceId: status.instanceId ?? null,
    uptimeSeconds: status.uptimeSeconds ?? null,
    startSource: status.startSource ?? null,
    timeline: timelineJson(status.timeline),
    lastStop: status.lastStop ? { at: status.lastStop.at, reason: status.lastStop.reason, timeline: timelineJson(status.lastStop.timeline) } : null,
    pendingWake: status.pendingWake,
    cost: status.cost
      ? status.cost.known
        ? { usd: Math.round(status.cost.usd * 10_000) / 10_000, hours: Math.round(status.cost.hours * 1000) / 1000, usdPerHour: status.cost.usdPerHour, missing: null }
        : { usd: null, hours: null, usdPerHour: null, missing: status.cost.missing }
      : null,
  };
}
