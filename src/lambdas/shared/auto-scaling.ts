/** The game's Auto Scaling group: what it holds, and the one call that starts or stops a game. */
import { DescribeAutoScalingGroupsCommand, DescribeWarmPoolCommand, SetDesiredCapacityCommand } from '@aws-sdk/client-auto-scaling';
import type { Instance } from '@aws-sdk/client-auto-scaling';
import type { GroupInstance, GroupSnapshot } from '../../runtime/session';
import { autoScaling } from './clients';

function groupInstances(instances: readonly Instance[] | undefined): GroupInstance[] {
  return (instances ?? []).flatMap((i) => (i.InstanceId ? [{ instanceId: i.InstanceId, lifecycleState: String(i.LifecycleState ?? '') }] : []));
}

/**
 * The group's desired capacity and instances, and its warm pool's instances
 * when it has one (an instance returning to the pool is listed there only,
 * while it still saves the world); undefined when the group does not exist.
 */
export async function describeGroup(asgName: string, region?: string): Promise<GroupSnapshot | undefined> {
  const client = autoScaling(region);
  const out = await client.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [asgName] }));
  const group = out.AutoScalingGroups?.find((g) => g.AutoScalingGroupName === asgName);
  if (!group) return undefined;
  const snapshot = { desiredCapacity: group.DesiredCapacity ?? 0, instances: groupInstances(group.Instances) };
  if (!group.WarmPoolConfiguration) return snapshot;
  const warmPool: GroupInstance[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new DescribeWarmPoolCommand({ AutoScalingGroupName: asgName, NextToken: nextToken }));
    warmPool.push(...groupInstances(page.Instances));
    nextToken = page.NextToken;
  } while (nextToken);
  return { ...snapshot, warmPool };
}

/** Sets the desired capacity. HonorCooldown false: a waiting player or a decided stop must not wait for a cooldown. */
export async function setDesiredCapacity(asgName: string, capacity: 0 | 1, region?: string): Promise<void> {
  await autoScaling(region).send(new SetDesiredCapacityCommand({ AutoScalingGroupName: asgName, DesiredCapacity: capacity, HonorCooldown: false }));
}
