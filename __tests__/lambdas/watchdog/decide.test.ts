import { decide, type Action, type DecideConfig } from '../../../src/lambdas/watchdog/decide';
import { operatorCommands } from '../../../src/lambdas/watchdog/operator-commands';
import type { ProbeResult } from '../../../src/lambdas/watchdog/probes/probe-result';
import type { WatchdogRecord } from '../../../src/lambdas/watchdog/watchdog-record';

const LAUNCHED_AT = new Date('2025-01-01T12:00:00.000Z');
const COMMANDS = operatorCommands({ asgName: 'gm-mc-asg', logGroupName: '/gm/mc' }, 'eu-west-1');
const DEFAULTS: DecideConfig = { idleMinutes: 10, startupMinutes: 15, maxHours: 8, stopAfterMaxHours: false, commands: COMMANDS };

/** One minute of a timeline: a player count, or a probe error. */
type Minute = number | 'error';

interface Timeline {
  /** Actions by minute after launch (only minutes with actions). */
  readonly actions: Map<number, readonly Action[]>;
  readonly final: WatchdogRecord;
  /** Every state, index = minute - 1. */
  readonly states: readonly WatchdogRecord[];
}

/** Plays `minutes` through decide, one run per minute after launch, like the schedule does. */
function play(minutes: readonly Minute[], config: Partial<DecideConfig> = {}): Timeline {
  let state: WatchdogRecord = {
    instanceId: 'i-0123456789abcdef0',
    launchedAt: LAUNCHED_AT.toISOString(),
    everJoined: false,
    consecutiveProbeErrors: 0,
    maxHoursAlerted: false,
  };
  const actions = new Map<number, readonly Action[]>();
  const states: WatchdogRecord[] = [];
  minutes.forEach((minute, index) => {
    const at = new Date(LAUNCHED_AT.getTime() + (index + 1) * 60_000);
    const probe: ProbeResult = minute === 'error'
      ? { ok: false, error: 'Error: connect ECONNREFUSED 203.0.113.10:25565' }
      : { ok: true, players: minute, latencyMs: 12 };
    const decision = decide(state, probe, at, { ...DEFAULTS, ...config });
    state = decision.state;
    states.push(state);
    if (decision.actions.length > 0) actions.set(index + 1, decision.actions);
  });
  return { actions, final: state, states };
}

const repeat = (minute: Minute, times: number): Minute[] => Array.from({ length: times }, () => minute);
const stops = (t: Timeline) => [...t.actions].filter(([, a]) => a.some((x) => x.type === 'stop'));

describe('decide over timelines', () => {
  it('boot → ready → play → idle → stop, once', () => {
    // Booting (probe errors) 2 min, ready at 3 with nobody, 2 players 4..30, then nobody.
    const t = play([...repeat('error', 2), 0, ...repeat(2, 27), ...repeat(0, 20)]);

    expect(t.actions.get(3)).toEqual([{ type: 'notify-ready', seconds: 180 }]);
    expect(stops(t)).toEqual([[40, [{ type: 'stop', reason: 'idle', minutes: 10 }]]]);
    expect([...t.actions.keys()]).toEqual([3, 40]);
    expect(t.final).toMatchObject({ readyAt: '2025-01-01T12:03:00.000Z', lastPlayersAt: '2025-01-01T12:30:00.000Z', everJoined: true, stopReason: 'idle' });
  });

  it('a wake-up nobody follows counts as idle from ready', () => {
    const t = play([...repeat('error', 1), ...repeat(0, 20)]);

    expect(t.actions.get(2)).toEqual([{ type: 'notify-ready', seconds: 120 }]);
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
    expect(t.final).toMatchObject({ consecutiveProbeErrors: 0, lastPlayersAt: '2025-01-01T12:29:00.000Z' });
    expect(t.final.probeErrorsSince).toBeUndefined();
  });

  it('probe errors never count as zero players: they pause the idle clock', () => {
    // Players until 10, 9 minutes of errors, then nobody: counting errors as
    // idle would stop at 20; only the minutes seen empty count.
    const t = play([...repeat(2, 10), ...repeat('error', 9), ...repeat(0, 15)]);

    expect(t.actions.has(20)).toBe(false);
    expect(stops(t)).toEqual([[29, [{ type: 'stop', reason: 'idle', minutes: 10 }]]]);
  });

  it('a game that stops answering after ready is stopped as unreachable, with an alert', () => {
    const t = play([...repeat(2, 10), ...repeat('error', 15)]);

    expect(stops(t).map(([minute]) => minute)).toEqual([21]);
    const [stop, alert] = t.actions.get(21) ?? [];
    expect(stop).toEqual({ type: 'stop', reason: 'unreachable', minutes: 10 });
    expect(alert).toMatchObject({ type: 'alert', message: expect.stringContaining('ECONNREFUSED') });
    expect(alert).toMatchObject({ message: expect.stringMatching(/see the game's log with: aws logs tail \/gm\/mc --follow --region eu-west-1$/) });
  });

  it('the unreachable limit is at least 5 minutes when idleMinutes is shorter', () => {
    const t = play([...repeat(2, 5), ...repeat('error', 10)], { idleMinutes: 2 });

    expect(stops(t).map(([minute]) => minute)).toEqual([11]);
    expect(t.actions.get(11)?.[0]).toEqual({ type: 'stop', reason: 'unreachable', minutes: 5 });
  });

  it('a game that is never ready is stopped at the end of the boot grace, with an alert', () => {
    const t = play(repeat('error', 20));

    expect([...t.actions.keys()]).toEqual([15]);
    expect(t.actions.get(15)).toEqual([
      { type: 'stop', reason: 'never-ready', minutes: 15 },
      { type: 'alert', message: expect.stringMatching(/not ready 15 min after launch.*ECONNREFUSED/) },
    ]);
    expect(t.actions.get(15)?.[1]).toMatchObject({ message: expect.stringContaining(`see the game's log with: ${COMMANDS.logs}`) });
    expect(t.final.readyAt).toBeUndefined();
  });

  it('a game that answers for the first time at the last boot minute is ready, not stopped', () => {
    const t = play([...repeat('error', 14), 1, ...repeat(1, 5)]);

    expect([...t.actions]).toEqual([[15, [{ type: 'notify-ready', seconds: 900 }]]]);
  });

  it('max hours alerts once and keeps the server running by default', () => {
    const t = play(repeat(3, 150), { maxHours: 1 });

    expect([...t.actions.keys()]).toEqual([1, 60]);
    expect(t.actions.get(60)).toEqual([{ type: 'alert', message: expect.stringContaining('stopAfterMaxHours is off') }]);
    expect(t.actions.get(60)?.[0]).toMatchObject({
      message: expect.stringMatching(/stop it with: aws autoscaling set-desired-capacity --auto-scaling-group-name gm-mc-asg --desired-capacity 0 --region eu-west-1$/),
    });
    expect(t.final).toMatchObject({ maxHoursAlerted: true });
    expect(t.final.stopRequestedAt).toBeUndefined();
  });

  it('max hours stops the server when stopAfterMaxHours is on', () => {
    const t = play(repeat(3, 150), { maxHours: 1, stopAfterMaxHours: true });

    expect([...t.actions.keys()]).toEqual([1, 60]);
    expect(t.actions.get(60)).toEqual([
      { type: 'alert', message: expect.stringContaining('stopping it') },
      { type: 'stop', reason: 'max-hours', minutes: 60 },
    ]);
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
    const t = play([...repeat(0, 14)], { idleMinutes: 5 });

    expect(t.states.map((s) => s.lastRunAt)).toEqual(
      Array.from({ length: 14 }, (_, i) => new Date(LAUNCHED_AT.getTime() + (i + 1) * 60_000).toISOString()),
    );
    expect(stops(t).map(([minute]) => minute)).toEqual([6]);
    expect(t.final.stopRequestedAt).toBe('2025-01-01T12:06:00.000Z');
  });
});

describe('the commands alerts suggest', () => {
  it('exist: AWS CLI commands with the game\'s names, never the `gm` commands that do not exist', () => {
    const errors = play(repeat('error', 20));
    const unreachable = play([...repeat(2, 10), ...repeat('error', 15)]);
    const longRun = play(repeat(3, 70), { maxHours: 1 });
    const messages = [errors, unreachable, longRun].flatMap((t) => [...t.actions.values()].flat())
      .flatMap((a) => (a.type === 'alert' ? [a.message] : []));

    expect(messages).toHaveLength(3);
    for (const message of messages) {
      expect(message).not.toMatch(/`gm |\bgm (stop|logs)\b/);
      expect(message).toMatch(/: aws (logs tail|autoscaling set-desired-capacity) /);
    }
  });

  it('name the region when it is known, and leave --region out when it is not', () => {
    expect(operatorCommands({ asgName: 'gm-mc-asg', logGroupName: '/gm/mc' }, 'eu-west-1')).toEqual({
      stop: 'aws autoscaling set-desired-capacity --auto-scaling-group-name gm-mc-asg --desired-capacity 0 --region eu-west-1',
      logs: 'aws logs tail /gm/mc --follow --region eu-west-1',
    });
    expect(operatorCommands({ asgName: 'gm-mc-asg', logGroupName: '/gm/mc' }, undefined)).toEqual({
      stop: 'aws autoscaling set-desired-capacity --auto-scaling-group-name gm-mc-asg --desired-capacity 0',
      logs: 'aws logs tail /gm/mc --follow',
    });
  });
});
