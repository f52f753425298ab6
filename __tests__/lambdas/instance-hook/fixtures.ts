/** Events, configuration, clock and errors shared by the instance-hook tests. */
import type { Clock } from '../../../src/lambdas/shared/poll';
import type { GameView } from '../../../src/runtime/game';

export const GAME: GameView<'instance-hook'> = {
  id: 'mc',
  fqdn: 'mc.example.com',
  hostedZoneId: 'Z0123456789ABC',
  ipv6: false,
  asgName: 'gm-mc-asg',
  clusterName: 'gm-mc-cluster',
  serviceName: 'gm-mc-service',
  taskFamily: 'gm-mc-task',
  watchdogRuleName: 'gm-mc-watchdog',
  stateParameterName: '/gm/mc/watchdog-state',
  sessionParameterName: '/gm/mc/session',
  pendingWakeParameterName: '/gm/mc/pending-wake',
  stopTimeoutSeconds: 120,
  spot: false,
};

export const SPOT_GAME: GameView<'instance-hook'> = { ...GAME, spot: true };

export const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:gm-alerts';
export const EVENT_TIME = '2025-06-01T18:00:00Z';

type Place = 'EC2' | 'AutoScalingGroup' | 'WarmPool';

/**
 * A lifecycle action event as Auto Scaling sends it; format from
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-event-reference.html
 * ("Scale-out lifecycle action", "Scale-in lifecycle action").
 */
export function lifecycleEvent(options: {
  transition: 'launch' | 'terminate';
  instanceId: string;
  origin?: Place;
  destination?: Place;
  group?: string;
  time?: string;
}): Record<string, unknown> {
  const launch = options.transition === 'launch';
  return {
    version: '0',
    id: `evt-${options.instanceId}-${options.transition}`,
    'detail-type': launch ? 'EC2 Instance-launch Lifecycle Action' : 'EC2 Instance-terminate Lifecycle Action',
    source: 'aws.autoscaling',
    account: '123456789012',
    time: options.time ?? EVENT_TIME,
    region: 'eu-west-1',
    resources: [`arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:uuid:autoScalingGroupName/${options.group ?? GAME.asgName}`],
    detail: {
      LifecycleActionToken: `token-${options.instanceId}-${options.transition}`,
      AutoScalingGroupName: options.group ?? GAME.asgName,
      LifecycleHookName: launch ? 'gm-mc-launch' : 'gm-mc-terminate',
      EC2InstanceId: options.instanceId,
      LifecycleTransition: launch ? 'autoscaling:EC2_INSTANCE_LAUNCHING' : 'autoscaling:EC2_INSTANCE_TERMINATING',
      Origin: options.origin ?? (launch ? 'EC2' : 'AutoScalingGroup'),
      Destination: options.destination ?? (launch ? 'AutoScalingGroup' : 'EC2'),
    },
  };
}

/**
 * EC2's two-minute warning; format from
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/spot-instance-termination-notices.html
 */
export function spotEvent(instanceId: string, time = EVENT_TIME): Record<string, unknown> {
  return {
    version: '0',
    id: `evt-${instanceId}-spot`,
    'detail-type': 'EC2 Spot Instance Interruption Warning',
    source: 'aws.ec2',
    account: '123456789012',
    time,
    region: 'eu-west-1',
    resources: [`arn:aws:ec2:eu-west-1b:instance/${instanceId}`],
    detail: { 'instance-id': instanceId, 'instance-action': 'terminate' },
  };
}

/**
 * "EC2 Instance Launch Unsuccessful", format from the Amazon EC2 Auto Scaling
 * event reference, "Unsuccessful scaling events":
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-event-reference.html
 * (StatusMessage carries AWS's reason; EC2InstanceId is often empty because
 * no instance came to be).
 */
export function launchFailedEvent(options: { activityId: string; message?: string; instanceId?: string; group?: string; time?: string }): Record<string, unknown> {
  return {
    version: '0',
    id: `evt-${options.activityId}`,
    'detail-type': 'EC2 Instance Launch Unsuccessful',
    source: 'aws.autoscaling',
    account: '123456789012',
    time: options.time ?? EVENT_TIME,
    region: 'eu-west-1',
    resources: [`arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:uuid:autoScalingGroupName/${options.group ?? GAME.asgName}`],
    detail: {
      StatusCode: 'Failed',
      AutoScalingGroupName: options.group ?? GAME.asgName,
      ActivityId: options.activityId,
      Details: { 'Availability Zone': 'eu-west-1b', 'Subnet ID': 'subnet-12345678' },
      RequestId: `req-${options.activityId}`,
      StatusMessage:
        options.message ??
        'We currently do not have sufficient t3.medium capacity in the Availability Zone you requested (eu-west-1b). Launching EC2 instance failed.',
      EndTime: options.time ?? EVENT_TIME,
      EC2InstanceId: options.instanceId ?? '',
      StartTime: options.time ?? EVENT_TIME,
      Cause: `At ${options.time ?? EVENT_TIME} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 1.`,
    },
  };
}

export type FakeClock = Clock & { readonly sleeps: number[]; advance(ms: number): void };

/** A clock whose sleep advances time instantly. */
export function fakeClock(startIso = EVENT_TIME): FakeClock {
  let now = Date.parse(startIso);
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

/** An AWS service error as the SDK raises it (after its own retries). */
export function awsError(name: string, message = name, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, $metadata: {}, ...extra });
}

/** The faults every AWS call is tested against: throttled, a 5xx, and an attempt that hung past the client timeout. */
export const FAULTS: readonly (readonly [string, () => Error])[] = [
  ['throttling', () => awsError('ThrottlingException', 'Rate exceeded', { $fault: 'client', $metadata: { httpStatusCode: 400 } })],
  ['a 5xx', () => awsError('InternalFailure', 'We encountered an internal error. Please try again.', { $fault: 'server', $metadata: { httpStatusCode: 500 } })],
  ['a hang past the client timeout', () => awsError('TimeoutError', 'Connection timed out after 10000 ms')],
];
