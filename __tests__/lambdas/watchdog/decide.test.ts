/** The watchdog's decisions on plain data: whole timelines, one run per minute, no AWS, no clock. */
import {
  adoptHookTimes,
  awaitsHookTimes,
  decide,
  isResumedWatch,
  keepProbing,
  later,
  MAX_ERROR_CHARS,
  probeHost,
  readinessStart,
  resumeIfRestarted,
  startPhases,
  startState,
  stoppingState,
  withStartTimes,
  type Action,
  type DecideConfig,
} from '../../../src/lambdas/watchdog/decide';
import type { ProbeResult } from '../../../src/lambdas/watchdog/probes/probe-result';
import { chooseInstance, type Session } from '../../../src/runtime/session';
import type { WatchdogState } from '../../../src/runtime/watchdog-state';

const LAUNCHED_AT = new Date('2025-01-01T12:00:00.000Z');
const DEFAULTS: DecideConfig = { idleMinutes: 10, startupMinutes: 15, maxHours: 8, stopAfterMaxHours: false };
const at = (minutes: number) => new Date(LAUNCHED_AT.getTime() + minutes * 60_000);
const isoAt = (minutes: number) => at(minutes).toISOString();

/** One minute of a timeline: a player count, or a probe error. */
type Minute = number | 'error';

interface Timeline {
  /** Actions by minute after launch (only minutes with actions). */
  readonly actions: Map<number, readonly Action[]>;
  readonly final: WatchdogState;
  /** Every state, index = minute - 1. */
  readonly states: readonly WatchdogState[];
}

const launchState = (): WatchdogState => ({
  instanceId: 'i-0123456789abcdef0',
  launchedAt: LAUNCHED_AT.toISOString(),
  everJoined: false,
  consecutiveProbeErrors: 0,
  maxHoursAlerted: false,
});

/** Plays `minutes` through decide, one run per minute from `from` + 1, like the schedule does. */
function play(minutes: readonly Minute[], config: Partial<DecideConfig> = {}, start: WatchdogState = launchState(), from = 0): Timeline {
  let state = start;
  const actions = new Map<number, readonly Action[]>();
  const states: WatchdogState[] = [];
  minutes.forEach((minute, index) => {
    const probe: ProbeResult = minute === 'error'
      ? { ok: false, error: 'Error: connect ECONNREFUSED 203.0.113.10:25565' }
      : { ok: true, players: minute, latencyMs: 12 };
    const decision = decide(state, probe, { now: at(from + index + 1), readyFrom: { at: LAUNCHED_AT.toISOString(), from: 'launch' } }, { ...DEFAULTS, ...config });
    state = decision.state;
    states.push(state);
    if (decision.actions.length > 0) actions.set(from + index + 1, decision.actions);
  });
  return { actions, final: state, states };
}

const repeat = (minute: Minute, times: number): Minute[] => Array.from({ length: times }, () => minute);
const stops = (t: Timeline) => [...t.actions].filter(([, a]) => a.some((x) => x.type === 'stop'));

describe('decide over timelines', () => {
  it('boot → ready → play → idle → stop, once', () => {
    // Booting (probe errors) 2 min, ready at 3 with nobody, 2 players 4..30, then nobody.
    const t = play([...repeat('error', 2), 0, ...repeat(2, 27), ...repeat(0, 20)]);

    expect(t.actions.get(3)).toEqual([{ type: 'notify-ready', seconds: 180, from: 'launch', phases: {} }]);
    expect(stops(t)).toEqual([[40, [{ type: 'stop', reason: 'idle', minutes: 10 }]]]);
    expect([...t.actions.keys()]).toEqual([3, 40]);
    expect(t.final).toMatchObject({ readyAt: isoAt(3), lastPlayersAt: isoAt(30), everJoined: true, stopReason: 'idle', players: 0 });
  });

  it('stores the count of every answer, and keeps it through errors', () => {
    const t = play([1, 3, 'error', 2, 0]);

    expect(t.states.map((s) => s.players)).toEqual([1, 3, 3, 2, 0]);
  });

  it('a wake-up nobody follows counts as idle from ready', () => {
    const t = play([...repeat('error', 1), ...repeat(0, 20)]);

    expect(t.actions.get(2)).toEqual([{ type: 'notify-ready', seconds: 120, from: 'launch', phases: {} }]);
    expect(stops(t)).toEqual([[12, [{ type: 'stop', reason: 'idle', minutes: 10 }]]]);
    expect(t.final.everJoined).toBe(false);
  });

  it('a player who rejoins just before the idle limit restarts the idle clock', () => {
    const t = play([...repeat(1, 10), ...repeat(0, 8), 1, ...repeat(0, 15)]);

    expect(t.actions.has(20)).toBe(false);
    expect(stops(t)).toEqual([[29, [{ type: 'stop', reason: 'idle', minutes: 10 }]]]);
  });

  it('probe errors during play stop nothing before the unreachable limit', () => {
    // 9 minutes of errors (limit: max(idleMinutes 10, 5) = 10), then players again.
    const t = play([...repeat(2, 10), ...repeat('error', 9), ...repeat(3, 10)]);

    expect(stops(t)).toEqual([]);
    expect(t.states[18]).toMatchObject({ consecutiveProbeErrors: 9 });
    expect(t.final).toMatchObject({ consecutiveProbeErrors: 0, lastPlayersAt: isoAt(29) });
    expect(t.final.probeErrorsSince).toBeUndefined();
  });

  it('probe errors never count as zero players: they pause the idle clock', () => {
    const t = play([...repeat(2, 10), ...repeat('error', 9), ...repeat(0, 15)]);

    expect(t.actions.has(20)).toBe(false);
    expect(stops(t)).toEqual([[29, [{ type: 'stop', reason: 'idle', minutes: 10 }]]]);
  });

  it('a game that stops answering after ready is stopped as unreachable', () => {
    const t = play([...repeat(2, 10), ...repeat('error', 15)]);

    expect(stops(t)).toEqual([[21, [{ type: 'stop', reason: 'unreachable', minutes: 10 }]]]);
    expect(t.final.lastProbeError).toContain('ECONNREFUSED');
  });

  it('the unreachable limit is at least 5 minutes when idleMinutes is shorter', () => {
    const t = play([...repeat(2, 5), ...repeat('error', 10)], { idleMinutes: 2 });

    expect(stops(t)).toEqual([[11, [{ type: 'stop', reason: 'unreachable', minutes: 5 }]]]);
  });

  it('a game that is never ready is stopped at the end of the boot grace', () => {
    const t = play(repeat('error', 20));

    expect([...t.actions]).toEqual([[15, [{ type: 'stop', reason: 'never-ready', minutes: 15 }]]]);
    expect(t.final.readyAt).toBeUndefined();
  });

  it('a game that answers for the first time at the last boot minute is ready, not stopped', () => {
    const t = play([...repeat('error', 14), 1, ...repeat(1, 5)]);

    expect([...t.actions]).toEqual([[15, [{ type: 'notify-ready', seconds: 900, from: 'launch', phases: {} }]]]);
  });

  it('max hours alerts once and keeps the server running by default', () => {
    const t = play(repeat(3, 150), { maxHours: 1 });

    expect([...t.actions.keys()]).toEqual([1, 60]);
    expect(t.actions.get(60)).toEqual([{ type: 'max-hours', hours: 1, stopping: false }]);
    expect(t.final).toMatchObject({ maxHoursAlerted: true });
    expect(t.final.stopRequestedAt).toBeUndefined();
  });

  it('max hours stops the server when stopAfterMaxHours is on (the operator\'s cap: the one stop players do not prevent)', () => {
    const t = play(repeat(3, 150), { maxHours: 1, stopAfterMaxHours: true });

    expect(t.actions.get(60)).toEqual([{ type: 'max-hours', hours: 1, stopping: true }, { type: 'stop', reason: 'max-hours', minutes: 60 }]);
  });

  it('max hours stops even while the probe fails', () => {
    const t = play([...repeat(3, 58), ...repeat('error', 4)], { maxHours: 1, stopAfterMaxHours: true });

    expect(stops(t).map(([minute]) => minute)).toEqual([60]);
  });

  it('an idle stop at max hours sends no "keeps running" alert', () => {
    const t = play([...repeat(1, 50), ...repeat(0, 20)], { maxHours: 1 });

    expect(t.actions.get(60)).toEqual([{ type: 'stop', reason: 'idle', minutes: 10 }]);
  });

  it('every run records lastRunAt, also after the stop', () => {
    const t = play(repeat(0, 14), { idleMinutes: 5 });

    expect(t.states.map((s) => s.lastRunAt)).toEqual(Array.from({ length: 14 }, (_, i) => isoAt(i + 1)));
    expect(stops(t).map(([minute]) => minute)).toEqual([6]);
    expect(t.final.stopRequestedAt).toBe(isoAt(6));
  });

  it('a present player always wins: no probe that sees players stops the game, whatever the state says', () => {
    const states: WatchdogState[] = [
      launchState(), // never answered, 60 min after launch
      { ...launchState(), readyAt: isoAt(2), idleSince: isoAt(1), probeErrorsSince: isoAt(2), consecutiveProbeErrors: 50 },
      { ...launchState(), readyAt: isoAt(2), idleSince: isoAt(2), lastPlayersAt: isoAt(2) }, // idle for 58 min
    ];
    for (const state of states) {
      const decision = decide(state, { ok: true, players: 1, latencyMs: 5 }, { now: at(60), readyFrom: { at: state.launchedAt, from: 'launch' } }, DEFAULTS);
      expect(decision.actions.filter((a) => a.type === 'stop')).toEqual([]);
      expect(decision.state).toMatchObject({ players: 1, everJoined: true, idleSince: isoAt(60) });
    }
  });

  it('keeps a long probe error short: the state must fit its parameter', () => {
    const decision = decide(launchState(), { ok: false, error: 'x'.repeat(5000) }, { now: at(1), readyFrom: { at: LAUNCHED_AT.toISOString(), from: 'launch' } }, DEFAULTS);

    expect(decision.state.lastProbeError).toHaveLength(MAX_ERROR_CHARS);
  });

  it('a run whose clock is behind the last one (out of order) moves no time backwards and stops nothing', () => {
    const state: WatchdogState = { ...launchState(), readyAt: isoAt(2), idleSince: isoAt(20), lastPlayersAt: isoAt(20), lastRunAt: isoAt(30), players: 0 };

    const decision = decide(state, { ok: true, players: 0, latencyMs: 1 }, { now: at(29), readyFrom: { at: state.launchedAt, from: 'launch' } }, DEFAULTS);

    expect(decision.actions).toEqual([]);
    expect(decision.state.lastRunAt).toBe(isoAt(30));
  });

  it('a stop already decided is not decided again', () => {
    const state: WatchdogState = { ...launchState(), readyAt: isoAt(2), stopRequestedAt: isoAt(20), stopReason: 'idle' };

    expect(decide(state, { ok: true, players: 0, latencyMs: 1 }, { now: at(21), readyFrom: { at: state.launchedAt, from: 'launch' } }, DEFAULTS)).toEqual({
      state: { ...state, lastRunAt: isoAt(21) },
      actions: [],
    });
  });
});

describe('a watch restarted mid-session (state lost or unreadable)', () => {
  const session: Session = { startedAt: isoAt(-1), source: 'lookup', lookupAt: isoAt(-1) };
  /** The state the watchdog starts when it finds none, `minute` minutes after launch. */
  const restartedAt = (minute: number) => startState({ ok: false, problem: 'nothing stored' }, 'i-0123456789abcdef0', session, at(minute)).state;

  it('starts the startup grace from now, so 60 min in it is neither "not ready" nor stopped', () => {
    const t = play(repeat('error', 14), {}, restartedAt(60), 60);

    expect(stops(t)).toEqual([]);
    expect(t.final).toMatchObject({ watchingSince: isoAt(60), consecutiveProbeErrors: 14 });
  });

  it('calls a game that stays silent for the grace "unreachable", since it was ready before', () => {
    const t = play(repeat('error', 20), {}, restartedAt(60), 60);

    expect(stops(t)).toEqual([[75, [{ type: 'stop', reason: 'unreachable', minutes: 15 }]]]);
  });

  it('takes the game as ready at its first answer without announcing it again', () => {
    const t = play([3, 3, 0], {}, restartedAt(60), 60);

    expect(t.actions.size).toBe(0);
    expect(t.final).toMatchObject({ readyAt: isoAt(61), everJoined: true, players: 0 });
  });

  it('a watch the watchdog starts right after the launch (the hook wrote no state) still announces and judges readiness', () => {
    const fresh = restartedAt(1);
    expect(isResumedWatch(fresh, DEFAULTS)).toBe(false);

    const t = play([...repeat('error', 3), 0], {}, fresh, 1);
    expect(t.actions.get(5)).toEqual([{ type: 'notify-ready', seconds: 300, from: 'launch', phases: {} }]);
    expect(play(repeat('error', 20), {}, fresh, 1).actions.get(16)).toEqual([{ type: 'stop', reason: 'never-ready', minutes: 15 }]);
  });
});

describe('the state to go on from', () => {
  const INSTANCE = 'i-1';
  const NOW = new Date('2025-01-01T13:00:00Z');
  const STORED: WatchdogState = { instanceId: INSTANCE, launchedAt: '2025-01-01T11:59:50.000Z', readyAt: '2025-01-01T12:02:00.000Z', everJoined: true, consecutiveProbeErrors: 0, maxHoursAlerted: false };
  const SESSION: Session = { startedAt: '2025-01-01T11:59:40.000Z', source: 'lookup', lookupAt: '2025-01-01T11:59:39.000Z' };

  it('is the stored one when it belongs to the instance and the session', () => {
    expect(startState({ ok: true, value: STORED }, INSTANCE, SESSION, NOW)).toEqual({ state: STORED });
    expect(startState({ ok: true, value: STORED }, INSTANCE, undefined, NOW)).toEqual({ state: STORED });
  });

  it.each([
    ['missing', { ok: false as const, problem: 'nothing stored' }, 'nothing stored'],
    ['garbled', { ok: false as const, problem: 'stored value is not JSON' }, 'stored value is not JSON'],
    ['another instance\'s', { ok: true as const, value: { ...STORED, instanceId: 'i-2' } }, 'stored state belongs to instance i-2'],
    ['from an earlier session of the same instance', { ok: true as const, value: { ...STORED, lastRunAt: '2025-01-01T10:00:00.000Z' } }, 'stored state is from an earlier session of this instance'],
  ])('is fresh when the stored one is %s, the grace counted from now', (_label, stored, because) => {
    expect(startState(stored, INSTANCE, SESSION, NOW)).toEqual({
      state: { instanceId: INSTANCE, launchedAt: SESSION.startedAt, watchingSince: NOW.toISOString(), everJoined: false, consecutiveProbeErrors: 0, maxHoursAlerted: false },
      freshBecause: because,
    });
  });

  it('without a session, a fresh state dates its launch from now', () => {
    expect(startState({ ok: false, problem: 'nothing stored' }, INSTANCE, undefined, NOW).state.launchedAt).toBe(NOW.toISOString());
  });

  it('a decided stop is dropped, and the idle clock restarted, once the group is raised again', () => {
    const stopped: WatchdogState = { ...STORED, stopRequestedAt: '2025-01-01T12:30:00.000Z', stopReason: 'idle' };

    expect(resumeIfRestarted(stopped, 0, NOW)).toBe(stopped);
    expect(resumeIfRestarted(stopped, 1, NOW)).toEqual({ ...STORED, idleSince: NOW.toISOString() });
  });

  it('while stopping, only lastRunAt moves, and never backwards', () => {
    expect(stoppingState(STORED, NOW)).toEqual({ ...STORED, lastRunAt: NOW.toISOString() });
    expect(stoppingState({ ...STORED, lastRunAt: '2025-01-01T13:01:00.000Z' }, NOW).lastRunAt).toBe('2025-01-01T13:01:00.000Z');
    expect(later(undefined, 'x')).toBe('x');
  });
});

describe('readiness counts from', () => {
  const state: WatchdogState = { instanceId: 'i-1', launchedAt: '2025-01-01T12:00:10.000Z', everJoined: false, consecutiveProbeErrors: 0, maxHoursAlerted: false };

  it('the lookup that started this launch', () => {
    expect(readinessStart(state, { startedAt: '2025-01-01T12:00:01.000Z', source: 'lookup', lookupAt: '2025-01-01T12:00:00.000Z' })).toEqual({ at: '2025-01-01T12:00:00.000Z', from: 'lookup' });
  });

  it('the start (the wake call) when no lookup asked for it, e.g. `gm start`', () => {
    expect(readinessStart(state, { startedAt: '2025-01-01T12:00:01.000Z', source: 'operator' })).toEqual({ at: '2025-01-01T12:00:01.000Z', from: 'start' });
  });

  it("the state's copy of the session when the session could not be read", () => {
    const copied = { ...state, wakeAt: '2025-01-01T12:00:01.000Z', lookupAt: '2025-01-01T11:59:58.000Z' };
    expect(readinessStart(copied, undefined)).toEqual({ at: '2025-01-01T11:59:58.000Z', from: 'lookup' });
    expect(readinessStart({ ...state, wakeAt: '2025-01-01T12:00:01.000Z' }, undefined)).toEqual({ at: '2025-01-01T12:00:01.000Z', from: 'start' });
  });

  it('the launch with nothing known of the start, or for a replacement launched long after the session started', () => {
    expect(readinessStart(state, undefined)).toEqual({ at: state.launchedAt, from: 'launch' });
    expect(readinessStart(state, { startedAt: '2025-01-01T09:00:01.000Z', source: 'lookup', lookupAt: '2025-01-01T09:00:00.000Z' })).toEqual({ at: state.launchedAt, from: 'launch' });
  });
});

describe('the phases of a start', () => {
  const LOOKUP = '2025-01-01T11:59:58.000Z';
  const booted: WatchdogState = {
    instanceId: 'i-1',
    launchedAt: '2025-01-01T12:00:00.000Z',
    everJoined: false,
    consecutiveProbeErrors: 0,
    maxHoursAlerted: false,
    lookupAt: LOOKUP,
    wakeAt: '2025-01-01T12:00:00.000Z',
    instanceRunningAt: '2025-01-01T12:00:25.000Z',
    agentRegisteredAt: '2025-01-01T12:00:29.000Z',
    pullStartedAt: '2025-01-01T12:00:30.000Z',
    pullStoppedAt: '2025-01-01T12:00:52.000Z',
    taskRunningAt: '2025-01-01T12:00:53.000Z',
  };

  it('instance: lookup → agent registered; image: the pull; game: container running → ready (the example of the README)', () => {
    expect(startPhases(booted, { at: LOOKUP, from: 'lookup' }, '2025-01-01T12:01:12.000Z')).toEqual({ instance: 31, image: 22, game: 19 });
  });

  it('the ready action carries the total and the phases, counted from the lookup', () => {
    const decision = decide(booted, { ok: true, players: 0, latencyMs: 3 }, { now: new Date('2025-01-01T12:01:12.000Z'), readyFrom: { at: LOOKUP, from: 'lookup' } }, DEFAULTS);

    expect(decision.actions).toEqual([{ type: 'notify-ready', seconds: 74, from: 'lookup', phases: { instance: 31, image: 22, game: 19 } }]);
  });

  it('an instance back from the warm pool registered its agent before this launch: its instance phase ends when it ran again', () => {
    const warm = { ...booted, agentRegisteredAt: '2025-01-01T10:00:00.000Z', instanceRunningAt: '2025-01-01T12:00:12.000Z' };
    expect(startPhases(warm, { at: LOOKUP, from: 'lookup' }, '2025-01-01T12:01:12.000Z')).toMatchObject({ instance: 14 });
  });

  it('leaves out a phase whose times were not recorded, and never counts one below 0', () => {
    const { pullStartedAt: _p, agentRegisteredAt: _a, instanceRunningAt: _i, ...sparse } = booted;
    expect(startPhases(sparse, { at: LOOKUP, from: 'lookup' }, '2025-01-01T12:01:12.000Z')).toEqual({ game: 19 });
    expect(startPhases(booted, { at: LOOKUP, from: 'lookup' }, '2025-01-01T12:00:40.000Z')).toMatchObject({ game: 0 });
  });
});

describe('recording the start times', () => {
  const base: WatchdogState = { instanceId: 'i-1', launchedAt: '2025-01-01T12:00:00.000Z', everJoined: false, consecutiveProbeErrors: 0, maxHoursAlerted: false };
  const SEEN = '2025-01-01T12:01:05.000Z';

  it("takes ECS's times, with its task start over the time the watchdog saw the container", () => {
    const times = { agentRegisteredAt: '2025-01-01T12:00:29.000Z', pullStartedAt: '2025-01-01T12:00:30.000Z', pullStoppedAt: '2025-01-01T12:00:52.000Z', taskStartedAt: '2025-01-01T12:00:53.000Z' };
    expect(withStartTimes(base, times, SEEN)).toEqual({ ...base, agentRegisteredAt: times.agentRegisteredAt, pullStartedAt: times.pullStartedAt, pullStoppedAt: times.pullStoppedAt, taskRunningAt: times.taskStartedAt });
  });

  it('without ECS, the time the container was seen running; a time already recorded stays', () => {
    expect(withStartTimes(base, undefined, SEEN)).toEqual({ ...base, taskRunningAt: SEEN });
    expect(withStartTimes({ ...base, pullStartedAt: '2025-01-01T12:00:31.000Z' }, { pullStartedAt: '2025-01-01T12:00:30.000Z' }, SEEN).pullStartedAt).toBe('2025-01-01T12:00:31.000Z');
  });

  it("takes the hook's running time over from the stored state of the same launch only", () => {
    const stored = { ...base, instanceRunningAt: '2025-01-01T12:00:25.000Z' };
    expect(adoptHookTimes(base, { ok: true, value: stored })).toEqual(stored);
    expect(adoptHookTimes(base, { ok: true, value: { ...stored, launchedAt: '2025-01-01T11:00:00.000Z' } })).toEqual(base);
    expect(adoptHookTimes(base, { ok: true, value: { ...stored, instanceId: 'i-2' } })).toEqual(base);
    expect(adoptHookTimes(base, { ok: false, problem: 'nothing stored' })).toEqual(base);
    expect(awaitsHookTimes(base)).toBe(true);
    expect(awaitsHookTimes(stored)).toBe(false);
    expect(awaitsHookTimes({ ...base, readyAt: SEEN })).toBe(false);
  });
});

describe('probing within a run', () => {
  const booting: WatchdogState = { instanceId: 'i-1', launchedAt: '2025-01-01T12:00:00.000Z', everJoined: false, consecutiveProbeErrors: 0, maxHoursAlerted: false };
  const failed: ProbeResult = { ok: false, error: 'x' };

  it('goes on only while a booting game has not answered, and never for traffic', () => {
    expect(keepProbing(booting, failed, 'query')).toBe(true);
    expect(keepProbing(booting, failed, 'connections')).toBe(true);
    expect(keepProbing(booting, failed, 'traffic')).toBe(false);
    expect(keepProbing(booting, { ok: true, players: 0, latencyMs: 1 }, 'query')).toBe(false);
    expect(keepProbing({ ...booting, readyAt: '2025-01-01T12:01:00.000Z' }, failed, 'query')).toBe(false);
    expect(keepProbing({ ...booting, stopRequestedAt: '2025-01-01T12:01:00.000Z' }, failed, 'query')).toBe(false);
  });

  it('queries the published IPv4, then IPv6, never the placeholder', () => {
    expect(probeHost('mc.example.com', { ipv4: '203.0.113.10', ipv6: '2001:db8:1::10' })).toEqual({ host: '203.0.113.10' });
    expect(probeHost('mc.example.com', { ipv4: '192.0.2.1', ipv6: '2001:db8:1::10' })).toEqual({ host: '2001:db8:1::10' });
    expect(probeHost('mc.example.com', { ipv4: '192.0.2.1', ipv6: '2001:db8::1' })).toEqual({ error: expect.stringContaining('placeholder') });
    expect(probeHost('mc.example.com', {})).toEqual({ error: 'mc.example.com has no A or AAAA record' });
  });

  it('watches the serving instance, InService first', () => {
    expect(chooseInstance({ desiredCapacity: 1, instances: [{ instanceId: 'a', lifecycleState: 'Pending:Wait' }, { instanceId: 'b', lifecycleState: 'InService' }] })?.instanceId).toBe('b');
    expect(chooseInstance({ desiredCapacity: 1, instances: [{ instanceId: 'a', lifecycleState: 'Pending' }] })?.instanceId).toBe('a');
    expect(chooseInstance({ desiredCapacity: 0, instances: [{ instanceId: 'a', lifecycleState: 'Terminating:Wait' }, { instanceId: 'b', lifecycleState: 'Warmed:Stopped' }] })).toBeUndefined();
  });
});
