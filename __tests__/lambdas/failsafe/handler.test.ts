import '../../support/powertools-env';
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { DescribeRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import {
  ago,
  alerts,
  crashA,
  crashB,
  crashC,
  ecsEvent,
  ecsRemembers,
  ENV,
  failureRecord,
  GAME,
  groupAt,
  groupIs,
  hookFailure,
  INSTANCE,
  mocks,
  newFailsafe,
  resetMocks,
  ruleIs,
  STOP,
  stateIs,
  stops,
  taskArn,
  wakerFailure,
  watchdogFailure,
  watchdogState,
  type TaskSketch,
} from './support';
import { awsError } from '../../support/aws-errors';
import { TOPIC_ARN } from '../../support/game';
import { capturePowertools } from '../../support/powertools-output';

const output = capturePowertools();
let failsafe: (event: unknown) => Promise<void>;

beforeEach(() => {
  resetMocks();
  failsafe = newFailsafe();
});

function expectNothingDone(): void {
  expect(stops()).toEqual([]);
  expect(alerts()).toEqual([]);
}

describe('watchdog failure records', () => {
  it.each([1, 2])('%i failed minute(s) → no stop; the failure is logged and counted', async (minutes) => {
    groupIs(groupAt(1));
    stateIs(watchdogState({ lastRunAt: ago(minutes + 0.2).toISOString() }));

    await failsafe(watchdogFailure());

    expectNothingDone();
    expect(mocks.ssm.commandCalls(GetParameterCommand)[0]?.args[0].input).toEqual({ Name: GAME.stateParameterName });
    expect(output.metric('WatchdogFailures')).toBe(1);
    expect(output.metric('FailsafeStops')).toBe(0);
    expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'WARN', message: 'function gm-mc-watchdog failed', error: 'Sandbox.Timedout: Task timed out after 30.00 seconds' }));
  });

  it('3 failed minutes → group set to 0, alert published, stop counted for the game', async () => {
    groupIs(groupAt(1));
    stateIs(watchdogState({ lastRunAt: ago(3.1).toISOString() }));

    await failsafe(watchdogFailure());

    expect(mocks.autoScaling.commandCalls(DescribeAutoScalingGroupsCommand)[0]?.args[0].input).toEqual({ AutoScalingGroupNames: [GAME.asgName] });
    expect(stops()).toEqual([STOP]);
    expect(mocks.sns.calls()[0]?.args[0].input).toMatchObject({ TopicArn: TOPIC_ARN });
    expect(alerts()).toEqual([
      { subject: 'mc.example.com stopped: watchdog failing', message: 'watchdog failing for 3 min; stopped mc.example.com: Sandbox.Timedout: Task timed out after 30.00 seconds' },
    ]);
    expect(output.documents()).toEqual([expect.objectContaining({ game: 'mc', FailsafeStops: 1, WatchdogFailures: 1 })]);
    expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'ERROR', message: 'failsafe stopped mc.example.com', game: 'mc' }));
  });

  it('the watchdog never completed a run: silence counts from the launch', async () => {
    groupIs(groupAt(1));
    stateIs(watchdogState({ launchedAt: ago(4).toISOString(), readyAt: undefined }));

    await failsafe(watchdogFailure());

    expect(stops()).toEqual([STOP]);
    expect(alerts()[0]?.message).toMatch(/^watchdog failing for 4 min; stopped mc.example.com/);
  });

  it('a state started afresh a minute ago is not silence, however old the launch', async () => {
    groupIs(groupAt(1));
    stateIs(watchdogState({ launchedAt: ago(60).toISOString(), watchingSince: ago(1).toISOString() }));

    await failsafe(watchdogFailure());

    expectNothingDone();
  });

  it('group already at 0 → nothing read, stopped or announced', async () => {
    groupIs(groupAt(0));

    await failsafe(watchdogFailure());

    expectNothingDone();
    expect(mocks.ssm.calls()).toHaveLength(0);
    expect(output.metric('FailsafeStops')).toBe(0);
  });

  it('records of later failed minutes after the stop give one stop and one alert in all', async () => {
    mocks.autoScaling.on(DescribeAutoScalingGroupsCommand).resolvesOnce(groupAt(1)).resolves(groupAt(0));
    stateIs(watchdogState({ lastRunAt: ago(3.5).toISOString() }));

    await failsafe(watchdogFailure('w-1'));
    await failsafe(watchdogFailure('w-2'));
    await failsafe(watchdogFailure('w-3'));

    expect(stops()).toEqual([STOP]);
    expect(alerts()).toHaveLength(1);
  });

  it('state of a previous instance is not trusted: the current instance launch time is', async () => {
    groupIs(groupAt(1, [{ id: 'i-new', state: 'InService' }]));
    // The old instance's watchdog ran recently; the new instance's watchdog has been failing since launch.
    stateIs(watchdogState({ instanceId: 'i-old', lastRunAt: ago(0.5).toISOString() }));
    mocks.ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: 'i-new', LaunchTime: ago(6) }] }] });

    await failsafe(watchdogFailure());

    expect(mocks.ec2.commandCalls(DescribeInstancesCommand)[0]?.args[0].input).toEqual({ InstanceIds: ['i-new'] });
    expect(stops()).toEqual([STOP]);
  });

  it('instance gone from EC2 (InvalidInstanceID.NotFound) and no state → no information → stop', async () => {
    groupIs(groupAt(1));
    mocks.ssm.on(GetParameterCommand).rejects(awsError('ParameterNotFound'));
    mocks.ec2.on(DescribeInstancesCommand).rejects(awsError('InvalidInstanceID.NotFound'));

    await failsafe(watchdogFailure());

    expect(stops()).toEqual([STOP]);
    expect(alerts()[0]?.message).toMatch(/^watchdog failing for an unknown time/);
  });

  it('missing Auto Scaling group → logged as an error naming the group, nothing else', async () => {
    mocks.autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });

    await failsafe(watchdogFailure());

    expectNothingDone();
    expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'ERROR', message: expect.stringContaining('Auto Scaling group gm-mc not found') }));
  });

  it('an event that expired before the watchdog ran counts as a failed minute too', async () => {
    groupIs(groupAt(1));
    stateIs(watchdogState({ lastRunAt: ago(5).toISOString() }));

    await failsafe(failureRecord({ functionName: 'gm-mc-watchdog', requestPayload: {}, condition: 'EventAgeExceeded' }));

    expect(stops()).toEqual([STOP]);
    expect(alerts()[0]?.message).toBe('watchdog failing for 5 min; stopped mc.example.com: no error message');
  });
});

describe('instance-hook failure records', () => {
  it('an instance serves while the watchdog rule is DISABLED → stopped, and the alert says why', async () => {
    groupIs(groupAt(1));
    ruleIs('DISABLED');

    await failsafe(hookFailure('launch'));

    expect(mocks.eventBridge.commandCalls(DescribeRuleCommand)[0]?.args[0].input).toEqual({ Name: GAME.watchdogRuleName });
    expect(stops()).toEqual([STOP]);
    const [alert] = alerts();
    expect(alert?.subject).toBe('mc.example.com stopped: instance hook failed');
    expect(alert?.message).toContain(`failed after 3 attempts: ThrottlingException: Rate exceeded while handling the launch of ${INSTANCE}`);
    expect(alert?.message).toContain('stopped rather than left running unwatched');
    expect(output.documents()).toEqual([expect.objectContaining({ game: 'mc', InstanceHookFailures: 1, FailsafeStops: 1 })]);
    expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'WARN', message: 'function gm-mc-instance-hook failed', role: 'instance-hook' }));
  });

  it('the watchdog rule is ENABLED → the instance is watched: alert only, no stop', async () => {
    groupIs(groupAt(1));
    ruleIs('ENABLED');

    await failsafe(hookFailure('launch'));

    expect(stops()).toEqual([]);
    expect(alerts()).toEqual([
      {
        subject: 'mc.example.com: instance hook failed',
        message: expect.stringContaining(
          `The watchdog is on for ${INSTANCE}, so mc.example.com still stops when idle. The game may not have started on it, or its DNS records may not point at it yet.`,
        ),
      },
    ]);
    expect(output.metric('FailsafeStops')).toBe(0);
    expect(output.metric('InstanceHookFailures')).toBe(1);
  });

  it('the watchdog rule does not exist → nothing can watch: stopped, and the missing rule is logged', async () => {
    groupIs(groupAt(1));
    mocks.eventBridge.on(DescribeRuleCommand).rejects(awsError('ResourceNotFoundException', 'Rule gm-mc-watchdog-schedule does not exist'));

    await failsafe(hookFailure('launch'));

    expect(stops()).toEqual([STOP]);
    expect(alerts()[0]?.message).toContain('while the watchdog rule did not exist');
    expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'ERROR', message: expect.stringContaining('watchdog rule gm-mc-watchdog-schedule does not exist') }));
  });

  it('an instance still under its launch hook (Pending:Wait) is not judged: alert only, rule not read', async () => {
    groupIs(groupAt(1, [{ id: 'i-next', state: 'Pending:Wait' }]));

    await failsafe(hookFailure('launch'));

    expect(mocks.eventBridge.calls()).toHaveLength(0);
    expect(stops()).toEqual([]);
    expect(alerts()[0]?.message).toContain('mc.example.com is starting');
  });

  it('a failed stop with the group at 0 → alert that the game may not have been drained; nothing stopped again', async () => {
    groupIs(groupAt(0, [{ id: INSTANCE, state: 'Terminating:Wait' }]));

    await failsafe(hookFailure('terminate'));

    expect(mocks.eventBridge.calls()).toHaveLength(0);
    expect(stops()).toEqual([]);
    const [alert] = alerts();
    expect(alert?.subject).toBe('mc.example.com: instance hook failed');
    expect(alert?.message).toContain(`while handling the stop of ${INSTANCE}. mc.example.com is stopping.`);
    expect(alert?.message).toContain('may not have been drained');
  });

  it('the group does not exist → alert and an error log, no stop', async () => {
    mocks.autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });

    await failsafe(hookFailure('launch'));

    expect(stops()).toEqual([]);
    expect(alerts()[0]?.message).toContain('does not exist; redeploy');
    expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'ERROR', message: expect.stringContaining('Auto Scaling group gm-mc not found') }));
  });

  it("another game's instance hook (a destination wired to the wrong failsafe) → alert only; this game is not touched", async () => {
    await failsafe(failureRecord({ functionName: 'gm-valheim-instance-hook', requestPayload: {}, requestId: 'x-1' }));

    expect(mocks.autoScaling.calls()).toHaveLength(0);
    expect(mocks.eventBridge.calls()).toHaveLength(0);
    expect(alerts()).toEqual([{ subject: 'GameManagement: gm-valheim-instance-hook failed', message: expect.stringContaining('which does not stop another game') }]);
  });
});

describe('waker and other failure records', () => {
  it('the waker failed → alert with the function and the error; no game touched', async () => {
    await failsafe(wakerFailure());

    expect(mocks.autoScaling.calls()).toHaveLength(0);
    expect(alerts()).toEqual([
      {
        subject: 'GameManagement: waker failed',
        message: expect.stringMatching(/^The waker function \(gm-waker\) failed after 3 attempts: AccessDeniedException: not authorized to perform: autoscaling:SetDesiredCapacity\./),
      },
    ]);
    expect(output.metric('WakerFailures')).toBe(1);
  });

  it('a function the failsafe does not know → alert naming it', async () => {
    await failsafe(failureRecord({ functionName: 'my-own-thing', requestPayload: { hello: 1 }, errorType: 'Error', errorMessage: 'boom' }));

    expect(mocks.autoScaling.calls()).toHaveLength(0);
    expect(alerts()).toEqual([{ subject: 'GameManagement: my-own-thing failed', message: expect.stringContaining('failed after 3 attempts: Error: boom') }]);
    expect(output.metric('OtherFunctionFailures')).toBe(1);
  });
});

describe('ECS task state changes', () => {
  beforeEach(() => {
    groupIs(groupAt(1));
  });

  it('three distinct crashes within 15 min → stop + alert with the last reason and exit code', async () => {
    ecsRemembers([crashA, crashB, crashC]);

    await failsafe(ecsEvent(crashC));

    expect(mocks.ecs.commandCalls(ListTasksCommand)[0]?.args[0].input).toMatchObject({ cluster: GAME.clusterName, serviceName: GAME.serviceName, desiredStatus: 'STOPPED' });
    expect(mocks.ecs.commandCalls(DescribeTasksCommand)[0]?.args[0].input).toEqual({ cluster: GAME.clusterName, tasks: [taskArn('a'), taskArn('b'), taskArn('c')] });
    expect(stops()).toEqual([STOP]);
    const message = alerts()[0]?.message;
    expect(message).toContain('crashed 3 times in 15 min; stopped mc.example.com');
    expect(message).toContain('OutOfMemoryError: Container killed due to memory usage');
    expect(message).toContain('exit code 137');
    expect(output.documents()).toEqual([expect.objectContaining({ game: 'mc', FailsafeStops: 1, TaskCrashes: 1 })]);
  });

  it('the event task counts even when ListTasks does not show it yet', async () => {
    ecsRemembers([crashA, crashB]);

    await failsafe(ecsEvent(crashC));

    expect(stops()).toEqual([STOP]);
  });

  it('one crash → logged and counted only: no stop, no alert, group not read', async () => {
    ecsRemembers([crashC]);

    await failsafe(ecsEvent(crashC));

    expectNothingDone();
    expect(mocks.autoScaling.commandCalls(DescribeAutoScalingGroupsCommand)).toHaveLength(0);
    expect(output.metric('TaskCrashes')).toBe(1);
    expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'WARN', message: 'game task crashed', taskArn: taskArn('c') }));
  });

  it('scale-in stops do not count, and a scale-in event does not even read the history', async () => {
    const scaleIn = (id: string): TaskSketch => ({ id, minutesAgo: 2, stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/123)', exitCode: 143 });
    ecsRemembers([crashB, crashC, scaleIn('d'), scaleIn('e')]);

    await failsafe(ecsEvent(crashC));
    expectNothingDone();

    mocks.ecs.resetHistory();
    await failsafe(ecsEvent(scaleIn('f')));
    expect(mocks.ecs.calls()).toHaveLength(0);
  });

  it('spot interruptions and termination notices do not count', async () => {
    const spot: TaskSketch = { id: 'd', minutesAgo: 1, stopCode: 'SpotInterruption', stoppedReason: 'Your Spot Task was interrupted.' };
    const notice: TaskSketch = { id: 'e', minutesAgo: 1, stopCode: 'TerminationNotice', stoppedReason: 'Task stopped due to termination notice' };
    ecsRemembers([crashB, crashC, spot, notice]);

    await failsafe(ecsEvent(crashC));
    expectNothingDone();
  });

  it('crashes older than 15 minutes do not count', async () => {
    ecsRemembers([{ id: 'old1', minutesAgo: 40 }, { id: 'old2', minutesAgo: 20 }, crashC]);

    await failsafe(ecsEvent(crashC));

    expectNothingDone();
  });

  it('failing container health checks count as crashes', async () => {
    const unhealthy = (id: string, minutesAgo: number): TaskSketch => ({ id, minutesAgo, stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Task failed container health checks', exitCode: 143 });
    ecsRemembers([unhealthy('a', 9), unhealthy('b', 5), unhealthy('c', 1)]);

    await failsafe(ecsEvent(unhealthy('c', 1)));

    expect(stops()).toEqual([STOP]);
  });

  it('a task of another service or cluster is ignored without any call', async () => {
    await failsafe(ecsEvent({ ...crashC, group: 'service:someone-else' }));
    const otherCluster = ecsEvent(crashC) as { detail: { clusterArn: string } };
    otherCluster.detail.clusterArn = 'arn:aws:ecs:eu-west-1:123456789012:cluster/gm-other';
    await failsafe(otherCluster);

    expect(mocks.ecs.calls()).toHaveLength(0);
    expectNothingDone();
  });

  it('crash loop while the group is already at 0 → nothing', async () => {
    groupIs(groupAt(0));
    ecsRemembers([crashA, crashB, crashC]);

    await failsafe(ecsEvent(crashC));

    expectNothingDone();
  });

  it('pages through ListTasks and describes at most 100 tasks per call', async () => {
    const many = Array.from({ length: 150 }, (_, i) => ({ id: `t${i}`, minutesAgo: 50, stopCode: 'ServiceSchedulerInitiated' }));
    mocks.ecs
      .on(ListTasksCommand)
      .resolvesOnce({ taskArns: many.slice(0, 100).map((t) => taskArn(t.id)), nextToken: 'page-2' })
      .resolves({ taskArns: many.slice(100).map((t) => taskArn(t.id)) });
    mocks.ecs.on(DescribeTasksCommand).resolves({ tasks: [] });

    await failsafe(ecsEvent(crashC));

    expect(mocks.ecs.commandCalls(ListTasksCommand)[1]?.args[0].input.nextToken).toBe('page-2');
    expect(mocks.ecs.commandCalls(DescribeTasksCommand).map((c) => c.args[0].input.tasks?.length)).toEqual([100, 50]);
  });
});

describe('environment', () => {
  it('missing GM_GAME → an error naming the variable, logged and counted', async () => {
    const broken = newFailsafe({ GM_TOPIC_ARN: ENV.GM_TOPIC_ARN });

    await expect(broken(watchdogFailure())).rejects.toMatchObject({ name: 'EnvironmentError', message: expect.stringContaining('GM_GAME is not set') });
    expect(output.metric('FailsafeErrors')).toBe(1);
    expect(mocks.autoScaling.calls()).toHaveLength(0);
  });
});
