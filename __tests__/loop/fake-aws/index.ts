/**
 * A small AWS kept in memory, for running the control loop's real handlers
 * against each other: per game an Auto Scaling group (lifecycle hooks, spot,
 * warm pool, launch failures) with its EC2 instances, an ECS cluster and
 * service with container instances and tasks; the zone's Route53 records,
 * SSM parameters (and Run Command for the `connections` probe), EventBridge
 * rules and the SNS messages published.
 *
 * It is wired with aws-sdk-client-mock, so every command any handler sends
 * reads or changes this state; a command it does not simulate fails loudly.
 * Events AWS would put on EventBridge (lifecycle actions, launch failures,
 * spot warnings, ECS task state changes) are queued for the test to deliver
 * (`takeEvents`), so it can also deliver them twice, late or out of order.
 * Any call can fail on demand (`faults`). Every change is written to
 * `journal`; broken invariants (two hosts holding one world, a game killed
 * before it saved) to `violations`.
 *
 * Time: the fake reads the test's clock (`now`); things that take time
 * (boot, image pull, the game saving, a spot reclaim, a hook timing out) are
 * timers run lazily when a later command or `settle()` finds them due. All
 * durations default to 0 (at once) except the launch retry (60 s), the spot
 * notice (120 s) and the hook heartbeat (360 s).
 */
import {
  CompleteLifecycleActionCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeWarmPoolCommand,
  RecordLifecycleActionHeartbeatCommand,
  SetDesiredCapacityCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import {
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListContainerInstancesCommand,
  ListTasksCommand,
  StopTaskCommand,
  UpdateContainerInstancesStateCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { DescribeRuleCommand, DisableRuleCommand, EnableRuleCommand } from '@aws-sdk/client-eventbridge';
import { ChangeResourceRecordSetsCommand, ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { PublishCommand } from '@aws-sdk/client-sns';
import {
  DeleteParameterCommand,
  GetCommandInvocationCommand,
  GetParameterCommand,
  GetParametersCommand,
  PutParameterCommand,
  SendCommandCommand,
} from '@aws-sdk/client-ssm';
import type { AwsStub } from 'aws-sdk-client-mock';
import { Compute, type ComputeTiming, type FakeGroup, type FakeGroupSetup } from './compute';
import { Ecs, type EcsTiming, type FakeServiceSetup, type FakeTask } from './ecs';
import { Faults } from './faults';
import { Route53, Rules, Sns, Ssm, type PublishedMessage, type RecordValue } from './services';
import { awsError } from '../../support/aws-errors';
import { mockAwsClients, type ServiceName } from '../../support/aws-mocks';
import { World, type EmittedEvent } from './world';

export { awsError } from '../../support/aws-errors';
export type { EmittedEvent } from './world';
export { faultError, type AwsCall, type FaultKind, type FaultRule } from './faults';
export type { ServiceName } from '../../support/aws-mocks';
export type { FakeEc2Instance, FakeGroup, FakeGroupInstance, FakeGroupSetup } from './compute';
export type { FakeContainerInstance, FakeService, FakeServiceSetup, FakeTask } from './ecs';
export type { PublishedMessage, RecordValue } from './services';

export type FakeTiming = ComputeTiming & EcsTiming;

export const DEFAULT_TIMING: FakeTiming = {
  bootSeconds: 0,
  agentSeconds: 0,
  taskStartSeconds: 0,
  taskStopSeconds: 0,
  launchRetrySeconds: 60,
  spotNoticeSeconds: 120,
};

export interface FakeGameSetup {
  readonly id: string;
  readonly group: FakeGroupSetup;
  readonly cluster: string;
  readonly service: FakeServiceSetup;
  /** SSM document of the `connections` probe (answered with `players`). */
  readonly connectionsDocumentName?: string;
  /** Instances get an IPv6 address too. */
  readonly ipv6?: boolean;
  readonly timing?: Partial<FakeTiming>;
}

export interface FakeAwsSetup {
  readonly region: string;
  readonly account: string;
  /** Returns the current (simulated) time in ms. */
  readonly now: () => number;
  readonly games: readonly FakeGameSetup[];
  /** Public IPv4 of the n-th instance launched (default 198.51.100.n); a string gives every instance that address. */
  readonly instanceIpv4?: string | ((n: number, gameId: string) => string);
  readonly hostedZoneId: string;
  readonly records: readonly { readonly name: string; readonly type: string; readonly ttl: number; readonly values: readonly string[] }[];
  readonly parameters: Readonly<Record<string, string>>;
  readonly rules: Readonly<Record<string, 'ENABLED' | 'DISABLED'>>;
  readonly topicArns: readonly string[];
}

const isLifecycleEvent = (e: EmittedEvent) => e.source === 'aws.autoscaling' && e['detail-type'].endsWith('Lifecycle Action');

export class FakeAws {
  readonly world: World;
  readonly compute: Compute;
  readonly ecs: Ecs;
  readonly ssm: Ssm;
  readonly route53: Route53;
  readonly eventRules: Rules;
  readonly sns: Sns;
  readonly faults = new Faults();
  /** Players the `connections` probe counts on a game's instance (the test sets it; default `setPlayers`). */
  playersOn: (gameId: string, instanceId: string) => number = (gameId) => this.playerCounts.get(gameId) ?? 0;
  private readonly playerCounts = new Map<string, number>();
  private readonly games: ReadonlyMap<string, FakeGameSetup>;
  private readonly mocks = mockAwsClients();
  /** The simulated commands of each client, by command class (see `wire`). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one map for every client's stub
  private readonly handlers = new Map<AwsStub<any, any, any>, Map<unknown, (input: object) => Promise<unknown>>>();
  private readonly conflicts = new Map<string, string>();

  constructor(private readonly setup: FakeAwsSetup) {
    if (setup.games.length === 0) throw new Error('FakeAws needs at least one game');
    this.games = new Map(setup.games.map((g) => [g.id, g]));
    this.world = new World(setup.region, setup.account, setup.now);
    const timing = (gameId: string): FakeTiming => ({ ...DEFAULT_TIMING, ...this.games.get(gameId)?.timing });
    this.ecs = new Ecs(this.world, timing, { ec2Running: (id) => this.compute.instances.get(id)?.state === 'running' });
    this.compute = new Compute(this.world, timing, (n, gameId) => this.addresses(n, gameId), {
      agentUp: (gameId, id) => this.ecs.agentUp(gameId, id),
      hostDown: (gameId, id, how, reason) => this.ecs.hostDown(gameId, id, how, reason),
    });
    this.ssm = new Ssm(this.world, {
      gameOfDocument: (name) => setup.games.find((g) => g.connectionsDocumentName === name)?.id,
      ssmOnline: (id) => this.compute.instances.get(id)?.state === 'running',
      listening: (gameId, id) => this.ecs.tasks.some((t) => t.gameId === gameId && t.ec2InstanceId === id && t.lastStatus === 'RUNNING'),
      players: (gameId, id) => this.playersOn(gameId, id),
    });
    this.route53 = new Route53(this.world, setup.hostedZoneId);
    this.eventRules = new Rules(this.world);
    this.sns = new Sns(this.world, setup.topicArns);
    for (const game of setup.games) {
      this.compute.addGroup(game.id, game.group);
      this.ecs.addService(game.id, game.cluster, game.service);
    }
    for (const r of setup.records) this.route53.set(r.name, r.type, { ttl: r.ttl, values: r.values });
    for (const [name, value] of Object.entries(setup.parameters)) this.ssm.parameters.set(name, value);
    for (const [name, state] of Object.entries(setup.rules)) this.eventRules.states.set(name, state);
    this.world.afterChange = () => this.checkInvariants();
    this.wire();
  }

  /** Puts the SDK clients back as they were. */
  restore(): void {
    for (const mock of Object.values(this.mocks)) mock.restore();
  }

  /** Runs what has become due by the clock's time (boots, saves, reclaims, hook timeouts). */
  settle(): void {
    this.world.settle();
    this.checkInvariants();
  }

  // ------------------------------------------------------------------ reading the state

  get journal(): readonly string[] {
    return this.world.journal;
  }

  /** The journal entries written since `mark` (a previous `journal.length`). */
  journalSince(mark: number): string[] {
    return this.world.journal.slice(mark);
  }

  get violations(): readonly string[] {
    return this.world.violations;
  }

  get published(): readonly PublishedMessage[] {
    return this.sns.published;
  }

  get calls() {
    return this.faults.calls;
  }

  /** Rule name → state. */
  get rules(): ReadonlyMap<string, 'ENABLED' | 'DISABLED'> {
    return this.eventRules.states;
  }

  parameter(name: string): string | undefined {
    return this.ssm.value(name);
  }

  record(name: string, type: string): RecordValue | undefined {
    return this.route53.get(name, type);
  }

  group(gameId = this.defaultGame()): FakeGroup {
    const game = this.game(gameId);
    return this.compute.group(game.group.name);
  }

  /** Lifecycle state of each instance of the game's group (warm-pool instances not included). */
  instanceStates(gameId = this.defaultGame()): Record<string, string> {
    return Object.fromEntries([...this.group(gameId).instances.values()].map((i) => [i.instanceId, i.lifecycleState]));
  }

  warmPoolStates(gameId = this.defaultGame()): Record<string, string> {
    return Object.fromEntries([...this.group(gameId).warmPool.values()].map((i) => [i.instanceId, i.lifecycleState]));
  }

  service(gameId = this.defaultGame()) {
    return this.ecs.serviceOf(gameId);
  }

  tasks(gameId = this.defaultGame()): readonly FakeTask[] {
    return this.ecs.tasks.filter((t) => t.gameId === gameId);
  }

  /** Tasks whose game container runs (RUNNING, including one that is saving before it stops). */
  runningTasks(gameId = this.defaultGame()): readonly FakeTask[] {
    return this.tasks(gameId).filter((t) => t.lastStatus === 'RUNNING');
  }

  taskDefinitionArn(revision: number, gameId = this.defaultGame()): string {
    return this.ecs.taskDefinitionArn(this.game(gameId).service.taskFamily, revision);
  }

  /** EC2 instances ever launched for the game, with the periods they ran (for uptime and cost). */
  ec2Instances(gameId = this.defaultGame()) {
    return [...this.compute.instances.values()].filter((i) => i.gameId === gameId);
  }

  // ------------------------------------------------------------------ events

  /** Events emitted since they were last taken, oldest first; `filter` leaves the others queued. */
  takeEvents(filter?: (event: EmittedEvent) => boolean): EmittedEvent[] {
    return this.world.takeEvents(filter);
  }

  /** Only the lifecycle-action events (what the game's lifecycle rule sends to the instance hook). */
  takeLifecycleEvents(): EmittedEvent[] {
    return this.world.takeEvents(isLifecycleEvent);
  }

  // ------------------------------------------------------------------ things that happen to the game

  setPlayers(gameId: string, players: number): void {
    this.playerCounts.set(gameId, players);
  }

  /** EC2 warns that it reclaims the spot instance in two minutes. */
  interruptSpot(instanceId: string): void {
    this.world.settle();
    this.compute.interruptSpot(instanceId);
  }

  /** The next `count` launches of the game's group fail (whatever the market). */
  failNextLaunches(gameId: string, count: number, message = 'The requested configuration is currently not supported. Launching EC2 instance failed.'): void {
    for (let i = 0; i < count; i++) this.group(gameId).failNextLaunches.push(message);
  }

  /** Spot capacity in the group's zone: while false, every spot launch fails (on-demand ones succeed). */
  setSpotCapacity(gameId: string, available: boolean): void {
    this.group(gameId).spotCapacity = available;
  }

  /** The game container exits with code 1 (the service starts it again). */
  crashTask(gameId = this.defaultGame()): void {
    this.world.settle();
    this.ecs.crashTask(gameId);
    this.checkInvariants();
  }

  // ------------------------------------------------------------------ internals

  private defaultGame(): string {
    return (this.setup.games[0] as FakeGameSetup).id;
  }

  private game(gameId: string): FakeGameSetup {
    const game = this.games.get(gameId);
    if (!game) throw new Error(`FakeAws has no game ${gameId}`);
    return game;
  }

  private addresses(n: number, gameId: string): { ipv4: string; ipv6?: string } {
    const ip = this.setup.instanceIpv4;
    const ipv4 = typeof ip === 'string' ? ip : ip ? ip(n, gameId) : `198.51.100.${n}`;
    return this.game(gameId).ipv6 ? { ipv4, ipv6: `2001:db8:100::${n.toString(16)}` } : { ipv4 };
  }

  /** One world, one host: never two instances with the game's task placed and not yet stopped. */
  private checkInvariants(): void {
    for (const gameId of this.games.keys()) {
      const hosts = [...new Set(this.ecs.holdingTasks(gameId).map((t) => t.ec2InstanceId))].sort();
      const key = hosts.length > 1 ? hosts.join(' ') : '';
      if (key && this.conflicts.get(gameId) !== key) this.world.violation(`game ${gameId}: two hosts hold the world at once: ${hosts.join(' and ')}`);
      this.conflicts.set(gameId, key);
    }
  }

  private wire(): void {
    const { autoScaling, ec2, ecs, eventBridge, route53, sns, ssm } = this.mocks;
    const c = this.compute;
    this.on('autoScaling', autoScaling, DescribeAutoScalingGroupsCommand, (i) => c.describeGroups(i.AutoScalingGroupNames ?? []));
    this.on('autoScaling', autoScaling, SetDesiredCapacityCommand, (i) => c.setDesiredCapacity(i.AutoScalingGroupName, i.DesiredCapacity));
    this.on('autoScaling', autoScaling, UpdateAutoScalingGroupCommand, (i) => c.updateGroup(i));
    this.on('autoScaling', autoScaling, CompleteLifecycleActionCommand, (i) => c.completeLifecycleAction(i));
    this.on('autoScaling', autoScaling, RecordLifecycleActionHeartbeatCommand, (i) => c.recordHeartbeat(i));
    this.on('autoScaling', autoScaling, DescribeWarmPoolCommand, (i) => c.describeWarmPool(i.AutoScalingGroupName));
    this.on('ec2', ec2, DescribeInstancesCommand, (i) => c.describeInstances(i.InstanceIds ?? []));
    const e = this.ecs;
    this.on('ecs', ecs, UpdateServiceCommand, (i) => e.updateService(i));
    this.on('ecs', ecs, DescribeServicesCommand, (i) => e.describeServices(i.cluster, i.services ?? []));
    this.on('ecs', ecs, ListTasksCommand, (i) => e.listTasks(i));
    this.on('ecs', ecs, DescribeTasksCommand, (i) => e.describeTasks(i.cluster, i.tasks ?? []));
    this.on('ecs', ecs, StopTaskCommand, (i) => e.stopTask(i));
    this.on('ecs', ecs, ListContainerInstancesCommand, (i) => e.listContainerInstances(i));
    this.on('ecs', ecs, DescribeContainerInstancesCommand, (i) => e.describeContainerInstances(i.cluster, i.containerInstances ?? []));
    this.on('ecs', ecs, UpdateContainerInstancesStateCommand, (i) => e.updateContainerInstancesState(i));
    this.on('route53', route53, ChangeResourceRecordSetsCommand, (i) => this.route53.change(i));
    this.on('route53', route53, ListResourceRecordSetsCommand, (i) => this.route53.list(i));
    this.on('ssm', ssm, GetParameterCommand, (i) => this.ssm.get(i.Name));
    this.on('ssm', ssm, GetParametersCommand, (i) => this.ssm.getMany(i.Names ?? []));
    this.on('ssm', ssm, PutParameterCommand, (i) => this.ssm.put(i));
    this.on('ssm', ssm, DeleteParameterCommand, (i) => this.ssm.delete(i.Name));
    this.on('ssm', ssm, SendCommandCommand, (i) => this.ssm.sendCommand(i));
    this.on('ssm', ssm, GetCommandInvocationCommand, (i) => this.ssm.getCommandInvocation(i.CommandId, i.InstanceId));
    this.on('eventBridge', eventBridge, EnableRuleCommand, (i) => this.eventRules.set(i.Name, 'ENABLED'));
    this.on('eventBridge', eventBridge, DisableRuleCommand, (i) => this.eventRules.set(i.Name, 'DISABLED'));
    this.on('eventBridge', eventBridge, DescribeRuleCommand, (i) => this.eventRules.describe(i.Name));
    this.on('sns', sns, PublishCommand, (i) => this.sns.publish(i));
    // One dispatch per client by the command's class, on the stub's `send`: with
    // a matcher per command (`mock.on(Command)`), sinon compared every call
    // deeply against each of them, most of the simulation's time. A command the
    // loop starts to send and the fake does not simulate fails loudly.
    for (const [mock, handlers] of this.handlers) {
      mock.send.callsFake(async (command: { readonly input: object }) => {
        const handler = handlers.get(command.constructor);
        if (!handler) throw awsError('UnsimulatedCommand', `the fake AWS does not simulate ${command.constructor.name}; add it to __tests__/loop/fake-aws/`);
        return handler(command.input);
      });
    }
  }


  /** Answers one command: due timers first, then an injected failure or the simulated service, then the invariants. */
  private on<I extends object>(
    service: ServiceName,
    // `any`: one wiring helper for every client's command types.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    mock: AwsStub<any, any, any>,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    command: new (...args: any[]) => { readonly input: I },
    handle: (input: I) => unknown,
  ): void {
    const name = command.name.replace(/Command$/, '');
    const handlers = this.handlers.get(mock) ?? new Map<unknown, (input: object) => Promise<unknown>>();
    this.handlers.set(mock, handlers);
    handlers.set(command, async (input: object) => {
      this.world.settle();
      const { call, fault } = this.faults.check(service, name, input as Record<string, unknown>, this.world.iso());
      if (fault && !fault.applied) throw fault.error;
      let result: unknown;
      try {
        result = handle(input as I);
      } catch (e) {
        call.outcome = e instanceof Error ? e.name : String(e);
        throw e;
      } finally {
        this.checkInvariants();
      }
      if (fault) throw fault.error;
      return result;
    });
  }
}
