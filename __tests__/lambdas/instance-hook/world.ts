/**
 * A small simulation of the AWS a game lives in — its Auto Scaling group and
 * lifecycle actions, parameters, ECS service, container instances and tasks,
 * records, watchdog rule, notices — behind aws-sdk-client-mock, so the tests
 * can state END STATES (no lost stop, no double start, action completed)
 * rather than call lists. Faults can be injected on any call, and other
 * actors (a replacement launch, the waker) can act between calls.
 */
import {
  CompleteLifecycleActionCommand,
  DescribeAutoScalingGroupsCommand,
  SetDesiredCapacityCommand,
  UpdateAutoScalingGroupCommand,
  type InstancesDistribution,
  type LifecycleState,
} from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import {
  DescribeTasksCommand,
  ListContainerInstancesCommand,
  ListTasksCommand,
  UpdateContainerInstancesStateCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { DisableRuleCommand, EnableRuleCommand } from '@aws-sdk/client-eventbridge';
import { ChangeResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { PublishCommand } from '@aws-sdk/client-sns';
import { DeleteParameterCommand, GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { createHandler } from '../../../src/lambdas/instance-hook/handler';
import type { HookTiming } from '../../../src/lambdas/instance-hook/flows';
import type { RuntimeGame } from '../../../src/runtime/game';
import { awsError } from '../../support/aws-errors';
import { mockAwsClients, resetMocks } from '../../support/aws-mocks';
import { testClock, type TestClock } from '../../support/clock';
import { EVENT_TIME, lifecycleEvent } from '../../support/events';
import { functionEnvironment, GAME } from '../../support/game';
import { ParameterStore } from '../../support/parameter-store';

export const mocks = mockAwsClients();

interface SimInstance {
  id: string;
  state: string;
}

interface SimTask {
  arn: string;
  containerInstanceArn: string;
  desired: 'RUNNING' | 'STOPPED';
  stopAskedAt?: number;
  /** How long the game takes to save once asked to stop. */
  saveMs: number;
}

interface SimContainerInstance {
  arn: string;
  ec2InstanceId: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
}

export interface Call {
  readonly name: string;
  readonly index: number;
  readonly input: Record<string, unknown>;
}

const game = GAME;

export class World {
  readonly clock: TestClock;
  desired = 0;
  groupExists = true;
  instances: SimInstance[] = [];
  /** Lifecycle actions by token. */
  readonly actions = new Map<string, { instanceId: string; kind: 'launch' | 'terminate'; done: boolean }>();
  /** A spot group's instances distribution (undefined: not a mixed instances group). */
  distribution: InstancesDistribution | undefined;
  readonly params = new ParameterStore();
  rule: 'ENABLED' | 'DISABLED' = 'DISABLED';
  service = { desired: 0, taskDefinition: undefined as string | undefined };
  containerInstances: SimContainerInstance[] = [];
  tasks: SimTask[] = [];
  readonly ec2 = new Map<string, { ip?: string; ipv6?: string; launchTime?: Date }>();
  readonly records = new Map<string, string>();
  readonly published: { subject: string; message: string }[] = [];
  readonly calls: Call[] = [];
  /** Describes after a completed terminate action during which Auto Scaling still lists the instance as waiting. */
  listingLag = 0;
  private lagging: { id: string; left: number } | undefined;
  /** Throws this error instead of answering the call (the call has no effect). */
  fault: ((call: Call) => Error | undefined) | undefined;
  /** Runs before each call is answered: other actors act here. */
  before: ((call: Call) => Promise<void> | void) | undefined;
  /** Game save time for tasks placed from now on. */
  saveMs = 20_000;
  private taskSeq = 0;
  /** Desired capacities set, in order. */
  readonly setDesired: number[] = [];
  readonly asgUpdates: Record<string, unknown>[] = [];

  constructor(start?: string) {
    this.clock = testClock(start ?? EVENT_TIME);
  }

  // ------------------------------------------------------------ scenario helpers

  /** An instance in service with the game running on it (a session in progress). */
  running(id: string, options: { ip?: string; launchTime?: string } = {}): this {
    this.desired = 1;
    this.instances.push({ id, state: 'InService' });
    this.ec2.set(id, { ip: options.ip ?? '203.0.113.10', launchTime: new Date(options.launchTime ?? '2025-06-01T15:50:00Z') });
    this.registerAgent(id);
    this.service.desired = 1;
    this.service.taskDefinition = game.taskFamily;
    this.reconcile();
    this.rule = 'ENABLED';
    this.records.set('A', options.ip ?? '203.0.113.10');
    return this;
  }

  /** Auto Scaling launches an instance into Pending:Wait; returns its launch event. */
  launch(id: string, options: { ip?: string; time?: string } = {}): Record<string, unknown> {
    this.instances = this.instances.filter((i) => i.id !== id);
    this.instances.push({ id, state: 'Pending:Wait' });
    this.ec2.set(id, { ip: options.ip ?? '198.51.100.20', launchTime: new Date(this.clock.now()) });
    this.actions.set(`token-${id}-launch`, { instanceId: id, kind: 'launch', done: false });
    return lifecycleEvent({ transition: 'launch', instanceId: id, time: options.time ?? new Date(this.clock.now()).toISOString() });
  }

  /** Auto Scaling moves an instance to Terminating:Wait; returns its terminate event. */
  terminate(id: string, options: { desired?: number } = {}): Record<string, unknown> {
    if (options.desired !== undefined) this.desired = options.desired;
    const instance = this.instances.find((i) => i.id === id);
    if (instance) instance.state = 'Terminating:Wait';
    this.actions.set(`token-${id}-terminate`, { instanceId: id, kind: 'terminate', done: false });
    return lifecycleEvent({ transition: 'terminate', instanceId: id, time: new Date(this.clock.now()).toISOString() });
  }

  /** The ECS agent of the instance registers (its container instance becomes ACTIVE). */
  registerAgent(id: string): string {
    const arn = `arn:aws:ecs:eu-west-1:123456789012:container-instance/${game.clusterName}/ci-${id}`;
    if (!this.containerInstances.some((c) => c.arn === arn)) this.containerInstances.push({ arn, ec2InstanceId: id, status: 'ACTIVE' });
    this.reconcile();
    return arn;
  }

  setParam(name: string, value: unknown): void {
    this.params.set(name, value);
  }

  param<T = Record<string, unknown>>(name: string): T | undefined {
    return this.params.json<T>(name);
  }

  /** Tasks of the service that run (desired RUNNING) on the instance. */
  runningTasksOn(id: string): SimTask[] {
    return this.tasks.filter((t) => t.desired === 'RUNNING' && this.containerInstances.find((c) => c.arn === t.containerInstanceArn)?.ec2InstanceId === id);
  }

  /** The "stopped"/"starting"/… notices by subject. */
  subjects(): string[] {
    return this.published.map((p) => p.subject);
  }

  callsOf(name: string): Call[] {
    return this.calls.filter((c) => c.name === name);
  }

  private lastStatus(task: SimTask): string {
    if (task.desired === 'RUNNING') return 'RUNNING';
    return this.clock.now() >= (task.stopAskedAt ?? 0) + task.saveMs ? 'STOPPED' : 'STOPPING';
  }

  private stopTask(task: SimTask): void {
    if (task.desired === 'STOPPED') return;
    task.desired = 'STOPPED';
    task.stopAskedAt = this.clock.now();
  }

  /** What the ECS service scheduler does: tasks on draining instances stop; the service keeps its count on ACTIVE ones. */
  private reconcile(): void {
    for (const task of this.tasks) {
      const ci = this.containerInstances.find((c) => c.arn === task.containerInstanceArn);
      if (!ci || ci.status !== 'ACTIVE') this.stopTask(task);
    }
    let running = this.tasks.filter((t) => t.desired === 'RUNNING');
    while (running.length > this.service.desired) {
      this.stopTask(running[running.length - 1]!);
      running = this.tasks.filter((t) => t.desired === 'RUNNING');
    }
    if (running.length < this.service.desired) {
      const target = this.containerInstances.find((c) => c.status === 'ACTIVE');
      if (target) {
        this.tasks.push({ arn: `arn:aws:ecs:eu-west-1:123456789012:task/${game.clusterName}/t${++this.taskSeq}`, containerInstanceArn: target.arn, desired: 'RUNNING', saveMs: this.saveMs });
      }
    }
  }

  private groupInstances() {
    return this.instances.map((i) => {
      const state = this.lagging && this.lagging.id === i.id && this.lagging.left > 0 ? 'Terminating:Wait' : i.state;
      return { InstanceId: i.id, LifecycleState: state as LifecycleState, AvailabilityZone: 'eu-west-1b', HealthStatus: 'Healthy', ProtectedFromScaleIn: false };
    });
  }

  // ------------------------------------------------------------ the AWS answers

  private async call<T>(name: string, input: object, answer: () => T): Promise<T> {
    const call: Call = { name, index: this.calls.length, input: input as Record<string, unknown> };
    this.calls.push(call);
    await this.before?.(call);
    const error = this.fault?.(call);
    if (error) throw error;
    return answer();
  }

  install(): this {
    resetMocks(mocks);
    const { autoScaling, ec2, ecs, eventBridge, route53, sns, ssm } = mocks;

    autoScaling.on(DescribeAutoScalingGroupsCommand).callsFake((input) =>
      this.call('DescribeAutoScalingGroups', input, () => {
        const out = {
          AutoScalingGroups: this.groupExists
            ? [
                {
                  AutoScalingGroupName: game.asgName,
                  DesiredCapacity: this.desired,
                  MinSize: 0,
                  MaxSize: 1,
                  Instances: this.groupInstances(),
                  ...(this.distribution ? { MixedInstancesPolicy: { InstancesDistribution: { ...this.distribution } } } : {}),
                },
              ]
            : [],
        };
        if (this.lagging) this.lagging.left--;
        return out;
      }),
    );
    autoScaling.on(SetDesiredCapacityCommand).callsFake((input) =>
      this.call('SetDesiredCapacity', input, () => {
        this.desired = input.DesiredCapacity ?? 0;
        this.setDesired.push(this.desired);
        return {};
      }),
    );
    autoScaling.on(UpdateAutoScalingGroupCommand).callsFake((input) =>
      this.call('UpdateAutoScalingGroup', input, () => {
        this.asgUpdates.push(input as Record<string, unknown>);
        const next = input.MixedInstancesPolicy?.InstancesDistribution;
        if (next && this.distribution) this.distribution = { ...this.distribution, ...next };
        return {};
      }),
    );
    autoScaling.on(CompleteLifecycleActionCommand).callsFake((input) =>
      this.call('CompleteLifecycleAction', input, () => {
        const action = this.actions.get(input.LifecycleActionToken ?? '');
        if (!this.groupExists) throw awsError('ValidationError', `AutoScalingGroup name not found - AutoScalingGroup '${game.asgName}' not found`);
        if (!action || action.done) throw awsError('ValidationError', `No active Lifecycle Action found with instance ID ${input.InstanceId}`);
        action.done = true;
        const instance = this.instances.find((i) => i.id === action.instanceId);
        if (instance) instance.state = action.kind === 'launch' ? 'InService' : 'Terminating:Proceed';
        if (action.kind === 'terminate' && this.listingLag > 0) this.lagging = { id: action.instanceId, left: this.listingLag };
        return {};
      }),
    );

    ec2.on(DescribeInstancesCommand).callsFake((input) =>
      this.call('DescribeInstances', input, () => {
        const id = input.InstanceIds?.[0] ?? '';
        const facts = this.ec2.get(id);
        if (!facts) throw awsError('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
        return {
          Reservations: [
            {
              Instances: [
                {
                  InstanceId: id,
                  PublicIpAddress: facts.ip,
                  LaunchTime: facts.launchTime,
                  NetworkInterfaces: facts.ipv6 ? [{ Ipv6Addresses: [{ Ipv6Address: facts.ipv6, IsPrimaryIpv6: true }] }] : [],
                },
              ],
            },
          ],
        };
      }),
    );

    ecs.on(UpdateServiceCommand).callsFake((input) =>
      this.call('UpdateService', input, () => {
        this.service.desired = input.desiredCount ?? this.service.desired;
        if (input.taskDefinition) this.service.taskDefinition = input.taskDefinition;
        this.reconcile();
        return {};
      }),
    );
    ecs.on(ListContainerInstancesCommand).callsFake((input) =>
      this.call('ListContainerInstances', input, () => {
        const id = /ec2InstanceId == (\S+)/.exec(input.filter ?? '')?.[1];
        const arns = this.containerInstances
          .filter((c) => (id === undefined || c.ec2InstanceId === id) && (input.status ? c.status === input.status : c.status !== 'INACTIVE'))
          .map((c) => c.arn);
        return { containerInstanceArns: arns };
      }),
    );
    ecs.on(UpdateContainerInstancesStateCommand).callsFake((input) =>
      this.call('UpdateContainerInstancesState', input, () => {
        const failures: { arn: string; reason: string }[] = [];
        for (const arn of input.containerInstances ?? []) {
          const ci = this.containerInstances.find((c) => c.arn === arn);
          if (!ci) failures.push({ arn, reason: 'MISSING' });
          else ci.status = input.status === 'DRAINING' ? 'DRAINING' : 'ACTIVE';
        }
        this.reconcile();
        return { failures };
      }),
    );
    ecs.on(ListTasksCommand).callsFake((input) =>
      this.call('ListTasks', input, () => ({
        taskArns: this.tasks
          .filter((t) => (!input.containerInstance || t.containerInstanceArn === input.containerInstance) && (!input.desiredStatus || t.desired === input.desiredStatus))
          .map((t) => t.arn),
      })),
    );
    ecs.on(DescribeTasksCommand).callsFake((input) =>
      this.call('DescribeTasks', input, () => ({
        tasks: this.tasks.filter((t) => input.tasks?.includes(t.arn)).map((t) => ({ taskArn: t.arn, lastStatus: this.lastStatus(t) })),
      })),
    );

    eventBridge.on(EnableRuleCommand).callsFake((input) => this.call('EnableRule', input, () => ((this.rule = 'ENABLED'), {})));
    eventBridge.on(DisableRuleCommand).callsFake((input) => this.call('DisableRule', input, () => ((this.rule = 'DISABLED'), {})));

    route53.on(ChangeResourceRecordSetsCommand).callsFake((input) =>
      this.call('ChangeResourceRecordSets', input, () => {
        for (const change of input.ChangeBatch?.Changes ?? []) {
          this.records.set(change.ResourceRecordSet?.Type ?? '?', change.ResourceRecordSet?.ResourceRecords?.[0]?.Value ?? '');
        }
        return { ChangeInfo: { Id: 'c1', Status: 'PENDING', SubmittedAt: new Date(0) } };
      }),
    );

    sns.on(PublishCommand).callsFake((input) =>
      this.call('Publish', input, () => {
        this.published.push({ subject: input.Subject ?? '', message: input.Message ?? '' });
        return { MessageId: `m${this.published.length}` };
      }),
    );

    ssm.on(GetParameterCommand).callsFake((input) => this.call('GetParameter', input, () => this.params.getParameter(input)));
    ssm.on(PutParameterCommand).callsFake((input) => this.call('PutParameter', input, () => this.params.putParameter(input)));
    ssm.on(DeleteParameterCommand).callsFake((input) => this.call('DeleteParameter', input, () => this.params.deleteParameter(input)));
    return this;
  }
}

/** The handler as deployed for `game` (with the environment the constructs write), on the world's clock. */
export function hookFor(world: World, target: RuntimeGame = game, timing: Partial<HookTiming> = {}) {
  return createHandler({ env: functionEnvironment('instance-hook', target), clock: world.clock, timing });
}
