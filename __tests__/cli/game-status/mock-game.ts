/**
 * One game's AWS as `gm status`, `gm start` and `gm stop` read and change it,
 * answered by aws-sdk-client-mock in the response formats AWS documents:
 * its Auto Scaling group, its three SSM parameters (watchdog state, session,
 * pending wake), its EC2 host, and its ECS container instance and tasks.
 * Tests set the fields, and may fail any call (`failWith`).
 */
import { DescribeAutoScalingGroupsCommand, SetDesiredCapacityCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand, type Instance } from '@aws-sdk/client-ec2';
import { DescribeContainerInstancesCommand, DescribeTasksCommand, ListContainerInstancesCommand, ListTasksCommand, type Task } from '@aws-sdk/client-ecs';
import { DeleteParameterCommand, GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { awsError } from '../../support/aws-errors';
import { groupDescription, mockAwsClients, resetMocks, type AwsMocks } from '../../support/aws-mocks';

export const REGION = 'eu-west-1';
export const ACCOUNT = '123456789012';
/** examples/minecraft-java.yaml: prefix gm, game mc. */
export const NAMES = {
  asg: 'gm-mc',
  cluster: 'gm-mc',
  service: 'gm-mc',
  state: '/gm/mc/watchdog-state',
  session: '/gm/mc/session',
  pendingWake: '/gm/mc/pending-wake',
} as const;
export const INSTANCE = 'i-0123456789abcdef0';
export const CLUSTER_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${NAMES.cluster}`;
export const CONTAINER_INSTANCE_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:container-instance/${NAMES.cluster}/5e1c2b3a4d5f46e7a8b9c0d1e2f3a4b5`;

export interface MockTask {
  readonly id: string;
  lastStatus: 'PROVISIONING' | 'PENDING' | 'RUNNING' | 'STOPPED';
  desiredStatus: 'RUNNING' | 'STOPPED';
  createdAt: string;
  pullStartedAt?: string;
  pullStoppedAt?: string;
  startedAt?: string;
  stoppedAt?: string;
  stopCode?: 'EssentialContainerExited' | 'TaskFailedToStart' | 'ServiceSchedulerInitiated';
  stoppedReason?: string;
  exitCode?: number;
}

export interface MockHost {
  readonly id: string;
  ec2State: 'pending' | 'running' | 'shutting-down' | 'terminated';
  launchTime: string;
  ipv4?: string;
  /** When its ECS agent registered; undefined before it did. */
  registeredAt?: string;
}

type Operation =
  | 'DescribeAutoScalingGroups'
  | 'SetDesiredCapacity'
  | 'GetParameter'
  | 'PutParameter'
  | 'DeleteParameter'
  | 'DescribeInstances'
  | 'ListContainerInstances'
  | 'DescribeContainerInstances'
  | 'ListTasks'
  | 'DescribeTasks';

export class MockGame {
  /** Undefined: the group does not exist. */
  group: { desired: number; instances: { id: string; state: string }[] } | undefined = { desired: 0, instances: [] };
  readonly parameters = new Map<string, string>();
  hosts: MockHost[] = [];
  tasks: MockTask[] = [];
  /** Capacity set, in order. */
  readonly desiredSet: number[] = [];
  /** Runs after each SetDesiredCapacity (a test's AWS reacting). */
  onScale?: (desired: number) => void;
  private readonly failures = new Map<Operation, { error: Error; times: number }>();

  constructor(readonly mocks: AwsMocks = mockAwsClients()) {}

  /** The call fails `times` times (default always) with `error`. */
  failWith(operation: Operation, error: Error, times = Number.POSITIVE_INFINITY): void {
    this.failures.set(operation, { error, times });
  }

  state(): Record<string, unknown> | undefined {
    const raw = this.parameters.get(NAMES.state);
    return raw === undefined ? undefined : (JSON.parse(raw) as Record<string, unknown>);
  }

  private trip(operation: Operation): void {
    const failure = this.failures.get(operation);
    if (!failure || failure.times <= 0) return;
    failure.times -= 1;
    throw failure.error;
  }

  install(): void {
    resetMocks(this.mocks);
    const { autoScaling, ssm, ec2, ecs } = this.mocks;
    autoScaling.on(DescribeAutoScalingGroupsCommand).callsFake((input: { AutoScalingGroupNames?: string[] }) => {
      this.trip('DescribeAutoScalingGroups');
      if (!this.group) return { $metadata: {}, AutoScalingGroups: [] };
      // Every game asked about has this group (a configuration with several games reads the same one).
      return groupDescription(input.AutoScalingGroupNames?.[0] ?? NAMES.asg, this.group.desired, this.group.instances);
    });
    autoScaling.on(SetDesiredCapacityCommand).callsFake((input: { DesiredCapacity: number }) => {
      this.trip('SetDesiredCapacity');
      if (!this.group) throw awsError('ValidationError', `AutoScalingGroup name not found - AutoScalingGroup '${NAMES.asg}' not found`);
      this.group.desired = input.DesiredCapacity;
      this.desiredSet.push(input.DesiredCapacity);
      this.onScale?.(input.DesiredCapacity);
      return {};
    });
    ssm.on(GetParameterCommand).callsFake((input: { Name: string }) => {
      this.trip('GetParameter');
      const value = this.parameters.get(input.Name);
      if (value === undefined) throw awsError('ParameterNotFound', '');
      return {
        Parameter: {
          Name: input.Name,
          Type: 'String',
          Value: value,
          Version: 1,
          LastModifiedDate: new Date('2026-11-30T09:00:00Z'),
          ARN: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${input.Name}`,
          DataType: 'text',
        },
      };
    });
    ssm.on(PutParameterCommand).callsFake((input: { Name: string; Value: string; Overwrite?: boolean }) => {
      this.trip('PutParameter');
      if (input.Overwrite === false && this.parameters.has(input.Name)) throw awsError('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
      this.parameters.set(input.Name, input.Value);
      return { Version: 1, Tier: 'Standard' };
    });
    ssm.on(DeleteParameterCommand).callsFake((input: { Name: string }) => {
      this.trip('DeleteParameter');
      if (!this.parameters.delete(input.Name)) throw awsError('ParameterNotFound', '');
      return {};
    });
    ec2.on(DescribeInstancesCommand).callsFake((input: { InstanceIds: string[] }) => {
      this.trip('DescribeInstances');
      const found = this.hosts.filter((h) => input.InstanceIds.includes(h.id));
      if (found.length < input.InstanceIds.length) throw awsError('InvalidInstanceID.NotFound', `The instance ID '${input.InstanceIds.join(', ')}' does not exist`);
      const codes = { pending: 0, running: 16, 'shutting-down': 32, terminated: 48 } as const;
      const instances: Instance[] = found.map((h) => ({
        InstanceId: h.id,
        InstanceType: 't4g.medium',
        LaunchTime: new Date(h.launchTime),
        State: { Code: codes[h.ec2State], Name: h.ec2State },
        Placement: { AvailabilityZone: `${REGION}a` },
        ...(h.ipv4 ? { PublicIpAddress: h.ipv4, PublicDnsName: `ec2-${h.ipv4.replace(/\./g, '-')}.${REGION}.compute.amazonaws.com` } : {}),
      }));
      return { Reservations: [{ ReservationId: 'r-0fedcba9876543210', OwnerId: ACCOUNT, Instances: instances }] };
    });
    ecs.on(ListContainerInstancesCommand).callsFake((input: { filter?: string }) => {
      this.trip('ListContainerInstances');
      const id = input.filter?.match(/ec2InstanceId\s*==\s*(i-[0-9a-f]+)/)?.[1];
      const registered = this.hosts.filter((h) => h.registeredAt !== undefined && (!id || h.id === id));
      return { containerInstanceArns: registered.map(() => CONTAINER_INSTANCE_ARN) };
    });
    ecs.on(DescribeContainerInstancesCommand).callsFake(() => {
      this.trip('DescribeContainerInstances');
      const host = this.hosts.find((h) => h.registeredAt !== undefined);
      return {
        containerInstances: host
          ? [{ containerInstanceArn: CONTAINER_INSTANCE_ARN, ec2InstanceId: host.id, status: 'ACTIVE', agentConnected: true, registeredAt: new Date(host.registeredAt as string) }]
          : [],
        failures: [],
      };
    });
    ecs.on(ListTasksCommand).callsFake((input: { desiredStatus?: string }) => {
      this.trip('ListTasks');
      const desired = input.desiredStatus ?? 'RUNNING';
      return { taskArns: this.tasks.filter((t) => t.desiredStatus === desired).map((t) => taskArn(t.id)) };
    });
    ecs.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => {
      this.trip('DescribeTasks');
      return { tasks: this.tasks.filter((t) => input.tasks.includes(taskArn(t.id))).map(sdkTask), failures: [] };
    });
  }
}

export function taskArn(id: string): string {
  return `arn:aws:ecs:${REGION}:${ACCOUNT}:task/${NAMES.cluster}/${id}`;
}

function sdkTask(t: MockTask): Task {
  const date = (iso: string | undefined) => (iso === undefined ? undefined : new Date(iso));
  return {
    taskArn: taskArn(t.id),
    clusterArn: CLUSTER_ARN,
    taskDefinitionArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/gm-mc:3`,
    containerInstanceArn: CONTAINER_INSTANCE_ARN,
    group: `service:${NAMES.service}`,
    launchType: 'EC2',
    lastStatus: t.lastStatus,
    desiredStatus: t.desiredStatus,
    createdAt: date(t.createdAt),
    pullStartedAt: date(t.pullStartedAt),
    pullStoppedAt: date(t.pullStoppedAt),
    startedAt: date(t.startedAt),
    stoppedAt: date(t.stoppedAt),
    ...(t.stopCode ? { stopCode: t.stopCode } : {}),
    ...(t.stoppedReason ? { stoppedReason: t.stoppedReason } : {}),
    containers: [{ name: 'game', lastStatus: t.lastStatus, ...(t.exitCode !== undefined ? { exitCode: t.exitCode } : {}) }],
  };
}

/** The credential provider failing, as the SDK throws it before any request. */
export function noCredentials(): Error {
  return Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
}

/** Access denied as IAM words it for the operator's user. */
export function accessDenied(action: string, resource: string): Error {
  return awsError('AccessDeniedException', `User: arn:aws:iam::${ACCOUNT}:user/ana is not authorized to perform: ${action} on resource: ${resource}`);
}
