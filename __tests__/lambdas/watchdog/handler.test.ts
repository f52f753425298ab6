import { AutoScalingClient, DescribeAutoScalingGroupsCommand, SetDesiredCapacityCommand } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { DisableRuleCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCommandInvocationCommand, GetParameterCommand, PutParameterCommand, SendCommandCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import type { RuntimeGame } from '../../../src/runtime/contract';
import { handler } from '../../../src/lambdas/watchdog/handler';
import { logger, metrics } from '../../../src/lambdas/watchdog/telemetry';
import type { WatchdogRecord } from '../../../src/lambdas/watchdog/watchdog-record';

const autoScaling = mockClient(AutoScalingClient);
const ec2 = mockClient(EC2Client);
const ssm = mockClient(SSMClient);
const eventBridge = mockClient(EventBridgeClient);
const sns = mockClient(SNSClient);
const cloudWatch = mockClient(CloudWatchClient);
const ecs = mockClient(ECSClient);

const GAME: RuntimeGame = {
  id: 'mc',
  fqdn: 'mc.example.com',
  hostedZoneId: 'Z0123456789ABCDEFGHIJ',
  srvName: '_minecraft._tcp.mc.example.com',
  ipv6: false,
  asgName: 'gm-mc-asg',
  clusterName: 'gm-mc',
  serviceName: 'gm-mc',
  taskFamily: 'gm-mc',
  watchdogRuleName: 'gm-mc-watchdog',
  stateParameterName: '/gm/mc/watchdog-state',
  connectionsDocumentName: 'gm-count-connections',
  logGroupName: '/gm/mc',
  ports: [{ port: 25565, protocol: 'tcp' }, { port: 19132, protocol: 'udp' }],
  probe: { type: 'connections' },
  idleMinutes: 10,
  startupMinutes: 15,
  maxHours: 8,
  stopAfterMaxHours: false,
  stopTimeoutSeconds: 110,
};
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:gm-alerts';
const INSTANCE = 'i-0123456789abcdef0';

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
const iso = (minutes: number) => minutesAgo(minutes).toISOString();

const throttling = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
const awsError = (name: string, message: string) => Object.assign(new Error(message), { name });

/** The state a game has after 30 min with players who left `idleFor` minutes ago. */
function playedState(idleFor: number, overrides: Partial<WatchdogRecord> = {}): WatchdogRecord {
  return {
    instanceId: INSTANCE,
    launchedAt: iso(40),
    readyAt: iso(38),
    lastPlayersAt: iso(idleFor),
    idleSince: iso(idleFor),
    everJoined: true,
    consecutiveProbeErrors: 0,
    lastRunAt: iso(1),
    maxHoursAlerted: false,
    ...overrides,
  };
}

function givenGroup(instances: { id: string; state: string }[], desiredCapacity = 1): void {
  autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({
    AutoScalingGroups: [{
      AutoScalingGroupName: GAME.asgName,
      DesiredCapacity: desiredCapacity,
      MinSize: 0,
      MaxSize: 1,
      AvailabilityZones: ['eu-west-1a'],
      HealthCheckType: 'EC2',
      CreatedTime: new Date('2025-01-01T00:00:00Z'),
      DefaultCooldown: 300,
      Instances: instances.map((i) => ({
        InstanceId: i.id, LifecycleState: i.state as 'InService', HealthStatus: 'Healthy', AvailabilityZone: 'eu-west-1a', ProtectedFromScaleIn: false,
      })),
    }],
  });
}

/** EC2 describes the instance, launched `launchedMinutesAgo`; returns its launch time. */
function givenInstance(launchedMinutesAgo = 40, address: { ip?: string } = { ip: '203.0.113.10' }): Date {
  const launchTime = minutesAgo(launchedMinutesAgo);
  ec2.on(DescribeInstancesCommand).resolves({
    Reservations: [{ Instances: [{ InstanceId: INSTANCE, LaunchTime: launchTime, PublicIpAddress: address.ip }] }],
  });
  return launchTime;
}

function givenState(state: WatchdogRecord | string): void {
  ssm.on(GetParameterCommand).resolves({ Parameter: { Name: GAME.stateParameterName, Value: typeof state === 'string' ? state : JSON.stringify(state) } });
}

/** count-connections.sh answers `stdout` with `status` (and its exit status, when it ended) on the first poll. */
function givenConnections(status: 'Success' | 'Failed' | 'TimedOut', stdout: string, stderr = '', exitCode?: number): void {
  ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-1' } });
  ssm.on(GetCommandInvocationCommand).resolves({
    Status: status, ResponseCode: exitCode, StandardOutputContent: stdout, StandardErrorContent: stderr, StatusDetails: status,
  });
}

/** The game's ECS service has `running` RUNNING tasks. */
function givenGameTasks(running: number): void {
  ecs.on(DescribeServicesCommand).resolves({
    services: [{ serviceName: GAME.serviceName, status: 'ACTIVE', desiredCount: 1, runningCount: running, pendingCount: 1 - running }],
    failures: [],
  });
}

/** A state of a game that launched `minutes` ago and has not answered a probe yet. */
function bootingState(minutes: number, overrides: Partial<WatchdogRecord> = {}): WatchdogRecord {
  return { instanceId: INSTANCE, launchedAt: iso(minutes), everJoined: false, consecutiveProbeErrors: 0, maxHoursAlerted: false, ...overrides };
}

function savedState(): WatchdogRecord {
  const calls = ssm.commandCalls(PutParameterCommand);
  expect(calls).toHaveLength(1);
  const input = calls[0]!.args[0].input;
  expect(input).toMatchObject({ Name: GAME.stateParameterName, Type: 'String', Overwrite: true });
  return JSON.parse(input.Value ?? '') as WatchdogRecord;
}

interface EmfDocument {
  readonly _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  readonly [key: string]: unknown;
}
let published: EmfDocument[] = [];

beforeAll(() => {
  logger.setLogLevel('SILENT');
  // Capture the EMF documents instead of printing them.
  jest.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => {
    published.push(metrics.serializeMetrics() as unknown as EmfDocument);
    metrics.clearMetrics();
    metrics.clearDimensions();
    return metrics;
  });
});

beforeEach(() => {
  for (const mock of [autoScaling, ec2, ssm, eventBridge, sns, cloudWatch, ecs]) mock.reset();
  published = [];
  process.env.AWS_REGION = 'eu-west-1';
  process.env.GM_GAME = JSON.stringify(GAME);
  process.env.GM_TOPIC_ARN = TOPIC;
  ssm.on(PutParameterCommand).resolves({ Version: 2 });
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  autoScaling.on(SetDesiredCapacityCommand).resolves({});
  eventBridge.on(DisableRuleCommand).resolves({});
  givenGameTasks(1);
});

describe('watchdog handler', () => {
  it('stops an idle server: scales the group to 0, notifies, records the stop and the metrics', async () => {
    givenGroup([{ id: INSTANCE, state: 'InService' }]);
    givenInstance();
    givenState(playedState(11));
    givenConnections('Success', '0\n');

    const outcome = await handler({});

    expect(outcome).toMatchObject({ status: 'probed', actions: [{ type: 'stop', reason: 'idle', minutes: 11 }] });
    expect(ssm.commandCalls(SendCommandCommand)[0]!.args[0].input).toMatchObject({
      DocumentName: 'gm-count-connections',
      InstanceIds: [INSTANCE],
      Parameters: { ports: ['tcp:25565 udp:19132'] },
    });
    expect(autoScaling.commandCalls(SetDesiredCapacityCommand).map((c) => c.args[0].input)).toEqual([
      { AutoScalingGroupName: 'gm-mc-asg', DesiredCapacity: 0, HonorCooldown: false },
    ]);
    expect(sns.commandCalls(PublishCommand).map((c) => c.args[0].input)).toEqual([
      { TopicArn: TOPIC, Subject: 'stopping mc.example.com: idle 11 min', Message: expect.stringContaining('starts it again') },
    ]);
    expect(savedState()).toMatchObject({ stopReason: 'idle', stopRequestedAt: expect.any(String), lastRunAt: expect.any(String) });
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ game: 'mc', Players: 0, ProbeLatency: expect.any(Number) });
    expect(published[0]!._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'GameManagement', Dimensions: [expect.arrayContaining(['game'])] });
  });

  it('keeps a server with players running and moves the idle clock', async () => {
    givenGroup([{ id: INSTANCE, state: 'InService' }]);
    givenInstance();
    givenState(playedState(9));
    givenConnections('Success', '2\n');

    const outcome = await handler({});

    expect(outcome).toMatchObject({ status: 'probed', actions: [], probe: { ok: true, players: 2 } });
    expect(autoScaling.commandCalls(SetDesiredCapacityCommand)).toHaveLength(0);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    const state = savedState();
    expect(Date.parse(state.lastPlayersAt ?? '')).toBeGreaterThan(Date.now() - 5_000);
    expect(published[0]).toMatchObject({ Players: 2 });
  });

  it('announces the first successful probe as ready, with the startup time metric', async () => {
    givenGroup([{ id: INSTANCE, state: 'InService' }]);
    givenInstance(3);
    givenState({ instanceId: INSTANCE, launchedAt: iso(3), everJoined: false, consecutiveProbeErrors: 2, maxHoursAlerted: false });
    givenConnections('Success', '0');

    await handler({});

    const [publish] = sns.commandCalls(PublishCommand);
    expect(publish?.args[0].input.Subject).toMatch(/^ready mc\.example\.com in 1[78]\d s$/);
    expect(publish?.args[0].input.Message).toContain('Connect to mc.example.com.');
    expect(savedState()).toMatchObject({ readyAt: expect.any(String), consecutiveProbeErrors: 0 });
    expect(published[0]).toMatchObject({ StartupSeconds: expect.any(Number), Players: 0 });
  });

  it.each([
    ['Failed', '', 'ss: command not found'],
    ['TimedOut', '', ''],
  ] as const)('an SSM command that ended %s is a probe error: no stop, no player metric', async (status, stdout, stderr) => {
    givenGroup([{ id: INSTANCE, state: 'InService' }]);
    givenInstance();
    givenState(playedState(30, { consecutiveProbeErrors: 1, probeErrorsSince: iso(1) }));
    givenConnections(status, stdout, stderr);

    const outcome = await handler({});

    expect(outcome).toMatchObject({ status: 'probed', actions: [], probe: { ok: false, error: expect.stringContaining(`ended ${status}`) } });
    expect(autoScaling.commandCalls(SetDesiredCapacityCommand)).toHaveLength(0);
    expect(savedState()).toMatchObject({ consecutiveProbeErrors: 2, lastProbeError: expect.stringContaining(status) });
    expect(published).toHaveLength(0);
  });

  it('waits for the invocation that does not exist yet right after SendCommand', async () => {
    givenGroup([{ id: INSTANCE, state: 'InService' }]);
    givenInstance();
    givenState(playedState(2));
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-2' } });
    ssm.on(GetCommandInvocationCommand)
      .rejectsOnce(awsError('InvocationDoesNotExist', 'no invocation'))
      .resolvesOnce({ Status: 'InProgress' })
      .resolves({ Status: 'Success', StandardOutputContent: '3\n' });

    const outcome = await handler({});

    expect(outcome).toMatchObject({ probe: { ok: true, players: 3 } });
    expect(ssm.commandCalls(GetCommandInvocationCommand).map((c) => c.args[0].input)).toEqual(
      Array.from({ length: 3 }, () => ({ CommandId: 'cmd-2', InstanceId: INSTANCE })),
    );
  });

  it('output that is not one integer is a probe error', async () => {
    givenGroup([{ id: INSTANCE, state: 'InService' }]);
    givenInstance();
    givenState(playedState(30));
    givenConnections('Success', 'usage: count-connections.sh tcp:PORT…\n');

    const outcome = await handler({});

    expect(outcome).toMatchObject({ probe: { ok: false, error: expect.stringContaining('expected one integer') }, actions: [] });
  });

  it('throws, naming the group, when the Auto Scaling group does not exist', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });

    await expect(handler({})).rejects.toThrow(/Auto Scaling group gm-mc-asg not found.*cdktf deploy/);
    expect(eventBridge.commandCalls(DisableRuleCommand)).toHaveLength(0);
    expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(0);
  });

  it.each([
    ['no instance', [] as { id: string; state: string }[], 0],
    ['only a terminating instance', [{ id: INSTANCE, state: 'Terminating:Wait' }], 0],
    ['only a warm-pool instance', [{ id: INSTANCE, state: 'Warmed:Stopped' }], 0],
  ])('with %s it turns its schedule off and probes nothing', async (_label, instances, desired) => {
    givenGroup(instances, desired);

    const outcome = await handler({});

    expect(outcome).toEqual({ status: 'no-instance', desiredCapacity: 0 });
    expect(eventBridge.commandCalls(DisableRuleCommand).map((c) => c.args[0].input)).toEqual([{ Name: 'gm-mc-watchdog' }]);
    expect(ssm.calls()).toHaveLength(0);
    expect(ec2.calls()).toHaveLength(0);
    expect(published).toHaveLength(0);
  });

  it('fails the run when Auto Scaling throttles, and writes nothing', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).rejects(throttling());

    await expect(handler({})).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(0);
    expect(autoScaling.commandCalls(SetDesiredCapacityCommand)).toHaveLength(0);
  });

  it('a throttled SendCommand is a probe error, not a failed run and not zero players', async () => {
    givenGroup([{ id: INSTANCE, state: 'InService' }]);
    givenInstance();
    givenState(playedState(30));
    ssm.on(SendCommandCommand).rejects(throttling());

    const outcome = await handler({});

    expect(outcome).toMatchObject({ probe: { ok: false, error: expect.stringContaining('ThrottlingException') }, actions: [] });
    expect(autoScaling.commandCalls(SetDesiredCapacityCommand)).toHaveLength(0);
    expect(savedState()).toMatchObject({ consecutiveProbeErrors: 1 });
  });

  it('a failed scale-down fails the run without saving the stop, so the next run decides it again', async () => {
    givenGroup([{ id: INSTANCE, state: 'InService' }]);
    givenInstance();
    givenState(playedState(12));
    givenConnections('Success', '0');
    autoScaling.on(SetDesiredCapacityCommand).rejects(throttling());

    await expect(handler({})).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(0);
  });

  it('an SNS failure never fails the run', async () => {
    givenGroup([{ id: INSTANCE, state: 'InService' }]);
    givenInstance();
    givenState(playedState(12));
    givenConnections('Success', '0');
    sns.on(PublishCommand).rejects(throttling());

    await expect(handler({})).resolves.toMatchObject({ status: 'probed' });
    expect(autoScaling.commandCalls(SetDesiredCapacityCommand)).toHaveLength(1);
    expect(savedState()).toMatchObject({ stopReason: 'idle' });
  });

  it('starts a fresh state from the instance launch time when the stored one belongs to another instance', async () => {
    givenGroup([{ id: INSTANCE, state: 'InService' }]);
    const launchTime = givenInstance(2);
    // The previous instance's state says "stop already decided" and "idle for an hour": neither applies now.
    givenState(playedState(60, { instanceId: 'i-0aaaaaaaaaaaaaaaa', stopRequestedAt: iso(50), stopReason: 'idle' }));
    givenConnections('Success', '0');

    const outcome = await handler({});

    expect(outcome).toMatchObject({ actions: [{ type: 'notify-ready', seconds: expect.any(Number) }] });
    expect(autoScaling.commandCalls(SetDesiredCapacityCommand)).toHaveLength(0);
    const state = savedState();
    expect(state).toMatchObject({ instanceId: INSTANCE, launchedAt: launchTime.toISOString(), everJoined: false });
    expect(state.stopRequestedAt).toBeUndefined();
  });

  it.each([
    ['missing', undefined],
    ['not JSON', '{"instanceId": "i-0123'],
    ['of the wrong shape', JSON.stringify({ instanceId: INSTANCE, launchedAt: 'yesterday' })],
  ])('starts a fresh state when the stored one is %s', async (_label, raw) => {
    givenGroup([{ id: INSTANCE, state: 'Pending:Wait' }]);
    givenInstance(1);
    if (raw === undefined) ssm.on(GetParameterCommand).rejects(awsError('ParameterNotFound', 'not found'));
    else givenState(raw);
    givenConnections('Failed', '', 'Docker not running yet');

    const outcome = await handler({});

    expect(outcome).toMatchObject({ status: 'probed', actions: [] });
    expect(savedState()).toMatchObject({ instanceId: INSTANCE, everJoined: false, consecutiveProbeErrors: 1, maxHoursAlerted: false });
  });

  it('fails the run when the state cannot be read for another reason', async () => {
    givenGroup([{ id: INSTANCE, state: 'InService' }]);
    givenInstance();
    ssm.on(GetParameterCommand).rejects(throttling());

    await expect(handler({})).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
  });

  it('while the group is at 0 (a stop under way) it probes nothing and only records the run', async () => {
    givenGroup([{ id: INSTANCE, state: 'InService' }], 0);
    givenInstance();
    givenState(playedState(12, { stopRequestedAt: iso(1), stopReason: 'idle' }));

    const outcome = await handler({});

    expect(outcome).toEqual({ status: 'stopping', instanceId: INSTANCE });
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
    expect(sns.calls()).toHaveLength(0);
    expect(savedState()).toMatchObject({ stopReason: 'idle', lastRunAt: expect.any(String) });
  });

  it('watches again when the group was raised after its stop decision (same instance still running)', async () => {
    givenGroup([{ id: INSTANCE, state: 'InService' }], 1);
    givenInstance();
    givenState(playedState(30, { stopRequestedAt: iso(3), stopReason: 'idle' }));
    givenConnections('Success', '0');

    const outcome = await handler({});

    expect(outcome).toMatchObject({ actions: [] });
    const state = savedState();
    expect(state.stopRequestedAt).toBeUndefined();
    expect(Date.parse(state.idleSince ?? '')).toBeGreaterThan(Date.now() - 5_000);
  });

  it('never ready at the end of the boot grace: stops and alerts in one message', async () => {
    givenGroup([{ id: INSTANCE, state: 'InService' }]);
    givenInstance(16);
    givenState({ instanceId: INSTANCE, launchedAt: iso(16), everJoined: false, consecutiveProbeErrors: 14, probeErrorsSince: iso(15), maxHoursAlerted: false } as WatchdogRecord);
    givenConnections('Failed', '', 'no container publishes 25565');

    await handler({});

    expect(autoScaling.commandCalls(SetDesiredCapacityCommand)).toHaveLength(1);
    expect(sns.commandCalls(PublishCommand).map((c) => c.args[0].input)).toEqual([{
      TopicArn: TOPIC,
      Subject: 'stopping mc.example.com: not ready after 16 min',
      Message: expect.stringContaining('no container publishes 25565'),
    }]);
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input.Message).toContain("see the game's log with: aws logs tail /gm/mc --follow --region eu-west-1");
  });

  it('the max-hours alert spells out the command that stops the game', async () => {
    givenGroup([{ id: INSTANCE, state: 'InService' }]);
    givenInstance(9 * 60);
    givenState(playedState(1, { launchedAt: iso(9 * 60), readyAt: iso(9 * 60 - 2) }));
    givenConnections('Success', '2\n');

    await handler({});

    expect(autoScaling.commandCalls(SetDesiredCapacityCommand)).toHaveLength(0);
    expect(sns.commandCalls(PublishCommand).map((c) => c.args[0].input)).toEqual([{
      TopicArn: TOPIC,
      Subject: 'alert mc.example.com',
      Message: expect.stringMatching(/stop it with: aws autoscaling set-desired-capacity --auto-scaling-group-name gm-mc-asg --desired-capacity 0 --region eu-west-1$/),
    }]);
  });

  describe('while the game is booting', () => {
    it('a connections probe that finds nothing listening (exit 3) is a probe error: not ready, no players counted', async () => {
      givenGroup([{ id: INSTANCE, state: 'InService' }]);
      givenInstance(2);
      givenState(bootingState(2));
      givenConnections('Failed', '', 'count-connections.sh: the game is not listening yet: nothing listens on tcp:25565 (port 25565 in container c0ffee)\n', 3);

      const outcome = await handler({});

      expect(outcome).toMatchObject({ status: 'probed', actions: [], probe: { ok: false, error: 'game is not listening yet' } });
      expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
      const state = savedState();
      expect(state).toMatchObject({ consecutiveProbeErrors: 1, lastProbeError: 'game is not listening yet' });
      expect(state.readyAt).toBeUndefined();
      expect(state.idleSince).toBeUndefined();
      expect(published).toHaveLength(0);
    });

    it('probes nothing until the game\'s ECS service has a RUNNING task: not ready, a probe error', async () => {
      givenGroup([{ id: INSTANCE, state: 'InService' }]);
      givenInstance(2);
      givenState(bootingState(2));
      givenGameTasks(0);
      givenConnections('Success', '0\n');

      const outcome = await handler({});

      expect(outcome).toMatchObject({ status: 'probed', actions: [], probe: { ok: false, error: 'game container not running yet' } });
      expect(ecs.commandCalls(DescribeServicesCommand).map((c) => c.args[0].input)).toEqual([{ cluster: 'gm-mc', services: ['gm-mc'] }]);
      expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
      expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
      expect(savedState()).toMatchObject({ consecutiveProbeErrors: 1, lastProbeError: 'game container not running yet' });
      expect(published).toHaveLength(0);
    });

    it('a traffic-probe game is not ready on the image pull\'s traffic before its container runs', async () => {
      process.env.GM_GAME = JSON.stringify({ ...GAME, probe: { type: 'traffic', bytesPerMinute: 50_000 } });
      givenGroup([{ id: INSTANCE, state: 'InService' }]);
      givenInstance(3);
      givenState(bootingState(3));
      givenGameTasks(0);
      cloudWatch.on(GetMetricDataCommand).resolves({
        MetricDataResults: [{ Id: 'networkIn', Timestamps: [minutesAgo(2)], Values: [400_000_000] }],
      });

      const outcome = await handler({});

      expect(outcome).toMatchObject({ probe: { ok: false, error: 'game container not running yet' }, actions: [] });
      expect(cloudWatch.commandCalls(GetMetricDataCommand)).toHaveLength(0);
      expect(savedState().readyAt).toBeUndefined();
    });

    it('once the task runs, the probe answers and the game is ready', async () => {
      givenGroup([{ id: INSTANCE, state: 'InService' }]);
      givenInstance(3);
      givenState(bootingState(3, { consecutiveProbeErrors: 2, probeErrorsSince: iso(2), lastProbeError: 'game container not running yet' }));
      givenGameTasks(1);
      givenConnections('Success', '0\n', '', 0);

      const outcome = await handler({});

      expect(outcome).toMatchObject({ probe: { ok: true, players: 0 }, actions: [{ type: 'notify-ready' }] });
      expect(savedState()).toMatchObject({ readyAt: expect.any(String), consecutiveProbeErrors: 0 });
    });

    it('a game still not running at the end of the boot grace is stopped as never ready, naming why', async () => {
      givenGroup([{ id: INSTANCE, state: 'InService' }]);
      givenInstance(16);
      givenState(bootingState(16, { consecutiveProbeErrors: 14, probeErrorsSince: iso(15), lastProbeError: 'game container not running yet' }));
      givenGameTasks(0);

      await handler({});

      expect(autoScaling.commandCalls(SetDesiredCapacityCommand)).toHaveLength(1);
      expect(sns.commandCalls(PublishCommand)[0]!.args[0].input).toMatchObject({
        Subject: 'stopping mc.example.com: not ready after 16 min',
        Message: expect.stringContaining('last probe error: game container not running yet'),
      });
    });
  });

  it('a throttled DescribeServices is a probe error, not a failed run and not zero players', async () => {
    givenGroup([{ id: INSTANCE, state: 'InService' }]);
    givenInstance();
    givenState(playedState(30));
    ecs.on(DescribeServicesCommand).rejects(throttling());

    const outcome = await handler({});

    expect(outcome).toMatchObject({ probe: { ok: false, error: expect.stringContaining('ThrottlingException') }, actions: [] });
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
    expect(autoScaling.commandCalls(SetDesiredCapacityCommand)).toHaveLength(0);
    expect(savedState()).toMatchObject({ consecutiveProbeErrors: 1 });
  });

  it('a missing ECS service fails the run (to the failsafe), naming the service and the fix', async () => {
    givenGroup([{ id: INSTANCE, state: 'InService' }]);
    givenInstance();
    givenState(playedState(30));
    ecs.on(DescribeServicesCommand).resolves({ services: [], failures: [{ arn: 'arn:aws:ecs:eu-west-1:123456789012:service/gm-mc/gm-mc', reason: 'MISSING' }] });

    await expect(handler({})).rejects.toThrow(/ECS service gm-mc not found in cluster gm-mc \(MISSING\).*cdktf deploy/);
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
    expect(autoScaling.commandCalls(SetDesiredCapacityCommand)).toHaveLength(0);
  });

  it('a DescribeServices the role may not make fails the run instead of waiting out the boot grace', async () => {
    givenGroup([{ id: INSTANCE, state: 'InService' }]);
    givenInstance();
    givenState(playedState(30));
    ecs.on(DescribeServicesCommand).rejects(Object.assign(new Error('not authorized to perform: ecs:DescribeServices'), { name: 'AccessDeniedException' }));

    await expect(handler({})).rejects.toThrow(/not authorized/);
  });

  describe('traffic probe', () => {
    beforeEach(() => {
      process.env.GM_GAME = JSON.stringify({ ...GAME, probe: { type: 'traffic', bytesPerMinute: 50_000 } });
      givenGroup([{ id: INSTANCE, state: 'InService' }]);
      givenInstance();
      givenState(playedState(5));
    });

    it('counts someone playing when the latest minute received at least bytesPerMinute', async () => {
      cloudWatch.on(GetMetricDataCommand).resolves({
        MetricDataResults: [{ Id: 'networkIn', Timestamps: [minutesAgo(3), minutesAgo(2)], Values: [1_000, 80_000] }],
      });

      const outcome = await handler({});

      expect(outcome).toMatchObject({ probe: { ok: true, players: 1 } });
      const input = cloudWatch.commandCalls(GetMetricDataCommand)[0]!.args[0].input;
      expect(input.MetricDataQueries?.[0]?.MetricStat).toEqual({
        Metric: { Namespace: 'AWS/EC2', MetricName: 'NetworkIn', Dimensions: [{ Name: 'InstanceId', Value: INSTANCE }] },
        Period: 60,
        Stat: 'Sum',
      });
      expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
    });

    it('no datapoints yet is a probe error', async () => {
      cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'networkIn', Timestamps: [], Values: [] }] });

      const outcome = await handler({});

      expect(outcome).toMatchObject({ probe: { ok: false, error: expect.stringContaining('no NetworkIn datapoints yet') } });
    });
  });

  it('a query-probe game whose instance has no public address yet is a probe error', async () => {
    process.env.GM_GAME = JSON.stringify({ ...GAME, probe: { type: 'query', game: 'minecraft', port: 25565 } });
    givenGroup([{ id: INSTANCE, state: 'Pending:Wait' }]);
    givenInstance(1, {});
    givenState({ instanceId: INSTANCE, launchedAt: iso(1), everJoined: false, consecutiveProbeErrors: 0, maxHoursAlerted: false });

    const outcome = await handler({});

    expect(outcome).toMatchObject({ probe: { ok: false, error: expect.stringContaining('no public IPv4 or IPv6') } });
  });

  it('fails with the variable name when GM_GAME is missing', async () => {
    delete process.env.GM_GAME;

    await expect(handler({})).rejects.toThrow(/GM_GAME/);
    expect(autoScaling.calls()).toHaveLength(0);
  });
});
