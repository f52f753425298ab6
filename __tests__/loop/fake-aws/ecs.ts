/**
 * ECS on the game's hosts: one cluster and one service per game, container
 * instances (one per EC2 instance, registered by its agent at boot) and the
 * game's tasks.
 *
 * The service scheduler works as deployed (minimum healthy 0 %, maximum
 * 100 %, the game's ports bound on the host): a new task is placed only when
 * no other task of the service is still running or stopping, on an ACTIVE,
 * connected container instance that runs no task of the service. So a task
 * the service wants but cannot place waits, and starts by itself as soon as
 * an instance can take it — as ECS does.
 *
 * A stop is graceful (SIGTERM, the game saves, `taskStopSeconds` later the
 * task is STOPPED) unless the host goes away first: then the container dies
 * with the host, the world is not saved, and the world records it.
 */
import { awsError } from '../../support/aws-errors';
import type { World } from './world';

export interface FakeServiceSetup {
  readonly name: string;
  readonly taskFamily: string;
  /** Registered revisions of the family, oldest first. */
  readonly revisions: readonly { readonly revision: number; readonly status: 'ACTIVE' | 'INACTIVE' }[];
  /** Revision the service was created with (it starts at desired count 0). */
  readonly initialRevision: number;
  /** The container's stop timeout: SIGKILL after it (default 120). */
  readonly stopTimeoutSeconds?: number;
}

export interface EcsTiming {
  /** Container instance registration after the instance runs. */
  readonly agentSeconds: number;
  /** Task placed → RUNNING (image pull, world load). */
  readonly taskStartSeconds: number;
  /**
   * The image pull within taskStartSeconds, from the placement (ECS's
   * pullStartedAt/pullStoppedAt). Unset: the pull takes no time and is not
   * journaled, so the journals of tests that do not time it stay as they are.
   */
  readonly imagePullSeconds?: number;
  /** SIGTERM → the game has saved and exited. Past the stop timeout it is killed unsaved. */
  readonly taskStopSeconds: number;
}

export interface FakeContainerInstance {
  readonly arn: string;
  readonly gameId: string;
  readonly ec2InstanceId: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  agentConnected: boolean;
  /** When the agent first registered the instance (ms). */
  readonly registeredAt: number;
}

export type TaskStatus = 'PENDING' | 'RUNNING' | 'STOPPED';

export interface FakeTask {
  readonly taskArn: string;
  readonly shortId: string;
  readonly gameId: string;
  readonly taskDefinitionArn: string;
  readonly containerInstanceArn: string;
  readonly ec2InstanceId: string;
  lastStatus: TaskStatus;
  desiredStatus: 'RUNNING' | 'STOPPED';
  readonly createdAt: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  stopRequestedAt?: number;
  stoppedAt?: number;
  stopCode?: string;
  stoppedReason?: string;
  exitCode?: number;
  /** Whether the game saved the world before it stopped (undefined while not stopped). */
  saved?: boolean;
}

export interface FakeService {
  readonly gameId: string;
  readonly cluster: string;
  readonly setup: FakeServiceSetup;
  desiredCount: number;
  taskDefinitionArn: string;
}

/** What ECS needs to know of the hosts. */
export interface HostView {
  ec2Running(instanceId: string): boolean;
}

export class Ecs {
  readonly services = new Map<string, FakeService>();
  readonly containerInstances: FakeContainerInstance[] = [];
  readonly tasks: FakeTask[] = [];
  private taskCounter = 0;
  private containerCounter = 0;

  constructor(
    private readonly world: World,
    private readonly timing: (gameId: string) => EcsTiming,
    private readonly hosts: HostView,
  ) {}

  addService(gameId: string, cluster: string, setup: FakeServiceSetup): void {
    this.services.set(gameId, { gameId, cluster, setup, desiredCount: 0, taskDefinitionArn: this.taskDefinitionArn(setup.taskFamily, setup.initialRevision) });
  }

  taskDefinitionArn(family: string, revision: number): string {
    return `arn:aws:ecs:${this.world.region}:${this.world.account}:task-definition/${family}:${revision}`;
  }

  serviceOf(gameId: string): FakeService {
    const service = this.services.get(gameId);
    if (!service) throw new Error(`fake ECS: no service for game ${gameId}`);
    return service;
  }

  /** Tasks that may have the world mounted: placed and not yet stopped. */
  holdingTasks(gameId: string): FakeTask[] {
    return this.tasks.filter((t) => t.gameId === gameId && t.lastStatus !== 'STOPPED');
  }

  // ------------------------------------------------------------------ hosts

  agentUp(gameId: string, ec2InstanceId: string): void {
    const existing = this.containerInstances.find((c) => c.ec2InstanceId === ec2InstanceId && c.status !== 'INACTIVE');
    this.world.after(this.timing(gameId).agentSeconds * 1000, `ecs agent on ${ec2InstanceId}`, () => {
      if (!this.hosts.ec2Running(ec2InstanceId)) return;
      if (existing) {
        existing.agentConnected = true; // back from a stop: same registration, same status (ACTIVE or DRAINING)
        this.world.log(`ecs container instance on ${ec2InstanceId} reconnected (${existing.status})`);
      } else {
        const service = this.serviceOf(gameId);
        const arn = `arn:aws:ecs:${this.world.region}:${this.world.account}:container-instance/${service.cluster}/ci${++this.containerCounter}`;
        this.containerInstances.push({ arn, gameId, ec2InstanceId, status: 'ACTIVE', agentConnected: true, registeredAt: this.world.time() });
        this.world.log(`ecs container instance ci${this.containerCounter} registered on ${ec2InstanceId}`);
      }
      this.reconcile(this.serviceOf(gameId));
    });
  }

  hostDown(gameId: string, ec2InstanceId: string, how: 'stopped' | 'terminated', reason: string): void {
    for (const task of this.tasks.filter((t) => t.ec2InstanceId === ec2InstanceId && t.lastStatus !== 'STOPPED')) {
      const saving = task.desiredStatus === 'STOPPED';
      if (task.lastStatus === 'RUNNING') {
        this.world.violation(
          `game ${gameId}: task ${task.shortId} on ${ec2InstanceId} died with its host (${how}) ${saving ? 'while still saving' : 'without a stop'}: the world was not saved`,
        );
      }
      this.stopped(task, 'TerminationNotice', reason, 137, task.lastStatus !== 'RUNNING');
    }
    for (const ci of this.containerInstances.filter((c) => c.ec2InstanceId === ec2InstanceId && c.status !== 'INACTIVE')) {
      ci.agentConnected = false;
      if (how === 'terminated') {
        ci.status = 'INACTIVE';
        this.world.log(`ecs container instance on ${ec2InstanceId} deregistered`);
      }
    }
    this.reconcile(this.serviceOf(gameId));
  }

  // ------------------------------------------------------------------ API

  private requireCluster(cluster: string | undefined): FakeService[] {
    const name = cluster?.replace(/^arn:.*:cluster\//, '');
    const services = [...this.services.values()].filter((s) => s.cluster === name);
    if (services.length === 0) throw awsError('ClusterNotFoundException', `Cluster not found: ${String(cluster)}`);
    return services;
  }

  private requireService(cluster: string | undefined, name: string | undefined): FakeService {
    const service = this.requireCluster(cluster).find((s) => s.setup.name === name?.replace(/^arn:.*:service\/[^/]+\//, ''));
    if (!service) throw awsError('ServiceNotFoundException', `Service not found: ${String(name)}`);
    return service;
  }

  /** A family name selects its newest ACTIVE revision; `family:revision` selects that one. */
  private resolveTaskDefinition(service: FakeService, reference: string): string {
    const { taskFamily, revisions } = service.setup;
    const [family, revisionText] = reference.replace(/^arn:.*:task-definition\//, '').split(':');
    const chosen = revisions.filter((r) => r.status === 'ACTIVE' && (revisionText === undefined || String(r.revision) === revisionText)).at(-1);
    if (family !== taskFamily || !chosen) throw awsError('ClientException', `TaskDefinition not found: ${reference}`);
    return this.taskDefinitionArn(taskFamily, chosen.revision);
  }

  updateService(input: { cluster?: string; service?: string; taskDefinition?: string; desiredCount?: number }) {
    const service = this.requireService(input.cluster, input.service);
    if (input.taskDefinition !== undefined) {
      const arn = this.resolveTaskDefinition(service, input.taskDefinition);
      if (arn !== service.taskDefinitionArn) this.world.log(`ecs ${service.setup.name} on ${arn.split('/').at(-1)}`);
      service.taskDefinitionArn = arn;
    }
    if (input.desiredCount !== undefined) {
      if (input.desiredCount !== service.desiredCount) this.world.log(`ecs ${service.setup.name} desired ${service.desiredCount} -> ${input.desiredCount}`);
      service.desiredCount = input.desiredCount;
    }
    this.reconcile(service);
    return { service: this.describeService(service) };
  }

  describeServices(cluster: string | undefined, names: readonly string[]) {
    const services = this.requireCluster(cluster);
    const known = names.map((n) => services.find((s) => s.setup.name === n.replace(/^arn:.*:service\/[^/]+\//, '')));
    return {
      services: known.filter((s): s is FakeService => s !== undefined).map((s) => this.describeService(s)),
      failures: names.filter((_, i) => !known[i]).map((arn) => ({ arn, reason: 'MISSING' })),
    };
  }

  private describeService(service: FakeService) {
    const { region, account } = this.world;
    const tasks = this.tasks.filter((t) => t.gameId === service.gameId);
    return {
      serviceName: service.setup.name,
      serviceArn: `arn:aws:ecs:${region}:${account}:service/${service.cluster}/${service.setup.name}`,
      clusterArn: this.clusterArn(service.cluster),
      status: 'ACTIVE',
      desiredCount: service.desiredCount,
      runningCount: tasks.filter((t) => t.lastStatus === 'RUNNING').length,
      pendingCount: tasks.filter((t) => t.lastStatus === 'PENDING').length,
      taskDefinition: service.taskDefinitionArn,
    };
  }

  listTasks(input: { cluster?: string; serviceName?: string; desiredStatus?: string; containerInstance?: string; family?: string }) {
    const services = input.serviceName ? [this.requireService(input.cluster, input.serviceName)] : this.requireCluster(input.cluster);
    const games = new Set(services.map((s) => s.gameId));
    const desired = input.desiredStatus ?? 'RUNNING';
    const ci = input.containerInstance;
    return {
      taskArns: this.tasks
        .filter((t) => games.has(t.gameId) && t.desiredStatus === desired)
        .filter((t) => !ci || t.containerInstanceArn === ci || t.containerInstanceArn.endsWith(`/${ci}`))
        .filter((t) => !input.family || t.taskDefinitionArn.includes(`/${input.family}:`))
        .map((t) => t.taskArn),
    };
  }

  describeTasks(cluster: string | undefined, arns: readonly string[]) {
    const services = this.requireCluster(cluster);
    const games = new Set(services.map((s) => s.gameId));
    const found = this.tasks.filter((t) => games.has(t.gameId) && arns.some((a) => a === t.taskArn || t.taskArn.endsWith(`/${a}`)));
    return {
      tasks: found.map((t) => this.describeTask(t)),
      failures: arns.filter((a) => !found.some((t) => t.taskArn === a || t.taskArn.endsWith(`/${a}`))).map((arn) => ({ arn, reason: 'MISSING' })),
    };
  }

  private describeTask(t: FakeTask) {
    const service = this.serviceOf(t.gameId);
    return {
      taskArn: t.taskArn,
      clusterArn: this.clusterArn(service.cluster),
      taskDefinitionArn: t.taskDefinitionArn,
      containerInstanceArn: t.containerInstanceArn,
      group: `service:${service.setup.name}`,
      startedBy: 'ecs-svc/0000000000000000000',
      lastStatus: t.lastStatus,
      desiredStatus: t.desiredStatus,
      createdAt: new Date(t.createdAt),
      ...(t.pullStartedAt !== undefined ? { pullStartedAt: new Date(t.pullStartedAt) } : {}),
      ...(t.pullStoppedAt !== undefined ? { pullStoppedAt: new Date(t.pullStoppedAt) } : {}),
      ...(t.startedAt !== undefined ? { startedAt: new Date(t.startedAt) } : {}),
      ...(t.stoppedAt !== undefined ? { stoppedAt: new Date(t.stoppedAt) } : {}),
      ...(t.stopCode ? { stopCode: t.stopCode as never } : {}),
      ...(t.stoppedReason ? { stoppedReason: t.stoppedReason } : {}),
      containers: [{ name: 'game', lastStatus: t.lastStatus, ...(t.exitCode !== undefined ? { exitCode: t.exitCode } : {}) }],
    };
  }

  stopTask(input: { cluster?: string; task?: string; reason?: string }) {
    this.requireCluster(input.cluster);
    const task = this.tasks.find((t) => input.task !== undefined && (t.taskArn === input.task || t.taskArn.endsWith(`/${input.task}`)));
    if (!task) throw awsError('InvalidParameterException', `The referenced task was not found: ${String(input.task)}`);
    this.requestStop(task, 'UserInitiated', input.reason ?? 'Task stopped by user');
    this.reconcile(this.serviceOf(task.gameId));
    return { task: this.describeTask(task) };
  }

  listContainerInstances(input: { cluster?: string; filter?: string; status?: string }) {
    const services = this.requireCluster(input.cluster);
    const games = new Set(services.map((s) => s.gameId));
    const byInstance = input.filter?.match(/ec2InstanceId\s*==\s*['"]?(i-[0-9a-f]+)/)?.[1];
    if (input.filter && !byInstance) throw new Error(`the fake ECS only understands the filter "ec2InstanceId == i-…", got ${input.filter}`);
    return {
      containerInstanceArns: this.containerInstances
        .filter((c) => games.has(c.gameId) && c.status !== 'INACTIVE')
        .filter((c) => !input.status || c.status === input.status)
        .filter((c) => !byInstance || c.ec2InstanceId === byInstance)
        .map((c) => c.arn),
    };
  }

  describeContainerInstances(cluster: string | undefined, arns: readonly string[]) {
    const services = this.requireCluster(cluster);
    const games = new Set(services.map((s) => s.gameId));
    const found = this.containerInstances.filter((c) => games.has(c.gameId) && arns.some((a) => a === c.arn || c.arn.endsWith(`/${a}`)));
    return {
      containerInstances: found.map((c) => ({
        containerInstanceArn: c.arn,
        ec2InstanceId: c.ec2InstanceId,
        status: c.status,
        agentConnected: c.agentConnected,
        registeredAt: new Date(c.registeredAt),
        runningTasksCount: this.tasks.filter((t) => t.containerInstanceArn === c.arn && t.lastStatus === 'RUNNING').length,
        pendingTasksCount: this.tasks.filter((t) => t.containerInstanceArn === c.arn && t.lastStatus === 'PENDING').length,
      })),
      failures: arns.filter((a) => !found.some((c) => c.arn === a || c.arn.endsWith(`/${a}`))).map((arn) => ({ arn, reason: 'MISSING' })),
    };
  }

  updateContainerInstancesState(input: { cluster?: string; containerInstances?: string[]; status?: string }) {
    const services = this.requireCluster(input.cluster);
    if (input.status !== 'ACTIVE' && input.status !== 'DRAINING') throw awsError('InvalidParameterException', `status must be ACTIVE or DRAINING, got ${String(input.status)}`);
    const status = input.status;
    const games = new Set(services.map((s) => s.gameId));
    const arns = input.containerInstances ?? [];
    const found = this.containerInstances.filter((c) => games.has(c.gameId) && c.status !== 'INACTIVE' && arns.some((a) => a === c.arn || c.arn.endsWith(`/${a}`)));
    for (const ci of found) {
      if (ci.status !== status) this.world.log(`ecs container instance on ${ci.ec2InstanceId} ${status}`);
      ci.status = status;
    }
    for (const service of services) this.reconcile(service);
    return {
      containerInstances: found.map((c) => ({ containerInstanceArn: c.arn, ec2InstanceId: c.ec2InstanceId, status: c.status })),
      failures: arns.filter((a) => !found.some((c) => c.arn === a || c.arn.endsWith(`/${a}`))).map((arn) => ({ arn, reason: 'MISSING' })),
    };
  }

  // ------------------------------------------------------------------ test controls

  /** The game's container exits by itself (a crash): exit code 1, the service starts another one. */
  crashTask(gameId: string): void {
    const task = this.tasks.find((t) => t.gameId === gameId && t.lastStatus === 'RUNNING');
    if (!task) throw new Error(`crashTask: game ${gameId} has no running task`);
    this.stopped(task, 'EssentialContainerExited', 'Essential container in task exited', 1, true);
    this.reconcile(this.serviceOf(task.gameId));
  }

  // ------------------------------------------------------------------ scheduler

  /** What the service scheduler does after any change: stop what must stop, place what is missing. */
  reconcile(service: FakeService): void {
    const mine = () => this.tasks.filter((t) => t.gameId === service.gameId && t.lastStatus !== 'STOPPED' && t.desiredStatus === 'RUNNING');
    for (const task of mine()) {
      if (task.taskDefinitionArn !== service.taskDefinitionArn) this.requestStop(task, 'ServiceSchedulerInitiated', 'Task stopped for a new deployment');
    }
    for (const task of mine()) {
      const ci = this.containerInstances.find((c) => c.arn === task.containerInstanceArn);
      if (ci?.status === 'DRAINING') this.requestStop(task, 'ServiceSchedulerInitiated', 'Container instance is draining');
    }
    for (const task of mine().slice(service.desiredCount)) this.requestStop(task, 'ServiceSchedulerInitiated', 'Scaling activity initiated by deployment');
    // Maximum 100 %: nothing new while the service's tasks still running or stopping reach its desired count.
    while (this.holdingTasks(service.gameId).length < service.desiredCount) {
      const target = this.containerInstances.find(
        (c) =>
          c.gameId === service.gameId &&
          c.status === 'ACTIVE' &&
          c.agentConnected &&
          this.hosts.ec2Running(c.ec2InstanceId) &&
          !this.tasks.some((t) => t.containerInstanceArn === c.arn && t.lastStatus !== 'STOPPED'),
      );
      if (!target) return;
      this.place(service, target);
    }
  }

  private place(service: FakeService, ci: FakeContainerInstance): void {
    const shortId = `task${++this.taskCounter}`;
    const task: FakeTask = {
      taskArn: `arn:aws:ecs:${this.world.region}:${this.world.account}:task/${service.cluster}/${shortId}`,
      shortId,
      gameId: service.gameId,
      taskDefinitionArn: service.taskDefinitionArn,
      containerInstanceArn: ci.arn,
      ec2InstanceId: ci.ec2InstanceId,
      lastStatus: 'PENDING',
      desiredStatus: 'RUNNING',
      createdAt: this.world.time(),
    };
    this.tasks.push(task);
    this.world.log(`ecs ${shortId} PENDING on ${ci.ec2InstanceId} (${task.taskDefinitionArn.split('/').at(-1)})`);
    const { imagePullSeconds, taskStartSeconds } = this.timing(service.gameId);
    task.pullStartedAt = task.createdAt;
    this.world.after(Math.min(imagePullSeconds ?? 0, taskStartSeconds) * 1000, `ecs ${shortId} pulls its image`, () => {
      if (task.lastStatus !== 'PENDING') return;
      task.pullStoppedAt = this.world.time();
      if (imagePullSeconds !== undefined) this.world.log(`ecs ${shortId} image pulled`);
    });
    this.world.after(taskStartSeconds * 1000, `ecs ${shortId} starts`, () => {
      if (task.lastStatus !== 'PENDING' || task.desiredStatus !== 'RUNNING') return;
      task.lastStatus = 'RUNNING';
      task.startedAt = this.world.time();
      this.world.log(`ecs ${shortId} RUNNING`);
    });
  }

  /** SIGTERM: the game saves and exits `taskStopSeconds` later (killed unsaved past its stop timeout). */
  private requestStop(task: FakeTask, stopCode: string, reason: string): void {
    if (task.desiredStatus === 'STOPPED' || task.lastStatus === 'STOPPED') return;
    task.desiredStatus = 'STOPPED';
    task.stopRequestedAt = this.world.time();
    if (task.lastStatus === 'PENDING') {
      this.stopped(task, stopCode, reason, undefined, true);
      return;
    }
    this.world.log(`ecs ${task.shortId} stopping (${stopCode})`);
    const stopTimeout = this.serviceOf(task.gameId).setup.stopTimeoutSeconds ?? 120;
    const saveSeconds = this.timing(task.gameId).taskStopSeconds;
    const saved = saveSeconds <= stopTimeout;
    this.world.after(Math.min(saveSeconds, stopTimeout) * 1000, `ecs ${task.shortId} exits`, () => {
      if (task.lastStatus === 'STOPPED') return;
      if (!saved) this.world.violation(`game ${task.gameId}: task ${task.shortId} was killed at its stop timeout (${stopTimeout} s) before it saved`);
      this.stopped(task, stopCode, reason, saved ? 0 : 137, saved);
      this.reconcile(this.serviceOf(task.gameId));
    });
  }

  private stopped(task: FakeTask, stopCode: string, reason: string, exitCode: number | undefined, saved: boolean): void {
    task.lastStatus = 'STOPPED';
    task.desiredStatus = 'STOPPED';
    task.stoppedAt = this.world.time();
    task.stopCode = stopCode;
    task.stoppedReason = reason;
    task.saved = saved;
    if (exitCode !== undefined) task.exitCode = exitCode;
    this.world.log(`ecs ${task.shortId} STOPPED${saved ? '' : ' (not saved)'}`);
    const service = this.serviceOf(task.gameId);
    this.world.emit('ECS Task State Change', 'aws.ecs', [task.taskArn], {
      taskArn: task.taskArn,
      clusterArn: this.clusterArn(service.cluster),
      containerInstanceArn: task.containerInstanceArn,
      group: `service:${service.setup.name}`,
      taskDefinitionArn: task.taskDefinitionArn,
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      stopCode,
      stoppedReason: reason,
      stoppedAt: this.world.iso(),
      containers: [{ name: 'game', lastStatus: 'STOPPED', ...(exitCode !== undefined ? { exitCode } : {}) }],
    });
  }

  clusterArn(cluster: string): string {
    return `arn:aws:ecs:${this.world.region}:${this.world.account}:cluster/${cluster}`;
  }
}
