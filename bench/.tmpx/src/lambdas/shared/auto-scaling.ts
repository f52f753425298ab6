/** The game's Auto Scaling group: what it holds, and the one call that starts or stops a game. */
import { DescribeAutoScalingGroupsCommand, SetDesiredCapacityCommand } from '@aws-sdk/client-auto-scaling';
import type { GroupSnapshot } from '../../runtime/session';
import { autoScaling } from './clients';

/** The group's desired capacity and instances; undefined when the group does not exist. */
export async function describeGroup(asgName: string, region?: string): Promise<GroupSnapshot | undefined> {
  const out = await autoScaling(region).send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [asgName] }));
  const group = out.AutoScalingGroups?.find((g) => g.AutoScalingGroupName === asgName);
  if (!group) return undefined;
  return {
    desiredCapacity: group.DesiredCapacity ?? 0,
    instances: (group.Instances ?? []).flatMap((i) =>
      i.InstanceId ? [{ instanceId: i.InstanceId, lifecycleState: String(i.LifecycleState ?? '') }] : [],
    ),
  };
}

/** Sets the desired capacity. HonorCooldown false: a waiting player or a decided stop must not wait for a cooldown. */
export async function setDesiredCapacity(asgName: string, capacity: 0 | 1, region?: string): Promise<void> {
  await autoScaling(region).send(new SetDesiredCapacityCommand({ AutoScalingGroupName: asgName, DesiredCapacity: capacity, HonorCooldown: false }));
}
