/**
 * Finds the game's instance: the Auto Scaling group's InService/Pending
 * instance, with its launch time and public address from EC2.
 */
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { step } from '../shared/steps';

export interface GameInstance {
  readonly instanceId: string;
  readonly lifecycleState: string;
  readonly launchTime: Date;
  readonly publicIpv4?: string;
  readonly ipv6?: string;
}

export interface GroupView {
  readonly desiredCapacity: number;
  /** Absent when no instance is InService or Pending (stopped, terminating, or a warm-pool instance). */
  readonly instance?: GameInstance;
}

/** Instances the game runs on, or is about to; Terminating and Warmed:* ones are not. */
const LIVE_STATES = new Set(['InService', 'Pending', 'Pending:Wait', 'Pending:Proceed']);

export async function describeGroup(autoScaling: AutoScalingClient, ec2: EC2Client, asgName: string): Promise<GroupView> {
  const out = await step('describe-auto-scaling-group', () =>
    autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [asgName] })));
  const group = out.AutoScalingGroups?.find((g) => g.AutoScalingGroupName === asgName);
  if (!group) {
    throw new Error(`Auto Scaling group ${asgName} not found: the watchdog cannot see the game's instance. `
      + 'Run `cdktf deploy` so the group and the function configuration (GM_GAME) match again.');
  }
  const live = (group.Instances ?? []).filter((i) => i.InstanceId && LIVE_STATES.has(i.LifecycleState ?? ''));
  // Max size is 1; should two ever show up, the one serving players is the InService one.
  const chosen = live.find((i) => i.LifecycleState === 'InService') ?? live[0];
  const desiredCapacity = group.DesiredCapacity ?? 0;
  if (!chosen?.InstanceId) return { desiredCapacity };

  const instanceId = chosen.InstanceId;
  const described = await step('describe-instance', () => ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] })));
  const instance = described.Reservations?.flatMap((r) => r.Instances ?? []).find((i) => i.InstanceId === instanceId);
  if (!instance?.LaunchTime) {
    throw new Error(`EC2 does not describe instance ${instanceId} of group ${asgName} yet; the next run will look again.`);
  }
  return {
    desiredCapacity,
    instance: {
      instanceId,
      lifecycleState: chosen.LifecycleState ?? 'unknown',
      launchTime: instance.LaunchTime,
      publicIpv4: instance.PublicIpAddress,
      ipv6: instance.Ipv6Address ?? instance.NetworkInterfaces?.flatMap((n) => n.Ipv6Addresses ?? []).find((a) => a.Ipv6Address)?.Ipv6Address,
    },
  };
}
