/**
 * The AWS reads behind `gm status`, `gm start` and `gm stop` that the control
 * loop's shared pieces do not already make: the game host as EC2 describes it,
 * when its ECS agent registered, and the game's newest task on it.
 */
import { DescribeContainerInstancesCommand, DescribeTasksCommand, ListContainerInstancesCommand, ListTasksCommand, type Task } from '@aws-sdk/client-ecs';
import { ecs } from '../../lambdas/shared/clients';
import { describeInstance } from '../../lambdas/shared/instances';
import { errorName } from '../../lambdas/shared/transient';

export interface HostFacts {
  readonly instanceId: string;
  /** EC2 state name: pending, running, shutting-down, terminated… */
  readonly state?: string;
  readonly instanceType?: string;
  /** ISO time EC2 launched the instance. */
  readonly launchTime?: string;
  readonly ipv4?: string;
  readonly ipv6?: string;
}

export interface TaskFacts {
  readonly taskArn: string;
  readonly lastStatus?: string;
  readonly desiredStatus?: string;
  readonly createdAt?: string;
  readonly pullStartedAt?: string;
  readonly pullStoppedAt?: string;
  readonly startedAt?: string;
  readonly stoppedAt?: string;
  readonly stopCode?: string;
  readonly stoppedReason?: string;
  /** Exit code of the first container that has one (the game container). */
  readonly exitCode?: number;
}

const iso = (d: Date | undefined): string | undefined => d?.toISOString();

/** The instance as EC2 describes it (the reader the instance hook uses); undefined when EC2 no longer knows it. */
export async function describeHost(instanceId: string, region: string): Promise<HostFacts | undefined> {
  const facts = await describeInstance(instanceId, region);
  if (!facts) return undefined;
  return {
    instanceId,
    ...(facts.state ? { state: facts.state } : {}),
    ...(facts.instanceType ? { instanceType: facts.instanceType } : {}),
    ...(facts.launchTime ? { launchTime: facts.launchTime.toISOString() } : {}),
    ...(facts.ipv4 ? { ipv4: facts.ipv4 } : {}),
    ...(facts.ipv6 ? { ipv6: facts.ipv6 } : {}),
  };
}

/**
 * When the instance's ECS agent registered with the game's cluster: the host
 * has booted and can run the game. Undefined before that (or once it left).
 */
export async function hostRegisteredAt(cluster: string, instanceId: string, region: string): Promise<string | undefined> {
  const client = ecs(region);
  const listed = await client.send(new ListContainerInstancesCommand({ cluster, filter: `ec2InstanceId == ${instanceId}` }));
  const arns = listed.containerInstanceArns ?? [];
  if (arns.length === 0) return undefined;
  const out = await client.send(new DescribeContainerInstancesCommand({ cluster, containerInstances: arns }));
  const times = (out.containerInstances ?? []).flatMap((c) => (c.registeredAt ? [c.registeredAt.getTime()] : []));
  return times.length === 0 ? undefined : new Date(Math.min(...times)).toISOString();
}

function taskFacts(t: Task): TaskFacts {
  const exitCode = t.containers?.find((c) => typeof c.exitCode === 'number')?.exitCode;
  return {
    taskArn: t.taskArn ?? '',
    ...(t.lastStatus ? { lastStatus: t.lastStatus } : {}),
    ...(t.desiredStatus ? { desiredStatus: t.desiredStatus } : {}),
    ...(t.createdAt ? { createdAt: iso(t.createdAt) } : {}),
    ...(t.pullStartedAt ? { pullStartedAt: iso(t.pullStartedAt) } : {}),
    ...(t.pullStoppedAt ? { pullStoppedAt: iso(t.pullStoppedAt) } : {}),
    ...(t.startedAt ? { startedAt: iso(t.startedAt) } : {}),
    ...(t.stoppedAt ? { stoppedAt: iso(t.stoppedAt) } : {}),
    ...(t.stopCode ? { stopCode: String(t.stopCode) } : {}),
    ...(t.stoppedReason ? { stoppedReason: t.stoppedReason } : {}),
    ...(exitCode !== undefined ? { exitCode } : {}),
  };
}

/**
 * The game service's tasks (running ones and those ECS still lists as
 * stopped, about an hour), newest first. A cluster or service that does not
 * exist has no tasks.
 */
export async function gameTasks(cluster: string, serviceName: string, region: string): Promise<TaskFacts[]> {
  const client = ecs(region);
  try {
    const lists = await Promise.all(
      (['RUNNING', 'STOPPED'] as const).map((desiredStatus) => client.send(new ListTasksCommand({ cluster, serviceName, desiredStatus }))),
    );
    const arns = [...new Set(lists.flatMap((l) => l.taskArns ?? []))].slice(0, 100);
    if (arns.length === 0) return [];
    const out = await client.send(new DescribeTasksCommand({ cluster, tasks: arns }));
    return (out.tasks ?? []).map(taskFacts).sort((a, b) => Date.parse(b.createdAt ?? '0') - Date.parse(a.createdAt ?? '0'));
  } catch (e) {
    if (errorName(e) === 'ClusterNotFoundException' || errorName(e) === 'ServiceNotFoundException') return [];
    throw e;
  }
}
