import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  SetDesiredCapacityCommand,
  type DescribeAutoScalingGroupsCommandOutput,
} from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeTasksCommand, ECSClient, ListTasksCommand, type Task } from '@aws-sdk/client-ecs';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../src/lambdas/failsafe/handler';
import { logger } from '../../../src/lambdas/failsafe/telemetry';
import type { RuntimeGame, WatchdogState } from '../../../src/runtime/contract';

const GAME: RuntimeGame = {
  id: 'mc',
  fqdn: 'mc.example.com',
  hostedZoneId: 'Z123',
  ipv6: false,
  asgName: 'gm-mc-asg',
  clusterName: 'gm-mc',
  serviceName: 'gm-mc-service',
  taskFamily: 'gm-mc',
  watchdogRuleName: 'gm-mc-watchdog',
  stateParameterName: '/gm/mc/watchdog-state',
  connectionsDocumentName: 'gm-count-connections',
  logGroupName: '/gm/mc/game',
  ports: [{ port: 25565, protocol: 'tcp' }],
  probe: { type: 'query', game: 'minecraft', port: 25565 },
  idleMinutes: 10,
  startupMinutes: 15,
  maxHours: 8,
  stopAfterMaxHours: false,
  stopTimeoutSeconds: 110,
};
const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:gm-alerts';
const CLUSTER_ARN = 'arn:aws:ecs:eu-west-1:123456789012:cluster/gm-mc';
const INSTANCE = 'i-0123456789abcdef0';

const autoScaling = mockClient(AutoScalingClient);
const ec2 = mockClient(EC2Client);
const ecs = mockClient(ECSClient);
const sns = mockClient(SNSClient);
const ssm = mockClient(SSMClient);

function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name });
}

function groupAt(desired: number, instanceIds: string[] = desired > 0 ? [INSTANCE] : []): DescribeAutoScalingGroupsCommandOutput {
  return {
    $metadata: {},
    AutoScalingGroups: [
      {
        AutoScalingGroupName: GAME.asgName,
        DesiredCapacity: desired,
        MinSize: 0,
        MaxSize: 1,
        DefaultCooldown: 300,
        AvailabilityZones: ['eu-west-1a'],
        HealthCheckType: 'EC2',
        CreatedTime: new Date('2025-01-01T00:00:00Z'),
        Instances: instanceIds.map((InstanceId) => ({
          InstanceId,
          LifecycleState: 'InService',
          AvailabilityZone: 'eu-west-1a',
          HealthStatus: 'Healthy',
          ProtectedFromScaleIn: false,
        })),
      },
    ],
  };
}

const ago = (minutes: number): Date => new Date(Date.now() - minutes * 60_000);

function watchdogState(overrides: Partial<WatchdogState> = {}): string {
  const state: WatchdogState = {
    instanceId: INSTANCE,
    launchedAt: ago(30).toISOString(),
    readyAt: ago(28).toISOString(),
    everJoined: true,
    consecutiveProbeErrors: 0,
    maxHoursAlerted: false,
    ...overrides,
  };
  return JSON.stringify(state);
}

function failureRecord(errorMessage = 'Task timed out after 30.00 seconds'): object {
  return {
    version: '1.0',
    timestamp: new Date().toISOString(),
    requestContext: {
      requestId: 'c9a7b7f4-0000-4000-8000-000000000000',
      functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:gm-mc-watchdog:$LATEST',
      condition: 'RetriesExhausted',
      approximateInvokeCount: 1,
    },
    requestPayload: { source: 'aws.events', 'detail-type': 'Scheduled Event' },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: 'Sandbox.Timedout', errorMessage, trace: [] },
  };
}

/** EMF metric lines written to stdout during the test (Powertools writes metrics there). */
let stdoutLines: string[] = [];

function emittedMetrics(): Record<string, unknown>[] {
  return stdoutLines
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.includes('"_aws"'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

beforeAll(() => {
  logger.setLogLevel('SILENT');
});

beforeEach(() => {
  stdoutLines = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdoutLines.push(String(chunk));
    return true;
  });
  for (const mock of [autoScaling, ec2, ecs, sns, ssm]) mock.reset();
  process.env.GM_GAME = JSON.stringify(GAME);
  process.env.GM_TOPIC_ARN = TOPIC_ARN;
  autoScaling.on(SetDesiredCapacityCommand).resolves({});
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
});

afterEach(() => {
  jest.restoreAllMocks();
});

function expectStopped(): void {
  expect(autoScaling.commandCalls(SetDesiredCapacityCommand).map((c) => c.args[0].input)).toEqual([
    { AutoScalingGroupName: GAME.asgName, DesiredCapacity: 0, HonorCooldown: false },
  ]);
}

function expectNotStopped(): void {
  expect(autoScaling.commandCalls(SetDesiredCapacityCommand)).toHaveLength(0);
  expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
}

function publishedMessages(): string[] {
  return sns.commandCalls(PublishCommand).map((c) => String(c.args[0].input.Message));
}

describe('failsafe: watchdog failure-destination records', () => {
  it.each([1, 2])('%i failed minute(s) → no stop', async (minutes) => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(groupAt(1));
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: watchdogState({ lastRunAt: ago(minutes + 0.2).toISOString() }) } });

    await handler(failureRecord());
    const metrics = emittedMetrics();

    expectNotStopped();
    expect(metrics).toEqual([]);
    expect(ssm.commandCalls(GetParameterCommand)[0]?.args[0].input).toEqual({ Name: GAME.stateParameterName });
  });

  it('3 failed minutes → group set to 0, alert published, stop counted', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(groupAt(1));
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: watchdogState({ lastRunAt: ago(3.1).toISOString() }) } });

    await handler(failureRecord());
    const metrics = emittedMetrics();

    expect(autoScaling.commandCalls(DescribeAutoScalingGroupsCommand)[0]?.args[0].input).toEqual({ AutoScalingGroupNames: [GAME.asgName] });
    expectStopped();
    const publish = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(publish?.TopicArn).toBe(TOPIC_ARN);
    expect(publish?.Message).toBe('watchdog failing for 3 min; stopped mc.example.com: Task timed out after 30.00 seconds');
    expect(publish?.Subject).toContain('mc.example.com');
    expect(metrics).toHaveLength(1);
    expect(metrics[0]).toMatchObject({ game: 'mc', FailsafeStops: 1 });
  });

  it('the watchdog never completed a run: silence counts from the launch', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(groupAt(1));
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: watchdogState({ launchedAt: ago(4).toISOString() }) } });

    await handler(failureRecord());

    expectStopped();
    expect(publishedMessages()[0]).toMatch(/^watchdog failing for 4 min; stopped mc.example.com/);
  });

  it('group already at 0 → nothing read, stopped or announced', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(groupAt(0));

    await handler(failureRecord());
    const metrics = emittedMetrics();

    expectNotStopped();
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(0);
    expect(metrics).toEqual([]);
  });

  it('records repeated after the stop give one alert in all', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolvesOnce(groupAt(1)).resolves(groupAt(0));
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: watchdogState({ lastRunAt: ago(3.5).toISOString() }) } });

    await handler(failureRecord());
    await handler(failureRecord());
    await handler(failureRecord());

    expectStopped();
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it('missing state parameter → silence counted from the instance launch time (recent: no stop)', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(groupAt(1));
    ssm.on(GetParameterCommand).rejects(awsError('ParameterNotFound'));
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: INSTANCE, LaunchTime: ago(1.5) }] }] });

    await handler(failureRecord());

    expect(ec2.commandCalls(DescribeInstancesCommand)[0]?.args[0].input).toEqual({ InstanceIds: [INSTANCE] });
    expectNotStopped();
  });

  it('garbled state → silence counted from the instance launch time (old: stop)', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(groupAt(1));
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: '{"instanceId": 42' } });
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: INSTANCE, LaunchTime: ago(12) }] }] });

    await handler(failureRecord());

    expectStopped();
    expect(publishedMessages()[0]).toMatch(/^watchdog failing for 12 min/);
  });

  it('state of a previous instance is not trusted: the current instance launch time is', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(groupAt(1, ['i-new']));
    // The old instance's watchdog ran recently; the new instance's watchdog has been failing since launch.
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: watchdogState({ instanceId: 'i-old', lastRunAt: ago(0.5).toISOString() }) } });
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: 'i-new', LaunchTime: ago(6) }] }] });

    await handler(failureRecord());

    expectStopped();
  });

  it('no state and no instance information → stops anyway rather than run unwatched', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(groupAt(1, []));
    ssm.on(GetParameterCommand).rejects(awsError('ParameterNotFound'));

    await handler(failureRecord(''));

    expectStopped();
    expect(publishedMessages()[0]).toBe('watchdog failing for an unknown time; stopped mc.example.com: no error message');
  });

  it('instance gone from EC2 (InvalidInstanceID.NotFound) → no information → stop', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(groupAt(1));
    ssm.on(GetParameterCommand).rejects(awsError('ParameterNotFound'));
    ec2.on(DescribeInstancesCommand).rejects(awsError('InvalidInstanceID.NotFound'));

    await handler(failureRecord());

    expectStopped();
  });

  it('missing Auto Scaling group → logged, nothing else', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });
    const error = jest.spyOn(logger, 'error');

    await handler(failureRecord());

    expectNotStopped();
    expect(error).toHaveBeenCalledWith(expect.stringContaining('Auto Scaling group gm-mc-asg not found'));
  });

  describe('throttling', () => {
    it('DescribeAutoScalingGroups throttled → throws for a Lambda retry, stops nothing', async () => {
      autoScaling.on(DescribeAutoScalingGroupsCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));

      await expect(handler(failureRecord())).rejects.toMatchObject({ name: 'ThrottlingException' });
      expectNotStopped();
    });

    it('GetParameter throttled → throws, stops nothing', async () => {
      autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(groupAt(1));
      ssm.on(GetParameterCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));

      await expect(handler(failureRecord())).rejects.toMatchObject({ name: 'ThrottlingException' });
      expectNotStopped();
    });

    it('SetDesiredCapacity throttled → throws before any alert; the retry then stops and alerts once', async () => {
      autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(groupAt(1));
      ssm.on(GetParameterCommand).resolves({ Parameter: { Value: watchdogState({ lastRunAt: ago(4).toISOString() }) } });
      autoScaling.on(SetDesiredCapacityCommand).rejectsOnce(awsError('ThrottlingException', 'Rate exceeded')).resolves({});

      await expect(handler(failureRecord())).rejects.toMatchObject({ name: 'ThrottlingException' });
      expect(sns.commandCalls(PublishCommand)).toHaveLength(0);

      await handler(failureRecord());
      expect(autoScaling.commandCalls(SetDesiredCapacityCommand)).toHaveLength(2);
      expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    });

    it('Publish throttled → the stop stands, no throw, the failed alert is counted', async () => {
      autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(groupAt(1));
      ssm.on(GetParameterCommand).resolves({ Parameter: { Value: watchdogState({ lastRunAt: ago(4).toISOString() }) } });
      sns.on(PublishCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));

      await handler(failureRecord());
    const metrics = emittedMetrics();

      expectStopped();
      expect(metrics[0]).toMatchObject({ game: 'mc', FailsafeStops: 1, AlertFailures: 1 });
    });
  });
});

// ---------------------------------------------------------------- ECS crash loop

const taskArn = (id: string): string => `arn:aws:ecs:eu-west-1:123456789012:task/gm-mc/${id}`;

interface TaskSketch {
  id: string;
  minutesAgo: number;
  stopCode?: string;
  stoppedReason?: string;
  exitCode?: number;
  group?: string;
}

function ecsEvent(t: TaskSketch): object {
  return {
    version: '0',
    id: `event-${t.id}`,
    'detail-type': 'ECS Task State Change',
    source: 'aws.ecs',
    account: '123456789012',
    time: new Date().toISOString(),
    region: 'eu-west-1',
    resources: [taskArn(t.id)],
    detail: {
      taskArn: taskArn(t.id),
      clusterArn: CLUSTER_ARN,
      group: t.group ?? `service:${GAME.serviceName}`,
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      stopCode: t.stopCode ?? 'EssentialContainerExited',
      stoppedReason: t.stoppedReason ?? 'Essential container in task exited',
      stoppedAt: ago(t.minutesAgo).toISOString(),
      containers: [{ name: 'game', exitCode: t.exitCode ?? 1, lastStatus: 'STOPPED' }],
    },
  };
}

function sdkTask(t: TaskSketch): Task {
  return {
    taskArn: taskArn(t.id),
    clusterArn: CLUSTER_ARN,
    group: t.group ?? `service:${GAME.serviceName}`,
    lastStatus: 'STOPPED',
    desiredStatus: 'STOPPED',
    stopCode: (t.stopCode ?? 'EssentialContainerExited') as Task['stopCode'],
    stoppedReason: t.stoppedReason ?? 'Essential container in task exited',
    stoppedAt: ago(t.minutesAgo),
    containers: [{ name: 'game', exitCode: t.exitCode ?? 1 }],
  };
}

/** ECS remembers these stopped tasks of the service. */
function ecsRemembers(tasks: TaskSketch[]): void {
  ecs.on(ListTasksCommand).resolves({ taskArns: tasks.map((t) => taskArn(t.id)) });
  ecs.on(DescribeTasksCommand).resolves({ tasks: tasks.map(sdkTask), failures: [] });
}

const crashA: TaskSketch = { id: 'a', minutesAgo: 12, exitCode: 1 };
const crashB: TaskSketch = { id: 'b', minutesAgo: 6, exitCode: 1 };
const crashC: TaskSketch = { id: 'c', minutesAgo: 0.5, exitCode: 137, stoppedReason: 'OutOfMemoryError: Container killed due to memory usage' };

describe('failsafe: ECS task state changes', () => {
  beforeEach(() => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(groupAt(1));
  });

  it('three distinct crashes within 15 min → stop + alert with the last reason and exit code', async () => {
    ecsRemembers([crashA, crashB, crashC]);

    await handler(ecsEvent(crashC));
    const metrics = emittedMetrics();

    expect(ecs.commandCalls(ListTasksCommand)[0]?.args[0].input).toMatchObject({ cluster: GAME.clusterName, serviceName: GAME.serviceName, desiredStatus: 'STOPPED' });
    expect(ecs.commandCalls(DescribeTasksCommand)[0]?.args[0].input).toEqual({ cluster: GAME.clusterName, tasks: [taskArn('a'), taskArn('b'), taskArn('c')] });
    expectStopped();
    const message = publishedMessages()[0];
    expect(message).toContain('crashed 3 times in 15 min; stopped mc.example.com');
    expect(message).toContain('OutOfMemoryError: Container killed due to memory usage');
    expect(message).toContain('exit code 137');
    expect(metrics[0]).toMatchObject({ game: 'mc', FailsafeStops: 1 });
  });

  it('the event task counts even when ListTasks does not show it yet', async () => {
    ecsRemembers([crashA, crashB]);

    await handler(ecsEvent(crashC));

    expectStopped();
  });

  it('one crash → logged only: no stop, no alert, no metric', async () => {
    ecsRemembers([crashC]);
    const warn = jest.spyOn(logger, 'warn');

    await handler(ecsEvent(crashC));
    const metrics = emittedMetrics();

    expectNotStopped();
    expect(autoScaling.commandCalls(DescribeAutoScalingGroupsCommand)).toHaveLength(0);
    expect(metrics).toEqual([]);
    expect(warn).toHaveBeenCalledWith('game task crashed', expect.objectContaining({ taskArn: taskArn('c') }));
  });

  it('the same task delivered again does not count twice', async () => {
    ecsRemembers([crashB, crashC]);

    await handler(ecsEvent(crashC));
    await handler(ecsEvent(crashC));
    await handler(ecsEvent(crashB));

    expectNotStopped();
  });

  it('out of order: an older crash arriving last still completes the loop', async () => {
    ecsRemembers([crashB, crashC, crashA]);

    await handler(ecsEvent(crashA));

    expectStopped();
    // The alert describes the newest crash, not the late event's.
    expect(publishedMessages()[0]).toContain('exit code 137');
  });

  it('scale-in stops do not count', async () => {
    const scaleIn = (id: string): TaskSketch => ({ id, minutesAgo: 2, stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/123)', exitCode: 143 });
    ecsRemembers([crashB, crashC, scaleIn('d'), scaleIn('e')]);

    await handler(ecsEvent(crashC));
    expectNotStopped();

    // A scale-in stop event itself does not even look at the history.
    ecs.resetHistory();
    await handler(ecsEvent(scaleIn('f')));
    expect(ecs.commandCalls(ListTasksCommand)).toHaveLength(0);
  });

  it('spot interruptions and termination notices do not count', async () => {
    const spot: TaskSketch = { id: 'd', minutesAgo: 1, stopCode: 'SpotInterruption', stoppedReason: 'Your Spot Task was interrupted.' };
    const notice: TaskSketch = { id: 'e', minutesAgo: 1, stopCode: 'TerminationNotice', stoppedReason: 'Task stopped due to termination notice' };
    ecsRemembers([crashB, crashC, spot, notice]);

    await handler(ecsEvent(crashC));
    expectNotStopped();

    ecs.resetHistory();
    await handler(ecsEvent(spot));
    expect(ecs.commandCalls(ListTasksCommand)).toHaveLength(0);
  });

  it('crashes older than 15 minutes do not count', async () => {
    ecsRemembers([{ id: 'old1', minutesAgo: 40 }, { id: 'old2', minutesAgo: 20 }, crashC]);

    await handler(ecsEvent(crashC));

    expectNotStopped();
  });

  it('failing container health checks count as crashes', async () => {
    const unhealthy = (id: string, minutesAgo: number): TaskSketch => ({ id, minutesAgo, stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Task failed container health checks', exitCode: 143 });
    ecsRemembers([unhealthy('a', 9), unhealthy('b', 5), unhealthy('c', 1)]);

    await handler(ecsEvent(unhealthy('c', 1)));

    expectStopped();
  });

  it('a task of another service or cluster is ignored without any call', async () => {
    await handler(ecsEvent({ ...crashC, group: 'service:someone-else' }));
    const otherCluster = ecsEvent(crashC) as { detail: { clusterArn: string } };
    otherCluster.detail.clusterArn = 'arn:aws:ecs:eu-west-1:123456789012:cluster/gm-other';
    await handler(otherCluster);

    expect(ecs.calls()).toHaveLength(0);
    expectNotStopped();
  });

  it('crash loop while the group is already at 0 → nothing', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(groupAt(0));
    ecsRemembers([crashA, crashB, crashC]);

    await handler(ecsEvent(crashC));

    expectNotStopped();
  });

  it('ListTasks throttled → throws for a Lambda retry, stops nothing', async () => {
    ecs.on(ListTasksCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));

    await expect(handler(ecsEvent(crashC))).rejects.toMatchObject({ name: 'ThrottlingException' });
    expectNotStopped();
  });

  it('pages through ListTasks and describes at most 100 tasks per call', async () => {
    const many = Array.from({ length: 150 }, (_, i) => ({ id: `t${i}`, minutesAgo: 50, stopCode: 'ServiceSchedulerInitiated' }));
    ecs
      .on(ListTasksCommand)
      .resolvesOnce({ taskArns: many.slice(0, 100).map((t) => taskArn(t.id)), nextToken: 'page-2' })
      .resolves({ taskArns: many.slice(100).map((t) => taskArn(t.id)) });
    ecs.on(DescribeTasksCommand).resolves({ tasks: [] });

    await handler(ecsEvent(crashC));

    expect(ecs.commandCalls(ListTasksCommand)[1]?.args[0].input.nextToken).toBe('page-2');
    expect(ecs.commandCalls(DescribeTasksCommand).map((c) => c.args[0].input.tasks?.length)).toEqual([100, 50]);
  });
});

describe('failsafe: other input', () => {
  it.each([
    ['null', null],
    ['a string', 'hello'],
    ['an empty object', {}],
    ['an ECS event of another type', { source: 'aws.ecs', 'detail-type': 'ECS Container Instance State Change', detail: {} }],
    ['an ECS task event without a task ARN', { source: 'aws.ecs', 'detail-type': 'ECS Task State Change', detail: { group: 'service:gm-mc-service', stopCode: 'EssentialContainerExited' } }],
  ])('%s → ignored, no AWS call, no throw', async (_label, event) => {
    await expect(handler(event)).resolves.toBeUndefined();
    for (const mock of [autoScaling, ec2, ecs, sns, ssm]) expect(mock.calls()).toHaveLength(0);
  });

  it('missing GM_GAME → a clear configuration error', async () => {
    delete process.env.GM_GAME;
    await expect(handler(failureRecord())).rejects.toThrow('environment variable GM_GAME is not set');
  });
});
