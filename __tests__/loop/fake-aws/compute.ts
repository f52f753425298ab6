/**
 * Auto Scaling groups (0..1, lifecycle hooks, optional spot capacity and warm
 * pool) and the EC2 instances they launch.
 *
 * Behaviour simulated, as the Auto Scaling and EC2 guides describe it:
 * - launch and terminate lifecycle hooks hold an instance in `Pending:Wait` /
 *   `Terminating:Wait` until CompleteLifecycleAction or the hook's heartbeat
 *   timeout (default result CONTINUE, as the game's hooks are deployed); each
 *   wait emits the "EC2 Instance-launch/terminate Lifecycle Action" event with
 *   Origin and Destination
 *   (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-event-reference.html);
 * - a launch that fails (injected, or spot capacity unavailable while the
 *   group has no on-demand base capacity) emits "EC2 Instance Launch
 *   Unsuccessful" with StatusCode "Failed", StatusMessage and Cause, as in the
 *   same reference's "Unsuccessful scaling events", and is retried after
 *   `launchRetrySeconds` while the group still wants the instance;
 * - a spot interruption emits "EC2 Spot Instance Interruption Warning"
 *   (detail `instance-id`, `instance-action: terminate`) and EC2 reclaims the
 *   instance two minutes later
 *   (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/spot-instance-termination-notices.html);
 *   the group then replaces it, terminating and launching at the same time
 *   (the default for health-check replacements,
 *   https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-maintenance-policy-overview-and-considerations.html);
 * - a warm pool (pool state Stopped, instance reuse on scale in): scale in
 *   moves the instance to `Warmed:Pending:Wait` (terminate hook, Destination
 *   WarmPool) — from then on it is listed by DescribeWarmPool ("the instances
 *   that are currently in the warm pool"), not by DescribeAutoScalingGroups —
 *   then EC2 stops it (`Warmed:Stopped`); only a `Warmed:Stopped` instance
 *   is taken for a scale out (else a new one is launched), which starts it again
 *   with the same id, a new public address and a new launch time (Origin
 *   WarmPool). Its ECS agent only connects while it is in the group (the
 *   agent's ECS_WARM_POOLS_CHECK), and keeps its container-instance status.
 */
import type { GroupInstance } from '../../../src/runtime/session';
import { awsError } from '../../support/aws-errors';
import type { World } from './world';

export interface FakeGroupSetup {
  readonly name: string;
  readonly launchHookName: string;
  readonly terminateHookName: string;
  /** Mixed instances policy with spot capacity (OnDemandBaseCapacity 0 until changed). */
  readonly spot?: boolean;
  /** One prepared instance waiting in a warm pool (state Stopped) with reuse on scale in. */
  readonly warmPool?: boolean;
  /** Lifecycle hook heartbeat timeout; default 360 (as deployed). */
  readonly heartbeatSeconds?: number;
  readonly instanceType?: string;
}

export interface ComputeTiming {
  /** EC2 pending → running (public address assigned, ECS agent starts). */
  readonly bootSeconds: number;
  /** A failed launch is tried again after this long while the group still wants an instance. */
  readonly launchRetrySeconds: number;
  /** Spot interruption warning → EC2 reclaims the instance. */
  readonly spotNoticeSeconds: number;
}

export type Ec2State = 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';

export interface FakeEc2Instance {
  readonly instanceId: string;
  readonly gameId: string;
  readonly groupName: string;
  readonly market: 'spot' | 'on-demand';
  readonly instanceType: string;
  state: Ec2State;
  launchTime: Date;
  ipv4?: string;
  ipv6?: string;
  /** Periods the instance ran (billed), ms; `to` absent while running. */
  readonly runs: { from: number; to?: number }[];
  /** Set once a spot interruption warning was given. */
  reclaimAt?: number;
}

export interface FakeGroupInstance {
  readonly instanceId: string;
  lifecycleState: string;
  /** The lifecycle action the instance waits on, in a `*:Wait` state. */
  pendingToken?: string;
  pendingHook?: 'launch' | 'terminate';
}

export interface FakeGroup {
  readonly gameId: string;
  readonly setup: FakeGroupSetup;
  desiredCapacity: number;
  minSize: number;
  maxSize: number;
  onDemandBaseCapacity: number;
  readonly instances: Map<string, FakeGroupInstance>;
  /** Instances waiting in the warm pool (not listed by DescribeAutoScalingGroups). */
  readonly warmPool: Map<string, FakeGroupInstance>;
  /** Spot capacity in the group's zone; when false every spot launch fails. */
  spotCapacity: boolean;
  /** Launches to fail next, whatever the market, each with its status message. */
  readonly failNextLaunches: string[];
  /** Launch attempts that failed so far. */
  launchFailures: number;
  retryScheduled: boolean;
}

/** What the hosts' software (ECS agent, containers) does when an instance changes state. */
export interface HostListener {
  /** The instance runs and is in the group: its ECS agent connects. */
  agentUp(gameId: string, instanceId: string): void;
  /** The instance stopped or is gone: containers on it die now, the agent disconnects (or deregisters when terminated). */
  hostDown(gameId: string, instanceId: string, how: 'stopped' | 'terminated', cause: string): void;
}

const SERVING = new Set(['Pending', 'Pending:Wait', 'Pending:Proceed', 'InService']);
const DEFAULT_HEARTBEAT_SECONDS = 360;

export class Compute {
  readonly groups = new Map<string, FakeGroup>();
  readonly instances = new Map<string, FakeEc2Instance>();
  private instanceCounter = 0;
  private tokenCounter = 0;
  /** Each start gets a new public address (a warm-pool instance too). */
  private addressCounter = 0;

  constructor(
    private readonly world: World,
    private readonly timing: (gameId: string) => ComputeTiming,
    private readonly addresses: (n: number, gameId: string) => { ipv4: string; ipv6?: string },
    private readonly host: HostListener,
  ) {}

  addGroup(gameId: string, setup: FakeGroupSetup): void {
    const group: FakeGroup = {
      gameId,
      setup,
      desiredCapacity: 0,
      minSize: 0,
      maxSize: 1,
      onDemandBaseCapacity: 0,
      instances: new Map(),
      warmPool: new Map(),
      spotCapacity: true,
      failNextLaunches: [],
      launchFailures: 0,
      retryScheduled: false,
    };
    this.groups.set(setup.name, group);
    if (setup.warmPool) {
      // Prepared before the simulation starts: launched once, stopped, waiting.
      const instance = this.newEc2Instance(group, 'on-demand');
      this.setEc2State(instance, 'stopped');
      group.warmPool.set(instance.instanceId, { instanceId: instance.instanceId, lifecycleState: 'Warmed:Stopped' });
    }
  }

  group(name: string | undefined): FakeGroup {
    const group = name === undefined ? undefined : this.groups.get(name);
    if (!group) throw awsError('ValidationError', `AutoScalingGroup name not found - ${String(name)}`);
    return group;
  }

  groupOfInstance(instanceId: string): FakeGroup | undefined {
    return [...this.groups.values()].find((g) => g.instances.has(instanceId) || g.warmPool.has(instanceId));
  }

  groupSnapshot(group: FakeGroup): { desiredCapacity: number; instances: GroupInstance[] } {
    return {
      desiredCapacity: group.desiredCapacity,
      instances: [...group.instances.values()].map((i) => ({ instanceId: i.instanceId, lifecycleState: i.lifecycleState })),
    };
  }

  // ------------------------------------------------------------------ Auto Scaling API

  describeGroups(names: readonly string[]) {
    const { region } = this.world;
    return {
      AutoScalingGroups: names.flatMap((name) => {
        const group = this.groups.get(name);
        if (!group) return []; // Auto Scaling answers unknown names with an empty list
        return [{
          AutoScalingGroupName: name,
          AutoScalingGroupARN: this.groupArn(group),
          MinSize: group.minSize,
          MaxSize: group.maxSize,
          DesiredCapacity: group.desiredCapacity,
          DefaultCooldown: 300,
          AvailabilityZones: [`${region}a`],
          HealthCheckType: 'EC2',
          CreatedTime: new Date('2025-01-01T00:00:00Z'),
          ...(group.setup.spot
            ? {
                MixedInstancesPolicy: {
                  InstancesDistribution: {
                    OnDemandBaseCapacity: group.onDemandBaseCapacity,
                    OnDemandPercentageAboveBaseCapacity: 0,
                    SpotAllocationStrategy: 'price-capacity-optimized',
                  },
                },
              }
            : {}),
          ...(group.setup.warmPool ? { WarmPoolConfiguration: { PoolState: 'Stopped' as const, InstanceReusePolicy: { ReuseOnScaleIn: true } } } : {}),
          Instances: [...group.instances.values()].map((i) => ({
            InstanceId: i.instanceId,
            LifecycleState: i.lifecycleState as never,
            HealthStatus: 'Healthy',
            AvailabilityZone: `${region}a`,
            ProtectedFromScaleIn: false,
            InstanceType: this.instances.get(i.instanceId)?.instanceType,
          })),
        }];
      }),
    };
  }

  describeWarmPool(name: string | undefined) {
    const group = this.group(name);
    return {
      WarmPoolConfiguration: group.setup.warmPool ? { PoolState: 'Stopped' as const, InstanceReusePolicy: { ReuseOnScaleIn: true } } : undefined,
      Instances: [...group.warmPool.values()].map((i) => ({ InstanceId: i.instanceId, LifecycleState: i.lifecycleState as never })),
    };
  }

  setDesiredCapacity(name: string | undefined, desired: number | undefined) {
    const group = this.group(name);
    if (desired === undefined || desired < group.minSize || desired > group.maxSize) {
      throw awsError('ValidationError', `New SetDesiredCapacity value ${String(desired)} is outside the bounds ${group.minSize}..${group.maxSize}`);
    }
    this.changeDesired(group, desired);
    return {};
  }

  updateGroup(input: {
    AutoScalingGroupName?: string;
    DesiredCapacity?: number;
    MinSize?: number;
    MaxSize?: number;
    MixedInstancesPolicy?: { InstancesDistribution?: { OnDemandBaseCapacity?: number } };
  }) {
    const group = this.group(input.AutoScalingGroupName);
    const min = input.MinSize ?? group.minSize;
    const max = input.MaxSize ?? group.maxSize;
    const desired = input.DesiredCapacity ?? Math.min(Math.max(group.desiredCapacity, min), max);
    if (min > max || desired < min || desired > max) {
      throw awsError('ValidationError', `Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`);
    }
    const base = input.MixedInstancesPolicy?.InstancesDistribution?.OnDemandBaseCapacity;
    if (base !== undefined) {
      if (!group.setup.spot) throw awsError('ValidationError', `The group ${group.setup.name} has no mixed instances policy`);
      if (base !== group.onDemandBaseCapacity) this.world.log(`asg ${group.setup.name} on-demand base ${group.onDemandBaseCapacity} -> ${base}`);
      group.onDemandBaseCapacity = base;
    }
    const sizeChanged = min !== group.minSize || max !== group.maxSize || desired !== group.desiredCapacity;
    group.minSize = min;
    group.maxSize = max;
    // A policy change alone launches nothing at once: a pending launch retry picks it up.
    if (sizeChanged) this.changeDesired(group, desired);
    return {};
  }

  completeLifecycleAction(input: {
    AutoScalingGroupName?: string;
    LifecycleHookName?: string;
    LifecycleActionToken?: string;
    InstanceId?: string;
    LifecycleActionResult?: string;
  }) {
    const group = this.group(input.AutoScalingGroupName);
    const instance = input.InstanceId ? group.instances.get(input.InstanceId) ?? group.warmPool.get(input.InstanceId) : undefined;
    const hookName = instance?.pendingHook === 'launch' ? group.setup.launchHookName : group.setup.terminateHookName;
    if (!instance?.pendingToken || instance.pendingToken !== input.LifecycleActionToken || input.LifecycleHookName !== hookName) {
      throw awsError('ValidationError', `No active Lifecycle Action found with token ${String(input.LifecycleActionToken)}`);
    }
    if (input.LifecycleActionResult !== 'CONTINUE' && input.LifecycleActionResult !== 'ABANDON') {
      throw awsError('ValidationError', `LifecycleActionResult must be CONTINUE or ABANDON, got ${String(input.LifecycleActionResult)}`);
    }
    this.finishAction(group, instance, input.LifecycleActionResult);
    return {};
  }

  recordHeartbeat(input: { AutoScalingGroupName?: string; LifecycleActionToken?: string; InstanceId?: string }) {
    const group = this.group(input.AutoScalingGroupName);
    const instance = input.InstanceId ? group.instances.get(input.InstanceId) ?? group.warmPool.get(input.InstanceId) : undefined;
    if (!instance?.pendingToken || instance.pendingToken !== input.LifecycleActionToken) {
      throw awsError('ValidationError', `No active Lifecycle Action found with token ${String(input.LifecycleActionToken)}`);
    }
    this.armHeartbeat(group, instance);
    return {};
  }

  // ------------------------------------------------------------------ EC2 API

  describeInstances(ids: readonly string[]) {
    const unknown = ids.filter((id) => !this.instances.has(id));
    if (unknown.length > 0) throw awsError('InvalidInstanceID.NotFound', `The instance IDs '${unknown.join(', ')}' do not exist`);
    const codes: Record<Ec2State, number> = { pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80 };
    return {
      Reservations: [{
        Instances: ids.map((id) => {
          const i = this.instances.get(id) as FakeEc2Instance;
          return {
            InstanceId: id,
            InstanceType: i.instanceType as never,
            LaunchTime: i.launchTime,
            State: { Name: i.state, Code: codes[i.state] },
            ...(i.market === 'spot' ? { InstanceLifecycle: 'spot' as const } : {}),
            ...(i.ipv4 ? { PublicIpAddress: i.ipv4 } : {}),
            ...(i.ipv6 ? { Ipv6Address: i.ipv6, NetworkInterfaces: [{ Ipv6Addresses: [{ Ipv6Address: i.ipv6, IsPrimaryIpv6: true }] }] } : {}),
          };
        }),
      }],
    };
  }

  // ------------------------------------------------------------------ test controls

  /** EC2 gives the two-minute warning now, and reclaims the instance `spotNoticeSeconds` later. */
  interruptSpot(instanceId: string): void {
    const instance = this.instances.get(instanceId);
    if (!instance || instance.market !== 'spot' || instance.state !== 'running') {
      throw new Error(`interruptSpot: ${instanceId} is not a running spot instance`);
    }
    const noticeMs = this.timing(instance.gameId).spotNoticeSeconds * 1000;
    instance.reclaimAt = this.world.time() + noticeMs;
    this.world.log(`ec2 ${instanceId} spot interruption warning`);
    this.world.emit('EC2 Spot Instance Interruption Warning', 'aws.ec2', [this.instanceArn(instanceId)], {
      'instance-id': instanceId,
      'instance-action': 'terminate',
    });
    this.world.after(noticeMs, `ec2 reclaims ${instanceId}`, () => this.reclaim(instance));
  }

  // ------------------------------------------------------------------ behaviour

  private changeDesired(group: FakeGroup, desired: number): void {
    if (desired !== group.desiredCapacity) this.world.log(`asg ${group.setup.name} desired ${group.desiredCapacity} -> ${desired}`);
    group.desiredCapacity = desired;
    this.reconcile(group);
  }

  /** Launches or takes instances out until those serving match the desired capacity, as Auto Scaling does. */
  reconcile(group: FakeGroup): void {
    const serving = [...group.instances.values()].filter((i) => SERVING.has(i.lifecycleState));
    for (let n = serving.length; n < group.desiredCapacity; n++) {
      if (!this.launch(group)) break;
    }
    for (const instance of serving.slice(group.desiredCapacity)) this.scaleIn(group, instance);
  }

  /** One launch attempt; false when it failed (a retry is scheduled). */
  private launch(group: FakeGroup): boolean {
    const warm = [...group.warmPool.values()].find((i) => i.lifecycleState === 'Warmed:Stopped');
    if (warm) {
      group.warmPool.delete(warm.instanceId);
      group.instances.set(warm.instanceId, warm);
      const ec2 = this.instances.get(warm.instanceId) as FakeEc2Instance;
      this.move(warm, 'Pending');
      this.setEc2State(ec2, 'pending');
      ec2.launchTime = new Date(this.world.time());
      this.wait(group, warm, 'launch', 'Pending:Wait', 'WarmPool', 'AutoScalingGroup');
      this.boot(group, ec2);
      return true;
    }
    const onDemandRunning = [...group.instances.keys()].filter((id) => this.instances.get(id)?.market === 'on-demand').length;
    const market = group.setup.spot && onDemandRunning >= group.onDemandBaseCapacity ? 'spot' : 'on-demand';
    const failure = group.failNextLaunches.shift() ?? (market === 'spot' && !group.spotCapacity ? this.noSpotCapacity(group) : undefined);
    if (failure !== undefined) {
      this.launchFailed(group, failure);
      return false;
    }
    const ec2 = this.newEc2Instance(group, market);
    const instance: FakeGroupInstance = { instanceId: ec2.instanceId, lifecycleState: 'Pending' };
    group.instances.set(ec2.instanceId, instance);
    this.world.log(`asg ${group.setup.name} launch ${ec2.instanceId} (${market})`);
    this.wait(group, instance, 'launch', 'Pending:Wait', 'EC2', 'AutoScalingGroup');
    this.boot(group, ec2);
    return true;
  }

  private noSpotCapacity(group: FakeGroup): string {
    const type = group.setup.instanceType ?? 't3.medium';
    return `We currently do not have sufficient ${type} capacity in the Availability Zone you requested (${this.world.region}a). ` +
      'Our system will be working on provisioning additional capacity. Launching EC2 instance failed.';
  }

  private launchFailed(group: FakeGroup, message: string): void {
    group.launchFailures++;
    this.world.log(`asg ${group.setup.name} launch failed: ${message.split('.')[0]}`);
    const started = this.world.iso();
    this.world.emit('EC2 Instance Launch Unsuccessful', 'aws.autoscaling', [this.groupArn(group)], {
      StatusCode: 'Failed',
      AutoScalingGroupName: group.setup.name,
      ActivityId: `activity-${group.launchFailures}`,
      Details: { 'Availability Zone': `${this.world.region}a`, 'Subnet ID': 'subnet-0123456789abcdef0' },
      RequestId: `request-${group.launchFailures}`,
      StatusMessage: message,
      EndTime: started,
      EC2InstanceId: '',
      StartTime: started,
      Cause: `At ${started} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 1.`,
    });
    if (group.retryScheduled) return;
    group.retryScheduled = true;
    this.world.after(this.timing(group.gameId).launchRetrySeconds * 1000, `asg ${group.setup.name} retries the launch`, () => {
      group.retryScheduled = false;
      this.reconcile(group);
    });
  }

  private scaleIn(group: FakeGroup, instance: FakeGroupInstance): void {
    delete instance.pendingToken; // a launch action still open is abandoned
    if (group.setup.warmPool) {
      // From here it is a warm-pool instance: DescribeWarmPool lists it, DescribeAutoScalingGroups no longer does.
      group.instances.delete(instance.instanceId);
      group.warmPool.set(instance.instanceId, instance);
      this.move(instance, 'Warmed:Pending');
      this.wait(group, instance, 'terminate', 'Warmed:Pending:Wait', 'AutoScalingGroup', 'WarmPool');
    } else {
      this.move(instance, 'Terminating');
      this.wait(group, instance, 'terminate', 'Terminating:Wait', 'AutoScalingGroup', 'EC2');
    }
  }

  private boot(group: FakeGroup, ec2: FakeEc2Instance): void {
    this.world.after(this.timing(group.gameId).bootSeconds * 1000, `ec2 ${ec2.instanceId} boots`, () => {
      const instance = group.instances.get(ec2.instanceId);
      if (ec2.state !== 'pending' || !instance) return;
      this.setEc2State(ec2, 'running');
      Object.assign(ec2, this.addresses(++this.addressCounter, group.gameId));
      this.host.agentUp(group.gameId, ec2.instanceId);
    });
  }

  /** Puts the instance in a wait state and emits the lifecycle event the hook receives. */
  private wait(group: FakeGroup, instance: FakeGroupInstance, hook: 'launch' | 'terminate', state: string, origin: string, destination: string): void {
    this.move(instance, state);
    instance.pendingHook = hook;
    instance.pendingToken = `token-${String(++this.tokenCounter).padStart(4, '0')}-${instance.instanceId}-${hook}`;
    const launch = hook === 'launch';
    this.world.emit(launch ? 'EC2 Instance-launch Lifecycle Action' : 'EC2 Instance-terminate Lifecycle Action', 'aws.autoscaling', [this.groupArn(group)], {
      LifecycleActionToken: instance.pendingToken,
      AutoScalingGroupName: group.setup.name,
      LifecycleHookName: launch ? group.setup.launchHookName : group.setup.terminateHookName,
      EC2InstanceId: instance.instanceId,
      LifecycleTransition: launch ? 'autoscaling:EC2_INSTANCE_LAUNCHING' : 'autoscaling:EC2_INSTANCE_TERMINATING',
      Origin: origin,
      Destination: destination,
    });
    this.armHeartbeat(group, instance);
  }

  private armHeartbeat(group: FakeGroup, instance: FakeGroupInstance): void {
    const token = instance.pendingToken;
    const seconds = group.setup.heartbeatSeconds ?? DEFAULT_HEARTBEAT_SECONDS;
    this.world.after(seconds * 1000, `asg hook timeout ${instance.instanceId}`, () => {
      if (instance.pendingToken !== token || token === undefined) return;
      this.world.log(`asg ${instance.instanceId} lifecycle action timed out (CONTINUE)`);
      this.finishAction(group, instance, 'CONTINUE');
    });
  }

  private finishAction(group: FakeGroup, instance: FakeGroupInstance, result: 'CONTINUE' | 'ABANDON'): void {
    delete instance.pendingToken;
    const ec2 = this.instances.get(instance.instanceId) as FakeEc2Instance;
    switch (instance.lifecycleState) {
      case 'Pending:Wait':
        if (result === 'ABANDON') {
          this.move(instance, 'Terminating');
          this.terminate(group, instance, ec2, 'launch abandoned');
          this.reconcile(group);
          return;
        }
        this.move(instance, 'InService');
        return;
      case 'Terminating:Wait':
        this.terminate(group, instance, ec2, 'scaled in');
        return;
      case 'Warmed:Pending:Wait':
        this.move(instance, 'Warmed:Pending:Proceed');
        this.setEc2State(ec2, 'stopped');
        ec2.ipv4 = undefined;
        ec2.ipv6 = undefined;
        this.host.hostDown(group.gameId, ec2.instanceId, 'stopped', `Host EC2 (instance ${ec2.instanceId}) stopped.`);
        this.move(instance, 'Warmed:Stopped');
        return;
      default:
        throw new Error(`fake Auto Scaling: no lifecycle action expected in state ${instance.lifecycleState}`);
    }
  }

  private terminate(group: FakeGroup, instance: FakeGroupInstance, ec2: FakeEc2Instance, why: string): void {
    this.move(instance, 'Terminated');
    group.instances.delete(instance.instanceId);
    if (ec2.state !== 'terminated') {
      this.setEc2State(ec2, 'terminated');
      this.host.hostDown(group.gameId, ec2.instanceId, 'terminated', `Host EC2 (instance ${ec2.instanceId}) terminated (${why}).`);
    }
  }

  /** EC2 takes the spot instance back; the group sees it unhealthy and replaces it. */
  private reclaim(ec2: FakeEc2Instance): void {
    if (ec2.state === 'terminated') return;
    this.world.log(`ec2 ${ec2.instanceId} reclaimed (spot)`);
    this.setEc2State(ec2, 'terminated');
    this.host.hostDown(ec2.gameId, ec2.instanceId, 'terminated', `Host EC2 (instance ${ec2.instanceId}) terminated (spot interruption).`);
    const group = this.groups.get(ec2.groupName);
    const instance = group?.instances.get(ec2.instanceId);
    if (!group || !instance) return;
    if (instance.lifecycleState === 'Terminating:Wait') return; // already leaving; its hook is under way
    this.move(instance, 'Terminating');
    this.wait(group, instance, 'terminate', 'Terminating:Wait', 'AutoScalingGroup', 'EC2');
    this.reconcile(group);
  }

  private move(instance: FakeGroupInstance, to: string): void {
    this.world.log(`asg ${instance.instanceId} ${instance.lifecycleState} -> ${to}`);
    instance.lifecycleState = to;
  }

  private newEc2Instance(group: FakeGroup, market: 'spot' | 'on-demand'): FakeEc2Instance {
    const instanceId = `i-0a${String(++this.instanceCounter).padStart(15, '0')}`;
    const instance: FakeEc2Instance = {
      instanceId,
      gameId: group.gameId,
      groupName: group.setup.name,
      market,
      instanceType: group.setup.instanceType ?? 't3.medium',
      state: 'pending',
      launchTime: new Date(this.world.time()),
      runs: [{ from: this.world.time() }],
    };
    this.instances.set(instanceId, instance);
    return instance;
  }

  private setEc2State(instance: FakeEc2Instance, state: Ec2State): void {
    const wasBilled = instance.state === 'pending' || instance.state === 'running';
    const billed = state === 'pending' || state === 'running';
    if (wasBilled && !billed) {
      const run = instance.runs.at(-1);
      if (run && run.to === undefined) run.to = this.world.time();
    }
    if (!wasBilled && billed) instance.runs.push({ from: this.world.time() });
    if (instance.state !== state) this.world.log(`ec2 ${instance.instanceId} ${state}`);
    instance.state = state;
  }

  private groupArn(group: FakeGroup): string {
    const { region, account } = this.world;
    return `arn:aws:autoscaling:${region}:${account}:autoScalingGroup:00000000-0000-0000-0000-000000000000:autoScalingGroupName/${group.setup.name}`;
  }

  instanceArn(instanceId: string): string {
    return `arn:aws:ec2:${this.world.region}:${this.world.account}:instance/${instanceId}`;
  }
}
