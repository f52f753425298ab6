/**
 * The instance hook through its handler, against a simulated AWS (world.ts):
 * each test states the end state it leaves — service, records, watchdog rule,
 * lifecycle action, session, notices — and what it logged and counted.
 */
import '../../support/powertools-env';
import { requestStart } from '../../../src/lambdas/shared/session';
import { createHandler } from '../../../src/lambdas/instance-hook/handler';
import { launchFailedEvent, lifecycleEvent, spotEvent } from '../../support/events';
import { GAME, TOPIC_ARN, viewOf } from '../../support/game';
import { awsError } from '../../support/aws-errors';
import { capturePowertools } from '../../support/powertools-output';
import { NEW, OLD, SESSION_STARTED_AT, SPOT_GAME, launchingWorld, runningWorld, sessionOf, stoppingWorld, watchdogStateOf } from './scenarios';
import { World, hookFor, type Call } from './world';

const out = capturePowertools();

const PLACEHOLDER = '192.0.2.1';
const names = (calls: readonly Call[]) => calls.map((c) => c.name);

describe('launch', () => {
  it('switches the watchdog on first, watches afresh, starts the newest task definition, points DNS at the instance, then continues', async () => {
    const { world, event } = launchingWorld();
    await expect(hookFor(world)(event)).resolves.toEqual({ kind: 'launch', instanceId: NEW, started: true, dns: 'updated', lifecycle: 'completed' });

    expect(world.calls[0]!.name).toBe('EnableRule');
    expect(world.rule).toBe('ENABLED');
    // The start it serves is copied from the session, so the timeline outlives the session.
    const session = world.param(GAME.sessionParameterName) as { startedAt: string; lookupAt: string; source: string };
    expect(world.param(GAME.stateParameterName)).toEqual({
      instanceId: NEW,
      launchedAt: '2025-06-01T18:00:00.000Z',
      watchingSince: '2025-06-01T18:00:00.000Z',
      everJoined: false,
      consecutiveProbeErrors: 0,
      maxHoursAlerted: false,
      wakeAt: session.startedAt,
      lookupAt: session.lookupAt,
      startSource: session.source,
      // The instance had its public address at the first look: it runs.
      instanceRunningAt: '2025-06-01T18:00:00.000Z',
    });
    expect(world.callsOf('UpdateService').map((c) => c.input)).toEqual([
      { cluster: GAME.clusterName, service: GAME.serviceName, taskDefinition: GAME.taskFamily, desiredCount: 1 },
    ]);
    expect(world.runningTasksOn(NEW)).toHaveLength(1);
    expect(world.records.get('A')).toBe('198.51.100.20');
    expect(world.actions.get(`token-${NEW}-launch`)!.done).toBe(true);
    const order = names(world.calls);
    expect(order.indexOf('ChangeResourceRecordSets')).toBeLessThan(order.indexOf('CompleteLifecycleAction'));
    expect(world.published).toEqual([]);
    expect(out.metrics()).toEqual([{ name: 'InstanceLaunched', value: 1, game: 'mc' }, { name: 'InstanceBootSeconds', value: 0, game: 'mc' }]);
  });

  it('records when the instance ran (the first look that finds its public address) once, after the lifecycle action, and measures the boot', async () => {
    const { world, event } = launchingWorld();
    world.ec2.delete(NEW);
    let reads = 0;
    world.before = (call) => {
      // EC2 gives the address on the third look (two polls later).
      if (call.name === 'DescribeInstances' && ++reads === 3) world.ec2.set(NEW, { ip: '198.51.100.20' });
    };
    await hookFor(world)(event);

    const polled = world.clock.sleeps.reduce((a, b) => a + b, 0);
    expect(world.param(GAME.stateParameterName)).toMatchObject({ instanceRunningAt: new Date(Date.parse('2025-06-01T18:00:00.000Z') + polled).toISOString() });
    const order = names(world.calls);
    expect(order.lastIndexOf('PutParameter')).toBeGreaterThan(order.indexOf('CompleteLifecycleAction'));
    expect(out.metrics()).toContainEqual({ name: 'InstanceBootSeconds', value: Math.round(polled / 1000), game: 'mc' });
  });

  it('a failed write of the running time costs only the timeline: the launch completes, the failure is logged and counted', async () => {
    const { world, event } = launchingWorld();
    let writes = 0;
    world.fault = (call) => (call.name === 'PutParameter' && call.input.Name === GAME.stateParameterName && ++writes === 2 ? awsError('AccessDeniedException', 'User: arn:aws:sts::123456789012:assumed-role/gm-mc-instance-hook/x is not authorized to perform: ssm:PutParameter on resource: arn:aws:ssm:eu-west-1:123456789012:parameter/gm/mc/watchdog-state') : undefined);
    await expect(hookFor(world)(event)).resolves.toMatchObject({ started: true, lifecycle: 'completed' });

    expect(world.param(GAME.stateParameterName)).not.toHaveProperty('instanceRunningAt');
    expect(out.metricNames()).toEqual(['InstanceLaunched', 'TimelineNotRecorded']);
    expect(out.problems().map((l) => l.message)).toContainEqual(expect.stringContaining('could not record when the instance ran'));
  });

  it('writes A and AAAA in one batch when the game has IPv6, waiting for the IPv6 address too', async () => {
    const { world, event } = launchingWorld();
    let reads = 0;
    world.before = (call) => {
      // The IPv6 address is assigned a moment after the IPv4 one.
      if (call.name === 'DescribeInstances' && ++reads === 2) world.ec2.set(NEW, { ...world.ec2.get(NEW), ipv6: '2001:db8:1:2::10' });
    };
    await hookFor(world, { ...GAME, ipv6: true })(event);
    const batches = world.callsOf('ChangeResourceRecordSets');
    expect(batches).toHaveLength(1);
    expect(world.records.get('A')).toBe('198.51.100.20');
    expect(world.records.get('AAAA')).toBe('2001:db8:1:2::10');
    expect(world.callsOf('DescribeInstances')).toHaveLength(2);
  });

  it('gives up on the address after 120 s: records untouched, an error log and a metric, and the launch still continues', async () => {
    const { world, event } = launchingWorld();
    world.ec2.set(NEW, {});
    await expect(hookFor(world)(event)).resolves.toMatchObject({ started: true, dns: 'unchanged', lifecycle: 'completed' });
    // 120 s at one read per 3 s: 41 reads, never more.
    expect(world.callsOf('DescribeInstances')).toHaveLength(41);
    expect(world.callsOf('ChangeResourceRecordSets')).toHaveLength(0);
    expect(out.problems().map((l) => l.message)).toEqual([expect.stringContaining('no public IPv4 address after 120 s')]);
    expect(out.metricNames()).toEqual(['PublicAddressMissing', 'InstanceLaunched']);
  });

  it('watches an instance back from the warm pool afresh (same id, new launch) and makes its container instance take tasks again', async () => {
    const world = new World('2025-06-02T09:00:00Z').install();
    world.desired = 1;
    world.setParam(GAME.sessionParameterName, sessionOf({ startedAt: '2025-06-02T08:59:00Z' }));
    // Yesterday's state of the same instance: ready, players seen, about to be stopped as idle.
    world.setParam(GAME.stateParameterName, watchdogStateOf(NEW, { stopRequestedAt: '2025-06-01T18:00:00Z', stopReason: 'idle' }));
    // Its container instance was drained by yesterday's stop and comes back DRAINING.
    world.registerAgent(NEW);
    world.containerInstances[0]!.status = 'DRAINING';
    const event = lifecycleEvent({ transition: 'launch', instanceId: NEW, origin: 'WarmPool', destination: 'AutoScalingGroup', time: '2025-06-02T09:00:00Z' });
    world.launch(NEW);

    await expect(hookFor(world)(event)).resolves.toMatchObject({ kind: 'launch', started: true, dns: 'updated' });
    const session = world.param(GAME.sessionParameterName) as { startedAt: string; lookupAt: string; source: string };
    expect(world.param(GAME.stateParameterName)).toEqual({
      instanceId: NEW,
      launchedAt: '2025-06-02T09:00:00Z',
      watchingSince: '2025-06-02T09:00:00.000Z',
      everJoined: false,
      consecutiveProbeErrors: 0,
      maxHoursAlerted: false,
      wakeAt: session.startedAt,
      lookupAt: session.lookupAt,
      startSource: session.source,
      instanceRunningAt: '2025-06-02T09:00:00.000Z',
    });
    expect(world.containerInstances[0]!.status).toBe('ACTIVE');
    expect(world.runningTasksOn(NEW)).toHaveLength(1);
  });

  it('keeps what the watchdog learned when the same launch is delivered again', async () => {
    const { world, event } = launchingWorld();
    const learned = watchdogStateOf(NEW, { launchedAt: '2025-06-01T18:00:00.000Z', readyAt: '2025-06-01T18:01:30Z', players: 2 });
    world.setParam(GAME.stateParameterName, learned);
    await hookFor(world)(event);
    expect(world.param(GAME.stateParameterName)).toEqual(learned);
    expect(world.callsOf('PutParameter')).toHaveLength(0);
  });

  it('does not undo the drain of a spot warning when the launch event is delivered again', async () => {
    const { world, event } = launchingWorld();
    const hook = hookFor(world, SPOT_GAME);
    await hook(event);
    world.setParam(GAME.stateParameterName, { ...world.param<Record<string, unknown>>(GAME.stateParameterName), readyAt: '2025-06-01T18:01:30Z', players: 2 });
    await hook(spotEvent(NEW));
    expect(world.containerInstances[0]!.status).toBe('DRAINING');
    await hook(event);
    expect(world.containerInstances[0]!.status).toBe('DRAINING');
    expect(world.runningTasksOn(NEW)).toHaveLength(0);
  });

  it('touches neither service nor DNS for a late launch event of an instance already terminating, and switches the watchdog off again', async () => {
    const { world, event } = launchingWorld();
    world.desired = 0;
    world.instances[0]!.state = 'Terminating:Wait';
    world.actions.get(`token-${NEW}-launch`)!.done = true;
    await expect(hookFor(world)(event)).resolves.toEqual({ kind: 'launch', instanceId: NEW, started: false, dns: 'unchanged', lifecycle: 'already-done' });
    expect(world.callsOf('UpdateService')).toHaveLength(0);
    expect(world.callsOf('ChangeResourceRecordSets')).toHaveLength(0);
    expect(world.callsOf('PutParameter')).toHaveLength(0);
    expect(world.rule).toBe('DISABLED');
    expect(out.problems().map((l) => l.message)).toEqual([expect.stringContaining('not serving in the group')]);
    expect(out.metricNames()).toEqual(['StaleEvent']);
  });

  it('keeps the watchdog on for a late launch event while another instance serves', async () => {
    const { world, event } = launchingWorld();
    world.instances[0]!.state = 'Terminating:Wait';
    world.instances.push({ id: 'i-next', state: 'InService' });
    await hookFor(world)(event);
    expect(world.rule).toBe('ENABLED');
    expect(world.callsOf('UpdateService')).toHaveLength(0);
  });

  it('does not start the game on an instance whose stop ran to its end while the launch waited (lost race)', async () => {
    const { world, event } = launchingWorld();
    const hook = hookFor(world);
    let raced = false;
    world.before = async (call) => {
      // The launch hook pauses on a slow state write; meanwhile the group is set to 0 and the terminate runs to the end.
      if (raced || call.name !== 'PutParameter' || call.input.Name !== GAME.stateParameterName) return;
      raced = true;
      const terminate = world.terminate(NEW, { desired: 0 });
      await expect(hook(terminate)).resolves.toMatchObject({ kind: 'terminate', role: 'stop', lifecycle: 'completed' });
    };
    await expect(hook(event)).resolves.toMatchObject({ kind: 'launch', started: false, dns: 'unchanged' });

    // End state: stopped, nothing left running or watching, the records at the placeholder.
    expect(world.service.desired).toBe(0);
    expect(world.tasks.filter((t) => t.desired === 'RUNNING')).toHaveLength(0);
    expect(world.callsOf('UpdateService').map((c) => c.input.desiredCount)).toEqual([0]);
    expect(world.records.get('A')).toBe(PLACEHOLDER);
    expect(world.rule).toBe('DISABLED');
    expect(world.params.has(GAME.sessionParameterName)).toBe(false);
    expect(out.metricNames()).toContain('StaleEvent');
  });

  it('stops the game again when the instance started terminating while its address was awaited', async () => {
    const { world, event } = launchingWorld();
    world.ec2.set(NEW, {});
    let reads = 0;
    world.before = (call) => {
      if (call.name === 'DescribeInstances' && ++reads === 3) {
        world.desired = 0;
        world.instances[0]!.state = 'Terminating:Wait';
        world.ec2.set(NEW, { ip: '198.51.100.20' });
      }
    };
    await expect(hookFor(world)(event)).resolves.toMatchObject({ started: true, dns: 'unchanged' });
    expect(world.callsOf('ChangeResourceRecordSets')).toHaveLength(0);
    expect(world.service.desired).toBe(0);
  });
});

describe('terminate: the game stops', () => {
  it('saves the world, restores the placeholder, switches the watchdog off, continues, announces once and ends the session', async () => {
    const { world, event } = stoppingWorld();
    await expect(hookFor(world)(event)).resolves.toEqual({
      kind: 'terminate',
      instanceId: OLD,
      role: 'stop',
      dns: 'placeholder',
      lifecycle: 'completed',
      notified: true,
      restarted: false,
    });
    expect(world.service.desired).toBe(0);
    expect(world.tasks.every((t) => t.desired === 'STOPPED')).toBe(true);
    expect(world.records.get('A')).toBe(PLACEHOLDER);
    expect(world.rule).toBe('DISABLED');
    expect(world.actions.get(`token-${OLD}-terminate`)!.done).toBe(true);
    expect(world.published).toEqual([{ subject: 'mc.example.com stopped', message: 'stopped mc.example.com after 2 h 10 min' }]);
    expect(world.params.has(GAME.sessionParameterName)).toBe(false);
    expect(world.setDesired).toEqual([]);
    // The world is saved (the task has exited) before DNS changes and before the instance may go.
    const order = names(world.calls).filter((n) => ['UpdateService', 'UpdateContainerInstancesState', 'ChangeResourceRecordSets', 'DisableRule', 'CompleteLifecycleAction', 'Publish', 'DeleteParameter'].includes(n));
    expect(order).toEqual(['UpdateService', 'UpdateContainerInstancesState', 'ChangeResourceRecordSets', 'DisableRule', 'CompleteLifecycleAction', 'Publish', 'DeleteParameter']);
    expect(world.clock.sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(20_000);
    expect(out.metricNames()).toEqual(['StopSaveSeconds', 'StopTerminateSeconds', 'InstanceStopped']);
  });

  it("records the stop's times once in the watchdog state — drain started, container exited, action completed — and measures each phase from the decision", async () => {
    const { world, event } = stoppingWorld();
    const decided = new Date(world.clock.now() - 30_000).toISOString();
    world.setParam(GAME.stateParameterName, watchdogStateOf(OLD, { stopRequestedAt: decided, stopReason: 'idle' }));
    const drainStartedAt = new Date(world.clock.now()).toISOString();
    await hookFor(world)(event);

    const saved = world.clock.sleeps.reduce((a, b) => a + b, 0);
    const exitedAt = new Date(Date.parse(drainStartedAt) + saved).toISOString();
    expect(world.param(GAME.stateParameterName)).toMatchObject({ stopRequestedAt: decided, drainStartedAt, containerExitedAt: exitedAt, terminatedAt: exitedAt });
    expect(out.metrics()).toEqual(expect.arrayContaining([
      { name: 'StopDrainSeconds', value: 30, game: 'mc' },
      { name: 'StopSaveSeconds', value: Math.round(saved / 1000), game: 'mc' },
      { name: 'StopTerminateSeconds', value: 0, game: 'mc' },
      { name: 'StopSeconds', value: 30 + Math.round(saved / 1000), game: 'mc' },
    ]));

    // The same event again (a retry): the first times stay, nothing is measured twice.
    const before = world.param(GAME.stateParameterName);
    out.clear();
    await hookFor(world)(event);
    expect(world.param(GAME.stateParameterName)).toMatchObject({ drainStartedAt: (before as { drainStartedAt: string }).drainStartedAt });
    expect(out.metricNames()).not.toContain('StopSaveSeconds');
  });

  it('restores both placeholders when the game has IPv6', async () => {
    const { world, event } = stoppingWorld();
    await hookFor(world, { ...GAME, ipv6: true })(event);
    expect(world.records.get('A')).toBe(PLACEHOLDER);
    expect(world.records.get('AAAA')).toBe('2001:db8::1');
  });

  it("measures the uptime from EC2's launch time when the watchdog state belongs to another instance", async () => {
    const { world, event } = stoppingWorld({ state: watchdogStateOf('i-other') });
    world.ec2.set(OLD, { launchTime: new Date('2025-06-01T17:53:00Z') });
    await hookFor(world)(event);
    expect(world.published.map((p) => p.message)).toEqual(['stopped mc.example.com after 7 min']);
  });

  it('stops waiting for a task that never exits at stop timeout + 30 s, says so, and still finishes the stop', async () => {
    const { world, event } = stoppingWorld();
    for (const task of world.tasks) task.saveMs = 10 * 60_000;
    await expect(hookFor(world, { ...GAME, stopTimeoutSeconds: 60 })(event)).resolves.toMatchObject({ dns: 'placeholder', lifecycle: 'completed', notified: true });
    expect(world.clock.sleeps.filter((ms) => ms === 5_000).length * 5_000).toBe(90_000);
    expect(out.problems().map((l) => l.message)).toContainEqual(expect.stringContaining('still running 90 s'));
    expect(out.metricNames()).toEqual(['DrainTimedOut', 'InstanceStopped']);
  });

  it('has nothing to wait for when the instance never registered with the cluster', async () => {
    const { world, event } = stoppingWorld();
    world.containerInstances = [];
    world.tasks = [];
    await expect(hookFor(world)(event)).resolves.toMatchObject({ dns: 'placeholder', lifecycle: 'completed', notified: true });
    expect(world.callsOf('ListTasks')).toHaveLength(0);
  });

  it('undoes the on-demand fallback of a spot start at the end of its stop, keeping the rest of the distribution', async () => {
    const { world, event } = stoppingWorld({ session: sessionOf({ onDemandFallback: true, launchFailures: 1 }) });
    world.distribution = { OnDemandBaseCapacity: 1, OnDemandPercentageAboveBaseCapacity: 0, SpotAllocationStrategy: 'price-capacity-optimized' };
    await hookFor(world, SPOT_GAME)(event);
    expect(world.asgUpdates).toEqual([
      {
        AutoScalingGroupName: GAME.asgName,
        MixedInstancesPolicy: { InstancesDistribution: { OnDemandBaseCapacity: 0, OnDemandPercentageAboveBaseCapacity: 0, SpotAllocationStrategy: 'price-capacity-optimized' } },
      },
    ]);
    expect(world.distribution.OnDemandBaseCapacity).toBe(0);
  });

  it('still stops the game when its group is gone', async () => {
    const { world, event } = stoppingWorld();
    world.groupExists = false;
    await expect(hookFor(world)(event)).resolves.toMatchObject({ role: 'stop', dns: 'placeholder', lifecycle: 'already-done' });
    expect(world.service.desired).toBe(0);
    expect(world.published).toHaveLength(1);
  });
});

describe('terminate: a replacement launches while the old instance drains', () => {
  it('drains only the old instance, never the newer one, and leaves service, records, watchdog, session and notices to it', async () => {
    // Auto Scaling replaces an unhealthy instance: the group stays at 1.
    const world = runningWorld();
    const event = world.terminate(OLD);
    let replaced = false;
    world.before = (call) => {
      if (replaced || call.name !== 'DescribeTasks') return;
      replaced = true;
      world.launch(NEW);
      world.registerAgent(NEW); // the service moves its task there as soon as it can
    };
    await expect(hookFor(world)(event)).resolves.toEqual({
      kind: 'terminate',
      instanceId: OLD,
      role: 'replacement',
      dns: 'unchanged',
      lifecycle: 'completed',
      notified: false,
      restarted: false,
    });
    expect(world.runningTasksOn(OLD)).toHaveLength(0);
    expect(world.runningTasksOn(NEW)).toHaveLength(1);
    expect(world.service.desired).toBe(1);
    expect(world.callsOf('UpdateService')).toHaveLength(0);
    expect(world.callsOf('UpdateContainerInstancesState').map((c) => c.input.containerInstances)).toEqual([[world.containerInstances[0]!.arn]]);
    expect(world.records.get('A')).toBe('203.0.113.10');
    expect(world.rule).toBe('ENABLED');
    expect(world.params.has(GAME.sessionParameterName)).toBe(true);
    expect(world.published).toEqual([]);
    expect(world.actions.get(`token-${OLD}-terminate`)!.done).toBe(true);
    // The leaving instance's stop times are its own (the state is still its): measured once.
    expect(out.metricNames()).toEqual(['StopSaveSeconds', 'StopTerminateSeconds', 'InstanceReplaced']);
  });

  it('looks again after the drain: a newer instance that appeared meanwhile keeps DNS, watchdog, session and gets no "stopped" notice', async () => {
    const { world, event } = stoppingWorld();
    let started = false;
    world.before = (call) => {
      if (started || call.name !== 'DescribeTasks') return;
      // An operator started the game again while the old instance saved.
      started = true;
      world.desired = 1;
      world.launch(NEW);
    };
    await expect(hookFor(world)(event)).resolves.toMatchObject({ role: 'replacement', dns: 'unchanged', notified: false, lifecycle: 'completed' });
    expect(world.records.get('A')).toBe('203.0.113.10');
    expect(world.rule).toBe('ENABLED');
    expect(world.params.has(GAME.sessionParameterName)).toBe(true);
    expect(world.published).toEqual([]);
    expect(world.callsOf('ChangeResourceRecordSets')).toHaveLength(0);
    expect(world.callsOf('DisableRule')).toHaveLength(0);
  });

  it('looks again before ending the session: a newer instance after the completion keeps the session, no notice', async () => {
    const { world, event } = stoppingWorld();
    world.before = (call) => {
      if (call.name === 'CompleteLifecycleAction') {
        world.desired = 1;
        world.launch(NEW);
      }
    };
    await expect(hookFor(world)(event)).resolves.toMatchObject({ role: 'replacement', notified: false, lifecycle: 'completed' });
    expect(world.params.has(GAME.sessionParameterName)).toBe(true);
    expect(world.published).toEqual([]);
  });
});

describe('terminate: no wake is lost', () => {
  /** The waker: a player's lookup, handed back and retried by Lambda one and three minutes later. */
  async function wake(): Promise<string> {
    return (await requestStart(GAME, { source: 'lookup', lookupAt: '2025-06-01T18:00:05Z', query: '_minecraft._tcp.mc.example.com SRV', now: new Date() })).result;
  }

  function longStop(listingLag = 0) {
    const { world, event } = stoppingWorld();
    world.listingLag = listingLag;
    // The game takes 4.5 minutes to save: longer than the waker's Lambda retries (1 and 3 minutes).
    for (const task of world.tasks) task.saveMs = 270_000;
    const wakes: string[] = [];
    const wakeAt = [10_000, 70_000, 190_000];
    const stopStart = world.clock.now();
    world.before = async (call) => {
      if (call.name !== 'DescribeTasks' || wakeAt.length === 0) return;
      if (world.clock.now() - stopStart < wakeAt[0]!) return;
      wakeAt.shift();
      const before = world.before;
      world.before = undefined;
      wakes.push(await wake());
      world.before = before;
    };
    const hook = hookFor(world, GAME, { drainGraceMs: 200_000, drainWaitMaxMs: 300_000 });
    return { world, event, hook, wakes };
  }

  it('starts the game exactly once at the end of a stop longer than the waker retries, and announces it after "stopped"', async () => {
    const { world, event, hook, wakes } = longStop();
    await expect(hook(event)).resolves.toMatchObject({ role: 'stop', notified: true, restarted: true });
    expect(wakes).toEqual(['deferred', 'deferred', 'deferred']);
    expect(world.clock.now() - Date.parse('2025-06-01T18:00:00Z')).toBeGreaterThan(4 * 60_000);
    expect(world.setDesired).toEqual([1]);
    expect(world.subjects()).toEqual(['mc.example.com stopped', 'starting mc.example.com']);
    expect(world.published[1]!.message).toContain('asked for it while it was stopping');
    expect(world.param(GAME.sessionParameterName)).toMatchObject({ source: 'pending-wake', query: '_minecraft._tcp.mc.example.com SRV' });
    expect(world.params.has(GAME.pendingWakeParameterName)).toBe(false);
    expect(out.metricNames()).toEqual(['StopSaveSeconds', 'StopTerminateSeconds', 'InstanceStopped', 'RestartedAfterStop']);
  });

  it('starts it too when Auto Scaling still lists the instance as Terminating:Wait after its action completed', async () => {
    const { world, event, hook } = longStop(100);
    await expect(hook(event)).resolves.toMatchObject({ restarted: true });
    expect(world.setDesired).toEqual([1]);
    expect(world.subjects()).toEqual(['mc.example.com stopped', 'starting mc.example.com']);
  });

  it('a repeated terminate event after the restart neither stops the new start nor announces anything', async () => {
    const { world, event, hook } = longStop();
    await hook(event);
    world.before = undefined;
    world.clock.advance(60_000);
    await expect(hook(event)).resolves.toMatchObject({ role: 'replacement', notified: false, restarted: false, lifecycle: 'already-done' });
    expect(world.setDesired).toEqual([1]);
    expect(world.subjects()).toEqual(['mc.example.com stopped', 'starting mc.example.com']);
    expect(world.params.has(GAME.sessionParameterName)).toBe(true);
  });
});

describe('terminate: the "stopped" notice is exact', () => {
  it('is published by the retry when the publish failed once after the action was completed', async () => {
    const { world, event } = stoppingWorld();
    const hook = hookFor(world);
    world.fault = (call) => (call.name === 'Publish' ? Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable', $fault: 'server' }) : undefined);
    await expect(hook(event)).rejects.toThrow('Service Unavailable');
    expect(world.actions.get(`token-${OLD}-terminate`)!.done).toBe(true);
    expect(world.params.has(GAME.sessionParameterName)).toBe(true);
    expect(out.problems().map((l) => l.message)).toContainEqual(expect.stringContaining('event failed'));
    // The stop's times were recorded before the publish failed; the retry does not measure them again.
    expect(out.metricNames()).toEqual(['StopSaveSeconds', 'StopTerminateSeconds', 'HookFailed']);

    world.fault = undefined;
    world.clock.advance(60_000);
    await expect(hook(event)).resolves.toMatchObject({ role: 'stop', lifecycle: 'already-done', notified: true });
    expect(world.published).toEqual([{ subject: 'mc.example.com stopped', message: 'stopped mc.example.com after 2 h 11 min' }]);
    expect(world.params.has(GAME.sessionParameterName)).toBe(false);
  });

  it('is not repeated by a retry that finds it recorded in the session', async () => {
    const { world, event } = stoppingWorld({ session: sessionOf({ stoppedNoticeAt: '2025-06-01T18:00:30Z' }) });
    world.actions.get(`token-${OLD}-terminate`)!.done = true;
    await expect(hookFor(world)(event)).resolves.toMatchObject({ lifecycle: 'already-done', notified: false });
    expect(world.published).toEqual([]);
    expect(world.params.has(GAME.sessionParameterName)).toBe(false);
  });

  it('is not repeated by a replay after the stop has ended', async () => {
    const { world, event } = stoppingWorld();
    const hook = hookFor(world);
    await hook(event);
    await expect(hook(event)).resolves.toMatchObject({ lifecycle: 'already-done', notified: false });
    expect(world.subjects()).toEqual(['mc.example.com stopped']);
  });

  it('leaves a newer session alone when a late retry of an old stop finds the action done', async () => {
    const { world, event } = stoppingWorld();
    world.actions.get(`token-${OLD}-terminate`)!.done = true;
    // The stop ended long ago; a new start claimed a session at 18:30 and is raising the group.
    world.setParam(GAME.sessionParameterName, sessionOf({ startedAt: '2025-06-01T18:30:00Z' }));
    await expect(hookFor(world)(event)).resolves.toMatchObject({ notified: false, restarted: false });
    expect(world.param(GAME.sessionParameterName)).toMatchObject({ startedAt: '2025-06-01T18:30:00Z' });
    expect(world.published).toEqual([]);
  });

  it('announces the stop of a host no session covered when its action completes', async () => {
    const { world, event } = stoppingWorld({ session: false });
    await expect(hookFor(world)(event)).resolves.toMatchObject({ notified: true });
    expect(world.subjects()).toEqual(['mc.example.com stopped']);
  });
});

describe('warm pool', () => {
  it('only continues a terminate from WarmPool to EC2', async () => {
    const world = new World().install();
    world.actions.set('token-i-warm-terminate', { instanceId: 'i-warm', kind: 'terminate', done: false });
    await expect(hookFor(world)(lifecycleEvent({ transition: 'terminate', instanceId: 'i-warm', origin: 'WarmPool', destination: 'EC2' }))).resolves.toEqual({
      kind: 'warm-pool',
      instanceId: 'i-warm',
      lifecycle: 'completed',
    });
    expect(names(world.calls)).toEqual(['CompleteLifecycleAction']);
    expect(out.metrics()).toEqual([]);
  });

  it('leaves a launch from EC2 into the warm pool to the heartbeat timeout, so its first boot pulls the image before it is stopped', async () => {
    const world = new World().install();
    world.actions.set('token-i-warm-launch', { instanceId: 'i-warm', kind: 'launch', done: false });
    await expect(hookFor(world)(lifecycleEvent({ transition: 'launch', instanceId: 'i-warm', origin: 'EC2', destination: 'WarmPool' }))).resolves.toEqual({
      kind: 'warm-pool',
      instanceId: 'i-warm',
      lifecycle: 'left-to-heartbeat',
    });
    // No call at all: Auto Scaling continues on its own (the hook's default result is CONTINUE).
    expect(names(world.calls)).toEqual([]);
    expect(world.actions.get('token-i-warm-launch')?.done).toBe(false);
    expect(out.metrics()).toEqual([]);
  });

  it('stops the game like any other when its instance returns to the warm pool', async () => {
    const world = runningWorld();
    world.terminate(OLD, { desired: 0 });
    const event = lifecycleEvent({ transition: 'terminate', instanceId: OLD, origin: 'AutoScalingGroup', destination: 'WarmPool' });
    await expect(hookFor(world)(event)).resolves.toMatchObject({ role: 'stop', notified: true });
    expect(world.containerInstances[0]!.status).toBe('DRAINING');
  });
});

describe('spot interruption warning', () => {
  function spotWorld(state: Record<string, unknown> | false) {
    const world = runningWorld({ state });
    return world;
  }

  it('with players on: keeps the group at 1 so Auto Scaling relaunches, drains the task now, and says it relaunches', async () => {
    const world = spotWorld(watchdogStateOf(OLD, { players: 3, lastPlayersAt: '2025-06-01T17:59:00Z' }));
    await expect(hookFor(world, SPOT_GAME)(spotEvent(OLD))).resolves.toEqual({ kind: 'spot', instanceId: OLD, action: 'relaunch', notified: true });
    expect(world.desired).toBe(1);
    expect(world.setDesired).toEqual([]);
    expect(world.service.desired).toBe(1);
    expect(world.containerInstances[0]!.status).toBe('DRAINING');
    expect(world.runningTasksOn(OLD)).toHaveLength(0);
    expect(world.published).toEqual([
      { subject: 'mc.example.com spot interruption', message: expect.stringContaining('is saving and relaunches on a new instance (players are on)') },
    ]);
    expect(world.param(GAME.sessionParameterName)).toMatchObject({ spotWarnedInstanceId: OLD });
    // No lifecycle action belongs to this event; the terminate hook completes its own.
    expect(world.callsOf('CompleteLifecycleAction')).toHaveLength(0);
    expect(out.metricNames()).toEqual(['SpotInterruption']);
  });

  it('with nobody on: sets the group to 0, stops the service, drains the task now, and says it is saving and stopping', async () => {
    const world = spotWorld(watchdogStateOf(OLD, { players: 0 }));
    await expect(hookFor(world, SPOT_GAME)(spotEvent(OLD))).resolves.toMatchObject({ action: 'stop', notified: true });
    expect(world.setDesired).toEqual([0]);
    expect(world.service.desired).toBe(0);
    expect(world.runningTasksOn(OLD)).toHaveLength(0);
    expect(world.published.map((p) => p.message)).toEqual([expect.stringContaining('is saving and stopping (nobody was playing)')]);
    // Why it stopped, for `gm status` after the session is over.
    expect(world.param(GAME.stateParameterName)).toMatchObject({ instanceId: OLD, stopReason: 'spot-interruption', stopRequestedAt: expect.any(String) });
  });

  it('relaunches when the watchdog has not reported on the instance', async () => {
    const world = spotWorld(false);
    await expect(hookFor(world, SPOT_GAME)(spotEvent(OLD))).resolves.toMatchObject({ action: 'relaunch' });
    expect(world.desired).toBe(1);
  });

  it('announces a repeated warning only once', async () => {
    const world = spotWorld(watchdogStateOf(OLD, { players: 0 }));
    const hook = hookFor(world, SPOT_GAME);
    await hook(spotEvent(OLD));
    // The group was set to 0 but the instance is still InService when the warning comes again.
    await expect(hook(spotEvent(OLD))).resolves.toMatchObject({ action: 'none', notified: false });
    expect(world.published).toHaveLength(1);
    expect(world.setDesired).toEqual([0]);
    expect(out.metricNames()).toEqual(['SpotInterruption', 'DuplicateEvent']);
  });

  it("ignores another group's instance without any write or metric", async () => {
    const world = spotWorld(false);
    await expect(hookFor(world, SPOT_GAME)(spotEvent('i-theirs'))).resolves.toMatchObject({ kind: 'ignore', instanceId: 'i-theirs' });
    expect(names(world.calls)).toEqual(['DescribeAutoScalingGroups']);
    expect(out.metrics()).toEqual([]);
  });

  it('only drains an instance that no longer serves (its terminate hook handles the rest)', async () => {
    const world = spotWorld(false);
    world.terminate(OLD, { desired: 0 });
    await expect(hookFor(world, SPOT_GAME)(spotEvent(OLD))).resolves.toMatchObject({ action: 'none', notified: false });
    expect(world.published).toEqual([]);
    expect(world.containerInstances[0]!.status).toBe('DRAINING');
  });
});

describe('failed launches', () => {
  function failingWorld(options: { session?: Record<string, unknown> | false; spot?: boolean } = {}) {
    const world = new World().install();
    world.desired = 1;
    if (options.session !== false) world.setParam(GAME.sessionParameterName, options.session ?? sessionOf());
    if (options.spot) world.distribution = { OnDemandBaseCapacity: 0, OnDemandPercentageAboveBaseCapacity: 0, SpotAllocationStrategy: 'price-capacity-optimized' };
    return world;
  }
  const reason = 'We currently do not have sufficient t3.medium capacity in the Availability Zone you requested (eu-west-1b). Launching EC2 instance failed.';

  it("alerts with AWS's reason and counts the failure in the session; Auto Scaling keeps trying", async () => {
    const world = failingWorld();
    await expect(hookFor(world)(launchFailedEvent({ activityId: 'act-1' }))).resolves.toEqual({ kind: 'launch-failed', action: 'retry', failures: 1 });
    expect(world.published).toEqual([{ subject: 'mc.example.com launch failed', message: expect.stringContaining(reason) }]);
    expect(world.published[0]!.message).toContain('failure 1 of 3');
    expect(world.param(GAME.sessionParameterName)).toMatchObject({ startedAt: SESSION_STARTED_AT, launchFailures: 1, launchFailureActivities: ['act-1'] });
    expect(world.desired).toBe(1);
    expect(out.metricNames()).toEqual(['LaunchFailed']);
  });

  it('gives up after the third failure of a session: group to 0, session ended, an alert that says why', async () => {
    const world = failingWorld({ session: sessionOf({ launchFailures: 2, launchFailureActivities: ['act-1', 'act-2'] }) });
    await expect(hookFor(world)(launchFailedEvent({ activityId: 'act-3', message: 'Instance launch failed: quota exceeded' }))).resolves.toEqual({
      kind: 'launch-failed',
      action: 'give-up',
      failures: 3,
    });
    expect(world.setDesired).toEqual([0]);
    expect(world.params.has(GAME.sessionParameterName)).toBe(false);
    expect(world.published).toEqual([{ subject: 'mc.example.com start given up', message: expect.stringContaining('after 3 failed launches') }]);
    expect(world.published[0]!.message).toContain('Instance launch failed: quota exceeded');
    expect(out.metricNames()).toEqual(['LaunchFailed', 'LaunchGaveUp']);
  });

  it('switches a spot start to on-demand after its first failure, records it, and the end of the stop switches back', async () => {
    const world = failingWorld({ spot: true });
    const hook = hookFor(world, SPOT_GAME);
    await expect(hook(launchFailedEvent({ activityId: 'act-1' }))).resolves.toEqual({ kind: 'launch-failed', action: 'on-demand', failures: 1 });
    expect(world.asgUpdates).toEqual([
      {
        AutoScalingGroupName: GAME.asgName,
        MixedInstancesPolicy: { InstancesDistribution: { OnDemandBaseCapacity: 1, OnDemandPercentageAboveBaseCapacity: 0, SpotAllocationStrategy: 'price-capacity-optimized' } },
      },
    ]);
    expect(world.param(GAME.sessionParameterName)).toMatchObject({ onDemandFallback: true, launchFailures: 1 });
    expect(world.published[0]!.message).toContain('now uses on-demand capacity');
    expect(out.metricNames()).toEqual(['LaunchFailed', 'OnDemandFallback']);

    // The on-demand launch works; later the game stops.
    const launch = world.launch(NEW);
    world.registerAgent(NEW);
    await hook(launch);
    const stop = world.terminate(NEW, { desired: 0 });
    await expect(hook(stop)).resolves.toMatchObject({ role: 'stop', notified: true });
    expect(world.distribution!.OnDemandBaseCapacity).toBe(0);
    expect(world.params.has(GAME.sessionParameterName)).toBe(false);
  });

  it('a spot start that failed on on-demand too is retried, then given up', async () => {
    const world = failingWorld({ spot: true, session: sessionOf({ launchFailures: 1, onDemandFallback: true, launchFailureActivities: ['act-1'] }) });
    world.distribution!.OnDemandBaseCapacity = 1;
    const hook = hookFor(world, SPOT_GAME);
    await expect(hook(launchFailedEvent({ activityId: 'act-2' }))).resolves.toMatchObject({ action: 'retry', failures: 2 });
    await expect(hook(launchFailedEvent({ activityId: 'act-3' }))).resolves.toMatchObject({ action: 'give-up', failures: 3 });
    expect(world.setDesired).toEqual([0]);
    expect(world.distribution!.OnDemandBaseCapacity).toBe(0);
  });

  it('counts a start that no session covered by adopting it', async () => {
    const world = failingWorld({ session: false });
    await hookFor(world)(launchFailedEvent({ activityId: 'act-1' }));
    expect(world.param(GAME.sessionParameterName)).toMatchObject({ source: 'operator', launchFailures: 1, launchFailureActivities: ['act-1'] });
  });
});

describe('input and configuration', () => {
  it.each([
    ['nothing', undefined],
    ['an empty object', {}],
    ['an array', []],
    ['a lifecycle event without its token', { source: 'aws.autoscaling', 'detail-type': 'EC2 Instance-launch Lifecycle Action', detail: { AutoScalingGroupName: GAME.asgName, EC2InstanceId: NEW } }],
    ['an unknown Auto Scaling event', { source: 'aws.autoscaling', 'detail-type': 'EC2 Instance Launch Successful', detail: { AutoScalingGroupName: GAME.asgName } }],
    ['a spot warning without instance', { source: 'aws.ec2', 'detail-type': 'EC2 Spot Instance Interruption Warning', detail: {} }],
  ])('skips %s without calling AWS, and counts it', async (_label, event) => {
    const world = new World().install();
    await expect(hookFor(world)(event)).resolves.toMatchObject({ kind: 'ignore' });
    expect(world.calls).toEqual([]);
    expect(out.metricNames()).toEqual(['EventSkipped']);
    expect(out.problems().map((l) => l.message)).toEqual(['event skipped: not one the hook handles']);
  });

  it("ignores another game's lifecycle event without counting it", async () => {
    const world = new World().install();
    await expect(hookFor(world)(lifecycleEvent({ transition: 'terminate', instanceId: 'i-x', group: 'gm-valheim-asg' }))).resolves.toMatchObject({ kind: 'ignore' });
    expect(world.calls).toEqual([]);
    expect(out.metrics()).toEqual([]);
  });

  it('names the variables missing from the environment', async () => {
    await expect(createHandler({ env: { GM_TOPIC_ARN: TOPIC_ARN } })(lifecycleEvent({ transition: 'launch', instanceId: NEW }))).rejects.toThrow('GM_GAME is not set');
    const { hostedZoneId: _zone, ...partial } = viewOf('instance-hook');
    await expect(createHandler({ env: { GM_GAME: JSON.stringify(partial), GM_TOPIC_ARN: TOPIC_ARN } })({})).rejects.toThrow('hostedZoneId');
  });

  it('exports a handler that can be imported without any environment', async () => {
    const module = await import('../../../src/lambdas/instance-hook/handler');
    expect(typeof module.handler).toBe('function');
  });
});
