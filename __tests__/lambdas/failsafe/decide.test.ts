import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  classifyEvent,
  crashLoop,
  failureOrigin,
  functionNameOfArn,
  hookAftermath,
  hookWorkOf,
  isCrash,
  isTaskOfService,
  ruleStateOf,
  runsUnwatched,
  servingInstance,
  shouldStopForSilentWatchdog,
  stateIsCurrent,
  watchdogSilentMinutes,
  type FailedInvocation,
  type StoppedTask,
} from '../../../src/lambdas/failsafe/decide';
import { crashLoopAlert, hookFailedAlert, wakerFailedAlert, watchdogFailingAlert } from '../../../src/lambdas/failsafe/messages';
import { snsSubject } from '../../../src/lambdas/shared/notices';
import type { GroupSnapshot } from '../../../src/runtime/session';
import type { WatchdogState } from '../../../src/runtime/watchdog-state';
import { lifecycleEvent } from '../../support/events';
import { failureRecord, INSTANCE, SCHEDULED_EVENT, wakerFailure } from './support';

const NOW = new Date('2025-06-01T12:00:00.000Z');
const minutesAgo = (m: number): string => new Date(NOW.getTime() - m * 60_000).toISOString();

function task(arn: string, overrides: Partial<StoppedTask> = {}): StoppedTask {
  return {
    taskArn: `arn:aws:ecs:eu-west-1:123456789012:task/gm-mc/${arn}`,
    group: 'service:gm-mc-service',
    lastStatus: 'STOPPED',
    desiredStatus: 'STOPPED',
    stopCode: 'EssentialContainerExited',
    stoppedReason: 'Essential container in task exited',
    stoppedAt: minutesAgo(1),
    containers: [{ name: 'game', exitCode: 1 }],
    ...overrides,
  };
}

function failureOf(event: unknown): FailedInvocation {
  const classified = classifyEvent(event);
  if (classified.kind !== 'failure') throw new Error(`not a failure: ${JSON.stringify(classified)}`);
  return classified.failure;
}

const group = (desired: number, ...instances: [string, string][]): GroupSnapshot => ({
  desiredCapacity: desired,
  instances: instances.map(([instanceId, lifecycleState]) => ({ instanceId, lifecycleState })),
});

describe('classifyEvent', () => {
  it('reads a failure-destination record: condition, request, attempts and the error', () => {
    const failure = failureOf(failureRecord({ functionName: 'gm-mc-watchdog', requestPayload: SCHEDULED_EVENT, requestId: 'r-1', attempts: 1 }));
    expect(failure).toEqual({
      condition: 'RetriesExhausted',
      requestId: 'r-1',
      functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:gm-mc-watchdog:$LATEST',
      timestamp: NOW.toISOString(),
      attempts: 1,
      requestPayload: SCHEDULED_EVENT,
      error: 'Sandbox.Timedout: Task timed out after 30.00 seconds',
    });
  });

  it('an event dropped for its age has no response, and is still a failure', () => {
    const failure = failureOf(failureRecord({ functionName: 'gm-mc-watchdog', requestPayload: SCHEDULED_EVENT, condition: 'EventAgeExceeded' }));
    expect(failure.condition).toBe('EventAgeExceeded');
    expect(failure.error).toBeUndefined();
  });

  it('a response without an error object falls back to the function error kind', () => {
    const record = { requestContext: { condition: 'RetriesExhausted' }, responseContext: { functionError: 'Unhandled' }, responsePayload: null };
    expect(failureOf(record).error).toBe('Unhandled error');
  });

  it('a success record is not a failure', () => {
    expect(classifyEvent({ requestContext: { condition: 'Success' } })).toMatchObject({ kind: 'skip', why: expect.stringContaining('Success') });
  });

  it('reads an ECS task state change into a stopped task, nulls and all', () => {
    const classified = classifyEvent({
      source: 'aws.ecs',
      'detail-type': 'ECS Task State Change',
      detail: { taskArn: 'arn:t', clusterArn: 'arn:c', stopCode: 'EssentialContainerExited', stoppedReason: null, containers: [{ name: 'game', exitCode: 1 }, { name: 'init', exitCode: null }] },
    });
    expect(classified).toEqual({
      kind: 'task-stopped',
      clusterArn: 'arn:c',
      task: { taskArn: 'arn:t', stopCode: 'EssentialContainerExited', containers: [{ name: 'game', exitCode: 1 }, { name: 'init' }] },
    });
  });

  it.each([
    ['null', null],
    ['text', 'text'],
    ['an array', []],
    ['an empty object', {}],
    ['an ECS event of another type', { source: 'aws.ecs', 'detail-type': 'ECS Service Action', detail: {} }],
    ['an ECS task event without detail', { source: 'aws.ecs', 'detail-type': 'ECS Task State Change' }],
    ['an ECS task event without a task ARN', { source: 'aws.ecs', 'detail-type': 'ECS Task State Change', detail: { stopCode: 'EssentialContainerExited' } }],
    ['an ECS task event with containers that are not a list', { source: 'aws.ecs', 'detail-type': 'ECS Task State Change', detail: { taskArn: 'arn:t', containers: 'game' } }],
    ['a record whose condition is not text', { requestContext: { condition: 3 } }],
    ['a record whose requestContext is not an object', { requestContext: 'x' }],
  ])('%s → skip with a reason', (_label, event) => {
    expect(classifyEvent(event)).toMatchObject({ kind: 'skip', why: expect.any(String) });
  });
});

describe('failureOrigin', () => {
  it('names the function from its ARN and finds its role by the suffix the constructs give it', () => {
    expect(failureOrigin(failureOf(failureRecord({ functionName: 'gm-mc-watchdog', requestPayload: {} })), 'mc')).toEqual({ role: 'watchdog', name: 'gm-mc-watchdog', ofThisGame: true });
    expect(failureOrigin(failureOf(failureRecord({ functionName: 'gm-mc-instance-hook', requestPayload: {} })), 'mc')).toEqual({ role: 'instance-hook', name: 'gm-mc-instance-hook', ofThisGame: true });
    expect(failureOrigin(failureOf(wakerFailure()), 'mc')).toEqual({ role: 'waker', name: 'gm-waker', ofThisGame: true });
  });

  it("another game's function is not this game's, even when its id ends like this one's", () => {
    expect(failureOrigin(failureOf(failureRecord({ functionName: 'gm-xmc-watchdog', requestPayload: {} })), 'mc')).toMatchObject({ role: 'watchdog', ofThisGame: false });
    expect(failureOrigin(failureOf(failureRecord({ functionName: 'gm-valheim-instance-hook', requestPayload: {} })), 'mc')).toMatchObject({ ofThisGame: false });
  });

  it('without a function ARN, the event the function was given tells the role', () => {
    const bare = (requestPayload: unknown): FailedInvocation => ({ condition: 'RetriesExhausted', requestPayload });
    expect(failureOrigin(bare(SCHEDULED_EVENT), 'mc').role).toBe('watchdog');
    expect(failureOrigin(bare(lifecycleEvent({ transition: 'launch', instanceId: INSTANCE })), 'mc').role).toBe('instance-hook');
    expect(failureOrigin(bare({ source: 'aws.ec2', 'detail-type': 'EC2 Spot Instance Interruption Warning' }), 'mc').role).toBe('instance-hook');
    expect(failureOrigin(bare({ awslogs: { data: 'x' } }), 'mc').role).toBe('waker');
    expect(failureOrigin(bare({ hello: 1 }), 'mc')).toEqual({ role: 'unknown', ofThisGame: true });
  });

  it('an unknown function name keeps its name', () => {
    expect(failureOrigin(failureOf(failureRecord({ functionName: 'my-own-thing', requestPayload: {} })), 'mc')).toEqual({ role: 'unknown', name: 'my-own-thing', ofThisGame: true });
  });

  it('functionNameOfArn reads qualified and unqualified ARNs only', () => {
    expect(functionNameOfArn('arn:aws:lambda:eu-west-1:1:function:gm-mc-watchdog')).toBe('gm-mc-watchdog');
    expect(functionNameOfArn('arn:aws:lambda:eu-west-1:1:function:gm-mc-watchdog:$LATEST')).toBe('gm-mc-watchdog');
    expect(functionNameOfArn('arn:aws:sns:eu-west-1:1:topic')).toBeUndefined();
    expect(functionNameOfArn(undefined)).toBeUndefined();
  });
});

describe('hookWorkOf', () => {
  it.each([
    ['launch', lifecycleEvent({ transition: 'launch', instanceId: 'i-1' }), { what: 'the launch of i-1', instanceId: 'i-1' }],
    ['terminate', lifecycleEvent({ transition: 'terminate', instanceId: 'i-1' }), { what: 'the stop of i-1', instanceId: 'i-1' }],
    ['spot', { source: 'aws.ec2', 'detail-type': 'EC2 Spot Instance Interruption Warning', detail: { 'instance-id': 'i-2', 'instance-action': 'terminate' } }, { what: 'the spot interruption of i-2', instanceId: 'i-2' }],
    ['failed launch', { source: 'aws.autoscaling', 'detail-type': 'EC2 Instance Launch Unsuccessful', detail: { EC2InstanceId: '' } }, { what: 'a failed launch' }],
    ['something else', { 'detail-type': 'Whatever' }, { what: 'an event "Whatever"' }],
    ['not an object', 'x', { what: 'an event' }],
  ])('%s', (_label, payload, expected) => {
    expect(hookWorkOf(payload)).toEqual(expected);
  });
});

describe('unwatched instances', () => {
  it('only an InService instance of a group at ≥ 1 is judged (a Pending one is under its launch hook)', () => {
    expect(servingInstance(group(1, ['i-1', 'InService']))).toBe('i-1');
    expect(servingInstance(group(1, ['i-1', 'Pending:Wait']))).toBeUndefined();
    expect(servingInstance(group(0, ['i-1', 'InService']))).toBeUndefined();
    expect(servingInstance(group(1, ['i-old', 'Terminating:Wait'], ['i-new', 'InService']))).toBe('i-new');
    expect(servingInstance(undefined)).toBeUndefined();
  });

  it('runs unwatched when the rule is off or gone, not when it is on', () => {
    expect(runsUnwatched('i-1', 'disabled')).toBe(true);
    expect(runsUnwatched('i-1', 'missing')).toBe(true);
    expect(runsUnwatched('i-1', 'enabled')).toBe(false);
    expect(runsUnwatched(undefined, 'disabled')).toBe(false);
  });

  it('reads the rule states EventBridge reports', () => {
    expect(ruleStateOf('ENABLED')).toBe('enabled');
    expect(ruleStateOf('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS')).toBe('enabled');
    expect(ruleStateOf('DISABLED')).toBe('disabled');
    expect(ruleStateOf(undefined)).toBe('disabled');
  });

  it('tells what a hook failure leaves', () => {
    expect(hookAftermath(undefined, undefined, undefined)).toEqual({ kind: 'no-group' });
    expect(hookAftermath(group(1, ['i-1', 'InService']), 'i-1', 'disabled')).toEqual({ kind: 'stopped', instanceId: 'i-1', rule: 'disabled' });
    expect(hookAftermath(group(1, ['i-1', 'InService']), 'i-1', 'enabled')).toEqual({ kind: 'watched', instanceId: 'i-1' });
    expect(hookAftermath(group(1, ['i-1', 'Pending:Wait']), undefined, undefined)).toEqual({ kind: 'starting' });
    expect(hookAftermath(group(0, ['i-1', 'Terminating:Wait']), undefined, undefined)).toEqual({ kind: 'stopping' });
    expect(hookAftermath(group(0), undefined, undefined)).toEqual({ kind: 'nothing-runs' });
  });
});

describe('watchdog silence', () => {
  const state: WatchdogState = { instanceId: 'i-1', launchedAt: minutesAgo(30), everJoined: false, consecutiveProbeErrors: 0, maxHoursAlerted: false };

  it('counts from the last completed run', () => {
    expect(watchdogSilentMinutes({ ...state, lastRunAt: minutesAgo(2.5) }, NOW)).toBeCloseTo(2.5);
  });

  it('counts from the launch when the watchdog never completed a run', () => {
    expect(watchdogSilentMinutes(state, NOW)).toBeCloseTo(30);
  });

  it('a state started afresh mid-session counts from when it was started', () => {
    expect(watchdogSilentMinutes({ ...state, watchingSince: minutesAgo(1) }, NOW)).toBeCloseTo(1);
  });

  it('ignores unreadable times, and is undefined when none is readable', () => {
    expect(watchdogSilentMinutes({ ...state, lastRunAt: 'garbage' }, NOW)).toBeCloseTo(30);
    expect(watchdogSilentMinutes({ ...state, launchedAt: 'garbage' }, NOW)).toBeUndefined();
  });

  it.each([
    [1, false],
    [2.99, false],
    [3, true],
    [45, true],
    [undefined, true],
  ])('%s silent minutes → stop %s', (minutes, expected) => {
    expect(shouldStopForSilentWatchdog(minutes)).toBe(expected);
  });

  it('a state is current when the group has its instance, or lists none', () => {
    expect(stateIsCurrent(state, group(1, ['i-1', 'InService']))).toBe(true);
    expect(stateIsCurrent(state, group(1))).toBe(true);
    expect(stateIsCurrent(state, group(1, ['i-2', 'InService']))).toBe(false);
  });
});

describe('isCrash', () => {
  it.each([
    ['EssentialContainerExited', 'Essential container in task exited', true],
    ['TaskFailedToStart', 'CannotPullContainerError: pull image manifest has been retried 5 time(s)', true],
    ['ServiceSchedulerInitiated', 'Task failed container health checks', true],
    ['ServiceSchedulerInitiated', 'Scaling activity initiated by (deployment ecs-svc/123)', false],
    ['UserInitiated', 'Stopped by an operator', false],
    ['SpotInterruption', 'Your Spot Task was interrupted.', false],
    ['TerminationNotice', 'Task stopped due to termination notice', false],
  ])('stop code %s (%s) → %s', (stopCode, stoppedReason, expected) => {
    expect(isCrash(task('a', { stopCode, stoppedReason }))).toBe(expected);
  });

  it('a task that is not stopping (no stop code) is not a crash', () => {
    const { stopCode: _ignored, ...running } = task('a', { lastStatus: 'RUNNING', desiredStatus: 'RUNNING' });
    expect(isCrash(running)).toBe(false);
  });
});

describe('crashLoop', () => {
  it('three distinct crashes within 15 minutes are a loop, and the newest is the last', () => {
    const verdict = crashLoop([task('a', { stoppedAt: minutesAgo(14) }), task('c', { stoppedAt: minutesAgo(1), stoppedReason: 'newest' }), task('b', { stoppedAt: minutesAgo(7) })], NOW);
    expect(verdict).toMatchObject({ loop: true, count: 3 });
    expect(verdict.last?.stoppedReason).toBe('newest');
  });

  it('two crashes are not a loop; the same task three times counts once', () => {
    expect(crashLoop([task('a'), task('b')], NOW)).toMatchObject({ loop: false, count: 2 });
    expect(crashLoop([task('a'), task('a'), task('a'), task('b')], NOW)).toMatchObject({ loop: false, count: 2 });
  });

  it('crashes older than 15 minutes, scale-ins, spot stops and undated crashes do not count', () => {
    const { stoppedAt: _ignored, ...undated } = task('u');
    const verdict = crashLoop(
      [
        task('a'),
        task('b'),
        task('old', { stoppedAt: minutesAgo(16) }),
        task('c', { stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/1)' }),
        task('d', { stopCode: 'SpotInterruption' }),
        undated,
        task('e', { stoppedAt: 'yesterday' }),
      ],
      NOW,
    );
    expect(verdict).toMatchObject({ loop: false, count: 2 });
  });

  it('no tasks: no loop, no last', () => {
    expect(crashLoop([], NOW)).toEqual({ loop: false, count: 0 });
  });
});

describe('isTaskOfService', () => {
  const clusterArn = 'arn:aws:ecs:eu-west-1:123456789012:cluster/gm-mc';
  it('matches the service group and the cluster by ARN or name', () => {
    expect(isTaskOfService(task('a'), clusterArn, 'gm-mc', 'gm-mc-service')).toBe(true);
    expect(isTaskOfService(task('a'), 'gm-mc', 'gm-mc', 'gm-mc-service')).toBe(true);
    expect(isTaskOfService(task('a'), undefined, 'gm-mc', 'gm-mc-service')).toBe(true);
  });
  it('rejects another service, a standalone task and another cluster', () => {
    expect(isTaskOfService(task('a', { group: 'service:other' }), clusterArn, 'gm-mc', 'gm-mc-service')).toBe(false);
    expect(isTaskOfService(task('a', { group: 'family:gm-mc' }), clusterArn, 'gm-mc', 'gm-mc-service')).toBe(false);
    expect(isTaskOfService(task('a'), 'arn:aws:ecs:eu-west-1:123456789012:cluster/gm-mc-other', 'gm-mc', 'gm-mc-service')).toBe(false);
  });
});

describe('alerts', () => {
  it('watchdog alert names the minutes, the host and the error', () => {
    expect(watchdogFailingAlert('mc.example.com', 3.4, 'Task timed out after 30.00 seconds')).toEqual({
      subject: 'mc.example.com stopped: watchdog failing',
      message: 'watchdog failing for 3 min; stopped mc.example.com: Task timed out after 30.00 seconds',
    });
    expect(watchdogFailingAlert('mc.example.com', undefined, undefined).message).toBe('watchdog failing for an unknown time; stopped mc.example.com: no error message');
  });

  it('crash loop alert gives the last reason and the exit code of the failing container', () => {
    const verdict = crashLoop(
      [task('a'), task('b'), task('c', { stoppedAt: minutesAgo(0.5), containers: [{ name: 'sidecar', exitCode: 0 }, { name: 'game', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' }] })],
      NOW,
    );
    const alert = crashLoopAlert('mc.example.com', verdict);
    expect(alert.message).toContain('crashed 3 times in 15 min; stopped mc.example.com');
    expect(alert.message).toContain('Last stop: Essential container in task exited');
    expect(alert.message).toContain('container game: exit code 137, OutOfMemoryError');
  });

  it('instance hook alert names the function, the work, the attempts, the error and the outcome', () => {
    const failure = failureOf(failureRecord({ functionName: 'gm-mc-instance-hook', requestPayload: lifecycleEvent({ transition: 'launch', instanceId: 'i-1' }), errorType: 'ThrottlingException', errorMessage: 'Rate exceeded' }));
    const origin = failureOrigin(failure, 'mc');
    const alert = hookFailedAlert('mc.example.com', origin, hookWorkOf(failure.requestPayload), failure, { kind: 'stopped', instanceId: 'i-1', rule: 'disabled' });
    expect(alert.subject).toBe('mc.example.com stopped: instance hook failed');
    expect(alert.message).toBe(
      'The instance hook function (gm-mc-instance-hook) failed after 3 attempts: ThrottlingException: Rate exceeded while handling the launch of i-1. ' +
        'i-1 was running while the watchdog was off, so mc.example.com was stopped rather than left running unwatched; the next lookup starts it again. ' +
        'Its logs: CloudWatch log group /aws/lambda/gm-mc-instance-hook.',
    );
  });

  it('a failed stop warns that the game may not have been drained', () => {
    const failure = failureOf(failureRecord({ functionName: 'gm-mc-instance-hook', requestPayload: lifecycleEvent({ transition: 'terminate', instanceId: 'i-1' }) }));
    const alert = hookFailedAlert('mc.example.com', failureOrigin(failure, 'mc'), hookWorkOf(failure.requestPayload), failure, { kind: 'nothing-runs' });
    expect(alert.subject).toBe('mc.example.com: instance hook failed');
    expect(alert.message).toContain('while handling the stop of i-1. No instance of mc.example.com runs now.');
    expect(alert.message).toContain('may not have been drained');
  });

  it('waker alert says an expired event was never run', () => {
    const failure = failureOf(failureRecord({ functionName: 'gm-waker', requestPayload: { awslogs: { data: '' } }, condition: 'EventAgeExceeded' }));
    expect(wakerFailedAlert(failureOrigin(failure, 'mc'), failure).message).toMatch(/^The waker function \(gm-waker\) was not run before its event expired \(EventAgeExceeded\)\./);
  });

  it('subjects become ASCII under 100 characters once cleaned for SNS', () => {
    const subject = snsSubject(watchdogFailingAlert(`${'ä'.repeat(120)}.example.com`, 3, 'x').subject);
    expect(subject.length).toBeLessThanOrEqual(100);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
  });
});

describe('examples/events (for `gm lambda failsafe --event …`)', () => {
  const example = (name: string): unknown => JSON.parse(readFileSync(join(__dirname, '../../../examples/events', name), 'utf8'));

  it('the watchdog failure record is a failure of this game\'s watchdog', () => {
    const failure = failureOf(example('failsafe-watchdog-failure.json'));
    expect(failureOrigin(failure, 'mc')).toEqual({ role: 'watchdog', name: 'gm-mc-watchdog', ofThisGame: true });
  });

  it('the instance-hook failure record names the launch of its instance', () => {
    const failure = failureOf(example('failsafe-instance-hook-failure.json'));
    expect(failureOrigin(failure, 'mc').role).toBe('instance-hook');
    expect(hookWorkOf(failure.requestPayload)).toEqual({ what: 'the launch of i-0123456789abcdef0', instanceId: 'i-0123456789abcdef0' });
  });

  it('the task event is a crash of the game service', () => {
    const classified = classifyEvent(example('failsafe-task-stopped.json'));
    expect(classified.kind).toBe('task-stopped');
    if (classified.kind === 'task-stopped') {
      expect(isCrash(classified.task)).toBe(true);
      expect(isTaskOfService(classified.task, classified.clusterArn, 'gm-mc', 'gm-mc')).toBe(true);
    }
  });
});
