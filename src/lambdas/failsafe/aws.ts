/**
 * The failsafe's AWS reads and writes, each one call wide and timed as a
 * step. Clients are created on first use so that importing the handler needs
 * no environment, and wrapped for `--dry-run`.
 */
import { AutoScalingClient, DescribeAutoScalingGroupsCommand, SetDesiredCapacityCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeTasksCommand, ECSClient, ListTasksCommand, type Task } from '@aws-sdk/client-ecs';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { lazyClient } from '../shared/aws-clients';
import { step } from '../shared/steps';
import type { Alert, StoppedTask } from './logic';

const autoScalingClient = lazyClient((c) => new AutoScalingClient(c));
const ec2Client = lazyClient((c) => new EC2Client(c));
const ecsClient = lazyClient((c) => new ECSClient(c));
const snsClient = lazyClient((c) => new SNSClient(c));
const ssmClient = lazyClient((c) => new SSMClient(c));

export interface GroupCapacity {
  readonly desiredCapacity: number;
  readonly instanceIds: readonly string[];
}

/** The group's desired capacity and instances; undefined when no group has that name. */
export async function describeGroup(asgName: string): Promise<GroupCapacity | undefined> {
  const out = await step('autoscaling.DescribeAutoScalingGroups', () =>
    autoScalingClient().send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [asgName] })),
  );
  const group = out.AutoScalingGroups?.[0];
  if (!group) return undefined;
  return {
    desiredCapacity: group.DesiredCapacity ?? 0,
    instanceIds: (group.Instances ?? []).flatMap((i) => (i.InstanceId ? [i.InstanceId] : [])),
  };
}

/** Sets the group to 0 right away (no cooldown): the instance-terminate hook then drains the game. */
export async function stopGroup(asgName: string): Promise<void> {
  await step('autoscaling.SetDesiredCapacity', () =>
    autoScalingClient().send(new SetDesiredCapacityCommand({ AutoScalingGroupName: asgName, DesiredCapacity: 0, HonorCooldown: false })),
  );
}

/** The parameter's value; undefined when it does not exist. */
export async function readParameter(name: string): Promise<string | undefined> {
  try {
    const out = await step('ssm.GetParameter', () => ssmClient().send(new GetParameterCommand({ Name: name })));
    return out.Parameter?.Value;
  } catch (e) {
    if ((e as Error).name === 'ParameterNotFound') return undefined;
    throw e;
  }
}

/** Launch time of the newest of the instances (the one the watchdog should be watching); undefined when EC2 knows none. */
export async function newestLaunchTime(instanceIds: readonly string[]): Promise<Date | undefined> {
  if (instanceIds.length === 0) return undefined;
  try {
    const out = await step('ec2.DescribeInstances', () => ec2Client().send(new DescribeInstancesCommand({ InstanceIds: [...instanceIds] })));
    const times = (out.Reservations ?? [])
      .flatMap((r) => r.Instances ?? [])
      .flatMap((i) => (i.LaunchTime ? [i.LaunchTime.getTime()] : []));
    return times.length === 0 ? undefined : new Date(Math.max(...times));
  } catch (e) {
    // An instance that just terminated is "not found"; that is missing information, not a failure.
    if ((e as Error).name === 'InvalidInstanceID.NotFound') return undefined;
    throw e;
  }
}

/** ECS keeps stopped tasks for about an hour; more pages than this are far beyond any crash window. */
const MAX_STOPPED_TASK_PAGES = 3;

/** The service's recently stopped tasks as ECS remembers them (the crash history, with no store of our own). */
export async function listStoppedTasks(clusterName: string, serviceName: string): Promise<StoppedTask[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_STOPPED_TASK_PAGES; page++) {
    const out = await step('ecs.ListTasks', () =>
      ecsClient().send(
        new ListTasksCommand({ cluster: clusterName, serviceName, desiredStatus: 'STOPPED', maxResults: 100, ...(nextToken ? { nextToken } : {}) }),
      ),
    );
    arns.push(...(out.taskArns ?? []));
    nextToken = out.nextToken;
    if (!nextToken) break;
  }
  const tasks: StoppedTask[] = [];
  // DescribeTasks takes at most 100 tasks per call.
  for (let i = 0; i < arns.length; i += 100) {
    const batch = arns.slice(i, i + 100);
    const out = await step('ecs.DescribeTasks', () => ecsClient().send(new DescribeTasksCommand({ cluster: clusterName, tasks: batch })));
    tasks.push(...(out.tasks ?? []).flatMap(toStoppedTask));
  }
  return tasks;
}

function toStoppedTask(task: Task): StoppedTask[] {
  if (!task.taskArn) return [];
  return [
    {
      taskArn: task.taskArn,
      ...(task.group !== undefined ? { group: task.group } : {}),
      ...(task.lastStatus !== undefined ? { lastStatus: task.lastStatus } : {}),
      ...(task.desiredStatus !== undefined ? { desiredStatus: task.desiredStatus } : {}),
      ...(task.stopCode !== undefined ? { stopCode: task.stopCode } : {}),
      ...(task.stoppedReason !== undefined ? { stoppedReason: task.stoppedReason } : {}),
      ...(task.stoppedAt !== undefined ? { stoppedAt: task.stoppedAt.toISOString() } : {}),
      containers: (task.containers ?? []).map((c) => ({
        ...(c.name !== undefined ? { name: c.name } : {}),
        ...(c.exitCode !== undefined ? { exitCode: c.exitCode } : {}),
        ...(c.reason !== undefined ? { reason: c.reason } : {}),
      })),
    },
  ];
}

export async function publishAlert(topicArn: string, alert: Alert): Promise<void> {
  await step('sns.Publish', () => snsClient().send(new PublishCommand({ TopicArn: topicArn, Subject: alert.subject, Message: alert.message })));
}
