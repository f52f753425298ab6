/**
 * The watchdog state lives in one standard SSM parameter, which holds 4 KB:
 * the largest state any writer can produce — every time of the start and
 * stop timelines recorded, the longest probe error kept, each character of it
 * one that JSON escapes to six — must fit, or the write fails and the game is
 * no longer watched.
 */
import { decide, MAX_ERROR_CHARS, type DecideConfig } from '../../../src/lambdas/watchdog/decide';
import { parseWatchdogState, StopReasonSchema, WatchdogStateSchema, type WatchdogState } from '../../../src/runtime/watchdog-state';

/** SSM's limit of a standard parameter's value. */
const SSM_STANDARD_VALUE_BYTES = 4096;
const CONFIG: DecideConfig = { idleMinutes: 10, startupMinutes: 15, maxHours: 8, stopAfterMaxHours: false };
const T = '2025-06-01T18:00:00.000Z';

/** The longest value of each picklist: the state's size depends on it. */
const longest = (options: readonly string[]) => options.reduce((a, b) => (b.length > a.length ? b : a));

describe('the largest watchdog state', () => {
  it('fits in one standard SSM parameter and still parses', () => {
    const timeline: WatchdogState = {
      instanceId: 'i-0123456789abcdef0',
      launchedAt: T,
      watchingSince: T,
      readyAt: T,
      lastPlayersAt: T,
      players: Number.MAX_SAFE_INTEGER,
      everJoined: true,
      consecutiveProbeErrors: Number.MAX_SAFE_INTEGER,
      lastRunAt: T,
      maxHoursAlerted: true,
      idleSince: T,
      probeErrorsSince: T,
      stopRequestedAt: T,
      stopReason: longest(StopReasonSchema.options) as WatchdogState['stopReason'],
      wakeAt: T,
      lookupAt: T,
      startSource: 'pending-wake',
      instanceRunningAt: T,
      agentRegisteredAt: T,
      pullStartedAt: T,
      pullStoppedAt: T,
      taskRunningAt: T,
      drainStartedAt: T,
      containerExitedAt: T,
      terminatedAt: T,
    };
    // The error as the watchdog keeps it (cut by decide), made of control characters JSON writes as \u0001.
    const { state: withError } = decide({ ...timeline, readyAt: undefined, stopRequestedAt: undefined }, { ok: false, error: '\u0001'.repeat(10 * MAX_ERROR_CHARS) }, { now: new Date(T), readyFrom: { at: T, from: 'lookup' } }, CONFIG);
    const largest: WatchdogState = { ...timeline, lastProbeError: withError.lastProbeError! };
    const stored = JSON.stringify(largest);

    expect(largest.lastProbeError).toHaveLength(MAX_ERROR_CHARS);
    // Every field of the schema is in it: a field added later must be sized here too.
    expect(Object.keys(largest).sort()).toEqual(Object.keys(WatchdogStateSchema.entries).sort());
    expect(parseWatchdogState(stored).ok).toBe(true);
    expect(Buffer.byteLength(stored, 'utf8')).toBeLessThanOrEqual(SSM_STANDARD_VALUE_BYTES);
  });
});
