/** Events and configuration shared by the instance-hook tests. */
import type { RuntimeGame } from '../../../src/runtime/contract';
import type { Clock } from '../../../src/lambdas/instance-hook/ports';

export const GAME: RuntimeGame = {
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
  connectionsDocumentName: 'gm-mc-count-connections',
  logGroupName: '/gm/mc/game',
  ports: [{ port: 25565, protocol: 'tcp' }],
  probe: { type: 'query', game: 'minecraft', port: 25565 },
  idleMinutes: 10,
  startupMinutes: 15,
  maxHours: 8,
  stopAfterMaxHours: false,
  stopTimeoutSeconds: 120,
};

export const EVENT_TIME = '2025-06-01T18:00:00Z';

type Place = 'EC2' | 'AutoScalingGroup' | 'WarmPool';

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
      LifecycleActionToken: `token-${options.instanceId}`,
      AutoScalingGroupName: options.group ?? GAME.asgName,
      LifecycleHookName: launch ? 'gm-mc-launch' : 'gm-mc-terminate',
      EC2InstanceId: options.instanceId,
      LifecycleTransition: launch ? 'autoscaling:EC2_INSTANCE_LAUNCHING' : 'autoscaling:EC2_INSTANCE_TERMINATING',
      Origin: options.origin ?? (launch ? 'EC2' : 'AutoScalingGroup'),
      Destination: options.destination ?? (launch ? 'AutoScalingGroup' : 'EC2'),
    },
  };
}

export function spotEvent(instanceId: string): Record<string, unknown> {
  return {
    version: '0',
    id: `evt-${instanceId}-spot`,
    'detail-type': 'EC2 Spot Instance Interruption Warning',
    source: 'aws.ec2',
    account: '123456789012',
    time: EVENT_TIME,
    region: 'eu-west-1',
    resources: [`arn:aws:ec2:eu-west-1b:instance/${instanceId}`],
    detail: { 'instance-id': instanceId, 'instance-action': 'terminate' },
  };
}

/** A clock whose sleep advances time instantly. */
export function fakeClock(startIso = EVENT_TIME): Clock & { sleeps: number[] } {
  let now = Date.parse(startIso);
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

/** An AWS service error as the SDK raises it. */
export function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: {} });
}
