/**
 * The AWS calls only the instance hook makes (the group, parameters, notices
 * and sessions are in src/lambdas/shared). Clients retry throttling and
 * time-outs themselves; what still fails is thrown, so Lambda retries the event.
 */
import { CompleteLifecycleActionCommand, DescribeAutoScalingGroupsCommand, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import {
  DescribeTasksCommand,
  ListContainerInstancesCommand,
  ListTasksCommand,
  UpdateContainerInstancesStateCommand,
  UpdateServiceCommand,
  type ContainerInstanceStatus,
} from '@aws-sdk/client-ecs';
import { DisableRuleCommand, EnableRuleCommand } from '@aws-sdk/client-eventbridge';
import { ChangeResourceRecordSetsCommand, type ChangeBatch } from '@aws-sdk/client-route-53';
import { autoScaling, ec2, ecs, eventBridge, route53 } from '../shared/clients';
import { errorName } from '../shared/transient';
import { hasExited, type HookGame, type LifecycleAction } from './decide';

const MISSING_SERVICE_ERRORS: ReadonlySet<string> = new Set(['ServiceNotFoundException', 'ServiceNotActiveException', 'ClusterNotFoundException']);
/** Auto Scaling answers these when the action was already completed, timed out, or its group is gone. */
const NO_ACTION_MESSAGE = /No active Lifecycle Action found|AutoScalingGroup name not found/i;

export async function enableWatchdog(game: HookGame): Promise<void> {
  await eventBridge().send(new EnableRuleCommand({ Name: game.watchdogRuleName }));
}

export async function disableWatchdog(game: HookGame): Promise<void> {
  await eventBridge().send(new DisableRuleCommand({ Name: game.watchdogRuleName }));
}

/** One task of the family's newest ACTIVE revision (the family name alone selects it: a deploy takes effect here). */
export async function startService(game: HookGame): Promise<void> {
  await ecs().send(new UpdateServiceCommand({ cluster: game.clusterName, service: game.serviceName, taskDefinition: game.taskFamily, desiredCount: 1 }));
}

/** Sets the service to no task; `missing` when the cluster or service does not exist. */
export async function stopService(game: HookGame): Promise<'stopping' | 'missing'> {
  try {
    await ecs().send(new UpdateServiceCommand({ cluster: game.clusterName, service: game.serviceName, desiredCount: 0 }));
    return 'stopping';
  } catch (e) {
    if (MISSING_SERVICE_ERRORS.has(errorName(e) ?? '')) return 'missing';
    throw e;
  }
}

/** The ECS container instances of one EC2 instance (none until its agent has registered). */
export async function containerInstancesOf(game: HookGame, instanceId: string, status?: ContainerInstanceStatus): Promise<string[]> {
  try {
    const out = await ecs().send(
      new ListContainerInstancesCommand({ cluster: game.clusterName, filter: `ec2InstanceId == ${instanceId}`, ...(status ? { status } : {}) }),
    );
    return out.containerInstanceArns ?? [];
  } catch (e) {
    if (errorName(e) === 'ClusterNotFoundException') return [];
    throw e;
  }
}

/**
 * DRAINING stops the instance's tasks (SIGTERM, then the stop timeout to
 * save) and lets the service place its task elsewhere; ACTIVE takes tasks
 * again. Returns the reasons ECS gave for arns it did not change.
 */
export async function setContainerInstancesState(game: HookGame, arns: readonly string[], status: 'DRAINING' | 'ACTIVE'): Promise<string[]> {
  if (arns.length === 0) return [];
  const out = await ecs().send(new UpdateContainerInstancesStateCommand({ cluster: game.clusterName, containerInstances: [...arns], status }));
  return (out.failures ?? []).map((f) => `${f.arn ?? '?'}: ${f.reason ?? 'unknown'}${f.detail ? ` (${f.detail})` : ''}`);
}

/**
 * Tasks on these container instances whose container has not exited yet.
 * A task asked to stop is listed as desired STOPPED while it still saves; only
 * its last status says it has exited.
 */
export async function unexitedTasksOn(game: HookGame, containerInstanceArns: readonly string[]): Promise<number> {
  const cluster = game.clusterName;
  const arns: string[] = [];
  for (const containerInstance of containerInstanceArns) {
    for (const desiredStatus of ['RUNNING', 'STOPPED'] as const) {
      const out = await ecs().send(new ListTasksCommand({ cluster, containerInstance, desiredStatus, maxResults: 100 }));
      arns.push(...(out.taskArns ?? []));
    }
  }
  let unexited = 0;
  for (let i = 0; i < arns.length; i += 100) {
    const out = await ecs().send(new DescribeTasksCommand({ cluster, tasks: arns.slice(i, i + 100) }));
    unexited += (out.tasks ?? []).filter((t) => !hasExited(t.lastStatus)).length;
  }
  return unexited;
}

/** Addresses and launch time of the instance (shared with `gm status`). */
export { describeInstance, type InstanceFacts } from '../shared/instances';

export async function changeRecords(game: HookGame, batch: ChangeBatch): Promise<void> {
  await route53().send(new ChangeResourceRecordSetsCommand({ HostedZoneId: game.hostedZoneId, ChangeBatch: batch }));
}

/** CONTINUE; `already-done` when Auto Scaling has no such action any more (a repeated or late event). */
export async function completeLifecycleAction(action: LifecycleAction): Promise<'completed' | 'already-done'> {
  try {
    await autoScaling().send(
      new CompleteLifecycleActionCommand({
        AutoScalingGroupName: action.groupName,
        LifecycleHookName: action.hookName,
        LifecycleActionToken: action.token,
        InstanceId: action.instanceId,
        LifecycleActionResult: 'CONTINUE',
      }),
    );
    return 'completed';
  } catch (e) {
    if (errorName(e) === 'ValidationError' && NO_ACTION_MESSAGE.test((e as Error).message)) return 'already-done';
    throw e;
  }
}

/**
 * Sets how many instances of a spot game's group are on-demand (1: this
 * start falls back to on-demand; 0: spot again). The group's whole
 * instances distribution is sent back with only that number changed, so the
 * update does not depend on how Auto Scaling fills in omitted fields.
 * Returns `unchanged` when it already has that value, `no-policy` when the
 * group has no mixed instances policy (not a spot group).
 */
export async function setOnDemandBase(game: HookGame, capacity: 0 | 1): Promise<'updated' | 'unchanged' | 'no-policy'> {
  const out = await autoScaling().send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [game.asgName] }));
  const distribution = out.AutoScalingGroups?.find((g) => g.AutoScalingGroupName === game.asgName)?.MixedInstancesPolicy?.InstancesDistribution;
  if (!distribution) return 'no-policy';
  if ((distribution.OnDemandBaseCapacity ?? 0) === capacity) return 'unchanged';
  await autoScaling().send(
    new UpdateAutoScalingGroupCommand({
      AutoScalingGroupName: game.asgName,
      MixedInstancesPolicy: { InstancesDistribution: { ...distribution, OnDemandBaseCapacity: capacity } },
    }),
  );
  return 'updated';
}
