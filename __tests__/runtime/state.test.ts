import { groupCondition, isStaleSession, STALE_SESSION_MS, worldHeld } from '../../src/runtime/session';
import { parseWatchdogState, withStopDecision } from '../../src/runtime/watchdog-state';

describe('one watchdog state schema for every reader', () => {
  const valid = { instanceId: 'i-1', launchedAt: '2026-11-30T10:00:00.000Z', everJoined: false, consecutiveProbeErrors: 0, maxHoursAlerted: false };

  it('reads a state the hook writes at launch', () => {
    expect(parseWatchdogState(JSON.stringify(valid))).toEqual({ ok: true, value: valid });
  });

  it('reads the stops of the failsafe and the operator, and the start a launch copied from its session', () => {
    const stopped = {
      ...valid,
      wakeAt: '2026-11-30T09:59:58.000Z',
      lookupAt: '2026-11-30T09:59:57.000Z',
      startSource: 'lookup',
      taskRunningAt: '2026-11-30T10:00:40.000Z',
      stopRequestedAt: '2026-11-30T11:00:00.000Z',
    };
    for (const stopReason of ['idle', 'never-ready', 'max-hours', 'unreachable', 'failsafe', 'manual']) {
      expect(parseWatchdogState(JSON.stringify({ ...stopped, stopReason }))).toEqual({ ok: true, value: { ...stopped, stopReason } });
    }
  });

  it('a stop decision sets when and why, whoever decided it', () => {
    expect(withStopDecision(valid, 'manual', new Date('2026-11-30T11:00:00Z'))).toEqual({ ...valid, stopRequestedAt: '2026-11-30T11:00:00.000Z', stopReason: 'manual' });
  });

  it.each([
    [JSON.stringify({ ...valid, startSource: 'cron' }), /startSource/],
    [undefined, /nothing stored/],
    ['{', /not JSON/],
    ['{}', /instanceId/],
    [JSON.stringify({ ...valid, launchedAt: 'yesterday' }), /launchedAt/],
    [JSON.stringify({ ...valid, consecutiveProbeErrors: -1 }), /consecutiveProbeErrors/],
    [JSON.stringify({ ...valid, stopReason: 'bored' }), /stopReason/],
  ])('says why %s is no state', (raw, problem) => {
    const parsed = parseWatchdogState(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toMatch(problem);
  });
});

describe('group conditions a start relies on', () => {
  const at = (desiredCapacity: number, ...states: string[]) => ({
    desiredCapacity,
    instances: states.map((lifecycleState, i) => ({ instanceId: `i-${i}`, lifecycleState })),
  });

  it.each([
    [at(1), 'up'],
    [at(1, 'Terminating:Wait'), 'up'],
    [at(0, 'InService'), 'stopping'],
    [at(0, 'Terminating:Wait'), 'stopping'],
    [at(0), 'stopped'],
    [{ ...at(0), warmPool: [{ instanceId: 'i-9', lifecycleState: 'Warmed:Pending:Wait' }] }, 'stopping'],
    [{ ...at(0), warmPool: [{ instanceId: 'i-9', lifecycleState: 'Warmed:Stopped' }] }, 'stopped'],
  ] as const)('%j is %s', (group, condition) => {
    expect(groupCondition(group)).toBe(condition);
  });

  it('is missing without a group', () => expect(groupCondition(undefined)).toBe('missing'));

  it('the world is held until the terminate action is completed', () => {
    expect(worldHeld(at(0, 'Terminating:Wait'))).toBe(true);
    expect(worldHeld(at(0, 'Warmed:Pending:Wait'))).toBe(true);
    expect(worldHeld(at(0, 'Terminating:Proceed'))).toBe(false);
    expect(worldHeld(at(0, 'Terminated'))).toBe(false);
  });

  it('a session is stale only when nothing runs and it is older than a start takes', () => {
    const now = Date.parse('2026-11-30T12:00:00Z');
    const session = (ageMs: number) => ({ startedAt: new Date(now - ageMs).toISOString(), source: 'lookup' as const });
    expect(isStaleSession(session(STALE_SESSION_MS + 1), at(0), now)).toBe(true);
    expect(isStaleSession(session(1_000), at(0), now)).toBe(false);
    expect(isStaleSession(session(STALE_SESSION_MS + 1), at(0, 'Terminating:Proceed'), now)).toBe(false);
    expect(isStaleSession(session(STALE_SESSION_MS + 1), at(1), now)).toBe(false);
    expect(isStaleSession(undefined, at(0), now)).toBe(true);
  });
});
