/**
 * Faults, for every flow of the instance hook:
 * - each AWS call in turn throttled, answering 5xx, or hanging past the
 *   client timeout (the SDK then throws `TimeoutError`): the invocation either
 *   rides it out (a poll reads again) or fails visibly, and Lambda's retry
 *   reaches the same END STATE as a run without the fault — the lifecycle
 *   action completed, no stop lost, no double start, notices neither lost nor
 *   repeated (except where stated: a failure right after an alert may repeat
 *   that alert, never lose it);
 * - the same event twice, events out of order, missing or corrupt state,
 *   malformed events.
 * Every failure shows in a log line and a metric.
 */
import '../../support/powertools-env';
import type { RuntimeGame } from '../../../src/runtime/game';
import type { HookTiming } from '../../../src/lambdas/instance-hook/flows';
import { TRANSIENT_FAULTS } from '../../support/aws-errors';
import { launchFailedEvent, lifecycleEvent, spotEvent } from '../../support/events';
import { GAME } from '../../support/game';
import { capturePowertools } from '../../support/powertools-output';
import { NEW, OLD, SPOT_GAME, launchingWorld, runningWorld, sessionOf, stoppingWorld, watchdogStateOf } from './scenarios';
import { World, hookFor, type Call } from './world';

const out = capturePowertools();

interface FlowCase {
  readonly name: string;
  readonly game?: RuntimeGame;
  readonly timing?: Partial<HookTiming>;
  setup(): { world: World; event: Record<string, unknown> };
  /** What must hold at the end, however the run got there. */
  endState(world: World): unknown;
  /** That end state, as a run without faults leaves it. */
  readonly expected: unknown;
  /** Calls after which a failure may make the retry repeat an alert already sent (at least once, never lost). */
  mayRepeatAlert?(call: Call, world: World): boolean;
  /** Calls whose failure is survived with a notice missing (it cannot be sent again): what the notices are then. */
  lostNotice?(call: Call): string[] | undefined;
  /** Calls whose failure is ridden out by skipping a record whose loss costs at most a repeated notice: the fields it leaves unset. */
  skippedRecord?(call: Call): string[] | undefined;
}

const subjectsOf = (world: World) => world.published.map((p) => p.subject);

const CASES: readonly FlowCase[] = [
  {
    name: 'launch',
    setup: () => launchingWorld(),
    endState: (w) => ({
      rule: w.rule,
      service: w.service,
      gameRunsOnNewInstance: w.runningTasksOn(NEW).length,
      records: Object.fromEntries(w.records),
      launchCompleted: w.actions.get(`token-${NEW}-launch`)!.done,
      watching: (({ instanceId, launchedAt }) => ({ instanceId, launchedAt }))(w.param<{ instanceId: string; launchedAt: string }>(GAME.stateParameterName)!),
      notices: subjectsOf(w),
    }),
    expected: {
      rule: 'ENABLED',
      service: { desired: 1, taskDefinition: GAME.taskFamily },
      gameRunsOnNewInstance: 1,
      records: { A: '198.51.100.20' },
      launchCompleted: true,
      watching: { instanceId: NEW, launchedAt: '2025-06-01T18:00:00.000Z' },
      notices: [],
    },
  },
  {
    name: 'terminate (the stop, with a wake recorded during it)',
    setup: () => {
      const scenario = stoppingWorld();
      scenario.world.setParam(GAME.pendingWakeParameterName, { recordedAt: '2025-06-01T18:00:05Z', source: 'lookup', lookupAt: '2025-06-01T18:00:05Z' });
      return scenario;
    },
    endState: (w) => ({
      desired: w.desired,
      starts: w.setDesired.filter((d) => d === 1).length,
      rule: w.rule,
      serviceDesired: w.service.desired,
      oldInstanceTasks: w.runningTasksOn(OLD).length,
      records: Object.fromEntries(w.records),
      terminateCompleted: w.actions.get(`token-${OLD}-terminate`)!.done,
      session: w.param<{ source: string }>(GAME.sessionParameterName)?.source,
      pendingWake: w.params.has(GAME.pendingWakeParameterName),
      notices: subjectsOf(w),
    }),
    // Stopped, saved, announced; then started again exactly once for the wake, and announced.
    expected: {
      desired: 1,
      starts: 1,
      rule: 'DISABLED',
      serviceDesired: 0,
      oldInstanceTasks: 0,
      records: { A: '192.0.2.1' },
      terminateCompleted: true,
      session: 'pending-wake',
      pendingWake: false,
      notices: ['mc.example.com stopped', 'starting mc.example.com'],
    },
    lostNotice: (call) => (call.name === 'Publish' && String(call.input.Subject).startsWith('starting') ? ['mc.example.com stopped'] : undefined),
  },
  {
    name: 'spot interruption with nobody on',
    game: SPOT_GAME,
    setup: () => ({ world: runningWorld({ state: watchdogStateOf(OLD, { players: 0 }) }), event: spotEvent(OLD) }),
    endState: (w) => ({
      desired: w.desired,
      starts: w.setDesired.filter((d) => d === 1).length,
      serviceDesired: w.service.desired,
      drained: w.containerInstances.map((c) => c.status),
      notices: subjectsOf(w),
      warned: w.param<{ spotWarnedInstanceId?: string }>(GAME.sessionParameterName)?.spotWarnedInstanceId,
    }),
    expected: { desired: 0, starts: 0, serviceDesired: 0, drained: ['DRAINING'], notices: ['mc.example.com spot interruption'], warned: OLD },
    // Without the record, a repeated warning would be announced again; the warning itself is fully handled.
    skippedRecord: (call) => (call.name === 'PutParameter' && call.input.Name === GAME.sessionParameterName ? ['warned'] : undefined),
  },
  {
    name: 'spot launch failure (falls back to on-demand)',
    game: SPOT_GAME,
    setup: () => {
      const world = new World().install();
      world.desired = 1;
      world.setParam(GAME.sessionParameterName, sessionOf());
      world.distribution = { OnDemandBaseCapacity: 0, OnDemandPercentageAboveBaseCapacity: 0, SpotAllocationStrategy: 'price-capacity-optimized' };
      return { world, event: launchFailedEvent({ activityId: 'act-1' }) };
    },
    endState: (w) => ({
      desired: w.desired,
      onDemandBase: w.distribution!.OnDemandBaseCapacity,
      session: (({ launchFailures, launchFailureActivities, onDemandFallback }) => ({ launchFailures, launchFailureActivities, onDemandFallback }))(
        w.param<Record<string, unknown>>(GAME.sessionParameterName)!,
      ),
      notices: [...new Set(subjectsOf(w))],
    }),
    expected: {
      desired: 1,
      onDemandBase: 1,
      session: { launchFailures: 1, launchFailureActivities: ['act-1'], onDemandFallback: true },
      notices: ['mc.example.com launch failed'],
    },
    mayRepeatAlert: (call) => call.name === 'PutParameter' && call.input.Name === GAME.sessionParameterName,
  },
  {
    name: 'third launch failure (gives up)',
    setup: () => {
      const world = new World().install();
      world.desired = 1;
      world.setParam(GAME.sessionParameterName, sessionOf({ launchFailures: 2, launchFailureActivities: ['act-1', 'act-2'] }));
      return { world, event: launchFailedEvent({ activityId: 'act-3' }) };
    },
    endState: (w) => ({
      desired: w.desired,
      starts: w.setDesired.filter((d) => d === 1).length,
      session: w.params.has(GAME.sessionParameterName),
      notices: [...new Set(subjectsOf(w))],
    }),
    expected: { desired: 0, starts: 0, session: false, notices: ['mc.example.com start given up'] },
    mayRepeatAlert: (call) => call.name === 'DeleteParameter',
  },
];

describe.each(CASES)('$name', (flow) => {
  function baseline() {
    const { world, event } = flow.setup();
    return { world, event, hook: hookFor(world, flow.game ?? GAME, flow.timing) };
  }

  const reference = (() => {
    let cached: { calls: Call[]; end: unknown; notices: number } | undefined;
    return async () => {
      if (!cached) {
        const { world, event, hook } = baseline();
        await hook(event);
        cached = { calls: [...world.calls], end: flow.endState(world), notices: world.published.length };
      }
      return cached;
    };
  })();

  it('runs without faults (the reference end state)', async () => {
    const { calls, end } = await reference();
    expect(calls.length).toBeGreaterThan(3);
    expect(end).toEqual(flow.expected);
  });

  describe.each(TRANSIENT_FAULTS)('with %s', (_label, makeError) => {
    it('on each AWS call in turn: a visible failure, and the retry reaches the reference end state', async () => {
      const { calls, end, notices } = await reference();
      for (let k = 0; k < calls.length; k++) {
        out.clear();
        const { world, event, hook } = baseline();
        const error = makeError();
        world.fault = (call) => (call.index === k ? error : undefined);
        let threw: unknown;
        try {
          await hook(event);
        } catch (e) {
          threw = e;
        }
        const failed = world.calls[k];
        const where = `fault on call ${k} (${failed?.name})`;
        expect({ where, called: failed?.name }).toEqual({ where, called: calls[k]!.name });

        const problems = out.problems();
        const metrics = out.metricNames();
        if (threw) {
          expect({ where, thrown: threw }).toEqual({ where, thrown: error });
          expect({ where, logged: problems.some((l) => l.message.startsWith('event failed') && String(l.error).includes(error.name)) }).toEqual({ where, logged: true });
          expect({ where, metric: metrics.includes('HookFailed') }).toEqual({ where, metric: true });
          // Lambda retries a minute later.
          world.fault = undefined;
          world.clock.advance(60_000);
          await hook(event);
        } else {
          // Ridden out: a poll read again, or a write whose loss costs nothing was skipped — still visible.
          expect({ where, logged: problems.some((l) => String(l.error ?? '').includes(error.name)) }).toEqual({ where, logged: true });
          expect({ where, metric: metrics.some((m) => ['TransientError', 'SessionWriteFailed', 'NoticeFailed', 'StopNotRecorded'].includes(m)) }).toEqual({ where, metric: true });
        }

        const lost = flow.lostNotice?.(failed!);
        if (lost && !threw) {
          expect({ where, notices: subjectsOf(world) }).toEqual({ where, notices: lost });
          expect(metrics).toContain('NoticeFailed');
          continue;
        }
        const skipped = threw ? undefined : flow.skippedRecord?.(failed!);
        const without = (state: unknown) => Object.fromEntries(Object.entries(state as object).filter(([key]) => !skipped?.includes(key)));
        expect({ where, end: without(flow.endState(world)) }).toEqual({ where, end: without(end) });
        const repeatAllowed = threw !== undefined && flow.mayRepeatAlert?.(failed!, world) === true;
        expect({ where, notices: world.published.length }).toEqual({ where, notices: repeatAllowed ? expect.any(Number) : notices });
        if (repeatAllowed) expect(world.published.length).toBeLessThanOrEqual(notices + 1);
      }
    });
  });
});

describe('the same event twice', () => {
  it('launch: the replay starts nothing twice, keeps the watchdog state, announces nothing, and says so', async () => {
    const { world, event } = launchingWorld();
    const hook = hookFor(world);
    await hook(event);
    const state = world.params.get(GAME.stateParameterName);
    out.clear();
    await expect(hook(event)).resolves.toMatchObject({ lifecycle: 'already-done' });
    expect(world.params.get(GAME.stateParameterName)).toBe(state);
    expect(world.tasks).toHaveLength(1);
    expect(world.setDesired).toEqual([]);
    expect(out.metricNames()).toEqual(['DuplicateEvent']);
    expect(out.logs().map((l) => l.message)).toContainEqual(expect.stringContaining('lifecycle action already completed'));
  });

  it('terminate: the replay sends no second notice and starts nothing', async () => {
    const { world, event } = stoppingWorld();
    const hook = hookFor(world);
    await hook(event);
    out.clear();
    await expect(hook(event)).resolves.toMatchObject({ lifecycle: 'already-done', notified: false, restarted: false });
    expect(subjectsOf(world)).toEqual(['mc.example.com stopped']);
    expect(world.setDesired).toEqual([]);
    expect(out.metricNames()).toEqual(['DuplicateEvent']);
  });

  it('two deliveries of a stop at once: one notice, one restart for the wake', async () => {
    const { world, event } = stoppingWorld();
    world.setParam(GAME.pendingWakeParameterName, { recordedAt: '2025-06-01T18:00:05Z', source: 'lookup' });
    const hook = hookFor(world);
    await Promise.all([hook(event), hook(event)]);
    expect(world.setDesired).toEqual([1]);
    expect(subjectsOf(world).filter((s) => s === 'starting mc.example.com')).toHaveLength(1);
    expect(world.actions.get(`token-${OLD}-terminate`)!.done).toBe(true);
  });

  it('spot warning: announced once, counted as a duplicate', async () => {
    const world = runningWorld({ state: watchdogStateOf(OLD, { players: 4 }) });
    const hook = hookFor(world, SPOT_GAME);
    await hook(spotEvent(OLD));
    out.clear();
    await expect(hook(spotEvent(OLD))).resolves.toMatchObject({ notified: false });
    expect(world.published).toHaveLength(1);
    expect(out.metricNames()).toEqual(['DuplicateEvent']);
    expect(out.logs().map((l) => l.message)).toContainEqual(expect.stringContaining('repeated spot interruption warning'));
  });

  it('launch failure: counted once, alerted once', async () => {
    const world = new World().install();
    world.desired = 1;
    world.setParam(GAME.sessionParameterName, sessionOf());
    const hook = hookFor(world);
    await hook(launchFailedEvent({ activityId: 'act-1' }));
    out.clear();
    await expect(hook(launchFailedEvent({ activityId: 'act-1' }))).resolves.toEqual({ kind: 'launch-failed', action: 'duplicate' });
    expect(world.param(GAME.sessionParameterName)).toMatchObject({ launchFailures: 1 });
    expect(world.published).toHaveLength(1);
    expect(out.metricNames()).toEqual(['DuplicateEvent']);
  });
});

describe('events out of order', () => {
  it('a launch event delivered after the stop of its instance starts nothing', async () => {
    const { world, event: launch } = launchingWorld();
    const hook = hookFor(world);
    await hook(world.terminate(NEW, { desired: 0 }));
    out.clear();
    await expect(hook(launch)).resolves.toMatchObject({ started: false });
    expect(world.service.desired).toBe(0);
    expect(world.rule).toBe('DISABLED');
    expect(world.records.get('A')).toBe('192.0.2.1');
    expect(out.metricNames()).toEqual(['StaleEvent']);
    expect(out.problems().map((l) => l.message)).toEqual([expect.stringContaining('not serving')]);
  });

  it("a launch failure delivered after the game stopped neither alerts nor touches the next start's session", async () => {
    const world = new World().install();
    await expect(hookFor(world)(launchFailedEvent({ activityId: 'act-1' }))).resolves.toEqual({ kind: 'launch-failed', action: 'stale' });
    expect(world.published).toEqual([]);
    expect(world.params.size).toBe(0);
    expect(out.metricNames()).toEqual(['StaleEvent']);
    expect(out.problems()).toHaveLength(1);
  });

  it('a spot warning delivered after the instance left the group is ignored', async () => {
    const world = new World().install();
    await expect(hookFor(world, SPOT_GAME)(spotEvent(OLD))).resolves.toMatchObject({ kind: 'ignore' });
    expect(world.published).toEqual([]);
  });

  it('the terminate of an old instance delivered after the next start leaves the new session alone', async () => {
    const { world, event } = stoppingWorld();
    const hook = hookFor(world);
    await hook(event);
    // The next start: a new session and a new instance.
    world.setParam(GAME.sessionParameterName, sessionOf({ startedAt: '2025-06-01T19:00:00Z' }));
    world.desired = 1;
    const launch = world.launch(NEW);
    world.registerAgent(NEW);
    await hook(launch);
    out.clear();
    await expect(hook(event)).resolves.toMatchObject({ role: 'replacement', notified: false });
    expect(world.param(GAME.sessionParameterName)).toMatchObject({ startedAt: '2025-06-01T19:00:00Z' });
    expect(world.runningTasksOn(NEW)).toHaveLength(1);
    expect(world.service.desired).toBe(1);
    expect(world.records.get('A')).toBe('198.51.100.20');
  });
});

describe('missing or corrupt state', () => {
  it('a corrupt watchdog state at launch is replaced by a fresh one, and reported', async () => {
    const { world, event } = launchingWorld();
    world.setParam(GAME.stateParameterName, '{"instanceId": 42');
    await expect(hookFor(world)(event)).resolves.toMatchObject({ started: true, lifecycle: 'completed' });
    expect(world.param(GAME.stateParameterName)).toMatchObject({ instanceId: NEW });
    expect(out.metricNames()).toEqual(['StateUnreadable', 'InstanceLaunched', 'InstanceBootSeconds']);
    expect(out.problems().map((l) => l.message)).toEqual(['watchdog state unreadable; treated as none']);
  });

  it('a corrupt session at the end of a stop: the stop is announced and the session ended', async () => {
    const { world, event } = stoppingWorld({ session: { startedAt: 'yesterday', source: 'magic' } });
    await expect(hookFor(world)(event)).resolves.toMatchObject({ notified: true });
    expect(world.params.has(GAME.sessionParameterName)).toBe(false);
    expect(out.metricNames()).toEqual(['StopSaveSeconds', 'StopTerminateSeconds', 'StateUnreadable', 'InstanceStopped']);
  });

  it('a corrupt pending wake still starts the game again at the end of the stop', async () => {
    const { world, event } = stoppingWorld();
    world.setParam(GAME.pendingWakeParameterName, 'not json');
    await expect(hookFor(world)(event)).resolves.toMatchObject({ restarted: true });
    expect(world.setDesired).toEqual([1]);
  });

  it('a missing watchdog state at the end of a stop: the uptime comes from EC2', async () => {
    const { world, event } = stoppingWorld({ state: false });
    await hookFor(world)(event);
    expect(world.published.map((p) => p.message)).toEqual(['stopped mc.example.com after 2 h 10 min']);
  });

  it('a corrupt session at a launch failure is replaced by one that counts it', async () => {
    const world = new World().install();
    world.desired = 1;
    world.setParam(GAME.sessionParameterName, '[]');
    await hookFor(world)(launchFailedEvent({ activityId: 'act-1' }));
    expect(world.param(GAME.sessionParameterName)).toMatchObject({ launchFailures: 1, launchFailureActivities: ['act-1'] });
    expect(out.metricNames()).toEqual(['StateUnreadable', 'LaunchFailed']);
  });

  it('a corrupt session at a spot warning: handled and announced (nothing to record the warning in)', async () => {
    const world = runningWorld({ session: 'garbage', state: watchdogStateOf(OLD, { players: 0 }) });
    await expect(hookFor(world, SPOT_GAME)(spotEvent(OLD))).resolves.toMatchObject({ action: 'stop', notified: true });
    expect(out.metricNames()).toEqual(['StateUnreadable', 'SpotInterruption']);
  });
});

describe('malformed events', () => {
  it.each([
    ['a string', 'hello'],
    ['a number', 42],
    ['a lifecycle event with a detail array', { source: 'aws.autoscaling', 'detail-type': 'EC2 Instance-launch Lifecycle Action', detail: [] }],
    ['a lifecycle event with a numeric instance id', { ...lifecycleEvent({ transition: 'terminate', instanceId: OLD }), detail: { ...(lifecycleEvent({ transition: 'terminate', instanceId: OLD }).detail as object), EC2InstanceId: 7 } }],
    ['a launch failure without any id', { source: 'aws.autoscaling', 'detail-type': 'EC2 Instance Launch Unsuccessful', detail: { AutoScalingGroupName: GAME.asgName } }],
  ])('%s is skipped and counted, never fatal, with no AWS call', async (_label, event) => {
    const world = new World().install();
    await expect(hookFor(world)(event)).resolves.toMatchObject({ kind: 'ignore' });
    expect(world.calls).toEqual([]);
    expect(out.metrics()).toEqual([{ name: 'EventSkipped', value: 1, game: 'mc' }]);
    expect(out.problems()).toHaveLength(1);
  });
});
