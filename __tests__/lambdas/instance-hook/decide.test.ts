import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  classify,
  drainTimeoutMs,
  formatDuration,
  freshWatchdogState,
  hasExited,
  keepsStoredState,
  launchFailurePlan,
  leavingRole,
  recordChanges,
  servesNow,
  servingSince,
  sessionEndsHere,
  sessionWithFailure,
  spotPlan,
  stopPhaseSeconds,
  stoppedNoticeDue,
  withInstanceRunning,
  withStopTimes,
  type StoredSession,
} from '../../../src/lambdas/instance-hook/decide';
import { gaveUpNotice, launchFailedNotice, restartNotice, spotNotice, stoppedNotice } from '../../../src/lambdas/instance-hook/messages';
import type { GroupSnapshot, Session } from '../../../src/runtime/session';
import type { WatchdogState } from '../../../src/runtime/watchdog-state';
import { launchFailedEvent, lifecycleEvent, spotEvent } from '../../support/events';
import { GAME } from '../../support/game';

const group = (desiredCapacity: number, ...instances: [string, string][]): GroupSnapshot => ({
  desiredCapacity,
  instances: instances.map(([instanceId, lifecycleState]) => ({ instanceId, lifecycleState })),
});

const session = (extra: Partial<Session> = {}): Session => ({ startedAt: '2025-06-01T15:49:00Z', source: 'lookup', ...extra });

const state = (extra: Partial<WatchdogState> = {}): WatchdogState => ({
  instanceId: 'i-1',
  launchedAt: '2025-06-01T15:50:00Z',
  readyAt: '2025-06-01T15:51:30Z',
  everJoined: true,
  consecutiveProbeErrors: 0,
  maxHoursAlerted: false,
  ...extra,
});

describe('classify', () => {
  const action = (id: string, transition: 'launch' | 'terminate') => ({
    groupName: GAME.asgName,
    hookName: transition === 'launch' ? 'gm-mc-launch' : 'gm-mc-terminate',
    token: `token-${id}-${transition}`,
    instanceId: id,
  });

  it.each([
    ['a launch into the group', lifecycleEvent({ transition: 'launch', instanceId: 'i-1' }), { kind: 'launch', instanceId: 'i-1', action: action('i-1', 'launch'), time: '2025-06-01T18:00:00Z' }],
    ['a warm instance entering service', lifecycleEvent({ transition: 'launch', instanceId: 'i-1', origin: 'WarmPool', destination: 'AutoScalingGroup' }), { kind: 'launch' }],
    ['a terminate', lifecycleEvent({ transition: 'terminate', instanceId: 'i-1' }), { kind: 'terminate', instanceId: 'i-1', action: action('i-1', 'terminate') }],
    ['a return to the warm pool', lifecycleEvent({ transition: 'terminate', instanceId: 'i-1', origin: 'AutoScalingGroup', destination: 'WarmPool' }), { kind: 'terminate' }],
    ['a launch into the warm pool', lifecycleEvent({ transition: 'launch', instanceId: 'i-1', origin: 'EC2', destination: 'WarmPool' }), { kind: 'warm-pool' }],
    ['a warm instance terminated from the pool', lifecycleEvent({ transition: 'terminate', instanceId: 'i-1', origin: 'WarmPool', destination: 'EC2' }), { kind: 'warm-pool' }],
    ['a spot warning', spotEvent('i-1'), { kind: 'spot', instanceId: 'i-1' }],
  ])('reads %s', (_label, event, expected) => {
    expect(classify(event, GAME)).toMatchObject(expected);
  });

  it('reads a lifecycle event without Origin/Destination by its transition alone', () => {
    const event = lifecycleEvent({ transition: 'terminate', instanceId: 'i-1' }) as { detail: Record<string, unknown> };
    delete event.detail.Origin;
    delete event.detail.Destination;
    expect(classify(event, GAME)).toMatchObject({ kind: 'terminate' });
  });

  it("reads a failed launch: AWS's reason, the activity as key, no instance when EC2InstanceId is empty", () => {
    expect(classify(launchFailedEvent({ activityId: 'act-1', message: 'Insufficient capacity.' }), GAME)).toEqual({
      kind: 'launch-failed',
      failure: { key: 'act-1', reason: 'Insufficient capacity.', cause: expect.stringContaining('increasing the capacity from 0 to 1') },
    });
  });

  it('falls back to the event id and the cause when a failed launch lacks ActivityId and StatusMessage', () => {
    const event = launchFailedEvent({ activityId: 'act-1', instanceId: 'i-9' }) as { id: string; detail: Record<string, unknown> };
    delete event.detail.ActivityId;
    delete event.detail.StatusMessage;
    expect(classify(event, GAME)).toMatchObject({ kind: 'launch-failed', failure: { key: 'evt-act-1', instanceId: 'i-9', reason: expect.stringContaining('increasing') } });
  });

  it("ignores another group's events without calling them malformed", () => {
    expect(classify(lifecycleEvent({ transition: 'launch', instanceId: 'i-1', group: 'other' }), GAME)).toMatchObject({ kind: 'skip', malformed: false, instanceId: 'i-1' });
    expect(classify(launchFailedEvent({ activityId: 'a', group: 'other' }), GAME)).toMatchObject({ kind: 'skip', malformed: false });
  });

  it.each([
    ['null', null],
    ['a string', 'launch'],
    ['no detail', { source: 'aws.autoscaling', 'detail-type': 'EC2 Instance-launch Lifecycle Action' }],
    ['another source', { source: 'aws.ecs', 'detail-type': 'ECS Task State Change', detail: {} }],
    ['no group', { source: 'aws.autoscaling', 'detail-type': 'EC2 Instance-launch Lifecycle Action', detail: { EC2InstanceId: 'i-1' } }],
    ['an unhandled Auto Scaling event', { source: 'aws.autoscaling', 'detail-type': 'EC2 Instance Terminate Successful', detail: { AutoScalingGroupName: GAME.asgName } }],
    ['a blank token', { ...lifecycleEvent({ transition: 'launch', instanceId: 'i-1' }), detail: { ...(lifecycleEvent({ transition: 'launch', instanceId: 'i-1' }).detail as object), LifecycleActionToken: ' ' } }],
    ['an unknown transition', { ...lifecycleEvent({ transition: 'launch', instanceId: 'i-1' }), detail: { ...(lifecycleEvent({ transition: 'launch', instanceId: 'i-1' }).detail as object), LifecycleTransition: 'autoscaling:TEST_NOTIFICATION' } }],
    ['a spot warning without instance', { source: 'aws.ec2', 'detail-type': 'EC2 Spot Instance Interruption Warning', detail: { 'instance-id': 7 } }],
  ])('calls %s malformed', (_label, event) => {
    expect(classify(event, GAME)).toMatchObject({ kind: 'skip', malformed: true });
  });
});

describe('who the game belongs to', () => {
  it('is a stop when the group is at 0 and nothing else serves, or the group is gone', () => {
    expect(leavingRole(group(0, ['i-1', 'Terminating:Wait']), 'i-1')).toBe('stop');
    expect(leavingRole(group(0, ['i-1', 'Terminating:Wait'], ['i-0', 'Terminating:Proceed']), 'i-1')).toBe('stop');
    expect(leavingRole(undefined, 'i-1')).toBe('stop');
  });

  it('is a replacement when the group still wants a host or another instance serves', () => {
    expect(leavingRole(group(1, ['i-1', 'Terminating:Wait']), 'i-1')).toBe('replacement');
    expect(leavingRole(group(0, ['i-1', 'Terminating:Wait'], ['i-2', 'Pending:Wait']), 'i-1')).toBe('replacement');
  });

  it('lets a launch serve only while the group wants a host and lists the instance as pending or in service', () => {
    expect(servesNow(group(1, ['i-1', 'Pending:Wait']), 'i-1')).toBe(true);
    expect(servesNow(group(1, ['i-1', 'InService']), 'i-1')).toBe(true);
    expect(servesNow(group(0, ['i-1', 'Pending:Wait']), 'i-1')).toBe(false);
    expect(servesNow(group(1, ['i-1', 'Terminating:Wait']), 'i-1')).toBe(false);
    expect(servesNow(group(1, ['i-2', 'InService']), 'i-1')).toBe(false);
    expect(servesNow(undefined, 'i-1')).toBe(false);
  });
});

describe('watchdog state at launch', () => {
  it('keeps the state of a replayed launch (same instance, same launch time in any ISO spelling)', () => {
    expect(keepsStoredState(state({ launchedAt: '2025-06-01T18:00:00.000Z' }), 'i-1', '2025-06-01T18:00:00Z')).toBe(true);
  });

  it('starts afresh for a warm-pool return of the same instance, another instance, or no state', () => {
    expect(keepsStoredState(state(), 'i-1', '2025-06-02T09:00:00Z')).toBe(false);
    expect(keepsStoredState(state(), 'i-2', '2025-06-01T15:50:00Z')).toBe(false);
    expect(keepsStoredState(undefined, 'i-1', '2025-06-01T15:50:00Z')).toBe(false);
  });

  it('writes a fresh state watched from now', () => {
    expect(freshWatchdogState('i-1', '2025-06-01T18:00:00Z', new Date('2025-06-01T18:00:04Z'))).toEqual({
      instanceId: 'i-1',
      launchedAt: '2025-06-01T18:00:00Z',
      watchingSince: '2025-06-01T18:00:04.000Z',
      everJoined: false,
      consecutiveProbeErrors: 0,
      maxHoursAlerted: false,
    });
  });

  it("measures uptime from the state of this instance, else EC2's launch time", () => {
    expect(servingSince('i-1', state(), new Date(0))).toBe(Date.parse('2025-06-01T15:50:00Z'));
    expect(servingSince('i-2', state(), new Date(5))).toBe(5);
    expect(servingSince('i-2', state(), undefined)).toBeUndefined();
  });
});

describe('the timeline the hook records', () => {
  const LAUNCH = '2025-06-01T18:00:00.000Z';
  const fresh = freshWatchdogState('i-1', LAUNCH, new Date(LAUNCH));

  it("records when this launch's instance ran, once; not in a newer launch's state or another instance's", () => {
    expect(withInstanceRunning(fresh, 'i-1', '2025-06-01T18:00:00Z', '2025-06-01T18:00:25.000Z')).toEqual({ ...fresh, instanceRunningAt: '2025-06-01T18:00:25.000Z' });
    expect(withInstanceRunning({ ...fresh, instanceRunningAt: '2025-06-01T18:00:22.000Z' }, 'i-1', LAUNCH, '2025-06-01T18:00:25.000Z')).toBeUndefined();
    expect(withInstanceRunning({ ...fresh, launchedAt: '2025-06-01T19:00:00.000Z' }, 'i-1', LAUNCH, '2025-06-01T18:00:25.000Z')).toBeUndefined();
    expect(withInstanceRunning(fresh, 'i-2', LAUNCH, '2025-06-01T18:00:25.000Z')).toBeUndefined();
    expect(withInstanceRunning(undefined, 'i-1', LAUNCH, '2025-06-01T18:00:25.000Z')).toBeUndefined();
  });

  it("records the stop's times once, in the leaving instance's state only", () => {
    const times = { drainStartedAt: '2025-06-01T20:00:05.000Z', containerExitedAt: '2025-06-01T20:00:20.000Z', terminatedAt: '2025-06-01T20:00:21.000Z' };
    const stopped = withStopTimes({ ...fresh, stopRequestedAt: '2025-06-01T20:00:00.000Z' }, 'i-1', times);

    expect(stopped).toMatchObject(times);
    expect(withStopTimes(stopped, 'i-1', { drainStartedAt: '2025-06-01T20:05:00.000Z' })).toBeUndefined();
    expect(withStopTimes(fresh, 'i-2', times)).toBeUndefined();
    // A drain that timed out has no exit time, and no phase that needs it.
    expect(withStopTimes(fresh, 'i-1', { drainStartedAt: times.drainStartedAt, terminatedAt: times.terminatedAt })).not.toHaveProperty('containerExitedAt');
    expect(stopPhaseSeconds(stopped!)).toEqual({ StopDrainSeconds: 5, StopSaveSeconds: 15, StopTerminateSeconds: 1, StopSeconds: 21 });
    expect(stopPhaseSeconds({ ...stopped!, containerExitedAt: undefined })).toEqual({ StopDrainSeconds: 5, StopSeconds: 21 });
  });
});

describe('the end of a stop', () => {
  const stored = (s: Session): StoredSession => ({ kind: 'session', session: s });
  const launched = Date.parse('2025-06-01T15:50:00Z');

  it('ends the session it finds, unless a retry meets one that began after this instance launched', () => {
    expect(sessionEndsHere(stored(session()), 'already-done', launched)).toBe(true);
    expect(sessionEndsHere(stored(session({ startedAt: '2025-06-01T18:30:00Z' })), 'already-done', launched)).toBe(false);
    // Completed now: this stop is under way, so any session is its own (a wake during it claimed nothing new).
    expect(sessionEndsHere(stored(session({ startedAt: '2025-06-01T18:30:00Z' })), 'completed', launched)).toBe(true);
    expect(sessionEndsHere(stored(session({ startedAt: '2025-06-01T18:30:00Z' })), 'already-done', undefined)).toBe(true);
    expect(sessionEndsHere({ kind: 'unreadable', problem: 'x' }, 'already-done', launched)).toBe(true);
  });

  it('owes the "stopped" notice once per session; a stop without session only when its action completes now', () => {
    expect(stoppedNoticeDue(stored(session()), 'already-done')).toBe(true);
    expect(stoppedNoticeDue(stored(session({ stoppedNoticeAt: '2025-06-01T18:01:00Z' })), 'completed')).toBe(false);
    expect(stoppedNoticeDue({ kind: 'unreadable', problem: 'x' }, 'already-done')).toBe(true);
    expect(stoppedNoticeDue({ kind: 'none' }, 'completed')).toBe(true);
    expect(stoppedNoticeDue({ kind: 'none' }, 'already-done')).toBe(false);
  });
});

describe('spot interruption plan', () => {
  const now = Date.parse('2025-06-01T18:00:00Z');

  it('relaunches when players are on', () => {
    expect(spotPlan(state({ players: 2, lastPlayersAt: '2025-06-01T17:59:00Z' }), 'i-1', now)).toEqual({ action: 'relaunch', why: 'players-on' });
  });

  it('stops when the last probe counted nobody', () => {
    expect(spotPlan(state({ players: 0, lastPlayersAt: '2025-06-01T17:59:00Z' }), 'i-1', now)).toEqual({ action: 'stop', why: 'nobody-on' });
  });

  it('judges by the last sighting when the count is not recorded', () => {
    expect(spotPlan(state({ lastPlayersAt: '2025-06-01T17:56:00Z' }), 'i-1', now)).toEqual({ action: 'relaunch', why: 'players-on' });
    expect(spotPlan(state({ lastPlayersAt: '2025-06-01T17:40:00Z' }), 'i-1', now)).toEqual({ action: 'stop', why: 'nobody-on' });
  });

  it('relaunches while the game is still starting, or when nothing is known about this instance', () => {
    expect(spotPlan(state({ readyAt: undefined }), 'i-1', now)).toEqual({ action: 'relaunch', why: 'starting' });
    expect(spotPlan(state({ players: 0 }), 'i-2', now)).toEqual({ action: 'relaunch', why: 'unknown' });
    expect(spotPlan(undefined, 'i-1', now)).toEqual({ action: 'relaunch', why: 'unknown' });
  });
});

describe('failed launch plan', () => {
  it('retries an on-demand game, falls a spot game back to on-demand once, gives up at the third failure', () => {
    expect(launchFailurePlan(session(), 'a1', false)).toEqual({ action: 'retry', failures: 1 });
    expect(launchFailurePlan(session(), 'a1', true)).toEqual({ action: 'on-demand', failures: 1 });
    expect(launchFailurePlan(session({ launchFailures: 1, onDemandFallback: true }), 'a2', true)).toEqual({ action: 'retry', failures: 2 });
    expect(launchFailurePlan(session({ launchFailures: 2 }), 'a3', false)).toEqual({ action: 'give-up', failures: 3 });
    expect(launchFailurePlan(undefined, 'a1', false)).toEqual({ action: 'retry', failures: 1 });
  });

  it('recognises a failure already counted', () => {
    expect(launchFailurePlan(session({ launchFailures: 1, launchFailureActivities: ['a1'] }), 'a1', false)).toEqual({ action: 'duplicate' });
  });

  it('records the failure, its key (the last ten) and the fallback', () => {
    const keys = Array.from({ length: 10 }, (_, i) => `k${i}`);
    const next = sessionWithFailure(session({ launchFailureActivities: keys }), 'new', { action: 'on-demand', failures: 1 }, new Date(0));
    expect(next.launchFailures).toBe(1);
    expect(next.onDemandFallback).toBe(true);
    expect(next.launchFailureActivities).toEqual([...keys.slice(1), 'new']);
    expect(sessionWithFailure(undefined, 'k', { action: 'retry', failures: 1 }, new Date('2025-06-01T18:00:00Z'))).toEqual({
      startedAt: '2025-06-01T18:00:00.000Z',
      source: 'operator',
      launchFailures: 1,
      launchFailureActivities: ['k'],
    });
  });
});

describe('records, tasks and durations', () => {
  it('UPSERTs A and AAAA in one batch, or nothing without an address', () => {
    expect(recordChanges('mc.example.com', '192.0.2.1', '2001:db8::1', 30, 'why')).toEqual({
      Comment: 'why',
      Changes: [
        { Action: 'UPSERT', ResourceRecordSet: { Name: 'mc.example.com', Type: 'A', TTL: 30, ResourceRecords: [{ Value: '192.0.2.1' }] } },
        { Action: 'UPSERT', ResourceRecordSet: { Name: 'mc.example.com', Type: 'AAAA', TTL: 30, ResourceRecords: [{ Value: '2001:db8::1' }] } },
      ],
    });
    expect(recordChanges('mc.example.com', undefined, undefined, 30).Changes).toEqual([]);
  });

  it('counts a task as exited only once ECS says so', () => {
    expect(['STOPPED', 'DEPROVISIONING', 'DELETED'].every(hasExited)).toBe(true);
    expect(['RUNNING', 'STOPPING', 'DEACTIVATING', undefined].some(hasExited)).toBe(false);
  });

  it('waits for the stop timeout plus the grace, never past the cap', () => {
    expect(drainTimeoutMs(60, 30_000, 220_000)).toBe(90_000);
    expect(drainTimeoutMs(300, 30_000, 220_000)).toBe(220_000);
  });

  it.each([
    [0, '< 1 min'],
    [29_999, '< 1 min'],
    [7 * 60_000, '7 min'],
    [60 * 60_000, '1 h'],
    [130 * 60_000, '2 h 10 min'],
    [Number.NaN, '< 1 min'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('messages', () => {
  const failure = { key: 'a', reason: 'Insufficient capacity.', cause: 'At 18:00 an instance was started.' };

  it('words the spot notice after the plan', () => {
    expect(spotNotice('mc.example.com', { action: 'stop', why: 'nobody-on' }).message).toContain('is saving and stopping');
    expect(spotNotice('mc.example.com', { action: 'relaunch', why: 'players-on' }).message).toContain('relaunches on a new instance (players are on)');
    expect(spotNotice('mc.example.com', { action: 'relaunch', why: 'starting' }).message).toContain('it was still starting');
  });

  it("carries AWS's reason and the count in failure alerts", () => {
    const failed = launchFailedNotice('mc.example.com', failure, 2, false);
    expect(failed.message).toContain('failure 2 of 3');
    expect(failed.message).toContain('Insufficient capacity. (At 18:00 an instance was started.)');
    expect(launchFailedNotice('mc.example.com', failure, 1, true).message).toContain('on-demand');
    expect(gaveUpNotice('mc.example.com', failure, 3)).toEqual({ subject: 'mc.example.com start given up', message: expect.stringContaining('Last reason: Insufficient capacity.') });
  });

  it('says a restart was asked for during the stop, and by which lookup', () => {
    const notice = restartNotice('mc.example.com', session({ source: 'pending-wake', query: '_minecraft._tcp.mc.example.com SRV', lookupAt: '2025-06-01T18:00:05Z' }));
    expect(notice.subject).toBe('starting mc.example.com');
    expect(notice.message).toContain('a lookup (_minecraft._tcp.mc.example.com SRV) at 2025-06-01T18:00:05Z asked for it while it was stopping');
  });

  it('gives the uptime in the stopped notice when known', () => {
    expect(stoppedNotice('mc.example.com', 130 * 60_000).message).toBe('stopped mc.example.com after 2 h 10 min');
    expect(stoppedNotice('mc.example.com', undefined).message).toBe('stopped mc.example.com');
  });
});

describe('the sample events in examples/events', () => {
  const sample = (name: string): unknown => JSON.parse(readFileSync(join(__dirname, '../../../examples/events', name), 'utf8'));
  const game = { asgName: 'gm-mc' };

  it.each([
    ['instance-hook-launch.json', 'launch'],
    ['instance-hook-terminate.json', 'terminate'],
    ['instance-hook-spot-warning.json', 'spot'],
    ['instance-hook-launch-unsuccessful.json', 'launch-failed'],
  ])('%s reads as a %s', (file, kind) => {
    expect(classify(sample(file), game).kind).toBe(kind);
  });
});
