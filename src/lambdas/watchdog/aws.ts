/**
 * The AWS calls only the watchdog makes (the group, parameters, session and
 * notices go through src/lambdas/shared): whether the game's container runs,
 * ECS's times of a start, the game's published address, and turning its own
 * schedule off.
 */
import { DescribeContainerInstancesCommand, DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { DisableRuleCommand } from '@aws-sdk/client-eventbridge';
import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { ecs, eventBridge, route53 } from '../shared/clients';
import type { StartTimes } from './decide';
import { serviceMissingError } from './messages';

/**
 * Whether the game's ECS service has a RUNNING task: one DescribeServices
 * call (`runningCount` counts the tasks whose containers have started).
 * Throws when the service does not exist.
 */
export async function gameContainerRunning(clusterName: string, serviceName: string): Promise<boolean> {
  const out = await ecs().send(new DescribeServicesCommand({ cluster: clusterName, services: [serviceName] }));
  const service = out.services?.find((s) => s.serviceName === serviceName);
  if (!service) throw new Error(serviceMissingError(serviceName, clusterName, out.failures?.find((f) => f.reason)?.reason));
  return (service.runningCount ?? 0) >= 1;
}

export interface GameRecords {
  readonly ipv4?: string;
  readonly ipv6?: string;
}

/**
 * The game's A and AAAA values, read from the hosted zone's API rather than
 * resolved: a DNS lookup of the name would land in the query log and wake the
 * game it is watching. The instance hook points them at the instance at
 * launch, so this is also the address players reach.
 */
export async function readGameRecords(hostedZoneId: string, fqdn: string): Promise<GameRecords> {
  const name = `${fqdn.replace(/\.$/, '').toLowerCase()}.`;
  const out = await route53().send(new ListResourceRecordSetsCommand({ HostedZoneId: hostedZoneId, StartRecordName: name, StartRecordType: 'A', MaxItems: 2 }));
  const value = (type: string) => out.ResourceRecordSets?.find((r) => r.Name?.toLowerCase() === name && r.Type === type)?.ResourceRecords?.[0]?.Value;
  const ipv4 = value('A');
  const ipv6 = value('AAAA');
  return { ...(ipv4 ? { ipv4 } : {}), ...(ipv6 ? { ipv6 } : {}) };
}

/** Turns the watchdog's own schedule off (the instance hook turns it on at the next launch). */
export async function disableSchedule(ruleName: string): Promise<void> {
  await eventBridge().send(new DisableRuleCommand({ Name: ruleName }));
}

/**
 * ECS's own times of the start on `instanceId`, read once per start (when the
 * game's container is first seen running): three calls, because a task names
 * its container instance and only the container instance names its EC2
 * instance and registration time. Undefined when no running task of the
 * service is on that instance.
 */
export async function readEcsStartTimes(clusterName: string, serviceName: string, instanceId: string): Promise<StartTimes | undefined> {
  const listed = await ecs().send(new ListTasksCommand({ cluster: clusterName, serviceName, desiredStatus: 'RUNNING' }));
  const taskArns = (listed.taskArns ?? []).slice(0, 100);
  if (taskArns.length === 0) return undefined;
  const { tasks = [] } = await ecs().send(new DescribeTasksCommand({ cluster: clusterName, tasks: taskArns }));
  const hostArns = [...new Set(tasks.flatMap((t) => (t.containerInstanceArn ? [t.containerInstanceArn] : [])))];
  if (hostArns.length === 0) return undefined;
  const { containerInstances = [] } = await ecs().send(new DescribeContainerInstancesCommand({ cluster: clusterName, containerInstances: hostArns }));
  const host = containerInstances.find((c) => c.ec2InstanceId === instanceId);
  if (!host) return undefined;
  // The newest running task on this host: a restarted container replaces an older one.
  const task = tasks
    .filter((t) => t.containerInstanceArn === host.containerInstanceArn && t.lastStatus === 'RUNNING')
    .sort((a, b) => (b.startedAt?.getTime() ?? 0) - (a.startedAt?.getTime() ?? 0))[0];
  return {
    ...(host.registeredAt ? { agentRegisteredAt: host.registeredAt.toISOString() } : {}),
    ...(task?.pullStartedAt ? { pullStartedAt: task.pullStartedAt.toISOString() } : {}),
    ...(task?.pullStoppedAt ? { pullStoppedAt: task.pullStoppedAt.toISOString() } : {}),
    ...(task?.startedAt ? { taskStartedAt: task.startedAt.toISOString() } : {}),
  };
}
