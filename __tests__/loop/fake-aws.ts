/**
 * A small AWS kept in memory, for running the control loop's real handlers
 * against each other: one Auto Scaling group with lifecycle hooks, its EC2
 * instances, one ECS service with a task family, the zone's Route53 records,
 * SSM parameters, EventBridge rules and the SNS messages published.
 *
 * It is wired with aws-sdk-client-mock, so every command any handler sends
 * reads or changes this state. Scaling behaves like Auto Scaling with a
 * launch and a terminate hook: an instance waits in `Pending:Wait` or
 * `Terminating:Wait` until its lifecycle action is completed, and the
 * lifecycle event is queued for the test to deliver to the instance hook (as
 * EventBridge would). The game container starts and stops as soon as the
 * service's desired count changes. Every change is written to `journal`, so
 * tests can assert what happened and in which order.
 */
import {
  AutoScalingClient,
  CompleteLifecycleActionCommand,
  DescribeAutoScalingGroupsCommand,
  SetDesiredCapacityCommand,
  type AutoScalingGroup,
  type LifecycleState,
} from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  UpdateServiceCommand,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs';
import { DescribeRuleCommand, DisableRuleCommand, EnableRuleCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ChangeResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';

export interface FakeAwsSetup {
  readonly region: string;
  readonly account: string;
  /** Returns the current (simulated) time in ms; launch times and event times come from it. */
  readonly now: () => number;
  readonly group: { readonly name: string; readonly launchHookName: string; readonly terminateHookName: string };
  /** Public IPv4 every launched instance gets. */
  readonly instanceIpv4: string;
  readonly service: {
    readonly cluster: string;
    readonly name: string;
    readonly taskFamily: string;
    /** Registered revisions of the family, oldest first. */
    readonly revisions: readonly { readonly revision: number; readonly status: 'ACTIVE' | 'INACTIVE' }[];
    /** Revision the service was created with (it starts at desired count 0). */
    readonly initialRevision: number;
  };
  readonly hostedZoneId: string;
  readonly records: readonly { readonly name: string; readonly type: string; readonly ttl: number; readonly values: readonly string[] }[];
  readonly parameters: Readonly<Record<string, string>>;
  readonly rules: Readonly<Record<string, 'ENABLED' | 'DISABLED'>>;
  readonly topicArns: readonly string[];
}

export interface FakeInstance {
  readonly instanceId: string;
  lifecycleState: LifecycleState;
  readonly launchTime: Date;
  /** The lifecycle action the instance waits on, when it is in a `*:Wait` state. */
  pendingToken?: string;
}

export interface FakeTask {
  readonly taskArn: string;
  readonly taskDefinitionArn: string;
  lastStatus: 'RUNNING' | 'STOPPED';
  desiredStatus: 'RUNNING' | 'STOPPED';
}

export interface RecordValue {
  readonly ttl: number;
  readonly values: readonly string[];
}

export interface PublishedMessage {
  readonly topicArn: string;
  readonly subject: string | undefined;
  readonly message: string;
}

/** An EventBridge event as Auto Scaling sends it for a lifecycle hook. */
export type LifecycleEvent = Readonly<Record<string, unknown>> & { readonly detail: Readonly<Record<string, string>> };

/** An error shaped like those the SDK throws for a service's error response. */
export function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

/** Record names compare case-insensitively, with or without the trailing dot. */
function recordKey(name: string, type: string): string {
  return `${name.toLowerCase().replace(/\.+$/, '')} ${type.toUpperCase()}`;
}

const ACTIVE_STATES: ReadonlySet<string> = new Set(['Pending', 'Pending:Wait', 'Pending:Proceed', 'InService']);

function mockAllClients() {
  return {
    autoScaling: mockClient(AutoScalingClient),
    ec2: mockClient(EC2Client),
    ecs: mockClient(ECSClient),
    eventBridge: mockClient(EventBridgeClient),
    route53: mockClient(Route53Client),
    sns: mockClient(SNSClient),
    ssm: mockClient(SSMClient),
  };
}

export class FakeAws {
  desiredCapacity = 0;
  readonly minSize = 0;
  readonly maxSize = 1;
  /** Instances of the group (terminated ones leave it). */
  readonly groupInstances = new Map<string, FakeInstance>();
  /** Every instance EC2 knows, including terminated ones. */
  readonly ec2Instances = new Map<string, { readonly launchTime: Date; terminated: boolean }>();
  serviceDesiredCount = 0;
  serviceTaskDefinitionArn: string;
  readonly tasks: FakeTask[] = [];
  readonly records = new Map<string, RecordValue>();
  readonly parameters = new Map<string, string>();
  readonly rules = new Map<string, 'ENABLED' | 'DISABLED'>();
  readonly published: PublishedMessage[] = [];
  /** Every change, in order, in words (e.g. "asg desired 0 -> 1"). */
  readonly journal: string[] = [];

  private readonly lifecycleEvents: LifecycleEvent[] = [];
  private readonly mocks: ReturnType<typeof mockAllClients> = mockAllClients();
  private instanceCounter = 0;
  private taskCounter = 0;
  private changeCounter = 0;

  constructor(private readonly setup: FakeAwsSetup) {
    this.serviceTaskDefinitionArn = this.taskDefinitionArn(setup.service.initialRevision);
    for (const r of setup.records) this.records.set(recordKey(r.name, r.type), { ttl: r.ttl, values: r.values });
    for (const [name, value] of Object.entries(setup.parameters)) this.parameters.set(name, value);
    for (const [name, state] of Object.entries(setup.rules)) this.rules.set(name, state);
    this.wire();
  }

  /** Puts the SDK clients back as they were. */
  restore(): void {
    for (const mock of Object.values(this.mocks)) mock.restore();
  }

  /** The lifecycle events emitted since the last call, oldest first (EventBridge would deliver them to the instance hook). */
  takeLifecycleEvents(): LifecycleEvent[] {
    return this.lifecycleEvents.splice(0, this.lifecycleEvents.length);
  }

  /** The journal entries written since `mark` (a previous `journal.length`). */
  journalSince(mark: number): string[] {
    return this.journal.slice(mark);
  }

  record(name: string, type: string): RecordValue | undefined {
    return this.records.get(recordKey(name, type));
  }

  get runningCount(): number {
    return this.tasks.filter((t) => t.lastStatus === 'RUNNING').length;
  }

  instanceStates(): Record<string, string> {
    return Object.fromEntries([...this.groupInstances.values()].map((i) => [i.instanceId, i.lifecycleState]));
  }

  taskDefinitionArn(revision: number): string {
    const { region, account, service } = this.setup;
    return `arn:aws:ecs:${region}:${account}:task-definition/${service.taskFamily}:${revision}`;
  }

  // ------------------------------------------------------------------ wiring

  private wire(): void {
    const { autoScaling, ec2, ecs, eventBridge, route53, sns, ssm } = this.mocks;
    // Defined first so the commands below take precedence: a command the loop
    // starts to send and the fake does not simulate fails loudly.
    for (const mock of Object.values(this.mocks)) {
      mock.rejects(awsError('UnsimulatedCommand', 'the fake AWS does not simulate this command; add it to __tests__/loop/fake-aws.ts'));
    }
    autoScaling.on(DescribeAutoScalingGroupsCommand).callsFake((input) => this.describeGroups(input.AutoScalingGroupNames ?? []));
    autoScaling.on(SetDesiredCapacityCommand).callsFake((input) => this.setDesiredCapacity(input.AutoScalingGroupName, input.DesiredCapacity));
    autoScaling.on(CompleteLifecycleActionCommand).callsFake((input) => this.completeLifecycleAction(input));
    ec2.on(DescribeInstancesCommand).callsFake((input) => this.describeInstances(input.InstanceIds ?? []));
    ecs.on(UpdateServiceCommand).callsFake((input) => this.updateService(input));
    ecs.on(DescribeServicesCommand).callsFake((input) => this.describeServices(input.cluster, input.services ?? []));
    ecs.on(ListTasksCommand).callsFake((input) => this.listTasks(input));
    ecs.on(DescribeTasksCommand).callsFake((input) => this.describeTasks(input.cluster, input.tasks ?? []));
    route53.on(ChangeResourceRecordSetsCommand).callsFake((input) => this.changeRecords(input));
    ssm.on(GetParameterCommand).callsFake((input) => this.getParameter(input.Name));
    ssm.on(PutParameterCommand).callsFake((input) => this.putParameter(input));
    eventBridge.on(EnableRuleCommand).callsFake((input) => this.setRule(input.Name, 'ENABLED'));
    eventBridge.on(DisableRuleCommand).callsFake((input) => this.setRule(input.Name, 'DISABLED'));
    eventBridge.on(DescribeRuleCommand).callsFake((input) => this.describeRule(input.Name));
    sns.on(PublishCommand).callsFake((input) => this.publish(input));
  }

  // ------------------------------------------------------------------ Auto Scaling

  private describeGroups(names: readonly string[]) {
    const group: AutoScalingGroup = {
      AutoScalingGroupName: this.setup.group.name,
      MinSize: this.minSize,
      MaxSize: this.maxSize,
      DesiredCapacity: this.desiredCapacity,
      DefaultCooldown: 300,
      AvailabilityZones: [`${this.setup.region}a`],
      HealthCheckType: 'EC2',
      CreatedTime: new Date('2025-01-01T00:00:00Z'),
      Instances: [...this.groupInstances.values()].map((i) => ({
        InstanceId: i.instanceId,
        LifecycleState: i.lifecycleState,
        HealthStatus: 'Healthy',
        AvailabilityZone: `${this.setup.region}a`,
        ProtectedFromScaleIn: false,
      })),
    };
    // Auto Scaling answers unknown names with an empty list, not an error.
    return { AutoScalingGroups: names.includes(this.setup.group.name) ? [group] : [] };
  }

  private requireGroup(name: string | undefined): void {
    if (name !== this.setup.group.name) throw awsError('ValidationError', `AutoScalingGroup name not found - ${String(name)}`);
  }

  private setDesiredCapacity(groupName: string | undefined, desired: number | undefined) {
    this.requireGroup(groupName);
    if (desired === undefined || desired < this.minSize || desired > this.maxSize) {
      throw awsError('ValidationError', `New SetDesiredCapacity value ${String(desired)} is outside the bounds ${this.minSize}..${this.maxSize}`);
    }
    if (desired !== this.desiredCapacity) this.journal.push(`asg desired ${this.desiredCapacity} -> ${desired}`);
    this.desiredCapacity = desired;
    this.reconcileGroup();
    return {};
  }

  /** Launches or terminates instances until the instances not leaving the group match the desired capacity, as Auto Scaling does. */
  private reconcileGroup(): void {
    const active = [...this.groupInstances.values()].filter((i) => ACTIVE_STATES.has(i.lifecycleState));
    for (let n = active.length; n < this.desiredCapacity; n++) this.launchInstance();
    for (const instance of active.slice(this.desiredCapacity)) {
      this.moveInstance(instance, 'Terminating:Wait');
      instance.pendingToken = this.emitLifecycleEvent(instance.instanceId, 'terminate');
    }
  }

  private launchInstance(): void {
    const instanceId = `i-0a${String(++this.instanceCounter).padStart(15, '0')}`;
    const launchTime = new Date(this.setup.now());
    const instance: FakeInstance = { instanceId, lifecycleState: 'Pending:Wait', launchTime };
    this.groupInstances.set(instanceId, instance);
    this.ec2Instances.set(instanceId, { launchTime, terminated: false });
    this.journal.push(`asg launch ${instanceId} (Pending:Wait)`);
    instance.pendingToken = this.emitLifecycleEvent(instanceId, 'launch');
  }

  private moveInstance(instance: FakeInstance, to: LifecycleState): void {
    this.journal.push(`asg ${instance.instanceId} ${instance.lifecycleState} -> ${to}`);
    instance.lifecycleState = to;
  }

  private emitLifecycleEvent(instanceId: string, transition: 'launch' | 'terminate'): string {
    const { region, account, group } = this.setup;
    const launch = transition === 'launch';
    const token = `token-${instanceId}-${transition}`;
    this.lifecycleEvents.push({
      version: '0',
      id: `event-${instanceId}-${transition}`,
      'detail-type': launch ? 'EC2 Instance-launch Lifecycle Action' : 'EC2 Instance-terminate Lifecycle Action',
      source: 'aws.autoscaling',
      account,
      time: new Date(this.setup.now()).toISOString(),
      region,
      resources: [`arn:aws:autoscaling:${region}:${account}:autoScalingGroup:uuid:autoScalingGroupName/${group.name}`],
      detail: {
        LifecycleActionToken: token,
        AutoScalingGroupName: group.name,
        LifecycleHookName: launch ? group.launchHookName : group.terminateHookName,
        EC2InstanceId: instanceId,
        LifecycleTransition: launch ? 'autoscaling:EC2_INSTANCE_LAUNCHING' : 'autoscaling:EC2_INSTANCE_TERMINATING',
        Origin: launch ? 'EC2' : 'AutoScalingGroup',
        Destination: launch ? 'AutoScalingGroup' : 'EC2',
      },
    });
    return token;
  }

  private completeLifecycleAction(input: {
    AutoScalingGroupName?: string;
    LifecycleHookName?: string;
    LifecycleActionToken?: string;
    InstanceId?: string;
    LifecycleActionResult?: string;
  }) {
    this.requireGroup(input.AutoScalingGroupName);
    const instance = input.InstanceId ? this.groupInstances.get(input.InstanceId) : undefined;
    const hook = instance?.lifecycleState === 'Pending:Wait' ? this.setup.group.launchHookName : this.setup.group.terminateHookName;
    if (!instance?.pendingToken || instance.pendingToken !== input.LifecycleActionToken || input.LifecycleHookName !== hook) {
      throw awsError('ValidationError', `No active Lifecycle Action found with token ${String(input.LifecycleActionToken)}`);
    }
    if (input.LifecycleActionResult !== 'CONTINUE') {
      throw awsError('ValidationError', `the fake only simulates LifecycleActionResult CONTINUE, got ${String(input.LifecycleActionResult)}`);
    }
    delete instance.pendingToken;
    if (instance.lifecycleState === 'Pending:Wait') {
      this.moveInstance(instance, 'InService');
    } else {
      this.moveInstance(instance, 'Terminated');
      this.groupInstances.delete(instance.instanceId);
      const ec2 = this.ec2Instances.get(instance.instanceId);
      if (ec2) ec2.terminated = true;
    }
    return {};
  }

  // ------------------------------------------------------------------ EC2

  private describeInstances(ids: readonly string[]) {
    const unknown = ids.filter((id) => !this.ec2Instances.has(id));
    if (unknown.length > 0) throw awsError('InvalidInstanceID.NotFound', `The instance IDs '${unknown.join(', ')}' do not exist`);
    return {
      Reservations: [
        {
          Instances: ids.map((id) => {
            const instance = this.ec2Instances.get(id) as { launchTime: Date; terminated: boolean };
            return {
              InstanceId: id,
              LaunchTime: instance.launchTime,
              State: { Name: instance.terminated ? ('terminated' as const) : ('running' as const) },
              ...(instance.terminated ? {} : { PublicIpAddress: this.setup.instanceIpv4 }),
            };
          }),
        },
      ],
    };
  }

  // ------------------------------------------------------------------ ECS

  private requireService(cluster: string | undefined, service?: string): void {
    if (cluster !== this.setup.service.cluster) throw awsError('ClusterNotFoundException', `Cluster not found: ${String(cluster)}`);
    if (service !== undefined && service !== this.setup.service.name) throw awsError('ServiceNotFoundException', `Service not found: ${service}`);
  }

  /** A family name selects its newest ACTIVE revision; `family:revision` selects that one. */
  private resolveTaskDefinition(reference: string): string {
    const { taskFamily, revisions } = this.setup.service;
    const [family, revisionText] = reference.replace(/^arn:.*:task-definition\//, '').split(':');
    const candidates = revisions.filter((r) => r.status === 'ACTIVE' && (revisionText === undefined || String(r.revision) === revisionText));
    const chosen = candidates.at(-1);
    if (family !== taskFamily || !chosen) throw awsError('ClientException', `TaskDefinition not found: ${reference}`);
    return this.taskDefinitionArn(chosen.revision);
  }

  private updateService(input: { cluster?: string; service?: string; taskDefinition?: string; desiredCount?: number }) {
    this.requireService(input.cluster, input.service);
    if (input.taskDefinition !== undefined) {
      const arn = this.resolveTaskDefinition(input.taskDefinition);
      if (arn !== this.serviceTaskDefinitionArn) this.journal.push(`ecs service on ${arn.split('/').at(-1)}`);
      this.serviceTaskDefinitionArn = arn;
    }
    if (input.desiredCount !== undefined) {
      if (input.desiredCount !== this.serviceDesiredCount) this.journal.push(`ecs desired ${this.serviceDesiredCount} -> ${input.desiredCount}`);
      this.serviceDesiredCount = input.desiredCount;
    }
    this.reconcileService();
    return { service: this.serviceDescription() };
  }

  /** The container starts and stops at once: tasks of another revision or beyond the desired count stop, missing ones start. */
  private reconcileService(): void {
    let running = this.tasks.filter((t) => t.lastStatus === 'RUNNING');
    for (const task of running) {
      if (task.taskDefinitionArn !== this.serviceTaskDefinitionArn) this.stopTask(task);
    }
    running = this.tasks.filter((t) => t.lastStatus === 'RUNNING');
    for (const task of running.slice(this.serviceDesiredCount)) this.stopTask(task);
    for (let n = Math.min(running.length, this.serviceDesiredCount); n < this.serviceDesiredCount; n++) {
      const { region, account, service } = this.setup;
      const task: FakeTask = {
        taskArn: `arn:aws:ecs:${region}:${account}:task/${service.cluster}/task${++this.taskCounter}`,
        taskDefinitionArn: this.serviceTaskDefinitionArn,
        lastStatus: 'RUNNING',
        desiredStatus: 'RUNNING',
      };
      this.tasks.push(task);
      this.journal.push(`ecs task${this.taskCounter} RUNNING (${task.taskDefinitionArn.split('/').at(-1)})`);
    }
  }

  private stopTask(task: FakeTask): void {
    task.desiredStatus = 'STOPPED';
    task.lastStatus = 'STOPPED';
    this.journal.push(`ecs ${task.taskArn.split('/').at(-1)} STOPPED`);
  }

  private serviceDescription(): Service {
    const { region, account, service } = this.setup;
    return {
      serviceName: service.name,
      serviceArn: `arn:aws:ecs:${region}:${account}:service/${service.cluster}/${service.name}`,
      status: 'ACTIVE',
      desiredCount: this.serviceDesiredCount,
      runningCount: this.runningCount,
      pendingCount: 0,
      taskDefinition: this.serviceTaskDefinitionArn,
    };
  }

  private describeServices(cluster: string | undefined, names: readonly string[]) {
    this.requireService(cluster);
    const known = names.filter((n) => n === this.setup.service.name);
    return {
      services: known.map(() => this.serviceDescription()),
      failures: names.filter((n) => !known.includes(n)).map((n) => ({ arn: n, reason: 'MISSING' })),
    };
  }

  private listTasks(input: { cluster?: string; serviceName?: string; desiredStatus?: string }) {
    this.requireService(input.cluster, input.serviceName);
    const desired = input.desiredStatus ?? 'RUNNING';
    return { taskArns: this.tasks.filter((t) => t.desiredStatus === desired).map((t) => t.taskArn) };
  }

  private describeTasks(cluster: string | undefined, arns: readonly string[]) {
    this.requireService(cluster);
    const tasks: Task[] = this.tasks
      .filter((t) => arns.includes(t.taskArn))
      .map((t) => ({ taskArn: t.taskArn, taskDefinitionArn: t.taskDefinitionArn, lastStatus: t.lastStatus, desiredStatus: t.desiredStatus }));
    return { tasks, failures: arns.filter((a) => !tasks.some((t) => t.taskArn === a)).map((arn) => ({ arn, reason: 'MISSING' })) };
  }

  // ------------------------------------------------------------------ Route53

  private changeRecords(input: {
    HostedZoneId?: string;
    ChangeBatch?: { Changes?: { Action?: string; ResourceRecordSet?: { Name?: string; Type?: string; TTL?: number; ResourceRecords?: { Value?: string }[] } }[] };
  }) {
    if (input.HostedZoneId?.replace(/^\/hostedzone\//, '') !== this.setup.hostedZoneId) {
      throw awsError('NoSuchHostedZone', `No hosted zone found with ID: ${String(input.HostedZoneId)}`);
    }
    const changes = input.ChangeBatch?.Changes ?? [];
    if (changes.length === 0) throw awsError('InvalidChangeBatch', 'ChangeBatch has no changes');
    // Route53 applies a batch all or nothing: check every change before applying any.
    const applied = changes.map((change) => {
      const set = change.ResourceRecordSet;
      if (!set?.Name || !set.Type) throw awsError('InvalidInput', 'a change lacks ResourceRecordSet Name or Type');
      const key = recordKey(set.Name, set.Type);
      const exists = this.records.has(key);
      if (change.Action === 'CREATE' && exists) throw awsError('InvalidChangeBatch', `record ${key} already exists`);
      if (change.Action === 'DELETE' && !exists) throw awsError('InvalidChangeBatch', `record ${key} does not exist`);
      if (change.Action !== 'CREATE' && change.Action !== 'UPSERT' && change.Action !== 'DELETE') {
        throw awsError('InvalidInput', `unknown change action ${String(change.Action)}`);
      }
      const values = (set.ResourceRecords ?? []).map((r) => r.Value ?? '');
      return { action: change.Action, key, value: { ttl: set.TTL ?? 0, values } };
    });
    for (const { action, key, value } of applied) {
      if (action === 'DELETE') this.records.delete(key);
      else this.records.set(key, value);
      this.journal.push(`route53 ${action} ${key} ${value.values.join(',')}`);
    }
    return { ChangeInfo: { Id: `/change/C${++this.changeCounter}`, Status: 'PENDING' as const, SubmittedAt: new Date(this.setup.now()) } };
  }

  // ------------------------------------------------------------------ SSM

  private getParameter(name: string | undefined) {
    const value = name === undefined ? undefined : this.parameters.get(name);
    if (name === undefined || value === undefined) throw awsError('ParameterNotFound', `parameter ${String(name)} not found`);
    return { Parameter: { Name: name, Type: 'String' as const, Value: value, Version: 1 } };
  }

  private putParameter(input: { Name?: string; Value?: string; Overwrite?: boolean }) {
    if (!input.Name || input.Value === undefined) throw awsError('ValidationException', 'PutParameter needs Name and Value');
    if (this.parameters.has(input.Name) && !input.Overwrite) {
      throw awsError('ParameterAlreadyExists', `parameter ${input.Name} exists; set Overwrite to replace it`);
    }
    this.parameters.set(input.Name, input.Value);
    this.journal.push(`ssm put ${input.Name}`);
    return { Version: 2, Tier: 'Standard' as const };
  }

  // ------------------------------------------------------------------ EventBridge

  private setRule(name: string | undefined, state: 'ENABLED' | 'DISABLED') {
    if (name === undefined || !this.rules.has(name)) throw awsError('ResourceNotFoundException', `Rule ${String(name)} does not exist.`);
    if (this.rules.get(name) !== state) this.journal.push(`events ${name} ${state}`);
    this.rules.set(name, state);
    return {};
  }

  private describeRule(name: string | undefined) {
    const state = name === undefined ? undefined : this.rules.get(name);
    if (state === undefined) throw awsError('ResourceNotFoundException', `Rule ${String(name)} does not exist.`);
    return { Name: name, State: state, ScheduleExpression: 'rate(1 minute)' };
  }

  // ------------------------------------------------------------------ SNS

  private publish(input: { TopicArn?: string; Subject?: string; Message?: string }) {
    if (!input.TopicArn || !this.setup.topicArns.includes(input.TopicArn)) {
      throw awsError('NotFoundException', `Topic does not exist: ${String(input.TopicArn)}`);
    }
    if (input.Message === undefined) throw awsError('InvalidParameterException', 'Message is required');
    if (input.Subject !== undefined && (input.Subject.length > 100 || /[^\x20-\x7e]/.test(input.Subject))) {
      throw awsError('InvalidParameterException', `Subject must be at most 100 printable ASCII characters: ${input.Subject}`);
    }
    this.published.push({ topicArn: input.TopicArn, subject: input.Subject, message: input.Message });
    this.journal.push(`sns ${input.Subject ?? '(no subject)'}`);
    return { MessageId: `message-${this.published.length}` };
  }
}
