import {
  AutoScalingClient,
  CompleteLifecycleActionCommand,
  DescribeAutoScalingGroupsCommand,
  type AutoScalingGroup,
  type DescribeAutoScalingGroupsCommandOutput,
  type LifecycleState,
} from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeTasksCommand, ECSClient, ListTasksCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { DisableRuleCommand, EnableRuleCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ChangeResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler } from '../../../src/lambdas/instance-hook/handler';
import type { HookMetricName } from '../../../src/lambdas/instance-hook/ports';
import type { RuntimeGame } from '../../../src/runtime/contract';
import { EVENT_TIME, GAME, awsError, fakeClock, lifecycleEvent, spotEvent } from './fixtures';

const autoScaling = mockClient(AutoScalingClient);
const ec2 = mockClient(EC2Client);
const ecs = mockClient(ECSClient);
const eventBridge = mockClient(EventBridgeClient);
const route53 = mockClient(Route53Client);
const sns = mockClient(SNSClient);
const ssm = mockClient(SSMClient);
const allMocks = [autoScaling, ec2, ecs, eventBridge, route53, sns, ssm];

const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:gm-alerts';
const TIMING = { addressWaitMs: 120_000, addressPollMs: 3_000, drainGraceMs: 30_000, drainWaitMaxMs: 220_000, drainPollMs: 5_000 };

/** Every AWS write and read in the order made, e.g. "EnableRule", "UpdateService". */
let callOrder: string[];

function recorded<T>(name: string, answer: T | (() => T)) {
  return async () => {
    callOrder.push(name);
    return typeof answer === 'function' ? (answer as () => T)() : answer;
  };
}

function group(...instances: [string, string][]): DescribeAutoScalingGroupsCommandOutput {
  return {
    $metadata: {},
    AutoScalingGroups: [
      {
        AutoScalingGroupName: GAME.asgName,
        Instances: instances.map(([InstanceId, state]) => ({ InstanceId, LifecycleState: state as LifecycleState })),
      } as AutoScalingGroup,
    ],
  };
}

function instanceWith(facts: { id?: string; ip?: string; ipv6?: string; launchTime?: Date }) {
  return {
    Reservations: [
      {
        Instances: [
          {
            InstanceId: facts.id ?? 'i-new',
            PublicIpAddress: facts.ip,
            LaunchTime: facts.launchTime,
            NetworkInterfaces: facts.ipv6 ? [{ Ipv6Addresses: [{ Ipv6Address: facts.ipv6, IsPrimaryIpv6: true }] }] : [],
          },
        ],
      },
    ],
  };
}

function harness(game: RuntimeGame = GAME) {
  const clock = fakeClock();
  const logs: { level: string; message: string; extra?: Record<string, unknown> }[] = [];
  const counted: HookMetricName[] = [];
  const flushed: string[] = [];
  const handler = createHandler({
    env: { GM_GAME: JSON.stringify(game), GM_TOPIC_ARN: TOPIC_ARN },
    clock,
    timing: TIMING,
    log: {
      info: (message, extra) => logs.push({ level: 'info', message, extra }),
      warn: (message, extra) => logs.push({ level: 'warn', message, extra }),
      error: (message, extra) => logs.push({ level: 'error', message, extra }),
    },
    metrics: { count: (name) => counted.push(name), flush: (id) => counted.length > 0 && flushed.push(id) },
  });
  return { handler, clock, logs, counted, flushed };
}

/** The inputs of recorded calls, e.g. inputsOf(ecs.commandCalls(UpdateServiceCommand)). */
function inputsOf<TInput extends object>(calls: readonly { args: readonly [{ input: TInput }] }[]): TInput[] {
  return calls.map((c) => c.args[0].input);
}

const launchOf = (instanceId = 'i-new') => lifecycleEvent({ transition: 'launch', instanceId });
const terminateOf = (instanceId = 'i-old') => lifecycleEvent({ transition: 'terminate', instanceId });

const PLACEHOLDER_A = { Action: 'UPSERT', ResourceRecordSet: { Name: 'mc.example.com', Type: 'A', TTL: 30, ResourceRecords: [{ Value: '192.0.2.1' }] } };
const PLACEHOLDER_AAAA = { Action: 'UPSERT', ResourceRecordSet: { Name: 'mc.example.com', Type: 'AAAA', TTL: 30, ResourceRecords: [{ Value: '2001:db8::1' }] } };

beforeEach(() => {
  callOrder = [];
  for (const mock of allMocks) mock.reset();
  eventBridge.on(EnableRuleCommand).callsFake(recorded('EnableRule', {}));
  eventBridge.on(DisableRuleCommand).callsFake(recorded('DisableRule', {}));
  ssm.on(GetParameterCommand).callsFake(async () => {
    callOrder.push('GetParameter');
    throw awsError('ParameterNotFound');
  });
  ssm.on(PutParameterCommand).callsFake(recorded('PutParameter', { Version: 1 }));
  ecs.on(UpdateServiceCommand).callsFake(recorded('UpdateService', {}));
  ecs.on(ListTasksCommand).callsFake(recorded('ListTasks', { taskArns: [] }));
  ecs.on(DescribeTasksCommand).callsFake(recorded('DescribeTasks', { tasks: [] }));
  autoScaling.on(DescribeAutoScalingGroupsCommand).callsFake(recorded('DescribeAutoScalingGroups', group(['i-new', 'Pending:Wait'])));
  autoScaling.on(CompleteLifecycleActionCommand).callsFake(recorded('CompleteLifecycleAction', {}));
  ec2.on(DescribeInstancesCommand).callsFake(recorded('DescribeInstances', instanceWith({ ip: '203.0.113.10' })));
  route53.on(ChangeResourceRecordSetsCommand).callsFake(recorded('ChangeResourceRecordSets', { ChangeInfo: { Id: 'c1', Status: 'PENDING' } }));
  sns.on(PublishCommand).callsFake(recorded('Publish', { MessageId: 'm1' }));
});

describe('launch', () => {
  it('enables the watchdog first, records the launch, rolls the service, points DNS at the instance and continues', async () => {
    const { handler, counted, flushed } = harness();
    await expect(handler(launchOf())).resolves.toEqual({ kind: 'launch', instanceId: 'i-new', dns: 'updated', lifecycle: 'completed' });

    expect(callOrder[0]).toBe('EnableRule');
    expect(inputsOf(eventBridge.commandCalls(EnableRuleCommand))).toEqual([{ Name: 'gm-mc-watchdog' }]);
    expect(inputsOf(ssm.commandCalls(PutParameterCommand))).toEqual([
      {
        Name: '/gm/mc/watchdog-state',
        Type: 'String',
        Overwrite: true,
        Value: JSON.stringify({ instanceId: 'i-new', launchedAt: EVENT_TIME, everJoined: false, consecutiveProbeErrors: 0, maxHoursAlerted: false }),
      },
    ]);
    expect(inputsOf(ecs.commandCalls(UpdateServiceCommand))).toEqual([{ cluster: 'gm-mc-cluster', service: 'gm-mc-service', taskDefinition: 'gm-mc-task', desiredCount: 1 }]);
    expect(inputsOf(route53.commandCalls(ChangeResourceRecordSetsCommand))).toEqual([
      {
        HostedZoneId: 'Z0123456789ABC',
        ChangeBatch: {
          Comment: 'instance i-new launched',
          Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: 'mc.example.com', Type: 'A', TTL: 30, ResourceRecords: [{ Value: '203.0.113.10' }] } }],
        },
      },
    ]);
    expect(inputsOf(autoScaling.commandCalls(CompleteLifecycleActionCommand))).toEqual([
      {
        AutoScalingGroupName: 'gm-mc-asg',
        LifecycleHookName: 'gm-mc-launch',
        LifecycleActionToken: 'token-i-new',
        InstanceId: 'i-new',
        LifecycleActionResult: 'CONTINUE',
      },
    ]);
    expect(callOrder.indexOf('ChangeResourceRecordSets')).toBeLessThan(callOrder.indexOf('CompleteLifecycleAction'));
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(eventBridge.commandCalls(DisableRuleCommand)).toHaveLength(0);
    expect(counted).toEqual(['InstanceLaunched']);
    expect(flushed).toEqual(['mc']);
  });

  it('writes A and AAAA in one batch when the game has IPv6', async () => {
    ec2.on(DescribeInstancesCommand).resolves(instanceWith({ ip: '203.0.113.10', ipv6: '2001:db8:1:2::10' }));
    const { handler } = harness({ ...GAME, ipv6: true });
    await handler(launchOf());
    const batches = inputsOf(route53.commandCalls(ChangeResourceRecordSetsCommand));
    expect(batches).toHaveLength(1);
    expect(batches[0]!.ChangeBatch!.Changes).toEqual([
      { Action: 'UPSERT', ResourceRecordSet: { Name: 'mc.example.com', Type: 'A', TTL: 30, ResourceRecords: [{ Value: '203.0.113.10' }] } },
      { Action: 'UPSERT', ResourceRecordSet: { Name: 'mc.example.com', Type: 'AAAA', TTL: 30, ResourceRecords: [{ Value: '2001:db8:1:2::10' }] } },
    ]);
  });

  it('keeps polling until the public address appears, through "not found" and throttling', async () => {
    ec2
      .on(DescribeInstancesCommand)
      .rejectsOnce(awsError('InvalidInstanceID.NotFound'))
      .resolvesOnce(instanceWith({}))
      .rejectsOnce(awsError('RequestLimitExceeded', 'Request limit exceeded.'))
      .resolves(instanceWith({ ip: '198.51.100.4' }));
    const { handler, clock } = harness();
    await expect(handler(launchOf())).resolves.toMatchObject({ dns: 'updated' });
    expect(ec2.commandCalls(DescribeInstancesCommand)).toHaveLength(4);
    expect(clock.sleeps).toEqual([3_000, 3_000, 3_000]);
    expect(inputsOf(route53.commandCalls(ChangeResourceRecordSetsCommand))[0]!.ChangeBatch!.Changes![0]!.ResourceRecordSet!.ResourceRecords).toEqual([{ Value: '198.51.100.4' }]);
  });

  it('waits for the IPv6 address too when the game has IPv6', async () => {
    ec2
      .on(DescribeInstancesCommand)
      .resolvesOnce(instanceWith({ ip: '203.0.113.10' }))
      .resolves(instanceWith({ ip: '203.0.113.10', ipv6: '2001:db8:1:2::10' }));
    const { handler } = harness({ ...GAME, ipv6: true });
    await handler(launchOf());
    expect(ec2.commandCalls(DescribeInstancesCommand)).toHaveLength(2);
    expect(inputsOf(route53.commandCalls(ChangeResourceRecordSetsCommand))[0]!.ChangeBatch!.Changes).toHaveLength(2);
  });

  it('gives up on the address after the bound, leaves DNS alone, logs an error and still continues the launch', async () => {
    ec2.on(DescribeInstancesCommand).resolves(instanceWith({}));
    const { handler, clock, logs, counted } = harness();
    await expect(handler(launchOf())).resolves.toEqual({ kind: 'launch', instanceId: 'i-new', dns: 'unchanged-no-address', lifecycle: 'completed' });
    // 120 s at one poll per 3 s: 41 reads, never more.
    expect(ec2.commandCalls(DescribeInstancesCommand)).toHaveLength(41);
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(120_000);
    expect(route53.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(0);
    expect(autoScaling.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(1);
    expect(logs.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([expect.stringContaining('no public IPv4 address after 120 s')]);
    expect(counted).toEqual(['PublicAddressMissing', 'InstanceLaunched']);
  });

  it('writes a partial answer (IPv4 only) when IPv6 never comes', async () => {
    ec2.on(DescribeInstancesCommand).resolves(instanceWith({ ip: '203.0.113.10' }));
    const { handler, logs } = harness({ ...GAME, ipv6: true });
    await handler(launchOf());
    expect(inputsOf(route53.commandCalls(ChangeResourceRecordSetsCommand))[0]!.ChangeBatch!.Changes!.map((c) => c.ResourceRecordSet!.Type)).toEqual(['A']);
    expect(logs.some((l) => l.level === 'error' && l.message.includes('IPv4 and IPv6'))).toBe(true);
  });

  it('keeps the watchdog state of a replayed launch and counts nothing twice', async () => {
    const state = { instanceId: 'i-new', launchedAt: EVENT_TIME, readyAt: '2025-06-01T18:01:30Z', everJoined: true, consecutiveProbeErrors: 0, maxHoursAlerted: false };
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: JSON.stringify(state) } });
    autoScaling.on(CompleteLifecycleActionCommand).rejects(awsError('ValidationError', 'No active Lifecycle Action found with instance ID i-new'));
    const { handler, counted } = harness();
    await expect(handler(launchOf())).resolves.toMatchObject({ dns: 'updated', lifecycle: 'already-done' });
    expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(0);
    expect(counted).toEqual([]);
  });

  it('replaces a watchdog state left by an earlier instance', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: JSON.stringify({ instanceId: 'i-old', launchedAt: '2025-05-01T00:00:00Z' }) } });
    const { handler } = harness();
    await handler(launchOf());
    expect(inputsOf(ssm.commandCalls(PutParameterCommand))[0]!.Value).toContain('"instanceId":"i-new"');
  });

  it('leaves service and DNS alone for a late launch event of an instance already terminating', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(group(['i-new', 'Terminating:Wait']));
    autoScaling.on(CompleteLifecycleActionCommand).rejects(awsError('ValidationError', 'No active Lifecycle Action found with instance ID i-new'));
    const { handler, counted } = harness();
    await expect(handler(launchOf())).resolves.toEqual({ kind: 'launch', instanceId: 'i-new', dns: 'unchanged-not-serving', lifecycle: 'already-done' });
    expect(route53.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(0);
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(0);
    // The rule it enabled first is switched off again: nothing is left to watch.
    expect(callOrder.filter((c) => c.endsWith('Rule'))).toEqual(['EnableRule', 'DisableRule']);
    expect(counted).toEqual([]);
  });

  it('keeps the watchdog on for a late launch event while another instance serves', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(group(['i-new', 'Terminating:Wait'], ['i-next', 'InService']));
    const { handler } = harness();
    await handler(launchOf());
    expect(eventBridge.commandCalls(DisableRuleCommand)).toHaveLength(0);
    expect(route53.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(0);
  });

  it('does not point DNS at an instance that started terminating while its address was awaited', async () => {
    autoScaling
      .on(DescribeAutoScalingGroupsCommand)
      .resolvesOnce(group(['i-new', 'Pending:Wait']))
      .resolves(group(['i-new', 'Terminating:Wait']));
    const { handler } = harness();
    await expect(handler(launchOf())).resolves.toMatchObject({ dns: 'unchanged-not-serving' });
    expect(route53.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(0);
    expect(autoScaling.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(1);
  });

  it('treats a launch whose group no longer exists as stale', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });
    autoScaling.on(CompleteLifecycleActionCommand).rejects(awsError('ValidationError', "AutoScalingGroup name not found - AutoScalingGroup 'gm-mc-asg' not found"));
    const { handler } = harness();
    await expect(handler(launchOf())).resolves.toMatchObject({ dns: 'unchanged-not-serving', lifecycle: 'already-done' });
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  it('throws a throttled service update after enabling the watchdog, without completing the action', async () => {
    ecs.on(UpdateServiceCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    const { handler, logs } = harness();
    await expect(handler(launchOf())).rejects.toThrow('Rate exceeded');
    expect(callOrder[0]).toBe('EnableRule');
    expect(autoScaling.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(0);
    expect(logs.some((l) => l.level === 'error' && l.extra?.error === 'ThrottlingException: Rate exceeded')).toBe(true);
  });

  it('throws when the watchdog rule is missing: the failsafe must exist', async () => {
    eventBridge.on(EnableRuleCommand).rejects(awsError('ResourceNotFoundException', 'Rule gm-mc-watchdog does not exist.'));
    const { handler } = harness();
    await expect(handler(launchOf())).rejects.toThrow('does not exist');
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  it('throws an unexpected lifecycle error so EventBridge retries', async () => {
    autoScaling.on(CompleteLifecycleActionCommand).rejects(awsError('ValidationError', 'Unable to complete lifecycle action: something else'));
    const { handler } = harness();
    await expect(handler(launchOf())).rejects.toThrow('something else');
  });
});

describe('terminate', () => {
  beforeEach(() => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(group(['i-old', 'Terminating:Wait']));
    ssm.on(GetParameterCommand).resolves({
      Parameter: { Value: JSON.stringify({ instanceId: 'i-old', launchedAt: '2025-06-01T15:50:00Z', everJoined: true, consecutiveProbeErrors: 0, maxHoursAlerted: false }) },
    });
  });

  /** A task that is asked to stop, then saves for two polls, then has exited. */
  function taskStopsAfterTwoPolls() {
    const arn = 'arn:aws:ecs:eu-west-1:123456789012:task/gm-mc-cluster/abc';
    ecs.on(ListTasksCommand, { desiredStatus: 'RUNNING' }).resolvesOnce({ taskArns: [arn] }).resolves({ taskArns: [] });
    ecs.on(ListTasksCommand, { desiredStatus: 'STOPPED' }).resolvesOnce({ taskArns: [] }).resolves({ taskArns: [arn] });
    ecs
      .on(DescribeTasksCommand)
      .resolvesOnce({ tasks: [{ taskArn: arn, lastStatus: 'RUNNING' }] })
      .resolvesOnce({ tasks: [{ taskArn: arn, lastStatus: 'STOPPING' }] })
      .resolves({ tasks: [{ taskArn: arn, lastStatus: 'STOPPED' }] });
  }

  it('drains the game, waits until the task has exited, restores the placeholder, disables the watchdog, continues and notifies', async () => {
    taskStopsAfterTwoPolls();
    const { handler, clock, counted } = harness();
    // The instance launched at 15:50; the clock reads 18:00.
    await expect(handler(terminateOf())).resolves.toEqual({ kind: 'terminate', instanceId: 'i-old', dns: 'placeholder', lifecycle: 'completed', notified: true });

    expect(inputsOf(ecs.commandCalls(UpdateServiceCommand))).toEqual([{ cluster: 'gm-mc-cluster', service: 'gm-mc-service', desiredCount: 0 }]);
    expect(ecs.commandCalls(DescribeTasksCommand)).toHaveLength(3);
    expect(clock.sleeps).toEqual([5_000, 5_000]);
    expect(inputsOf(route53.commandCalls(ChangeResourceRecordSetsCommand))).toEqual([
      { HostedZoneId: 'Z0123456789ABC', ChangeBatch: { Comment: 'instance i-old terminating', Changes: [PLACEHOLDER_A] } },
    ]);
    expect(inputsOf(eventBridge.commandCalls(DisableRuleCommand))).toEqual([{ Name: 'gm-mc-watchdog' }]);
    expect(inputsOf(autoScaling.commandCalls(CompleteLifecycleActionCommand))).toEqual([
      { AutoScalingGroupName: 'gm-mc-asg', LifecycleHookName: 'gm-mc-terminate', LifecycleActionToken: 'token-i-old', InstanceId: 'i-old', LifecycleActionResult: 'CONTINUE' },
    ]);
    expect(inputsOf(sns.commandCalls(PublishCommand))).toEqual([{ TopicArn: TOPIC_ARN, Subject: 'mc.example.com stopped', Message: 'stopped mc.example.com after 2 h 10 min' }]);
    // The world is saved before DNS changes and before the instance may go.
    const order = callOrder.filter((c) => ['UpdateService', 'ChangeResourceRecordSets', 'DisableRule', 'CompleteLifecycleAction', 'Publish'].includes(c));
    expect(order).toEqual(['UpdateService', 'ChangeResourceRecordSets', 'DisableRule', 'CompleteLifecycleAction', 'Publish']);
    expect(callOrder.lastIndexOf('DescribeTasks')).toBeLessThan(callOrder.indexOf('ChangeResourceRecordSets'));
    expect(counted).toEqual(['InstanceStopped']);
  });

  it('restores both placeholders when the game has IPv6', async () => {
    const { handler } = harness({ ...GAME, ipv6: true });
    await handler(terminateOf());
    expect(inputsOf(route53.commandCalls(ChangeResourceRecordSetsCommand))[0]!.ChangeBatch!.Changes).toEqual([PLACEHOLDER_A, PLACEHOLDER_AAAA]);
  });

  it("measures the uptime from EC2's launch time when the state belongs to another instance", async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: JSON.stringify({ instanceId: 'i-other', launchedAt: '2025-06-01T10:00:00Z' }) } });
    ec2.on(DescribeInstancesCommand).resolves(instanceWith({ id: 'i-old', launchTime: new Date('2025-06-01T17:53:00Z') }));
    const { handler } = harness();
    await handler(terminateOf());
    expect(inputsOf(sns.commandCalls(PublishCommand))[0]!.Message).toBe('stopped mc.example.com after 7 min');
  });

  it('stops waiting for a task that never exits at stop timeout + 30 s, logs it and still finishes the stop', async () => {
    const arn = 'arn:aws:ecs:eu-west-1:123456789012:task/gm-mc-cluster/stuck';
    ecs.on(ListTasksCommand).resolves({ taskArns: [arn] });
    ecs.on(DescribeTasksCommand).resolves({ tasks: [{ taskArn: arn, lastStatus: 'STOPPING' }] });
    const { handler, clock, logs, counted } = harness({ ...GAME, stopTimeoutSeconds: 60 });
    await expect(handler(terminateOf())).resolves.toMatchObject({ dns: 'placeholder', lifecycle: 'completed' });
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(90_000);
    expect(ecs.commandCalls(DescribeTasksCommand)).toHaveLength(19);
    expect(logs.some((l) => l.level === 'error' && l.message.includes('still running 90 s'))).toBe(true);
    expect(counted).toEqual(['DrainTimedOut', 'InstanceStopped']);
  });

  it('skips the drain wait when the service does not exist', async () => {
    ecs.on(UpdateServiceCommand).rejects(awsError('ServiceNotFoundException', 'Service not found.'));
    const { handler, logs } = harness();
    await expect(handler(terminateOf())).resolves.toMatchObject({ dns: 'placeholder', lifecycle: 'completed' });
    expect(ecs.commandCalls(ListTasksCommand)).toHaveLength(0);
    expect(logs.some((l) => l.level === 'warn' && l.message.includes('nothing to drain'))).toBe(true);
  });

  it('handles a duplicate terminate event harmlessly: same idempotent writes, no second notice', async () => {
    autoScaling.on(CompleteLifecycleActionCommand).rejects(awsError('ValidationError', 'No active Lifecycle Action found with instance ID i-old'));
    const { handler, counted } = harness();
    await expect(handler(terminateOf())).resolves.toEqual({ kind: 'terminate', instanceId: 'i-old', dns: 'placeholder', lifecycle: 'already-done', notified: false });
    expect(inputsOf(route53.commandCalls(ChangeResourceRecordSetsCommand))[0]!.ChangeBatch!.Changes).toEqual([PLACEHOLDER_A]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(counted).toEqual([]);
  });

  it('leaves service, DNS and watchdog to a newer instance that is already in service', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(group(['i-new', 'InService']));
    autoScaling.on(CompleteLifecycleActionCommand).rejects(awsError('ValidationError', 'No active Lifecycle Action found with instance ID i-old'));
    const { handler } = harness();
    await expect(handler(terminateOf())).resolves.toEqual({ kind: 'terminate', instanceId: 'i-old', dns: 'unchanged', lifecycle: 'already-done', notified: false });
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    expect(route53.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(0);
    expect(eventBridge.commandCalls(DisableRuleCommand)).toHaveLength(0);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('still stops the game when its group is gone', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });
    autoScaling.on(CompleteLifecycleActionCommand).rejects(awsError('ValidationError', "AutoScalingGroup name not found - AutoScalingGroup 'gm-mc-asg' not found"));
    const { handler } = harness();
    await expect(handler(terminateOf())).resolves.toMatchObject({ dns: 'placeholder', lifecycle: 'already-done', notified: false });
    expect(inputsOf(ecs.commandCalls(UpdateServiceCommand))).toEqual([expect.objectContaining({ desiredCount: 0 })]);
  });

  it('throws when Route53 is throttled past the SDK retries, before completing the action', async () => {
    route53.on(ChangeResourceRecordSetsCommand).rejects(awsError('Throttling', 'Rate exceeded'));
    const { handler } = harness();
    await expect(handler(terminateOf())).rejects.toThrow('Rate exceeded');
    expect(autoScaling.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(0);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('keeps polling the tasks through a throttled ListTasks', async () => {
    ecs.on(ListTasksCommand).rejectsOnce(awsError('ThrottlingException', 'Rate exceeded')).resolves({ taskArns: [] });
    const { handler } = harness();
    await expect(handler(terminateOf())).resolves.toMatchObject({ lifecycle: 'completed' });
    expect(ecs.commandCalls(ListTasksCommand)).toHaveLength(3);
  });
});

describe('warm pool', () => {
  it.each([
    ['launch', 'EC2', 'WarmPool'],
    ['terminate', 'WarmPool', 'EC2'],
  ] as const)('only continues a %s from %s to %s', async (transition, origin, destination) => {
    const { handler, counted } = harness();
    await expect(handler(lifecycleEvent({ transition, instanceId: 'i-warm', origin, destination }))).resolves.toEqual({
      kind: 'warm-pool',
      instanceId: 'i-warm',
      lifecycle: 'completed',
    });
    expect(callOrder).toEqual(['CompleteLifecycleAction']);
    expect(route53.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(0);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(counted).toEqual([]);
  });

  it('points DNS at a warm instance that enters service', async () => {
    const { handler } = harness();
    await expect(handler(lifecycleEvent({ transition: 'launch', instanceId: 'i-new', origin: 'WarmPool', destination: 'AutoScalingGroup' }))).resolves.toMatchObject({
      kind: 'launch',
      dns: 'updated',
    });
  });
});

describe('spot interruption warning', () => {
  it('drains at once, restores the placeholder and notifies', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(group(['i-spot', 'InService']));
    const { handler, counted } = harness();
    await expect(handler(spotEvent('i-spot'))).resolves.toEqual({ kind: 'spot', instanceId: 'i-spot', dns: 'placeholder', notified: true });
    expect(inputsOf(ecs.commandCalls(UpdateServiceCommand))).toEqual([{ cluster: 'gm-mc-cluster', service: 'gm-mc-service', desiredCount: 0 }]);
    expect(inputsOf(route53.commandCalls(ChangeResourceRecordSetsCommand))[0]!.ChangeBatch!.Changes).toEqual([PLACEHOLDER_A]);
    expect(inputsOf(sns.commandCalls(PublishCommand))).toEqual([
      { TopicArn: TOPIC_ARN, Subject: 'mc.example.com spot interruption', Message: 'spot interruption: mc.example.com is saving and stopping' },
    ]);
    // No lifecycle action belongs to this event; the terminate hook completes its own.
    expect(autoScaling.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(0);
    expect(counted).toEqual(['SpotInterruption']);
  });

  it("ignores another group's instance", async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(group(['i-mine', 'InService']));
    const { handler, counted, flushed } = harness();
    await expect(handler(spotEvent('i-theirs'))).resolves.toMatchObject({ kind: 'ignore', instanceId: 'i-theirs' });
    expect(inputsOf(autoScaling.commandCalls(DescribeAutoScalingGroupsCommand))).toEqual([{ AutoScalingGroupNames: ['gm-mc-asg'] }]);
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    expect(route53.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(0);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(counted).toEqual([]);
    expect(flushed).toEqual([]);
  });

  it('ignores the warning when the group does not exist', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });
    const { handler } = harness();
    await expect(handler(spotEvent('i-spot'))).resolves.toMatchObject({ kind: 'ignore' });
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  it('does not stop the game on a newer instance that already serves', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(group(['i-spot', 'InService'], ['i-new', 'Pending:Wait']));
    const { handler } = harness();
    await expect(handler(spotEvent('i-spot'))).resolves.toMatchObject({ kind: 'spot', dns: 'unchanged', notified: false });
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });
});

describe('input and configuration', () => {
  it.each([
    ['nothing', undefined],
    ['an empty object', {}],
    ['a malformed lifecycle event', { source: 'aws.autoscaling', 'detail-type': 'EC2 Instance-launch Lifecycle Action', detail: { AutoScalingGroupName: GAME.asgName } }],
    ["another game's lifecycle event", lifecycleEvent({ transition: 'terminate', instanceId: 'i-x', group: 'gm-valheim-asg' })],
  ])('ignores %s without calling AWS or publishing metrics', async (_label, event) => {
    const { handler, flushed } = harness();
    await expect(handler(event)).resolves.toMatchObject({ kind: 'ignore' });
    expect(callOrder).toEqual([]);
    expect(flushed).toEqual([]);
  });

  it('names the missing environment variable', async () => {
    const handler = createHandler({ env: { GM_TOPIC_ARN: TOPIC_ARN } });
    await expect(handler(launchOf())).rejects.toThrow('environment variable GM_GAME is not set');
    await expect(createHandler({ env: { GM_GAME: JSON.stringify(GAME) } })(launchOf())).rejects.toThrow('GM_TOPIC_ARN');
  });

  it('names the fields missing from GM_GAME', async () => {
    const { hostedZoneId: _zone, ...partial } = GAME;
    const handler = createHandler({ env: { GM_GAME: JSON.stringify(partial), GM_TOPIC_ARN: TOPIC_ARN } });
    await expect(handler(launchOf())).rejects.toThrow('GM_GAME lacks hostedZoneId');
    expect(callOrder).toEqual([]);
  });

  it('exports a handler that can be imported without any environment', async () => {
    const module = await import('../../../src/lambdas/instance-hook/handler');
    expect(typeof module.handler).toBe('function');
  });
});
