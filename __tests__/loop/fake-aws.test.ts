/**
 * The fake AWS itself, driven through the real SDK clients: what the loop
 * tests and the functions' fault tests rely on it to do (and to refuse).
 */
import {
  AutoScalingClient,
  CompleteLifecycleActionCommand,
  DescribeAutoScalingGroupsCommand,
  SetDesiredCapacityCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeTasksCommand,
  ECSClient,
  ListContainerInstancesCommand,
  ListTasksCommand,
  StopTaskCommand,
  UpdateContainerInstancesStateCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { DeleteParameterCommand, GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { isTransientError } from '../../src/lambdas/shared/transient';
import type { EmittedEvent, FakeAws } from './fake-aws';
import { deployedAws, loopGame, REGION, ZONE_ID } from './harness';

const START = Date.parse('2025-06-01T18:00:00.000Z');
const SECOND = 1000;
let now = START;
let aws: FakeAws;

const autoScaling = new AutoScalingClient({ region: REGION });
const ec2 = new EC2Client({ region: REGION });
const ecs = new ECSClient({ region: REGION });
const route53 = new Route53Client({ region: REGION });
const ssm = new SSMClient({ region: REGION });

const MC = loopGame({ id: 'mc', idleMinutes: 10, spot: true });
const VH = loopGame({ id: 'vh', srv: false, idleMinutes: 10 });

function setUp(options: Parameters<typeof deployedAws>[1] extends infer O ? Omit<O & object, 'now'> : never = {}): void {
  now = START;
  aws = deployedAws([MC, VH], { now: () => now, ...options });
}

function at(seconds: number): void {
  now = START + seconds * SECOND;
  aws.settle();
}

afterEach(() => aws?.restore());

const desired = (game: typeof MC, capacity: number) =>
  autoScaling.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: game.game.asgName, DesiredCapacity: capacity }));

async function complete(event: EmittedEvent): Promise<void> {
  const d = event.detail as Record<string, string>;
  await autoScaling.send(
    new CompleteLifecycleActionCommand({
      AutoScalingGroupName: d.AutoScalingGroupName,
      LifecycleHookName: d.LifecycleHookName,
      LifecycleActionToken: d.LifecycleActionToken,
      InstanceId: d.EC2InstanceId,
      LifecycleActionResult: 'CONTINUE',
    }),
  );
}

async function startGame(game: typeof MC): Promise<string> {
  await desired(game, 1);
  const [launch] = aws.takeLifecycleEvents();
  await ecs.send(new UpdateServiceCommand({ cluster: game.game.clusterName, service: game.game.serviceName, desiredCount: 1 }));
  await complete(launch as EmittedEvent);
  return (launch?.detail as Record<string, string>).EC2InstanceId as string;
}

describe('SSM parameters', () => {
  beforeEach(() => setUp());

  it('creates a parameter only once with Overwrite false, and deletes only what exists', async () => {
    const put = (Value: string, Overwrite: boolean) => ssm.send(new PutParameterCommand({ Name: '/gm/mc/session', Value, Type: 'String', Overwrite }));
    await put('first', false);
    await expect(put('second', false)).rejects.toMatchObject({ name: 'ParameterAlreadyExists' });
    await put('third', true);
    await expect(ssm.send(new GetParameterCommand({ Name: '/gm/mc/session' }))).resolves.toMatchObject({ Parameter: { Value: 'third', Version: 2 } });
    await ssm.send(new DeleteParameterCommand({ Name: '/gm/mc/session' }));
    await expect(ssm.send(new DeleteParameterCommand({ Name: '/gm/mc/session' }))).rejects.toMatchObject({ name: 'ParameterNotFound' });
    await expect(ssm.send(new GetParameterCommand({ Name: '/gm/mc/session' }))).rejects.toMatchObject({ name: 'ParameterNotFound' });
  });
});

describe('several games', () => {
  beforeEach(() => setUp());

  it('keeps each game to its own group, service and records; an unknown group is a ValidationError', async () => {
    await desired(VH, 1);
    expect(aws.group('vh').desiredCapacity).toBe(1);
    expect(aws.group('mc').desiredCapacity).toBe(0);
    const out = await autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [MC.game.asgName, VH.game.asgName, 'gm-nope'] }));
    expect(out.AutoScalingGroups?.map((g) => [g.AutoScalingGroupName, g.DesiredCapacity, g.Instances?.length])).toEqual([
      ['gm-mc', 0, 0],
      ['gm-vh', 1, 1],
    ]);
    await expect(desired({ ...MC, game: { ...MC.game, asgName: 'gm-nope' } }, 1)).rejects.toMatchObject({ name: 'ValidationError' });
    const records = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: ZONE_ID, StartRecordName: 'mc.example.com', StartRecordType: 'A', MaxItems: 2 }));
    expect(records.ResourceRecordSets?.map((r) => `${r.Name} ${r.Type}`)).toEqual(['mc.example.com. A', '_minecraft._tcp.mc.example.com. SRV']);
  });
});

describe('Auto Scaling and EC2', () => {
  it('holds a launch in Pending:Wait until the action completes, and continues by itself at the heartbeat timeout', async () => {
    setUp();
    await desired(VH, 1);
    const [launch] = aws.takeLifecycleEvents();
    expect(launch).toMatchObject({
      source: 'aws.autoscaling',
      'detail-type': 'EC2 Instance-launch Lifecycle Action',
      detail: { AutoScalingGroupName: 'gm-vh', LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING', Origin: 'EC2', Destination: 'AutoScalingGroup' },
    });
    const id = (launch?.detail as Record<string, string>).EC2InstanceId as string;
    at(359);
    expect(aws.instanceStates('vh')).toEqual({ [id]: 'Pending:Wait' });
    at(360);
    expect(aws.instanceStates('vh')).toEqual({ [id]: 'InService' });
    // The action is gone: completing it now is what a late event meets.
    await expect(complete(launch as EmittedEvent)).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringMatching(/No active Lifecycle Action found/) });
  });

  it('emits "EC2 Instance Launch Unsuccessful" for a failed launch and tries again after launchRetrySeconds', async () => {
    setUp({ timing: { launchRetrySeconds: 30 } });
    aws.failNextLaunches('vh', 1, 'The requested configuration is currently not supported.');
    await desired(VH, 1);
    const [failed] = aws.takeEvents((e) => e['detail-type'] === 'EC2 Instance Launch Unsuccessful');
    expect(failed).toMatchObject({
      source: 'aws.autoscaling',
      detail: { StatusCode: 'Failed', AutoScalingGroupName: 'gm-vh', StatusMessage: 'The requested configuration is currently not supported.', EC2InstanceId: '' },
    });
    expect((failed?.detail as Record<string, string>).ActivityId).toEqual(expect.any(String));
    expect(aws.instanceStates('vh')).toEqual({});
    at(30);
    expect(Object.values(aws.instanceStates('vh'))).toEqual(['Pending:Wait']);
  });

  it('fails spot launches without spot capacity until the group has an on-demand base', async () => {
    setUp({ timing: { launchRetrySeconds: 60 } });
    aws.setSpotCapacity('mc', false);
    await desired(MC, 1);
    expect(aws.takeEvents((e) => e['detail-type'] === 'EC2 Instance Launch Unsuccessful')).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ StatusMessage: expect.stringMatching(/^We currently do not have sufficient t3.medium capacity/) }) }),
    ]);
    await autoScaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'gm-mc', MixedInstancesPolicy: { InstancesDistribution: { OnDemandBaseCapacity: 1 } } }));
    at(60);
    const [instance] = aws.ec2Instances('mc');
    expect(instance).toMatchObject({ market: 'on-demand' });
    const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instance?.instanceId as string] }));
    expect(described.Reservations?.[0]?.Instances?.[0]).toMatchObject({ State: { Name: 'running' }, PublicIpAddress: '198.51.100.1' });
  });

  it('warns of a spot reclaim, reclaims two minutes later, and replaces the instance at once', async () => {
    setUp({ timing: { taskStopSeconds: 20 } });
    const first = await startGame(MC);
    expect(aws.runningTasks('mc')).toHaveLength(1);
    aws.interruptSpot(first);
    expect(aws.takeEvents((e) => e.source === 'aws.ec2')).toEqual([
      expect.objectContaining({ 'detail-type': 'EC2 Spot Instance Interruption Warning', detail: { 'instance-id': first, 'instance-action': 'terminate' } }),
    ]);
    at(119);
    expect(aws.instanceStates('mc')).toEqual({ [first]: 'InService' });
    at(120);
    const states = aws.instanceStates('mc');
    expect(states[first]).toBe('Terminating:Wait');
    expect(Object.values(states).sort()).toEqual(['Pending:Wait', 'Terminating:Wait']);
    // Nobody drained it: the game died with the host, unsaved.
    expect(aws.violations).toEqual([expect.stringMatching(/task task1 on i-\w+ died with its host \(terminated\) without a stop: the world was not saved/)]);
  });

  it('returns a warm-pool instance to Warmed:Stopped and brings the same one back with a new address; its container instance stays DRAINING', async () => {
    setUp({ warmPool: ['vh'] });
    const [warm] = Object.keys(aws.warmPoolStates('vh'));
    const id = await startGame(VH);
    expect(id).toBe(warm);
    const firstIp = aws.ec2Instances('vh')[0]?.ipv4;
    const [ci] = (await ecs.send(new ListContainerInstancesCommand({ cluster: 'gm-vh', filter: `ec2InstanceId == ${id}` }))).containerInstanceArns ?? [];
    await ecs.send(new UpdateContainerInstancesStateCommand({ cluster: 'gm-vh', containerInstances: [ci as string], status: 'DRAINING' }));
    await desired(VH, 0);
    const [back] = aws.takeLifecycleEvents();
    expect(back).toMatchObject({ 'detail-type': 'EC2 Instance-terminate Lifecycle Action', detail: { Origin: 'AutoScalingGroup', Destination: 'WarmPool' } });
    // On its way back it is a warm-pool instance: the group no longer lists it.
    expect(aws.instanceStates('vh')).toEqual({});
    expect(aws.warmPoolStates('vh')).toEqual({ [id]: 'Warmed:Pending:Wait' });
    const listed = await autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['gm-vh'] }));
    expect(listed.AutoScalingGroups?.[0]?.Instances).toEqual([]);
    await complete(back as EmittedEvent);
    expect(aws.warmPoolStates('vh')).toEqual({ [id]: 'Warmed:Stopped' });
    await desired(VH, 1);
    expect(aws.takeLifecycleEvents()).toEqual([expect.objectContaining({ detail: expect.objectContaining({ EC2InstanceId: id, Origin: 'WarmPool' }) })]);
    expect(aws.ec2Instances('vh')).toHaveLength(1);
    expect(aws.ec2Instances('vh')[0]?.ipv4).not.toBe(firstIp);
    expect((await ecs.send(new ListContainerInstancesCommand({ cluster: 'gm-vh', status: 'DRAINING' }))).containerInstanceArns).toEqual([ci]);
  });
});

describe('ECS', () => {
  it('drains gracefully: a DRAINING container instance stops its task after the save time, and nothing else is placed there', async () => {
    setUp({ timing: { taskStopSeconds: 30 } });
    const id = await startGame(VH);
    const [ci] = (await ecs.send(new ListContainerInstancesCommand({ cluster: 'gm-vh', filter: `ec2InstanceId == ${id}` }))).containerInstanceArns ?? [];
    await ecs.send(new UpdateContainerInstancesStateCommand({ cluster: 'gm-vh', containerInstances: [ci as string], status: 'DRAINING' }));
    const tasks = () => ecs.send(new ListTasksCommand({ cluster: 'gm-vh', containerInstance: ci, desiredStatus: 'STOPPED' }));
    const [arn] = (await tasks()).taskArns ?? [];
    at(29);
    await expect(ecs.send(new DescribeTasksCommand({ cluster: 'gm-vh', tasks: [arn as string] }))).resolves.toMatchObject({ tasks: [{ lastStatus: 'RUNNING', desiredStatus: 'STOPPED' }] });
    at(30);
    await expect(ecs.send(new DescribeTasksCommand({ cluster: 'gm-vh', tasks: [arn as string] }))).resolves.toMatchObject({ tasks: [{ lastStatus: 'STOPPED', stopCode: 'ServiceSchedulerInitiated' }] });
    // The service still wants one task, but its only instance drains: nothing runs.
    expect(aws.ecs.holdingTasks('vh')).toEqual([]);
    expect(aws.violations).toEqual([]);
  });

  it('restarts a task stopped with StopTask while the service wants one (maximum 100 %: only after it has exited)', async () => {
    setUp({ timing: { taskStopSeconds: 10 } });
    await startGame(VH);
    const [task] = aws.runningTasks('vh');
    await ecs.send(new StopTaskCommand({ cluster: 'gm-vh', task: task?.taskArn }));
    expect(aws.ecs.holdingTasks('vh').map((t) => t.shortId)).toEqual(['task1']);
    at(10);
    expect(aws.ecs.holdingTasks('vh').map((t) => t.shortId)).toEqual(['task2']);
  });

  it('records two hosts holding one world, and a game killed before it saved', async () => {
    setUp({ timing: { taskStopSeconds: 200 } });
    await autoScaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'gm-vh', MaxSize: 2, DesiredCapacity: 2 }));
    await ecs.send(new UpdateServiceCommand({ cluster: 'gm-vh', service: 'gm-vh', desiredCount: 2 }));
    expect(aws.violations).toEqual([expect.stringMatching(/game vh: two hosts hold the world at once: i-\w+ and i-\w+/)]);
    await ecs.send(new UpdateServiceCommand({ cluster: 'gm-vh', service: 'gm-vh', desiredCount: 0 }));
    at(120);
    expect(aws.violations.at(-1)).toMatch(/task task\d was killed at its stop timeout \(60 s\) before it saved/);
  });
});

describe('faults on demand', () => {
  beforeEach(() => setUp());

  it('throttles, fails with a 5xx, or times out the commands it is told to, as the SDK reports them', async () => {
    aws.faults.inject({ command: 'GetParameter', kind: 'throttle' });
    aws.faults.inject({ service: 'ecs', kind: 'server' });
    aws.faults.inject({ command: 'SetDesiredCapacity', kind: 'timeout' });
    const throttled = ssm.send(new GetParameterCommand({ Name: '/gm/mc/watchdog-state' }));
    await expect(throttled).rejects.toMatchObject({ name: 'ThrottlingException', $fault: 'client', $metadata: { httpStatusCode: 400 } });
    await expect(ecs.send(new ListTasksCommand({ cluster: 'gm-vh' }))).rejects.toMatchObject({ name: 'ServerException', $fault: 'server' });
    await expect(desired(VH, 1)).rejects.toMatchObject({ name: 'TimeoutError' });
    for (const e of [await throttled.catch((x: unknown) => x)]) expect(isTransientError(e)).toBe(true);
    // Each fired once: the next calls go through, and the timed-out one never reached AWS.
    await expect(ssm.send(new GetParameterCommand({ Name: '/gm/mc/watchdog-state' }))).resolves.toMatchObject({ Parameter: { Value: '{}' } });
    expect(aws.group('vh').desiredCapacity).toBe(0);
    expect(aws.faults.fired).toEqual(['1 ssm GetParameter ThrottlingException', '2 ecs ListTasks ServerException', '3 autoScaling SetDesiredCapacity TimeoutError']);
  });

  it('a timeout that reached AWS takes effect though the caller sees an error; failCall fails the n-th call from now', async () => {
    aws.faults.inject({ command: 'SetDesiredCapacity', kind: 'timeout', applied: true });
    await expect(desired(VH, 1)).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(aws.group('vh').desiredCapacity).toBe(1);
    aws.faults.failCall(2, 'throttle');
    await expect(ssm.send(new GetParameterCommand({ Name: '/gm/mc/watchdog-state' }))).resolves.toBeDefined();
    await expect(autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['gm-vh'] }))).rejects.toMatchObject({ name: 'Throttling' });
    expect(aws.calls.map((c) => `${c.command} ${c.outcome}`)).toEqual([
      'SetDesiredCapacity fault:TimeoutError',
      'GetParameter ok',
      'DescribeAutoScalingGroups fault:Throttling',
    ]);
  });

  it('fails loudly on a command it does not simulate', async () => {
    await expect(ec2.send(new (await import('@aws-sdk/client-ec2')).TerminateInstancesCommand({ InstanceIds: ['i-1'] }))).rejects.toMatchObject({ name: 'UnsimulatedCommand' });
  });
});
