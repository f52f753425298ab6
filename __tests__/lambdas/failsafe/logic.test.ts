import type { WatchdogState } from '../../../src/runtime/contract';
import {
  crashLoop,
  crashLoopAlert,
  isCrash,
  isTaskOfService,
  parseWatchdogState,
  shouldStopForSilentWatchdog,
  watchdogFailingAlert,
  watchdogSilentMinutes,
  type StoppedTask,
} from '../../../src/lambdas/failsafe/logic';
import { classifyEvent, stoppedTaskFromDetail } from '../../../src/lambdas/failsafe/events';

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

  it('two crashes are not a loop', () => {
    expect(crashLoop([task('a'), task('b')], NOW)).toMatchObject({ loop: false, count: 2 });
  });

  it('the same task seen three times counts once', () => {
    expect(crashLoop([task('a'), task('a'), task('a'), task('b')], NOW)).toMatchObject({ loop: false, count: 2 });
  });

  it('crashes older than 15 minutes do not count', () => {
    const verdict = crashLoop([task('a', { stoppedAt: minutesAgo(16) }), task('b', { stoppedAt: minutesAgo(20) }), task('c')], NOW);
    expect(verdict).toMatchObject({ loop: false, count: 1 });
  });

  it('scale-in and spot stops do not count', () => {
    const verdict = crashLoop(
      [
        task('a'),
        task('b'),
        task('c', { stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/1)' }),
        task('d', { stopCode: 'SpotInterruption' }),
        task('e', { stopCode: 'TerminationNotice' }),
      ],
      NOW,
    );
    expect(verdict).toMatchObject({ loop: false, count: 2 });
  });

  it('a crash without a readable stop time cannot be placed in the window', () => {
    const { stoppedAt: _ignored, ...undated } = task('c');
    expect(crashLoop([task('a'), task('b'), undated, task('d', { stoppedAt: 'yesterday' })], NOW)).toMatchObject({ loop: false, count: 2 });
  });

  it('no tasks: no loop, no last', () => {
    expect(crashLoop([], NOW)).toEqual({ loop: false, count: 0 });
  });
});

describe('watchdogSilentMinutes', () => {
  const state: WatchdogState = { instanceId: 'i-1', launchedAt: minutesAgo(30), everJoined: false, consecutiveProbeErrors: 0, maxHoursAlerted: false };

  it('counts from the last completed run', () => {
    expect(watchdogSilentMinutes({ ...state, lastRunAt: minutesAgo(2.5) }, NOW)).toBeCloseTo(2.5);
  });

  it('counts from the launch when the watchdog never completed a run', () => {
    expect(watchdogSilentMinutes(state, NOW)).toBeCloseTo(30);
  });

  it('falls back to the launch when lastRunAt is unreadable', () => {
    expect(watchdogSilentMinutes({ ...state, lastRunAt: 'garbage' }, NOW)).toBeCloseTo(30);
  });

  it('is undefined when no time is readable', () => {
    expect(watchdogSilentMinutes({ ...state, launchedAt: 'garbage' }, NOW)).toBeUndefined();
  });
});

describe('shouldStopForSilentWatchdog', () => {
  it.each([
    [1, false],
    [2, false],
    [2.99, false],
    [3, true],
    [45, true],
    [undefined, true],
  ])('%s silent minutes → stop %s', (minutes, expected) => {
    expect(shouldStopForSilentWatchdog(minutes)).toBe(expected);
  });
});

describe('parseWatchdogState', () => {
  it('reads a valid state', () => {
    const raw = JSON.stringify({ instanceId: 'i-1', launchedAt: minutesAgo(5), lastRunAt: minutesAgo(1), everJoined: true, consecutiveProbeErrors: 0, maxHoursAlerted: false });
    expect(parseWatchdogState(raw)?.instanceId).toBe('i-1');
  });

  it.each([
    ['missing', undefined],
    ['not JSON', '{oops'],
    ['JSON null', 'null'],
    ['an array', '[]'],
    ['no instance id', JSON.stringify({ launchedAt: minutesAgo(5) })],
    ['an unreadable launch time', JSON.stringify({ instanceId: 'i-1', launchedAt: 'soon' })],
  ])('%s → undefined', (_label, raw) => {
    expect(parseWatchdogState(raw)).toBeUndefined();
  });
});

describe('isTaskOfService', () => {
  const clusterArn = 'arn:aws:ecs:eu-west-1:123456789012:cluster/gm-mc';
  it('matches the service group and the cluster by ARN or name', () => {
    expect(isTaskOfService(task('a'), clusterArn, 'gm-mc', 'gm-mc-service')).toBe(true);
    expect(isTaskOfService(task('a'), 'gm-mc', 'gm-mc', 'gm-mc-service')).toBe(true);
  });
  it('rejects another service, a standalone task and another cluster', () => {
    expect(isTaskOfService(task('a', { group: 'service:other' }), clusterArn, 'gm-mc', 'gm-mc-service')).toBe(false);
    expect(isTaskOfService(task('a', { group: 'family:gm-mc' }), clusterArn, 'gm-mc', 'gm-mc-service')).toBe(false);
    expect(isTaskOfService(task('a'), 'arn:aws:ecs:eu-west-1:123456789012:cluster/gm-mc-other', 'gm-mc', 'gm-mc-service')).toBe(false);
  });
});

describe('alerts', () => {
  it('watchdog alert names the minutes, the host and the error', () => {
    const alert = watchdogFailingAlert('mc.example.com', 3.4, 'Task timed out after 30.00 seconds');
    expect(alert.message).toBe('watchdog failing for 3 min; stopped mc.example.com: Task timed out after 30.00 seconds');
    expect(alert.subject).toBe('mc.example.com stopped: watchdog failing');
  });

  it('watchdog alert without timing or error still reads', () => {
    expect(watchdogFailingAlert('mc.example.com', undefined, undefined).message).toBe(
      'watchdog failing for an unknown time; stopped mc.example.com: no error message',
    );
  });

  it('crash loop alert gives the last reason and the exit code of the failing container', () => {
    const verdict = crashLoop(
      [task('a'), task('b'), task('c', { stoppedAt: minutesAgo(0.5), stoppedReason: 'Essential container in task exited', containers: [{ name: 'sidecar', exitCode: 0 }, { name: 'game', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' }] })],
      NOW,
    );
    const alert = crashLoopAlert('mc.example.com', verdict);
    expect(alert.message).toContain('crashed 3 times in 15 min; stopped mc.example.com');
    expect(alert.message).toContain('Last stop: Essential container in task exited');
    expect(alert.message).toContain('container game: exit code 137, OutOfMemoryError');
  });

  it('subjects stay ASCII and under 100 characters (SNS rejects others)', () => {
    const alert = watchdogFailingAlert(`${'a'.repeat(120)}.example.com`, 3, 'x');
    expect(alert.subject.length).toBeLessThan(100);
    expect(alert.subject).toMatch(/^[\x20-\x7e]+$/);
  });
});

describe('events', () => {
  it('tells a failure-destination record from an ECS event and from anything else', () => {
    expect(classifyEvent({ requestContext: { condition: 'RetriesExhausted' } }).kind).toBe('watchdog-failure');
    expect(classifyEvent({ source: 'aws.ecs', 'detail-type': 'ECS Task State Change', detail: {} }).kind).toBe('ecs-task');
    expect(classifyEvent({ source: 'aws.ecs', 'detail-type': 'ECS Service Action', detail: {} }).kind).toBe('unknown');
    expect(classifyEvent({ source: 'aws.ecs', 'detail-type': 'ECS Task State Change' }).kind).toBe('unknown');
    expect(classifyEvent(null).kind).toBe('unknown');
    expect(classifyEvent('text').kind).toBe('unknown');
    expect(classifyEvent({}).kind).toBe('unknown');
  });

  it('reads the task of an event and drops wrongly typed fields', () => {
    expect(stoppedTaskFromDetail({ taskArn: 'arn:t', stopCode: 'EssentialContainerExited', containers: [{ name: 'game', exitCode: 1 }, null as never] })).toEqual({
      taskArn: 'arn:t',
      stopCode: 'EssentialContainerExited',
      containers: [{ name: 'game', exitCode: 1 }],
    });
    expect(stoppedTaskFromDetail({ stopCode: 'EssentialContainerExited' })).toBeUndefined();
  });
});
