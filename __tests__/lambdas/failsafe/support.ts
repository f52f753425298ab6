/**
 * Fixtures for the failsafe tests: the game, the events it receives (built
 * after the formats AWS documents), SDK mocks and what the function printed.
 */
import { DescribeAutoScalingGroupsCommand, SetDesiredCapacityCommand, type DescribeAutoScalingGroupsCommandOutput } from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { DescribeTasksCommand, ListTasksCommand, type Task } from '@aws-sdk/client-ecs';
import { DescribeRuleCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand } from '@aws-sdk/client-sns';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { createHandler } from '../../../src/lambdas/failsafe/handler';
import type { GameView } from '../../../src/runtime/game';
import type { WatchdogState } from '../../../src/runtime/watchdog-state';
import { groupDescription, mockAwsClients, resetMocks as resetAll } from '../../support/aws-mocks';
import { testClock } from '../../support/clock';
import { lifecycleEvent, scheduledEvent } from '../../support/events';
import { functionEnvironment, viewOf } from '../../support/game';

export const GAME: GameView<'failsafe'> = viewOf('failsafe');
export const CLUSTER_ARN = `arn:aws:ecs:eu-west-1:123456789012:cluster/${GAME.clusterName}`;
export const INSTANCE = 'i-0123456789abcdef0';
export const ENV: NodeJS.ProcessEnv = functionEnvironment('failsafe');

export const NOW = new Date('2025-06-01T12:00:00.000Z');
export const ago = (minutes: number): Date => new Date(NOW.getTime() - minutes * 60_000);

export const mocks = mockAwsClients();

/** A failsafe as deployed, on a clock frozen at NOW (a fresh one: nothing remembered from other tests). */
export function newFailsafe(env: NodeJS.ProcessEnv = ENV): (event: unknown) => Promise<void> {
  return createHandler({ env, clock: testClock(NOW, { frozen: true }) });
}

// ---------------------------------------------------------------- group, rule, state

export function groupAt(
  desired: number,
  instances: { id: string; state: string }[] = desired > 0 ? [{ id: INSTANCE, state: 'InService' }] : [],
): DescribeAutoScalingGroupsCommandOutput {
  return groupDescription(GAME.asgName, desired, instances);
}

export function groupIs(output: DescribeAutoScalingGroupsCommandOutput): void {
  mocks.autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(output);
}

export function ruleIs(state: 'ENABLED' | 'DISABLED'): void {
  mocks.eventBridge.on(DescribeRuleCommand).resolves({ Name: GAME.watchdogRuleName, State: state, ScheduleExpression: 'rate(1 minute)' });
}

export function watchdogState(overrides: Partial<WatchdogState> = {}): string {
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

export function stateIs(raw: string): void {
  mocks.ssm.on(GetParameterCommand).resolves({ Parameter: { Name: GAME.stateParameterName, Value: raw } });
}

// ---------------------------------------------------------------- failure-destination records

/**
 * What Lambda sends to an on-failure destination, after the format AWS
 * documents in "Capturing records of Lambda asynchronous invocations":
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 * (version, timestamp, requestContext {requestId, functionArn, condition
 * RetriesExhausted | EventAgeExceeded, approximateInvokeCount}, requestPayload,
 * responseContext {statusCode, executedVersion, functionError}, responsePayload).
 */
export function failureRecord(options: {
  functionName: string;
  requestPayload: unknown;
  requestId?: string;
  errorType?: string;
  errorMessage?: string;
  condition?: 'RetriesExhausted' | 'EventAgeExceeded';
  attempts?: number;
}): Record<string, unknown> {
  const condition = options.condition ?? 'RetriesExhausted';
  return {
    version: '1.0',
    timestamp: NOW.toISOString(),
    requestContext: {
      requestId: options.requestId ?? 'c9a7b7f4-0000-4000-8000-000000000001',
      functionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${options.functionName}:$LATEST`,
      condition,
      approximateInvokeCount: options.attempts ?? (condition === 'EventAgeExceeded' ? 0 : 3),
    },
    requestPayload: options.requestPayload,
    ...(condition === 'EventAgeExceeded'
      ? {}
      : {
          responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
          responsePayload: { errorType: options.errorType ?? 'Sandbox.Timedout', errorMessage: options.errorMessage ?? 'Task timed out after 30.00 seconds', trace: [] },
        }),
  };
}

/** The scheduled event EventBridge gives the watchdog every minute. */
export const SCHEDULED_EVENT = scheduledEvent(NOW.toISOString());

export function watchdogFailure(requestId = 'w-1', errorMessage = 'Task timed out after 30.00 seconds'): Record<string, unknown> {
  return failureRecord({ functionName: 'gm-mc-watchdog', requestPayload: SCHEDULED_EVENT, requestId, errorMessage, attempts: 1 });
}

export function hookFailure(transition: 'launch' | 'terminate', requestId = 'h-1', instanceId = INSTANCE): Record<string, unknown> {
  return failureRecord({
    functionName: 'gm-mc-instance-hook',
    requestPayload: lifecycleEvent({ transition, instanceId }),
    requestId,
    errorType: 'ThrottlingException',
    errorMessage: 'Rate exceeded',
  });
}

/** A CloudWatch Logs subscription event as the waker receives it (data: gzip + base64, elided here). */
export function wakerFailure(requestId = 'k-1'): Record<string, unknown> {
  return failureRecord({
    functionName: 'gm-waker',
    requestPayload: { awslogs: { data: 'H4sIAAAAAAAAAA==' } },
    requestId,
    errorType: 'AccessDeniedException',
    errorMessage: 'not authorized to perform: autoscaling:SetDesiredCapacity',
  });
}

// ---------------------------------------------------------------- ECS

export const taskArn = (id: string): string => `arn:aws:ecs:eu-west-1:123456789012:task/gm-mc/${id}`;

export interface TaskSketch {
  id: string;
  minutesAgo: number;
  stopCode?: string;
  stoppedReason?: string;
  exitCode?: number;
  group?: string;
}

export function ecsEvent(t: TaskSketch): Record<string, unknown> {
  return {
    version: '0',
    id: `event-${t.id}`,
    'detail-type': 'ECS Task State Change',
    source: 'aws.ecs',
    account: '123456789012',
    time: NOW.toISOString(),
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

/** The task as ECS DescribeTasks lists it. */
export function sdkTask(t: TaskSketch): Task {
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
export function ecsRemembers(tasks: TaskSketch[]): void {
  mocks.ecs.on(ListTasksCommand).resolves({ taskArns: tasks.map((t) => taskArn(t.id)) });
  mocks.ecs.on(DescribeTasksCommand).resolves({ tasks: tasks.map(sdkTask), failures: [] });
}

export const crashA: TaskSketch = { id: 'a', minutesAgo: 12, exitCode: 1 };
export const crashB: TaskSketch = { id: 'b', minutesAgo: 6, exitCode: 1 };
export const crashC: TaskSketch = { id: 'c', minutesAgo: 0.5, exitCode: 137, stoppedReason: 'OutOfMemoryError: Container killed due to memory usage' };

// ---------------------------------------------------------------- what happened

export function stops(): unknown[] {
  return mocks.autoScaling.commandCalls(SetDesiredCapacityCommand).map((c) => c.args[0].input);
}

export const STOP = { AutoScalingGroupName: GAME.asgName, DesiredCapacity: 0, HonorCooldown: false };

export function alerts(): { subject: string; message: string }[] {
  return mocks.sns.commandCalls(PublishCommand).map((c) => ({ subject: String(c.args[0].input.Subject), message: String(c.args[0].input.Message) }));
}

export function resetMocks(): void {
  resetAll(mocks);
  mocks.autoScaling.on(SetDesiredCapacityCommand).resolves({});
  mocks.sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  mocks.ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
}
