/**
 * The AWS reads only the failsafe makes: the service's crash history (ECS),
 * an instance's launch time (EC2) and whether the watchdog's schedule is on
 * (EventBridge). The group, the state parameter and the alerts topic go
 * through src/lambdas/shared.
 */
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { DescribeTasksCommand, ListTasksCommand, type Task } from '@aws-sdk/client-ecs';
import { DescribeRuleCommand } from '@aws-sdk/client-eventbridge';
import { ec2, ecs, eventBridge } from '../shared/clients';
import { errorName } from '../shared/transient';
import { ruleStateOf, type RuleState, type StoppedTask } from './decide';

/** Launch time of the newest of the instances (the one the watchdog should be watching); undefined when EC2 knows none. */
export async function newestLaunchTime(instanceIds: readonly string[]): Promise<Date | undefined> {
  if (instanceIds.length === 0) return undefined;
  try {
    const out = await ec2().send(new DescribeInstancesCommand({ InstanceIds: [...instanceIds] }));
    const times = (out.Reservations ?? [])
      .flatMap((r) => r.Instances ?? [])
      .flatMap((i) => (i.LaunchTime ? [i.LaunchTime.getTime()] : []));
    return times.length === 0 ? undefined : new Date(Math.max(...times));
  } catch (e) {
    // An instance that just terminated is "not found"; that is missing information, not a failure.
    if (errorName(e) === 'InvalidInstanceID.NotFound') return undefined;
    throw e;
  }
}

/** Whether the watchdog's schedule runs; `missing` when the rule does not exist. */
export async function watchdogRuleState(ruleName: string): Promise<RuleState> {
  try {
    const out = await eventBridge().send(new DescribeRuleCommand({ Name: ruleName }));
    return ruleStateOf(out.State);
  } catch (e) {
    if (errorName(e) === 'ResourceNotFoundException') return 'missing';
    throw e;
  }
}

/** ECS keeps stopped tasks for about an hour; more pages than this are far beyond any crash window. */
const MAX_STOPPED_TASK_PAGES = 3;
/** DescribeTasks takes at most 100 tasks per call. */
const DESCRIBE_TASKS_MAX = 100;

/** ARNs of the service's recently stopped tasks as ECS remembers them (the crash history, with no store of our own). */
export async function listStoppedTaskArns(clusterName: string, serviceName: string): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_STOPPED_TASK_PAGES; page++) {
    const out = await ecs().send(
      new ListTasksCommand({ cluster: clusterName, serviceName, desiredStatus: 'STOPPED', maxResults: 100, ...(nextToken ? { nextToken } : {}) }),
    );
    arns.push(...(out.taskArns ?? []));
    nextToken = out.nextToken;
    if (!nextToken) break;
  }
  return arns;
}

export async function describeStoppedTasks(clusterName: string, arns: readonly string[]): Promise<StoppedTask[]> {
  const tasks: StoppedTask[] = [];
  for (let i = 0; i < arns.length; i += DESCRIBE_TASKS_MAX) {
    const batch = arns.slice(i, i + DESCRIBE_TASKS_MAX);
    const out = await ecs().send(new DescribeTasksCommand({ cluster: clusterName, tasks: batch }));
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
